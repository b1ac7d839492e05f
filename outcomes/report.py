"""The dashboard's and the report's content, and the report as PDF (fpdf2, pure Python).

The report is written for an audience (`names.ReportAudience`). Internal reports show the
builders' own words; for residents and partners an outcome shows only its summary for
partners (or just its domains and figures when it has none), and every name is looked up in
`residents.disclosure` for that audience: "a resident" otherwise.

Nothing else the builders typed reaches residents or partners either: not the free "where"
(only the linked place's name), the group "for whom" in words, a typed value note (only the
sum from a standard unit value), step notes or note steps, nor an initiative that is not
public (`Initiative.public`): such initiatives are neither listed nor named in a chain.
"""

from __future__ import annotations

import datetime
import functools
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs import figures as precomputed
from neighbourhoods.models import Membership, Neighbourhood
from network.models import Initiative, InitiativeMember, InitiativeStatus

from . import charts
from .chain import chain_prefetch, chain_text, plain_number, quantity_text, step_label
from .figures import (
    DAILY,
    Total,
    by_domain,
    by_domain_and_period,
    by_period,
    by_unit,
    connection_growth,
    counted,
    neighbourhood_figures,
    totals,
)
from .models import Domain, Outcome, Period, PriceIndex, Status, StepKind
from .money import euro, euro_range, rounded
from .names import ReportAudience, name_of, reader_for, shown_to
from .prices import indexer as current_indexer
from .valuation import Indexer

LATEST = 5


def query_string(
    start: datetime.date, end: datetime.date, audience: str, year: int | None = None
) -> str:
    params: dict[str, str | int] = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "audience": audience,
    }
    if year:
        params["year"] = year
    return urlencode(params)


def _short_month(day: datetime.date | str) -> str:
    """ "Mar", or "Jan 26" for January (so the year shows where it changes)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return date_format(day, "M y" if day.month == 1 else "M")


def _charts(outcomes, neighbourhood, start, end, indexer: Indexer, daily=None) -> dict:
    domains = by_domain(outcomes, indexer)
    months = by_period(outcomes, start, end, "month", indexer)
    growth = connection_growth(neighbourhood, start, end, daily)
    return {
        "domain_totals": domains,
        "month_totals": months,
        "growth": growth,
        "domain_chart": charts.hbar_chart(
            [
                (row.label, row.count, str(row.count))  # the ranges are in the table below
                for row in domains
            ],
            title=_("Outcomes per policy domain"),
        ),
        "month_chart": charts.column_chart(
            [(_short_month(row.key), row.count, str(row.count)) for row in months],
            title=_("Outcomes per month"),
            titles=[row.label for row in months],
        ),
        "growth_chart": charts.line_chart(
            [(_short_month(point.month), point.active, str(point.active)) for point in growth],
            title=_("Connections at the end of each month"),
            titles=[point.label for point in growth],
        ),
    }


def dashboard_context(
    neighbourhood: Neighbourhood,
    membership: Membership,
    start: datetime.date,
    end: datetime.date,
) -> dict:
    scoped = Outcome.objects.in_neighbourhood(neighbourhood).between(start, end)
    substantiated = scoped.substantiated()
    indexer = current_indexer()
    daily = precomputed.read(neighbourhood, DAILY)[DAILY]
    latest = list(
        substantiated.prefetch_related(chain_prefetch(), "domain_rows")
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
        .order_by("-happened_on", "-pk")[:LATEST]
    )
    context = {
        "start": start,
        "end": end,
        "figures": neighbourhood_figures(neighbourhood, start, end, daily),
        "figures_as_of": daily.as_of,
        "totals": totals(substantiated, indexer),
        "price_year": indexer.year,
        "drafts": scoped.filter(status=Status.DRAFT).count(),
        "units": by_unit(substantiated, indexer),
        "stories": [
            {
                "outcome": outcome,
                "chain": chain_text(outcome, membership),
                "quantity": quantity_text(outcome),
            }
            for outcome in latest
        ],
    }
    context.update(_charts(substantiated, neighbourhood, start, end, indexer, daily))
    return context


@dataclass
class Valuation:
    """How one outcome's euros were worked out, step by step, for the reader to check."""

    price_name: str
    price: Decimal
    per: str  # "" for a price per unit, else "per day" …
    price_year: int
    source: str
    reference: bool  # a national reference price (else the neighbourhood's own unit)
    method: str  # the sum in words and figures
    low: Decimal | None  # in the report's year (revalue() sets both ends, so only in theory)
    high: Decimal


def _percent_range(low: int, high: int) -> str:
    return f"{low} %" if low == high else f"{low}–{high} %"


def valuation(outcome: Outcome, indexer: Indexer) -> Valuation | None:
    """The worked sum of a valued outcome in the report's year; None when it has no value."""
    if outcome.value_high is None:
        return None
    low = indexer(outcome.value_low, outcome.value_year)
    high = indexer(outcome.value_high, outcome.value_year)
    price = outcome.price
    index_text = ""
    if outcome.value_year != indexer.year and indexer.year is not None:
        index_text = _(" × %(factor)s (CPI %(to)s ÷ CPI %(from)s)") % {
            "factor": rounded(indexer.factor(outcome.value_year), 4),
            "to": indexer.year,
            "from": outcome.value_year,
        }
    if price is None or outcome.quantity is None:  # a value kept from before prices had sources
        return Valuation(
            price_name="",
            price=Decimal(0),
            per="",
            price_year=outcome.value_year or 0,
            source="",
            reference=False,
            method=_("%(range)s at %(year)s prices, given by hand%(index)s")
            % {
                "range": euro_range(outcome.value_low, outcome.value_high),
                "year": outcome.value_year,
                "index": index_text,
            },
            low=low,
            high=high,
        )
    per = "" if price.period == Period.UNIT else str(Period(price.period).label)
    parts = [
        _("%(quantity)s × € %(price)s %(per)s")
        % {
            "quantity": plain_number(outcome.quantity),
            "price": number_format(price.price, 2, force_grouping=True),
            "per": per or _("each"),
        }
    ]
    if price.period != Period.UNIT and outcome.duration is not None:
        duration = _("%(duration)s %(unit)s") % {
            "duration": plain_number(outcome.duration),
            "unit": outcome.get_duration_unit_display(),
        }
        if outcome.drop_off and (
            outcome.duration > (12 if outcome.duration_unit == "months" else 1)
        ):
            duration = _("%(duration)s, less %(drop)s %% a year after the first") % {
                "duration": duration,
                "drop": outcome.drop_off,
            }
        parts.append(_("× %(duration)s") % {"duration": duration})
    parts.append(
        _("× (1 − deadweight %(deadweight)s) × attribution %(attribution)s")
        % {
            "deadweight": _percent_range(outcome.deadweight_low, outcome.deadweight_high),
            "attribution": _percent_range(outcome.attribution_low, outcome.attribution_high),
        }
    )
    method = " ".join(parts) + _(" = %(range)s at %(year)s prices") % {
        "range": euro_range(outcome.value_low, outcome.value_high),
        "year": outcome.value_year,
    }
    if index_text:
        method += index_text + " = " + euro_range(low, high)
    return Valuation(
        price_name=price.name,
        price=price.price,
        per=per,
        price_year=price.price_year,
        source=price.source,
        reference=outcome.reference_price_id is not None,
        method=method,
        low=low,
        high=high,
    )


@dataclass
class Entry:
    """One outcome as the report's audience may read it."""

    title: str
    story: str
    significance: str
    when: datetime.date
    where: str
    for_whom: list[str]
    domains: list[str]
    chain: str
    quantity: str
    valuation: Valuation | None
    value_note: str
    anonymised: bool

    @property
    def value_low(self) -> Decimal | None:  # for the `euros` filter
        return self.low

    @property
    def value_high(self) -> Decimal | None:
        return self.high

    @property
    def low(self) -> Decimal | None:
        return self.valuation.low if self.valuation else None

    @property
    def high(self) -> Decimal | None:
        return self.valuation.high if self.valuation else None


@dataclass
class DomainSection:
    code: str
    label: str
    count: int
    low: Decimal
    high: Decimal
    entries: list[Entry] = field(default_factory=list)


def _entry(outcome: Outcome, reader: Membership | None, internal: bool, indexer: Indexer) -> Entry:
    people = [name_of(person, reader) for person in outcome.for_whom_people.all()]
    shown = outcome.place is not None and shown_to(outcome.place, reader)
    place = str(outcome.place) if shown else ""
    if internal:
        title, story, significance = outcome.title, outcome.story, outcome.significance
        anonymised = False
        where = ", ".join(part for part in (place, outcome.where) if part)
        for_whom = [*people, outcome.for_whom_group] if outcome.for_whom_group else people
        value_note = outcome.value_note
    else:  # none of the builders' own words: see the module's docstring
        title = outcome.public_summary or _("An outcome for %(domains)s") % {
            "domains": ", ".join(outcome.domain_labels)
        }
        story, significance = "", ""
        anonymised = not outcome.public_summary
        where, for_whom, value_note = place, people, ""
    return Entry(
        title=title,
        story=story,
        significance=significance,
        when=outcome.happened_on,
        where=where,
        for_whom=for_whom,
        domains=outcome.domain_labels,
        chain=chain_text(outcome, reader, title=title, internal=internal),
        quantity=quantity_text(outcome),
        valuation=valuation(outcome, indexer),
        value_note=value_note,
        anonymised=anonymised,
    )


INITIATIVE_LIMIT = 50


def _residents_did(
    neighbourhood, outcomes: list[Outcome], reader, start, end, internal: bool, daily
) -> dict:
    """Page "what residents did themselves": their gifts, initiatives and what they gave.

    Not internal: only initiatives that chose to be public, and no step notes."""
    gift_steps: list[str] = []
    for outcome in outcomes:
        for step in outcome.contributions.all():
            if step.kind == StepKind.GIFT:
                text = step_label(step, reader, internal=internal)
                if text not in gift_steps:
                    gift_steps.append(text)
    # as at the period's end, like the figures (precomputed daily counts)
    result: dict[str, Any] = {
        "gift_steps": gift_steps,
        "shared_gifts": counted(daily.payload["shared_gifts"], end),
        "sharing_people": counted(daily.payload["sharing_people"], end),
        "initiatives": [],
        "with_residents": sum(
            1
            for outcome in outcomes
            if any(
                s.kind in (StepKind.GIFT, StepKind.INITIATIVE) for s in outcome.contributions.all()
            )
        ),
    }
    current = Q(members__joined__lte=end) & (
        Q(members__left__isnull=True) | Q(members__left__gt=end)
    )
    initiatives = Initiative.objects.in_neighbourhood(neighbourhood)
    if not internal:
        initiatives = initiatives.filter(public=True)
    initiatives = (
        initiatives.exclude(status=InitiativeStatus.IDEA)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=end))
        .annotate(member_count=Count("members", filter=current, distinct=True))
        .prefetch_related(
            Prefetch(
                "members",
                queryset=InitiativeMember.objects.filter(initiator=True).select_related("person"),
                to_attr="initiator_rows",
            )
        )
        .order_by("-member_count", "name")[:INITIATIVE_LIMIT]
    )
    for initiative in initiatives:
        result["initiatives"].append(
            {
                "name": initiative.name,
                "description": initiative.description,
                "status": initiative.get_status_display(),
                "started_on": initiative.started_on,
                "members": initiative.member_count,
                "initiators": [name_of(row.person, reader) for row in initiative.initiator_rows],
            }
        )
        result["initiatives"][-1]["facts"] = initiative_facts(result["initiatives"][-1])
    return result


@dataclass
class Yield:
    """What a set of outcomes yielded: by domain (an outcome counts in each of its domains)
    and in total (each outcome once), as ranges in the report's year."""

    count: int
    valued: int
    low: Decimal
    high: Decimal
    domains: list[Total]

    @property
    def domain_count(self) -> int:
        return len(self.domains)


def _valued_low(outcome: Outcome) -> Decimal:
    """The low end of a valued outcome's range (revalue() sets both ends or neither)."""
    assert outcome.value_low is not None
    return outcome.value_low


def _valued_high(outcome: Outcome) -> Decimal:
    """The high end of a valued outcome's range (the caller kept only valued outcomes)."""
    assert outcome.value_high is not None
    return outcome.value_high


def yield_of(outcomes: list[Outcome], indexer: Indexer) -> Yield:
    zero = Decimal(0)
    per_domain: dict[str, list[Outcome]] = {}
    low = high = zero
    valued = 0
    for outcome in outcomes:
        for code in outcome.domains:
            per_domain.setdefault(code, []).append(outcome)
        if outcome.value_high is not None:
            valued += 1
            low += indexer(_valued_low(outcome), outcome.value_year)
            high += indexer(outcome.value_high, outcome.value_year)
    domains = []
    for code, label in Domain.choices:
        rows = per_domain.get(code)
        if not rows:
            continue
        with_value = [o for o in rows if o.value_high is not None]
        domains.append(
            Total(
                code,
                str(label),
                len(rows),
                sum((indexer(_valued_low(o), o.value_year) for o in with_value), zero),
                sum((indexer(_valued_high(o), o.value_year) for o in with_value), zero),
                len(with_value),
            )
        )
    return Yield(len(outcomes), valued, low, high, domains)


def yield_summary(name: str, result: Yield) -> str:
    """ "Coffee club: 4 outcomes in 3 domains, € 1,234 – € 5,678" """
    text = ngettext(
        "%(name)s: %(count)s outcome in %(domains)s",
        "%(name)s: %(count)s outcomes in %(domains)s",
        result.count,
    ) % {
        "name": name,
        "count": result.count,
        "domains": ngettext("%(n)s domain", "%(n)s domains", result.domain_count)
        % {"n": result.domain_count},
    }
    if result.valued:
        text += f", {euro_range(result.low, result.high)}"
    return text


@dataclass
class InitiativeYield:
    name: str
    summary: str
    result: Yield
    entries: list[Entry]


def _initiative_yields(
    outcomes: list[Outcome], entries: dict[int, Entry], indexer: Indexer, internal: bool
) -> list[InitiativeYield]:
    """Per initiative in the outcomes' chains (public ones only when not internal): what its
    outcomes yielded. An outcome with several initiatives counts fully for each."""
    found: dict[int, tuple] = {}
    for outcome in outcomes:
        for step in outcome.contributions.all():
            initiative = step.initiative if step.kind == StepKind.INITIATIVE else None
            if initiative is None or not (internal or initiative.public):
                continue
            name, rows = found.setdefault(initiative.pk, (initiative.name, []))
            if outcome not in rows:
                rows.append(outcome)
    result = []
    for name, rows in sorted(found.values(), key=lambda item: (-len(item[1]), item[0])):
        outcome_yield = yield_of(rows, indexer)
        result.append(
            InitiativeYield(
                name,
                yield_summary(name, outcome_yield),
                outcome_yield,
                [entries[o.pk] for o in rows],
            )
        )
    return result


@dataclass
class PriceUsed:
    name: str
    price: Decimal
    per: str
    price_year: int
    source: str
    reference: bool
    indexed: Decimal  # the price in the report's year
    used: int


def _methods(outcomes: list[Outcome], entries: dict[int, Entry], indexer: Indexer) -> dict:
    """The methods page: every price used with its source and year, the index, and what is
    not valued."""
    prices: dict[tuple, PriceUsed] = {}
    for outcome in outcomes:
        price = outcome.price
        if price is None or outcome.value_high is None:
            continue
        key = ("reference" if outcome.reference_price_id else "own", price.pk)
        if key in prices:
            prices[key].used += 1
            continue
        prices[key] = PriceUsed(
            name=price.name,
            price=price.price,
            per="" if price.period == Period.UNIT else str(Period(price.period).label),
            price_year=price.price_year,
            source=price.source,
            reference=key[0] == "reference",
            indexed=indexer(price.price, price.price_year),
            used=1,
        )
    years = sorted({o.value_year for o in outcomes if o.value_year is not None})
    index = dict(
        PriceIndex.objects.filter(year__in=[*years, indexer.year]).values_list("year", "index")
    )
    index_rows = [
        {
            "year": year,
            "index": index.get(year),
            "factor": indexer.factor(year),
            "covered": indexer.covers(year),
        }
        for year in years
    ]
    return {
        "prices_used": sorted(prices.values(), key=lambda p: (not p.reference, p.name)),
        "index_rows": index_rows,
        "index_source": PriceIndex.objects.values_list("source", flat=True).first() or "",
        "target_index": index.get(indexer.year) if indexer.year is not None else None,
        "not_valued": [entries[o.pk] for o in outcomes if o.value_high is None],
        "hand_valued": sum(1 for o in outcomes if o.value_high is not None and o.price is None),
    }


def report_context(
    neighbourhood: Neighbourhood,
    start: datetime.date,
    end: datetime.date,
    audience: str,
    year: int | None = None,
) -> dict:
    reader = reader_for(neighbourhood, audience)
    internal = audience == ReportAudience.INTERNAL
    daily = precomputed.read(neighbourhood, DAILY)[DAILY]
    indexer = current_indexer(year)
    scoped = Outcome.objects.in_neighbourhood(neighbourhood).between(start, end)
    substantiated = scoped.substantiated()
    outcomes = list(
        substantiated.select_related("place", "unit_value", "reference_price")
        .prefetch_related(chain_prefetch(), "domain_rows", Prefetch("for_whom_people"))
        .order_by("happened_on", "pk")
    )
    entries = {outcome.pk: _entry(outcome, reader, internal, indexer) for outcome in outcomes}
    sections: dict[str, DomainSection] = {}
    for row in by_domain(substantiated, indexer):
        if row.count:
            sections[row.key] = DomainSection(row.key, row.label, row.count, row.low, row.high)
    for outcome in outcomes:
        domains = outcome.domains
        if domains:
            sections[domains[0]].entries.append(entries[outcome.pk])
    context = {
        "neighbourhood": neighbourhood,
        "start": start,
        "end": end,
        "audience": audience,
        "audience_label": ReportAudience(audience).label,
        "internal": internal,
        "generated": timezone.localtime(),
        "price_year": indexer.year,
        "method_paragraphs": method_paragraphs(indexer.year),
        "figures": neighbourhood_figures(neighbourhood, start, end, daily),
        "figures_as_of": daily.as_of,
        "totals": totals(substantiated, indexer),
        "drafts_left_out": scoped.filter(status=Status.DRAFT).count(),
        "units": by_unit(substantiated, indexer),
        "table": by_domain_and_period(substantiated, start, end, "quarter", indexer),
        "sections": [s for s in sections.values() if s.entries],
        "initiative_yields": _initiative_yields(outcomes, entries, indexer, internal),
        "without_summary": 0 if internal else sum(1 for o in outcomes if not o.public_summary),
        "residents": _residents_did(neighbourhood, outcomes, reader, start, end, internal, daily),
    }
    context.update(_methods(outcomes, entries, indexer))
    context.update(_charts(substantiated, neighbourhood, start, end, indexer, daily))
    return context


def initiative_facts(initiative: dict) -> str:
    """ "Started by Ans and a resident in March 2025; 14 members." """
    parts = []
    if initiative["initiators"]:
        parts.append(_("started by %(names)s") % {"names": ", ".join(initiative["initiators"])})
    if initiative["started_on"]:
        parts.append(
            _("since %(date)s")
            % {"date": date_format(initiative["started_on"], "YEAR_MONTH_FORMAT")}
        )
    count = initiative["members"]
    parts.append(ngettext("%(count)s member", "%(count)s members", count) % {"count": count})
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# -- PDF -----------------------------------------------------------------------------------

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}


@functools.cache
def _drawable() -> frozenset[int]:
    """Code points that all three styles of the report's font can draw."""
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(FONTS / name, lazy=True).getBestCmap()) for name in FONT_FILES.values()]
    return frozenset(set.intersection(*maps))


def pdf_text(text: object) -> str:
    """Text the PDF's font can draw: Latin (ş, ğ, ł, ő…), Greek and Cyrillic stay as they are;
    a letter the font lacks falls back to its unaccented base letter, else to "?"."""
    drawable = _drawable()
    result = []
    for char in str(text):
        if ord(char) in drawable or char in "\n\t":
            result.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if ord(c) in drawable and c.isprintable()
        )
        result.append(base or "?")
    return "".join(result)


def access_description(audience: str) -> str:
    """The access log's words for the report PDF, downloaded straight away or from a job."""
    return f"outcomes report (pdf, {audience})"


def render_pdf(context: dict) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, FONTS / name)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 16, 18)
    pdf.set_title(
        pdf_text(_("Outcomes report · %(name)s") % {"name": context["neighbourhood"].name})
    )
    pdf.set_creator("Assetmap")
    width = pdf.epw

    def heading(text: str, size: int = 14) -> None:
        pdf.ln(2)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(width, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def line(text: str, style: str = "", size: int = 10) -> None:
        if not text:
            return
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(width, 5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(rows: list[tuple], widths: list[float], header: bool = True) -> None:
        for index, row in enumerate(rows):
            pdf.set_font(FONT, "B" if header and index == 0 else "", 9)
            for cell, w in zip(row, widths, strict=True):
                pdf.cell(w * width, 6, pdf_text(cell), border="B")
            pdf.ln(6)

    start, end = context["start"], context["end"]
    pdf.add_page()
    heading(_("What %(name)s yields") % {"name": context["neighbourhood"].name}, 18)
    line(
        _("Outcomes report, %(start)s to %(end)s. For: %(audience)s.")
        % {
            "start": date_format(start),
            "end": date_format(end),
            "audience": context["audience_label"],
        }
    )
    line(
        _("Made on %(date)s") % {"date": date_format(context["generated"], "DATETIME_FORMAT")},
        size=8,
    )

    heading(_("Figures"))
    rows = [(_("what"), _("in all"), _("new in this period"))]
    rows += [
        (f.label, str(f.total), "" if f.new is None else str(f.new)) for f in context["figures"]
    ]
    rows.append((_("substantiated outcomes"), str(context["totals"].count), ""))
    rows.append(
        (
            _("their value, in %(year)s euros") % {"year": context["price_year"]},
            euro_range(context["totals"].low, context["totals"].high)
            if context["totals"].valued
            else "–",
            "",
        )
    )
    table(rows, [0.5, 0.25, 0.25])

    if context["growth"]:
        heading(_("Network growth: connections per month"))
        rows = [(_("month"), _("new connections"), _("connections at month end"))]
        rows += [(p.label, str(p.new), str(p.active)) for p in context["growth"]]
        table(rows, [0.4, 0.3, 0.3])

    heading(_("Outcomes per policy domain"))
    line(_("An outcome in several domains counts in each; the total counts it once."), size=8)
    value_heading = _("value (low – high)")
    rows = [(_("policy domain"), _("outcomes"), value_heading)]
    rows += [
        (r.label, str(r.count), euro_range(r.low, r.high) if r.valued else "–")
        for r in context["domain_totals"]
        if r.count
    ]
    rows.append(
        (
            _("total"),
            str(context["totals"].count),
            euro_range(context["totals"].low, context["totals"].high)
            if context["totals"].valued
            else "–",
        )
    )
    table(rows, [0.4, 0.2, 0.4])
    if context["units"]:
        pdf.ln(2)
        rows = [(_("unit"), _("quantity"), value_heading)]
        rows += [
            (u.unit[:45], plain_number(u.quantity), euro_range(u.low, u.high) if u.high else "–")
            for u in context["units"]
        ]
        table(rows, [0.45, 0.15, 0.4])

    if context["initiative_yields"]:
        heading(_("What each initiative yielded"))
        line(
            _("An outcome that several initiatives contributed to counts fully for each."),
            size=8,
        )
        for item in context["initiative_yields"]:
            line(item.summary, "B", 11)
            for row in item.result.domains:
                line(
                    f"- {row.label}: {row.count}"
                    + (f" · {euro_range(row.low, row.high)}" if row.valued else ""),
                    size=9,
                )
            for entry in item.entries:
                line(_("How it came about: %(chain)s") % {"chain": entry.chain}, size=8)
            pdf.ln(2)

    for section in context["sections"]:
        heading(
            f"{section.label} ({section.count}"
            + (f" · {euro_range(section.low, section.high)}" if section.high else "")
            + ")",
            13,
        )
        for entry in section.entries:
            line(entry.title, "B", 11)
            line(" · ".join(filter(None, [date_format(entry.when), entry.where])), size=8)
            line(entry.story)
            if entry.significance:
                line(_("Why it matters: %(text)s") % {"text": entry.significance}, "I")
            if entry.for_whom:
                line(_("For whom: %(names)s") % {"names": ", ".join(entry.for_whom)}, size=9)
            line(_("How it came about: %(chain)s") % {"chain": entry.chain}, size=9)
            if entry.valuation is not None:
                line(
                    _("Value: %(range)s in %(year)s euros")
                    % {
                        "range": euro_range(entry.low, entry.high),
                        "year": context["price_year"],
                    },
                    "B",
                    9,
                )
                line(entry.valuation.method, size=8)
                if entry.value_note:
                    line(_("Why these assumptions: %(note)s") % {"note": entry.value_note}, size=8)
            elif entry.quantity:
                line(_("Not valued in euros: %(quantity)s") % {"quantity": entry.quantity}, size=9)
            if len(entry.domains) > 1:
                line(_("Counts for: %(domains)s") % {"domains": ", ".join(entry.domains)}, size=8)
            pdf.ln(3)

    residents = context["residents"]
    pdf.add_page()
    heading(_("What residents did themselves"), 16)
    line(
        _("%(people)s residents offer to share or teach %(gifts)s gifts.")
        % {"people": residents["sharing_people"], "gifts": residents["shared_gifts"]}
    )
    line(
        _("%(count)s of the outcomes came about with residents' own gifts or initiatives.")
        % {"count": residents["with_residents"]}
    )
    if residents["initiatives"]:
        heading(_("Initiatives of residents"), 12)
        for initiative in residents["initiatives"]:
            line(f"{initiative['name']} ({initiative['status']})", "B")
            line(initiative["facts"], size=9)
            line(initiative["description"], size=9)
    if residents["gift_steps"]:
        heading(_("Gifts that made a difference"), 12)
        for text in residents["gift_steps"]:
            line(f"- {text}")
    _methods_pdf(pdf, context, heading, line, table)
    for _template, panel in context.get("panels", []):  # other apps' "report" panels
        for title, lines in panel.get("pdf", []):
            heading(title, 12)
            for text in lines:
                line(text)
    return bytes(pdf.output())


def method_paragraphs(price_year) -> list[str]:
    """The method in plain words; the same text on the HTML and PDF methods page."""
    return [
        _(
            "Value = quantity × unit price × duration (only for a price per day, month or year) "
            "× (1 − deadweight) × attribution."
        ),
        _(
            "Deadweight is the share that would have happened anyway, without the initiative. "
            "Attribution is the share that is thanks to the residents and the community "
            "building, not to care workers, family or others. Each is given as a range; the "
            "low value takes the high deadweight and the low attribution, the high value the "
            "other way round. We suggest 25–50 percent for both unless the builder knows better; "
            "the outcome then says why."
        ),
        _(
            "Drop-off: an effect lasting more than a year counts less each following year "
            "(year 2 × (1 − drop-off), year 3 × (1 − drop-off)², …); we suggest 20 percent. "
            "A month is 365 ÷ 12 days."
        ),
        _(
            "Every price has a price year. All values are shown in %(year)s euros: a value of "
            "year Y is multiplied by CPI(%(year)s) ÷ CPI(Y), the CBS consumer price index "
            "(all spending, 2025 = 100). A year outside the index uses the nearest year in it."
        )
        % {"year": price_year},
        _(
            "Values are avoided costs at reference prices: money that need not be spent, not "
            "money that comes back to a budget. They are gross: costs that continue (home care "
            "while someone lives at home longer, the cost of running the initiative) are not "
            "subtracted. An outcome in several domains counts fully in each domain; totals "
            "count it once."
        ),
        _(
            "Deliberately not valued: changes without a fair price (belonging, friendship, a "
            "wadi, a greener street) stay in this report as stories and quantities. Values from "
            "sources licensed for non-commercial use only, such as the UK Social Value Bank, "
            "are not part of Assetmap; a neighbourhood may enter such a value as its own unit "
            "price, with its source."
        ),
    ]


def _methods_pdf(pdf, context: dict, heading, line, table) -> None:
    pdf.add_page()
    heading(_("Methods: how the euros in this report were worked out"), 16)
    for text in method_paragraphs(context["price_year"]):
        line(text, size=9)
        pdf.ln(1)
    heading(_("Prices used"), 12)
    if context["prices_used"]:
        for used in context["prices_used"]:
            line(
                _("%(name)s: € %(price)s %(per)s, %(year)s prices (%(indexed)s in %(to)s euros)")
                % {
                    "name": used.name,
                    "price": number_format(used.price, 2, force_grouping=True),
                    "per": used.per or _("each"),
                    "year": used.price_year,
                    "indexed": euro(used.indexed, 2),
                    "to": context["price_year"],
                },
                "B",
                9,
            )
            kind = _("national reference price") if used.reference else _("own unit price")
            line(f"{kind}. {_('Source:')} {used.source}", size=8)
    else:
        line(_("No outcome in this report is valued in euros."), size=9)
    if context["index_rows"]:
        heading(_("Indexation"), 12)
        rows = [
            (
                _("price year"),
                _("CPI (2025 = 100)"),
                _("factor to %(year)s") % {"year": context["price_year"]},
            )
        ]
        rows += [
            (
                str(row["year"]),
                "–" if row["index"] is None else rounded(row["index"], 2),
                rounded(row["factor"], 4),
            )
            for row in context["index_rows"]
        ]
        table(rows, [0.3, 0.35, 0.35])
        line(context["index_source"], size=8)
    if context["not_valued"]:
        heading(_("Not valued in euros"), 12)
        for entry in context["not_valued"]:
            line(f"- {entry.title}" + (f" ({entry.quantity})" if entry.quantity else ""), size=9)

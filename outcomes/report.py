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
from urllib.parse import urlencode

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from neighbourhoods.models import Membership, Neighbourhood
from network.models import Initiative, InitiativeMember, InitiativeStatus
from residents.models import Gift

from . import charts
from .chain import chain_prefetch, chain_text, plain_number, quantity_text, step_label
from .figures import (
    by_domain,
    by_domain_and_period,
    by_period,
    by_unit,
    connection_growth,
    neighbourhood_figures,
    totals,
)
from .models import Outcome, Status, StepKind, computed_value
from .names import ReportAudience, name_of, reader_for, shown_to

LATEST = 5


def euro(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"€ {number_format(value, 0, force_grouping=True)}"


def query_string(start: datetime.date, end: datetime.date, audience: str) -> str:
    return urlencode({"from": start.isoformat(), "to": end.isoformat(), "audience": audience})


def _short_month(day: datetime.date | str) -> str:
    """ "Mar", or "Jan 26" for January (so the year shows where it changes)."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return date_format(day, "M y" if day.month == 1 else "M")


def _charts(outcomes, neighbourhood, start, end) -> dict:
    domains = by_domain(outcomes)
    months = by_period(outcomes, start, end, "month")
    growth = connection_growth(neighbourhood, start, end)
    return {
        "domain_totals": domains,
        "month_totals": months,
        "growth": growth,
        "domain_chart": charts.hbar_chart(
            [
                (
                    row.label,
                    row.count,
                    f"{row.count} · {euro(row.value)}" if row.value else str(row.count),
                )
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
    latest = list(
        substantiated.prefetch_related(chain_prefetch(), "domain_rows")
        .select_related("neighbourhood")
        .order_by("-happened_on", "-pk")[:LATEST]
    )
    context = {
        "start": start,
        "end": end,
        "figures": neighbourhood_figures(neighbourhood, start, end),
        "totals": totals(substantiated),
        "drafts": scoped.filter(status=Status.DRAFT).count(),
        "units": by_unit(substantiated),
        "stories": [
            {
                "outcome": outcome,
                "chain": chain_text(outcome, membership),
                "quantity": quantity_text(outcome),
            }
            for outcome in latest
        ],
    }
    context.update(_charts(substantiated, neighbourhood, start, end))
    return context


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
    value: Decimal | None
    value_note: str
    anonymised: bool


@dataclass
class DomainSection:
    code: str
    label: str
    count: int
    value: Decimal
    entries: list[Entry] = field(default_factory=list)


def standard_value_note(outcome: Outcome) -> str:
    """ "28 × € 45.00 (standard value per care visit saved)": the value note worked out from
    numbers, when the value is still the quantity times its standard unit value; else ""."""
    unit_value = outcome.unit_value
    if unit_value is None or outcome.value is None:
        return ""
    if computed_value(outcome.quantity, unit_value) != outcome.value:
        return ""
    return _("%(quantity)s × € %(value)s (standard value per %(unit)s)") % {
        "quantity": plain_number(outcome.quantity),
        "value": number_format(unit_value.value, 2),
        "unit": unit_value.unit,
    }


def _entry(outcome: Outcome, reader: Membership | None, internal: bool) -> Entry:
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
        where, for_whom, value_note = place, people, standard_value_note(outcome)
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
        value=outcome.value,
        value_note=value_note,
        anonymised=anonymised,
    )


INITIATIVE_LIMIT = 50


def _residents_did(
    neighbourhood, outcomes: list[Outcome], reader, start, end, internal: bool
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
    sharing = Gift.objects.in_neighbourhood(neighbourhood).filter(
        share=True, created_at__date__lte=end
    )  # as at the period's end, like the figures
    result = {
        "gift_steps": gift_steps,
        "shared_gifts": sharing.count(),
        "sharing_people": sharing.values("person").distinct().count(),
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


def report_context(
    neighbourhood: Neighbourhood, start: datetime.date, end: datetime.date, audience: str
) -> dict:
    reader = reader_for(neighbourhood, audience)
    internal = audience == ReportAudience.INTERNAL
    scoped = Outcome.objects.in_neighbourhood(neighbourhood).between(start, end)
    substantiated = scoped.substantiated()
    outcomes = list(
        substantiated.select_related("place", "unit_value")
        .prefetch_related(chain_prefetch(), "domain_rows", Prefetch("for_whom_people"))
        .order_by("happened_on", "pk")
    )
    sections: dict[str, DomainSection] = {}
    for row in by_domain(substantiated):
        if row.count:
            sections[row.key] = DomainSection(row.key, row.label, row.count, row.value)
    for outcome in outcomes:
        domains = outcome.domains
        if domains:
            sections[domains[0]].entries.append(_entry(outcome, reader, internal))
    context = {
        "neighbourhood": neighbourhood,
        "start": start,
        "end": end,
        "audience": audience,
        "audience_label": ReportAudience(audience).label,
        "internal": internal,
        "generated": timezone.localtime(),
        "figures": neighbourhood_figures(neighbourhood, start, end),
        "totals": totals(substantiated),
        "drafts_left_out": scoped.filter(status=Status.DRAFT).count(),
        "units": by_unit(substantiated),
        "table": by_domain_and_period(substantiated, start, end, "quarter"),
        "sections": [s for s in sections.values() if s.entries],
        "without_summary": 0 if internal else sum(1 for o in outcomes if not o.public_summary),
        "residents": _residents_did(neighbourhood, outcomes, reader, start, end, internal),
    }
    context.update(_charts(substantiated, neighbourhood, start, end))
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
    rows.append((_("their estimated value"), euro(context["totals"].value), ""))
    table(rows, [0.5, 0.25, 0.25])

    if context["growth"]:
        heading(_("Network growth: connections per month"))
        rows = [(_("month"), _("new connections"), _("connections at month end"))]
        rows += [(p.label, str(p.new), str(p.active)) for p in context["growth"]]
        table(rows, [0.4, 0.3, 0.3])

    heading(_("Outcomes per policy domain"))
    line(_("An outcome in several domains counts in each; the total counts it once."), size=8)
    rows = [(_("policy domain"), _("outcomes"), _("estimated value"))]
    rows += [(r.label, str(r.count), euro(r.value)) for r in context["domain_totals"] if r.count]
    rows.append((_("total"), str(context["totals"].count), euro(context["totals"].value)))
    table(rows, [0.5, 0.2, 0.3])
    if context["units"]:
        pdf.ln(2)
        rows = [(_("unit"), _("quantity"), _("estimated value"))]
        rows += [(u.unit, plain_number(u.quantity), euro(u.value)) for u in context["units"]]
        table(rows, [0.5, 0.2, 0.3])

    for section in context["sections"]:
        heading(f"{section.label} ({section.count} · {euro(section.value)})", 13)
        for entry in section.entries:
            line(entry.title, "B", 11)
            line(" · ".join(filter(None, [date_format(entry.when), entry.where])), size=8)
            line(entry.story)
            if entry.significance:
                line(_("Why it matters: %(text)s") % {"text": entry.significance}, "I")
            if entry.for_whom:
                line(_("For whom: %(names)s") % {"names": ", ".join(entry.for_whom)}, size=9)
            line(_("How it came about: %(chain)s") % {"chain": entry.chain}, size=9)
            if entry.value is not None and entry.value_note:
                line(
                    _("Estimated value: %(value)s (%(note)s)")
                    % {"value": euro(entry.value), "note": entry.value_note},
                    size=9,
                )
            elif entry.value is not None:
                line(f"{_('Estimated value:')} {euro(entry.value)}", size=9)
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
    for _template, panel in context.get("panels", []):  # other apps' "report" panels
        for title, lines in panel.get("pdf", []):
            heading(title, 12)
            for text in lines:
                line(text)
    return bytes(pdf.output())

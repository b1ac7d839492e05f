"""Figures over outcomes and the rest of the neighbourhood: sums per domain and period.

An outcome in several domains counts fully in each of them, so the domain rows may add up to
more than the total; totals count each outcome once. Values are ranges (low, high) summed per
price year and then expressed in one year's euros by an `Indexer` (CBS CPI; the latest year in
the index when none is given). Every function runs a fixed number of queries, whatever the
number of rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Min, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation
from jobs import figures as precomputed
from neighbourhoods.models import Neighbourhood
from network.graph import Filters, history, person_pairs
from network.models import Connection, Initiative
from residents.models import Gift, Person

from .models import Domain, Outcome, OutcomeDomain, OutcomeQuerySet
from .valuation import Indexer

ZERO = Decimal("0.00")


def _indexer(indexer: Indexer | None) -> Indexer:
    if indexer is not None:
        return indexer
    from .prices import indexer as current

    return current()


def _money(rows, indexer: Indexer, year_key: str = "value_year") -> tuple[Decimal, Decimal]:
    """Summed (low, high) of rows grouped by price year, in the indexer's year."""
    low = high = ZERO
    for row in rows:
        year = row.get(year_key)
        low += indexer(row.get("low") or ZERO, year)
        high += indexer(row.get("high") or ZERO, year)
    return low, high


PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass(frozen=True)
class Total:
    key: str
    label: str
    count: int
    low: Decimal = ZERO
    high: Decimal = ZERO
    valued: int = 0  # how many of the outcomes have a value in euros

    @property
    def has_value(self) -> bool:
        return self.valued > 0 or self.high > 0


@dataclass(frozen=True)
class UnitTotal:
    unit: str
    quantity: Decimal
    low: Decimal
    high: Decimal
    count: int


def _outcome_sums(prefix: str = "") -> dict:
    return {
        "low": Sum(f"{prefix}value_low"),
        "high": Sum(f"{prefix}value_high"),
        "valued": Count(f"{prefix}value_high"),
    }


def totals(outcomes: QuerySet[Outcome], indexer: Indexer | None = None) -> Total:
    """How many outcomes, and their summed value range (each outcome once)."""
    indexer = _indexer(indexer)
    # keys from **_outcome_sums() are unknown to the plugin's typed values() rows
    rows: list[Mapping[str, Any]] = list(
        outcomes.order_by().values("value_year").annotate(count=Count("pk"), **_outcome_sums())
    )
    low, high = _money(rows, indexer)
    return Total(
        "all",
        str(_("all outcomes")),
        sum(row["count"] for row in rows),
        low,
        high,
        sum(row["valued"] for row in rows),
    )


def by_domain(outcomes: QuerySet[Outcome], indexer: Indexer | None = None) -> list[Total]:
    """One row per policy domain (all eight, in a fixed order), count and summed range."""
    indexer = _indexer(indexer)
    rows = (
        OutcomeDomain.objects.filter(outcome__in=outcomes.order_by().values("pk"))
        .order_by()
        .values("domain", "outcome__value_year")
        .annotate(count=Count("outcome_id"), **_outcome_sums("outcome__"))
    )
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row["domain"], []).append(row)
    result = []
    for code, label in Domain.choices:
        group = found.get(code, [])
        low, high = _money(group, indexer, "outcome__value_year")
        result.append(
            Total(
                code,
                str(label),
                sum(row["count"] for row in group),
                low,
                high,
                sum(row["valued"] for row in group),
            )
        )
    return result


def by_unit(outcomes: QuerySet[Outcome], indexer: Indexer | None = None) -> list[UnitTotal]:
    """Quantities and value ranges summed per unit, e.g. 28 care visits saved."""
    indexer = _indexer(indexer)
    rows = (
        outcomes.exclude(unit="")
        .order_by()
        .values("unit", "value_year")
        .annotate(quantity=Sum("quantity"), count=Count("pk"), **_outcome_sums())
        .order_by("unit")
    )
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row["unit"], []).append(row)
    result = []
    for unit, group in found.items():
        low, high = _money(group, indexer)
        quantity = sum((row["quantity"] or ZERO for row in group), ZERO)
        result.append(UnitTotal(unit, quantity, low, high, sum(r["count"] for r in group)))
    return result


def period_starts(start: datetime.date, end: datetime.date, period: str) -> list[datetime.date]:
    """The first day of every month/quarter/year from ``start`` to ``end``."""
    step = {"month": 1, "quarter": 3, "year": 12}[period]
    month = start.month
    if period == "quarter":
        month = 3 * ((start.month - 1) // 3) + 1
    elif period == "year":
        month = 1
    current = datetime.date(start.year, month, 1)
    result = []
    while current <= end:
        result.append(current)
        index = current.month - 1 + step
        current = datetime.date(current.year + index // 12, index % 12 + 1, 1)
    return result


def period_label(day: datetime.date, period: str) -> str:
    if period == "year":
        return str(day.year)
    if period == "quarter":
        return _("Q%(quarter)s %(year)s") % {"quarter": (day.month - 1) // 3 + 1, "year": day.year}
    return date_format(day, "YEAR_MONTH_FORMAT")


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def by_period(
    outcomes: OutcomeQuerySet,
    start: datetime.date,
    end: datetime.date,
    period: str = "month",
    indexer: Indexer | None = None,
) -> list[Total]:
    """Count and value range per period between start and end (empty periods included)."""
    indexer = _indexer(indexer)
    trunc = PERIODS[period]
    rows = (
        outcomes.between(start, end)
        .order_by()
        .annotate(period=trunc("happened_on"))
        .values("period", "value_year")
        .annotate(count=Count("pk"), **_outcome_sums())
    )
    found: dict[datetime.date, list] = {}
    for row in rows:
        found.setdefault(_as_date(row["period"]), []).append(row)
    result = []
    for day in period_starts(start, end, period):
        group = found.get(day, [])
        low, high = _money(group, indexer)
        result.append(
            Total(
                day.isoformat(),
                period_label(day, period),
                sum(row["count"] for row in group),
                low,
                high,
                sum(row["valued"] for row in group),
            )
        )
    return result


@dataclass
class DomainPeriodTable:
    periods: list[str]
    rows: list[tuple[str, list[Total], Total]] = field(default_factory=list)
    column_totals: list[Total] = field(default_factory=list)


def by_domain_and_period(
    outcomes: OutcomeQuerySet,
    start: datetime.date,
    end: datetime.date,
    period: str = "year",
    indexer: Indexer | None = None,
) -> DomainPeriodTable:
    """Domains × periods: each cell the count and value range; row totals per domain; column
    totals count each outcome once (so they are not the sum of the cells above them)."""
    indexer = _indexer(indexer)
    trunc = PERIODS[period]
    scoped = outcomes.between(start, end)
    rows = (
        OutcomeDomain.objects.filter(outcome__in=scoped.order_by().values("pk"))
        .order_by()
        .annotate(period=trunc("outcome__happened_on"))
        .values("domain", "period", "outcome__value_year")
        .annotate(count=Count("outcome_id"), **_outcome_sums("outcome__"))
    )
    cells: dict[tuple, list] = {}
    for row in rows:
        cells.setdefault((row["domain"], _as_date(row["period"])), []).append(row)
    starts = period_starts(start, end, period)
    table = DomainPeriodTable(periods=[period_label(day, period) for day in starts])
    domain_totals = {total.key: total for total in by_domain(scoped, indexer)}
    for code, label in Domain.choices:
        line = []
        for day in starts:
            group = cells.get((code, day), [])
            low, high = _money(group, indexer, "outcome__value_year")
            count = sum(row["count"] for row in group)
            line.append(Total(day.isoformat(), "", count, low, high))
        table.rows.append((str(label), line, domain_totals[code]))
    table.column_totals = by_period(scoped, start, end, period, indexer)
    return table


# -- the rest of the neighbourhood, counted through the other apps' models --


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    total: int  # as it was at the period's end
    new: int | None = None  # new in the chosen period, when the model has a date


def _scoped(model: type[Model], neighbourhood: Neighbourhood) -> QuerySet:
    # django-stubs give ``objects`` to concrete models, not to type[Model]
    queryset = model.objects.all()  # type: ignore[attr-defined]
    if hasattr(queryset, "in_neighbourhood"):
        return queryset.in_neighbourhood(neighbourhood)
    return queryset.filter(**{getattr(model, "neighbourhood_path", "neighbourhood"): neighbourhood})


def _date_field(model: type[Model], candidates: Iterable[str]) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    for name in candidates:
        if name in names:
            return name
    return None


_FIGURES = [
    # key, model, label, date fields to count "new in the period" with
    ("people", Person, _("people known"), ("created_at",)),
    ("gifts", Gift, _("gifts"), ("created_at",)),
    (
        "conversations",
        Conversation,
        _("conversations"),
        ("held_on", "date", "happened_on", "created_at"),
    ),
    ("connections", Connection, _("connections"), ("since",)),
    ("initiatives", Initiative, _("initiatives"), ("started_on", "started", "since", "created_at")),
]


def active_on(day: datetime.date) -> Q:
    """Connections active at the end of ``day``, as `connection_growth` counts them (and
    `Connection.is_active_on`): started on or before it, or without a start date, and not
    ended on or before it."""
    return (Q(since__isnull=True) | Q(since__lte=day)) & (Q(ended__isnull=True) | Q(ended__gt=day))


DAILY = "outcomes.daily.2"  # the payload's shape: a new name when it changes


def _day(model: type[Model], date_field: str) -> Any:
    """The row's day: its own date, or without one the day it was entered (``created_at``)."""

    def as_day(name: str) -> Any:
        is_datetime = model._meta.get_field(name).get_internal_type() == "DateTimeField"
        return TruncDate(name) if is_datetime else F(name)

    if date_field != "created_at" and _date_field(model, ["created_at"]):
        return Coalesce(as_day(date_field), as_day("created_at"))
    return as_day(date_field)


def _histogram(queryset: QuerySet, day: Any) -> dict[str, int]:
    rows = queryset.order_by().annotate(day=day).values("day").annotate(n=Count("pk"))
    return {row["day"].isoformat(): row["n"] for row in rows if row["day"] is not None}


@precomputed.register(DAILY)
def daily_counts(neighbourhood: Neighbourhood) -> dict[str, Any]:
    """How many gifts, conversations and initiatives (and shared gifts, and people sharing
    one) were added per day (the task; see ``jobs.figures``). Any period's totals
    and new rows are then sums over a few hundred days instead of counts over every row."""
    result: dict[str, Any] = {}
    for key, model, _label, date_fields in _FIGURES:
        if key in ("people", "connections"):  # counted by network.graph.counts_on
            continue
        scoped = _scoped(model, neighbourhood)
        date_field = _date_field(model, date_fields)
        if date_field:
            result[key] = {"days": _histogram(scoped, _day(model, date_field))}
        else:
            result[key] = {"all": scoped.count()}
    sharing = Gift.objects.in_neighbourhood(neighbourhood).filter(share=True).order_by()
    result["shared_gifts"] = {"days": _histogram(sharing, TruncDate("created_at"))}
    first_days = Counter(
        day.isoformat()
        for day in sharing.values("person")
        .annotate(first=Min(TruncDate("created_at")))
        .values_list("first", flat=True)
    )
    result["sharing_people"] = {"days": dict(first_days)}
    # people and connections as network.graph.counts_on counts them, for any day
    known, changes = history(neighbourhood)
    result["people"] = {"days": {day.isoformat(): n for day, n in known.items()}}
    result["connections"] = {"days": {day.isoformat(): n for day, n in changes.items() if n}}
    made = person_pairs(neighbourhood, Filters())
    result["connections_made"] = {"days": _histogram(made, F("start"))}
    return result


def counted(series: dict[str, Any], end: datetime.date, start: datetime.date | None = None) -> int:
    """Rows of a daily series up to ``end`` (from ``start`` when given)."""
    if "all" in series:
        return series["all"]
    last, first = end.isoformat(), start.isoformat() if start else ""
    return sum(n for day, n in series["days"].items() if first <= day <= last)


def neighbourhood_figures(
    neighbourhood: Neighbourhood,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    daily: precomputed.Stored | None = None,
) -> list[Figure]:
    """People, gifts, conversations, connections, initiatives: whichever models exist.

    Totals are as they were at ``end`` (today without one), so a report for an earlier period
    does not count what came later: rows dated (or, without a date, entered) after it are left
    out, and connections count when active at its end. "New" counts what is dated in the
    period; for connections every one started in it, also if it ended since (as in the growth
    table). What was deleted since cannot be counted back. All but connections come from the
    precomputed daily counts (``daily``, read when not given); people and connections from
    :func:`network.graph.counts_on`, as every page counts them.
    """
    as_of = end or timezone.localdate()
    if daily is None:
        daily = precomputed.read(neighbourhood, DAILY)[DAILY]
    result = []
    for key, _model, label, _date_fields in _FIGURES:
        series = daily.payload[key]
        new = None
        if "days" in series and start and end:
            # new connections: every one started in the period, also if ended since
            made = daily.payload["connections_made"] if key == "connections" else series
            new = counted(made, end, start)
        result.append(Figure(key, str(label), counted(series, as_of), new))
    return result


@dataclass(frozen=True)
class GrowthPoint:
    month: datetime.date
    label: str
    new: int
    active: int


def connection_growth(
    neighbourhood: Neighbourhood,
    start: datetime.date,
    end: datetime.date,
    daily: precomputed.Stored | None = None,
) -> list[GrowthPoint]:
    """Per month: ties made, and ties active at the month's end (at ``end`` for the last
    month), counted as :func:`network.graph.counts_on` counts them, from the precomputed
    daily changes (``daily``, read when not given)."""
    months = period_starts(start, end, "month")
    if daily is None:
        daily = precomputed.read(neighbourhood, DAILY)[DAILY]
    active, made = daily.payload["connections"], daily.payload["connections_made"]
    points = []
    for month in months:
        last = min(_month_end(month), end)
        points.append(
            GrowthPoint(
                month,
                period_label(month, "month"),
                counted(made, last, month),
                counted(active, last),
            )
        )
    return points


def _month_end(month: datetime.date) -> datetime.date:
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)

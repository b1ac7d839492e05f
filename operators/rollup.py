"""Side by side: one row of aggregate figures per neighbourhood of an operator, with totals
per wijk, per gemeente and overall (from the CBS codes).

Only counts and sums: no row names a person, so nothing here goes through
``residents.disclosure`` — the dashboard never shows a record of a person. Every figure is
one grouped query over all the operator's neighbourhoods at once, so the number of queries
does not grow with the number of neighbourhoods.

Figures for a period [start, end] (dates, both included):
- people: residents known at the end (recorded on or before it); ``new_people`` in the period;
- coverage: people ÷ CBS households of the buurt or wijk, when its key figures are loaded;
- conversations: finished conversations held in the period;
- connections: ties between two people active at the end; density = ties ÷ n(n−1)/2 of
  the people known then, at the start and at the end; growth = the difference;
- initiatives: those not ended or an idea, started on or before the end; ``carriers``: the
  distinct residents in each initiative's carrier period current at the end;
- outcomes: per policy domain, substantiated and draft outcomes that happened in the
  period, and the sum of their value ranges (low – high) in euros of the latest year of the
  price index, as the outcomes report counts them (an outcome with several domains counts
  in each, and once in the total);
- reflections in the period: strengthening, harmful, neutral.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from conversations.models import Conversation
from conversations.models import Status as ConversationStatus
from network.models import Connection, Initiative, InitiativeStatus
from outcomes.models import Domain, Outcome, OutcomeDomain
from outcomes.prices import indexer as price_indexer
from ownership.models import CarrierPeriod, Reflection, ReflectionKind
from residents.models import Person

from .models import CbsArea, Operator, OperatorNeighbourhood

DOMAINS = list(Domain)


def _density(ties: int, people: int) -> float:
    return 2 * ties / (people * (people - 1)) if people > 1 else 0.0


@dataclass
class Row:
    label: str
    slug: str = ""
    cbs_code: str = ""
    wijk: str = ""
    gemeente: str = ""
    level: str = "neighbourhood"  # or "wijk", "gemeente", "total"
    people: int = 0
    people_start: int = 0
    new_people: int = 0
    households: int | None = None
    conversations: int = 0
    ties: int = 0
    ties_start: int = 0
    initiatives: int = 0
    carriers: int = 0
    outcomes: int = 0
    value_low: Decimal = Decimal(0)
    value_high: Decimal = Decimal(0)
    domains: dict = field(default_factory=dict)  # domain → [count, low, high]
    strengthening: int = 0
    harmful: int = 0
    neutral: int = 0
    neighbourhoods: int = 1
    # Sums of densities of the rows below (for the mean of a group).
    _density_start_sum: float = 0.0
    _density_end_sum: float = 0.0

    @property
    def coverage(self) -> float | None:
        """People known as a share of households (percent), when CBS figures are loaded."""
        if not self.households:
            return None
        return 100 * self.people / self.households

    @property
    def density_start(self) -> float:
        if self.level == "neighbourhood":
            return _density(self.ties_start, self.people_start)
        return self._density_start_sum / self.neighbourhoods if self.neighbourhoods else 0.0

    @property
    def density(self) -> float:
        if self.level == "neighbourhood":
            return _density(self.ties, self.people)
        return self._density_end_sum / self.neighbourhoods if self.neighbourhoods else 0.0

    @property
    def density_growth(self) -> float:
        return self.density - self.density_start

    @property
    def density_growth_pp(self) -> float:
        """Density growth in percentage points."""
        return 100 * self.density_growth

    @property
    def reflections(self) -> int:
        return self.strengthening + self.harmful + self.neutral

    @property
    def balance(self) -> int:
        """Strengthening minus harmful reflections."""
        return self.strengthening - self.harmful

    def domain_cells(self) -> list[tuple[str, int, Decimal, Decimal]]:
        return [(d.label, *self.domains.get(d.value, (0, Decimal(0), Decimal(0)))) for d in DOMAINS]

    def add(self, other: Row) -> None:
        for name in (
            "people", "people_start", "new_people", "conversations", "ties", "ties_start",
            "initiatives", "carriers", "outcomes", "value_low", "value_high", "strengthening",
            "harmful",
            "neutral",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.households is not None:
            self.households = (self.households or 0) + other.households
        for domain, (count, low, high) in other.domains.items():
            mine = self.domains.setdefault(domain, [0, Decimal(0), Decimal(0)])
            mine[0] += count
            mine[1] += low
            mine[2] += high
        self._density_start_sum += other.density_start * other.neighbourhoods
        self._density_end_sum += other.density * other.neighbourhoods


@dataclass
class Rollup:
    operator: Operator
    start: datetime.date
    end: datetime.date
    rows: list[Row]  # neighbourhoods with wijk and gemeente subtotals, in order
    total: Row
    has_households: bool


def _grouped(queryset, key: str = "neighbourhood") -> dict[int, int]:
    return {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk")).order_by()}


def rollup(operator: Operator, start: datetime.date, end: datetime.date) -> Rollup:
    links = list(
        OperatorNeighbourhood.objects.filter(operator=operator)
        .select_related("neighbourhood")
        .only(
            "wijk_code", "wijk_name", "gemeente_code", "neighbourhood__name",
            "neighbourhood__slug", "neighbourhood__cbs_code", "neighbourhood__municipality",
        )
        .order_by("gemeente_code", "wijk_code", "neighbourhood__name")
    )  # fmt: skip
    ids = [link.neighbourhood_id for link in links]
    rows = {
        link.neighbourhood_id: Row(
            label=link.neighbourhood.name,
            slug=link.neighbourhood.slug,
            cbs_code=link.neighbourhood.cbs_code,
            wijk=link.wijk_name or link.wijk_code,
            gemeente=link.neighbourhood.municipality or link.gemeente_code,
        )
        for link in links
    }
    households = dict(
        CbsArea.objects.filter(
            code__in=[r.cbs_code for r in rows.values() if r.cbs_code], households__isnull=False
        ).values_list("code", "households")
    )
    for r in rows.values():
        r.households = households.get(r.cbs_code)

    people = Person.objects.filter(neighbourhood__in=ids)
    end_q = Q(created_at__date__lte=end)
    start_q = Q(created_at__date__lt=start)
    for counts in (
        people.values("neighbourhood")
        .annotate(
            end=Count("pk", filter=end_q),
            start=Count("pk", filter=start_q),
        )
        .order_by()
    ):
        r = rows[counts["neighbourhood"]]
        r.people, r.people_start = counts["end"], counts["start"]
        r.new_people = r.people - r.people_start

    finished = Conversation.objects.filter(
        neighbourhood__in=ids, status=ConversationStatus.FINISHED, held_on__range=(start, end)
    )
    for nb, n in _grouped(finished).items():
        rows[nb].conversations = n

    ties = Connection.objects.filter(neighbourhood__in=ids, other_person__isnull=False)

    def active_on(day: datetime.date) -> Q:
        return (Q(since__isnull=True) | Q(since__lte=day)) & (
            Q(ended__isnull=True) | Q(ended__gt=day)
        )

    before = start - datetime.timedelta(days=1)
    for counts in (
        ties.values("neighbourhood")
        .annotate(
            end=Count("pk", filter=active_on(end)), start=Count("pk", filter=active_on(before))
        )
        .order_by()
    ):
        r = rows[counts["neighbourhood"]]
        r.ties, r.ties_start = counts["end"], counts["start"]

    initiatives = (
        Initiative.objects.filter(neighbourhood__in=ids)
        .exclude(status__in=[InitiativeStatus.ENDED, InitiativeStatus.IDEA])
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=end))
    )
    for nb, n in _grouped(initiatives).items():
        rows[nb].initiatives = n

    # The carrier period current at the end, per initiative (one query), then its people.
    latest: dict[int, tuple[datetime.date, int, int]] = {}
    for pk, initiative_id, nb, since in CarrierPeriod.objects.filter(
        initiative__neighbourhood__in=ids, since__lte=end
    ).values_list("pk", "initiative_id", "initiative__neighbourhood", "since"):
        if initiative_id not in latest or (since, pk) > latest[initiative_id][:2]:
            latest[initiative_id] = (since, pk, nb)
    period_nb = {pk: nb for _since, pk, nb in latest.values()}
    carriers: dict[int, set[int]] = defaultdict(set)
    through = CarrierPeriod.people.through
    for period_id, person_id in through.objects.filter(
        carrierperiod_id__in=list(period_nb)
    ).values_list("carrierperiod_id", "person_id"):
        carriers[period_nb[period_id]].add(person_id)
    for nb, people_ids in carriers.items():
        rows[nb].carriers = len(people_ids)

    outcomes = Outcome.objects.filter(neighbourhood__in=ids, happened_on__range=(start, end))
    index = price_indexer()  # every value in euros of the index's latest year
    zero = Decimal(0)
    for sums in (
        outcomes.values("neighbourhood", "value_year")
        .annotate(n=Count("pk"), low=Sum("value_low"), high=Sum("value_high"))
        .order_by()
    ):
        r = rows[sums["neighbourhood"]]
        r.outcomes += sums["n"]
        r.value_low += index(sums["low"] or zero, sums["value_year"])
        r.value_high += index(sums["high"] or zero, sums["value_year"])
    for by_domain in (
        OutcomeDomain.objects.filter(outcome__in=outcomes)
        .values("outcome__neighbourhood", "domain", "outcome__value_year")
        .annotate(n=Count("pk"), low=Sum("outcome__value_low"), high=Sum("outcome__value_high"))
        .order_by()
    ):
        cell = rows[by_domain["outcome__neighbourhood"]].domains.setdefault(
            by_domain["domain"], [0, zero, zero]
        )
        cell[0] += by_domain["n"]
        cell[1] += index(by_domain["low"] or zero, by_domain["outcome__value_year"])
        cell[2] += index(by_domain["high"] or zero, by_domain["outcome__value_year"])

    reflections = Reflection.objects.filter(neighbourhood__in=ids, written_on__range=(start, end))
    for row in reflections.values("neighbourhood", "kind").annotate(n=Count("pk")).order_by():
        r = rows[row["neighbourhood"]]
        if row["kind"] == ReflectionKind.STRENGTHENING:
            r.strengthening = row["n"]
        elif row["kind"] == ReflectionKind.HARMFUL:
            r.harmful = row["n"]
        else:
            r.neutral = row["n"]

    return _group(operator, start, end, [rows[i] for i in ids])


def _total(label: str, level: str, members: list[Row], **extra) -> Row:
    total = Row(label=label, level=level, neighbourhoods=len(members), **extra)
    total.households = None
    for row in members:
        total.add(row)
    if any(row.households is None for row in members):
        total.households = None  # a share over part of the rows would mislead
    return total


def _group(operator, start, end, rows: list[Row]) -> Rollup:
    ordered: list[Row] = []
    by_gemeente: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_gemeente[row.gemeente].append(row)
    for gemeente, members in by_gemeente.items():
        by_wijk: dict[str, list[Row]] = defaultdict(list)
        for row in members:
            by_wijk[row.wijk].append(row)
        for wijk, wijk_rows in by_wijk.items():
            ordered += wijk_rows
            if wijk and len(wijk_rows) > 1:
                ordered.append(_total(wijk, "wijk", wijk_rows, gemeente=gemeente))
        if gemeente and len(by_gemeente) > 1:
            ordered.append(_total(gemeente, "gemeente", members, gemeente=gemeente))
    total = _total(operator.name, "total", rows)
    return Rollup(
        operator=operator,
        start=start,
        end=end,
        rows=ordered,
        total=total,
        has_households=any(r.households for r in rows),
    )

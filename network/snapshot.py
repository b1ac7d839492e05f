"""The network's heavy figures, computed by a job and read by the pages (issue #19).

:func:`compute` (run by ``network.tasks.refresh_snapshot`` on the task queue) reads the
people and ties of today once, finds the groups, lays them out, measures every person and
group (:mod:`network.layout`), names each group by what its members share, adds the figures
by month, and stores it all in one :class:`~network.models.NetworkSnapshot` row with the
neighbourhood's ``data_version`` it was computed from.

:func:`current` is what a page calls: the stored snapshot (one query) and whether it is
older than the neighbourhood's data; an older one is shown with its time ("figures from
14:02") while a new computation is queued (at most one per version). A neighbourhood
without any snapshot yet gets one at once when small, else is told it is being computed.

Group names use only what every resident may see (streets shown to residents, initiatives,
tags of gifts shown to residents), so one name serves every viewer; who appears in the
graph, and which ties, is decided per viewer by the page (``residents.disclosure``).
"""

from __future__ import annotations

import datetime
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from jobs import queue
from neighbourhoods import freshness
from neighbourhoods.locks import KeyedLocks
from neighbourhoods.models import Membership, Neighbourhood, Role
from residents.disclosure import field_q, gift_q, member_q, person_q
from residents.models import Gift, Person

from . import figures as fig
from . import graph, layout
from .models import InitiativeMember, NetworkSnapshot

MONTHS = 12
# Up to this many people a missing snapshot is computed in the request (a second or less).
INLINE_LIMIT = 600
QUEUED_SECONDS = 10 * 60
RANKED = 500  # people kept in bridging order (the page shows the first it may show)


def _resident(neighbourhood: Neighbourhood) -> Membership:
    """Any resident (no one in particular): what every resident may see."""
    return Membership(neighbourhood=neighbourhood, role=Role.RESIDENT)


def compute(neighbourhood_id: int) -> NetworkSnapshot | None:
    started = time.perf_counter()
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id).first()
    if neighbourhood is None:
        return None
    version = neighbourhood.data_version
    today = timezone.localdate()
    filters = graph.Filters(now=today)
    people = set(graph.counted_people(neighbourhood, None, filters).values_list("pk", flat=True))
    rows = list(
        graph.person_pairs(neighbourhood, graph.Filters()).values_list(
            "person_id", "other_person_id", "start", "ended"
        )
    )
    edges = [
        (a, b) for a, b, start, ended in rows if start <= today and (ended is None or ended > today)
    ]
    shape = layout.analyse(people, edges)
    names = _group_names(neighbourhood, shape)
    initiatives = _initiative_measures(neighbourhood, shape, edges, today)
    months = fig.month_starts(fig.months_back(today, MONTHS - 1), today)
    points = fig.by_month(rows, months)
    fields = {
        "data_version": version,
        "computed_at": timezone.now(),
        "day": today,
        "people": {
            str(pk): [p.x, p.y, p.group, p.ties, round(p.betweenness, 6), p.reach]
            for pk, p in shape.people.items()
        },
        "groups": [
            {
                "id": g.id,
                "size": g.size,
                "ties": g.ties,
                "density": round(g.density, 4),
                "carriers": g.carriers,
                "x": g.x,
                "y": g.y,
                "r": g.r,
                **names.get(g.id, {}),
            }
            for g in shape.groups
        ],
        "links": [[a, b, n] for (a, b), n in sorted(shape.links.items())],
        "months": [
            [p.month.isoformat(), p.connections, p.connected_people, p.largest_group]
            for p in points
        ],
        "initiatives": initiatives,
        "ranking": [
            pk
            for pk, _p in sorted(
                shape.people.items(),
                key=lambda item: (-item[1].betweenness, -item[1].ties, item[0]),
            )[:RANKED]
            if _p.ties
        ],
        "approximate": shape.approximate,
        "width": shape.width,
        "height": shape.height,
        "seconds": round(time.perf_counter() - started, 3),
    }
    snapshot, _created = NetworkSnapshot.objects.update_or_create(
        neighbourhood=neighbourhood, defaults=fields
    )
    return snapshot


def _group_names(neighbourhood: Neighbourhood, shape: layout.Shape) -> dict[int, dict]:
    """Per group: the street, initiative and tag most of its members share (two or more),
    from what every resident may see."""
    resident = _resident(neighbourhood)
    group_of = {pk: p.group for pk, p in shape.people.items() if p.group >= 0}
    if not group_of:
        return {}
    streets: dict[int, Counter] = defaultdict(Counter)
    for pk, street in (
        Person.objects.in_neighbourhood(neighbourhood)
        .filter(person_q(resident) & field_q(resident, "street"))
        .exclude(street="")
        .values_list("pk", "street")
    ):
        if pk in group_of:
            streets[group_of[pk]][" ".join(street.split())] += 1
    initiatives: dict[int, Counter] = defaultdict(Counter)
    for pk, name in (
        InitiativeMember.objects.in_neighbourhood(neighbourhood)
        .current_on(timezone.localdate())
        .filter(member_q(resident))
        .values_list("person_id", "initiative__name")
    ):
        if pk in group_of:
            initiatives[group_of[pk]][name] += 1
    tags: dict[int, Counter] = defaultdict(Counter)
    seen: set[tuple[int, str]] = set()
    for pk, tag in (
        Gift.objects.in_neighbourhood(neighbourhood)
        .filter(gift_q(resident))
        .exclude(tags__isnull=True)
        .values_list("person_id", "tags__name")
    ):
        if pk in group_of and (pk, tag) not in seen:
            seen.add((pk, tag))
            tags[group_of[pk]][tag] += 1
    names = {}
    for group in shape.groups:
        found = {}
        for key, counter in (("street", streets), ("initiative", initiatives), ("tag", tags)):
            common = counter[group.id].most_common(1)
            if common and common[0][1] >= 2:
                found[key] = common[0][0]
                found[f"{key}_count"] = common[0][1]
        names[group.id] = found
    return names


def _initiative_measures(neighbourhood, shape: layout.Shape, edges, today) -> dict[str, list]:
    """Per initiative (all current members, a count names nobody): [members, ties among
    them, reach (people within two steps: members and the people they are tied to), groups
    its members belong to (how many groups it bridges)]."""
    neighbours: dict[int, set[int]] = defaultdict(set)
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    members: dict[int, set[int]] = defaultdict(set)
    for initiative, person in (
        InitiativeMember.objects.in_neighbourhood(neighbourhood)
        .current_on(today)
        .values_list("initiative_id", "person_id")
    ):
        members[initiative].add(person)
    result = {}
    for initiative, people in members.items():
        ties = sum(len(neighbours[p] & people) for p in people) // 2
        near = set(people)
        for person in people:
            near |= neighbours[person]
        groups = {shape.people[p].group for p in people if p in shape.people}
        groups.discard(-1)
        result[str(initiative)] = [len(people), ties, len(near), len(groups)]
    return result


@dataclass(frozen=True)
class Current:
    snapshot: NetworkSnapshot | None
    stale: bool  # older than the neighbourhood's data: a new one is queued


# The decoded snapshots this process has read, by neighbourhood: (row id, computed_at) → row.
# A snapshot row is written once and never changed in place (a new computation replaces
# it), so the key tells whether the copy here is still the stored one; decoding a large
# neighbourhood's JSON (20,000 people) costs more than the rest of the page.
_read: dict[int, tuple[tuple, NetworkSnapshot]] = {}
# One thread decodes a neighbourhood's snapshot, the others wait for its copy (a fresh
# process meets as many first requests at once as it has threads: 250 ms each at 100,000
# people, all on the same cores). A lock per neighbourhood: others' pages do not wait.
_reading = KeyedLocks()


def _decoded(
    neighbourhood_id: int, key: tuple, load: Callable[[], NetworkSnapshot | None]
) -> NetworkSnapshot | None:
    """This process's copy of the stored snapshot ``key`` names (row id, computed_at), or
    ``load()``'s, kept for the next request."""
    kept = _read.get(neighbourhood_id)
    if kept is not None and kept[0] == key:
        return kept[1]
    with _reading.hold(neighbourhood_id):  # the process's other threads wait for this copy
        kept = _read.get(neighbourhood_id)
        if kept is not None and kept[0] == key:
            return kept[1]
        found = load()
        if found is not None:
            _read[neighbourhood_id] = ((found.pk, found.computed_at), found)
        return found


def current(neighbourhood: Neighbourhood) -> Current:
    """The stored snapshot (one small query; its JSON decoded once per process and
    computation) and whether it is older than the data."""
    head = (
        NetworkSnapshot.objects.filter(neighbourhood=neighbourhood)
        .values_list("pk", "computed_at", "data_version")
        .first()
    )
    found = None
    if head is not None:
        pk = head[0]
        found = _decoded(
            neighbourhood.pk, (pk, head[1]), lambda: NetworkSnapshot.objects.filter(pk=pk).first()
        )
    if found is not None and found.data_version == neighbourhood.data_version:
        return Current(found, False)
    if found is None and graph.neighbourhood_size(neighbourhood) <= INLINE_LIMIT:
        return Current(compute(neighbourhood.pk), False)
    request_refresh(neighbourhood)
    return Current(found, True)


def request_refresh(neighbourhood: Neighbourhood) -> None:
    """Queue one computation per data version (on commit, so the worker sees the data)."""
    key = f"network:snapshot:queued:{neighbourhood.pk}:{neighbourhood.data_version}"
    if cache.add(key, True, QUEUED_SECONDS):
        transaction.on_commit(lambda: _enqueue(neighbourhood.pk))


@task()
def refresh_snapshot(neighbourhood_id: int) -> str:
    """The job: compute and store the snapshot of the neighbourhood's data as it is now,
    unless a snapshot of that data is stored already (a burst of changes queues many runs;
    the first computes, the rest return at once)."""
    version = (
        Neighbourhood.objects.filter(pk=neighbourhood_id)
        .values_list("data_version", flat=True)
        .first()
    )
    if version is None:
        return "gone"
    if NetworkSnapshot.objects.filter(
        neighbourhood_id=neighbourhood_id,
        data_version__gte=version,
        day__gte=timezone.localdate(),
    ).exists():
        return f"version {version} already computed"
    found = compute(neighbourhood_id)
    return f"version {found.data_version}" if found else "gone"


def _on_touch(neighbourhood_id: int) -> None:
    """Every change of the data queues a new snapshot once the change is committed."""
    transaction.on_commit(lambda: _enqueue(neighbourhood_id))


def _enqueue(neighbourhood_id: int) -> None:
    queue.enqueue(refresh_snapshot, neighbourhood_id)


def month_points(snapshot: NetworkSnapshot) -> list[fig.MonthPoint]:
    return [
        fig.MonthPoint(datetime.date.fromisoformat(m), c, p, g) for m, c, p, g in snapshot.months
    ]


freshness.on_touch(_on_touch)

__all__ = ["Current", "compute", "current", "month_points", "refresh_snapshot", "request_refresh"]

"""Network figures: plain functions over people (node ids) and person–person connections.

Everything here works on ids, so it can be checked against hand-computed small graphs;
:mod:`network.graph` decides which people and connections a viewer may count.

- people: the people counted;
- connections: person–person connections among them;
- without connection: people with no connection to another counted person yet;
- largest group: the largest set of people linked through one another (a connected
  component), and the number of groups of two or more;
- density: connections ÷ possible connections, n(n−1)/2;
- bridges: the people with the highest betweenness (share of shortest paths between others
  that run through them), people who link groups. Exact up to ``EXACT_BETWEENNESS_LIMIT``
  connected people, otherwise estimated from sampled sources (networkx's ``k``
  approximation) in a fixed-seed order, as many as fit in a small time budget.

:func:`compute` does it all with networkx. :func:`counts` gives the same figures without
bridges from a union-find, two to three times faster than building a networkx graph; the
pages use it for the figures (tests check both agree) and networkx for the bridges.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

EXACT_BETWEENNESS_LIMIT = 600
# Sampled betweenness: stop after this many sources, or when the time budget is spent
# (at least MIN_SAMPLES sources), whichever comes first.
MAX_SAMPLES = 64
MIN_SAMPLES = 2
BETWEENNESS_SECONDS = 0.2
BRIDGES = 5
SEED = 7


def potential_relations(members: int) -> int:
    """n(n−1)/2: how many pairs a group of ``members`` people has (14 → 91)."""
    return members * (members - 1) // 2 if members > 1 else 0


@dataclass(frozen=True)
class Figures:
    people: int
    connections: int
    without_connection: int
    largest_group: int
    groups: int
    density: float
    bridges: list[tuple[int, float]] = field(default_factory=list)
    approximate: bool = False
    samples: int = 0

    @property
    def share_without_connection(self) -> float:
        return self.without_connection / self.people if self.people else 0.0

    @property
    def share_largest_group(self) -> float:
        return self.largest_group / self.people if self.people else 0.0

    @property
    def potential(self) -> int:
        return potential_relations(self.people)

    def as_dict(self) -> dict:
        return {
            "people": self.people,
            "connections": self.connections,
            "without_connection": self.without_connection,
            "share_without_connection": round(self.share_without_connection, 4),
            "largest_group": self.largest_group,
            "share_largest_group": round(self.share_largest_group, 4),
            "groups": self.groups,
            "density": round(self.density, 6),
            "approximate": self.approximate,
            "samples": self.samples,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Figures:
        """The figures again from :meth:`as_dict` (stored by a job), without bridges."""
        return cls(
            people=data["people"],
            connections=data["connections"],
            without_connection=data["without_connection"],
            largest_group=data["largest_group"],
            groups=data["groups"],
            density=data["density"],
            approximate=data.get("approximate", False),
            samples=data.get("samples", 0),
        )


def compute(
    nodes: Iterable[int],
    edges: Iterable[tuple[int, int]],
    *,
    bridges: int = BRIDGES,
    seconds: float | None = None,
) -> Figures:
    """Figures of the people ``nodes`` and their connections ``edges`` (pairs of ids).

    Edges with an end outside ``nodes`` are left out. Only people with a connection go into
    the networkx graph; the others are counted.
    """
    people = nodes if isinstance(nodes, (set, frozenset)) else set(nodes)
    graph: nx.Graph[int] = nx.Graph()
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in people and b in people)
    count = len(people)
    connections = graph.number_of_edges()
    sizes = [len(c) for c in nx.connected_components(graph)]
    top, approximate, samples = (
        _bridges(graph, count, bridges, BETWEENNESS_SECONDS if seconds is None else seconds)
        if bridges
        else ([], False, 0)
    )
    return Figures(
        people=count,
        connections=connections,
        without_connection=count - graph.number_of_nodes(),
        largest_group=max(sizes, default=1 if count else 0),
        groups=len(sizes),
        density=2 * connections / (count * (count - 1)) if count > 1 else 0.0,
        bridges=top,
        approximate=approximate,
        samples=samples,
    )


def counts(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> Figures:
    """The same figures without bridges, with a union-find instead of a networkx graph
    (cheaper; for the "then" column and other secondary figures)."""
    people = nodes if isinstance(nodes, (set, frozenset)) else set(nodes)
    groups = _UnionFind()
    pairs = set()
    for a, b in edges:
        if a != b and a in people and b in people:
            pair = (a, b) if a < b else (b, a)
            if pair not in pairs:
                pairs.add(pair)
                groups.union(a, b)
    count = len(pairs)
    people_count = len(people)
    return Figures(
        people=people_count,
        connections=count,
        without_connection=people_count - len(groups.parent),
        largest_group=groups.best or (1 if people_count else 0),
        groups=len(groups.size),
        density=2 * count / (people_count * (people_count - 1)) if people_count > 1 else 0.0,
    )


def _bridges(
    graph: nx.Graph, people: int, count: int, seconds: float
) -> tuple[list[tuple[int, float]], bool, int]:
    """The people with the highest betweenness, normalised over all ``people`` (as networkx
    would on the whole graph: lone people lie on no path).

    Exact for up to ``EXACT_BETWEENNESS_LIMIT`` connected people; above that estimated from
    sampled sources (networkx's k-sample estimator: sum of single-source dependencies × n/k),
    as many as fit in ``seconds``, from a fixed-seed order.
    """
    size = graph.number_of_nodes()
    if size < 3:
        return [], False, 0
    pairs = (people - 1) * (people - 2) / 2
    if size <= EXACT_BETWEENNESS_LIMIT:
        raw = nx.betweenness_centrality(graph, normalized=False)
        approximate, samples = False, size
    else:
        order = sorted(graph.nodes)
        random.Random(SEED).shuffle(order)  # noqa: S311 (a sample, not a secret)
        deadline = time.perf_counter() + seconds
        raw = dict.fromkeys(graph.nodes, 0.0)
        samples = 0
        for source in order[:MAX_SAMPLES]:
            if samples >= MIN_SAMPLES and time.perf_counter() > deadline:
                break
            part = nx.betweenness_centrality_subset(graph, [source], order, normalized=False)
            for node, value in part.items():
                if value:
                    raw[node] += value
            samples += 1
        scale = size / samples
        raw = {node: value * scale for node, value in raw.items()}
        approximate = samples < size
    ranked = sorted(
        ((node, value / pairs) for node, value in raw.items() if value > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:count], approximate, samples


# ------------------------------------------------------------------------------ by month


@dataclass(frozen=True)
class MonthPoint:
    month: datetime.date  # first day of the month; figures are at the month's end
    connections: int
    connected_people: int
    largest_group: int


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


def months_back(day: datetime.date, count: int) -> datetime.date:
    """The first day of the month ``count`` months before ``day``'s month."""
    year, month = day.year, day.month - count
    while month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def by_month(
    dated_edges: Iterable[tuple[int, int, datetime.date | None, datetime.date | None]],
    months: list[datetime.date],
) -> list[MonthPoint]:
    """Per month, at its last day: active connections, people in one, the largest group.

    ``dated_edges`` are ``(a, b, since, ended)``; no ``since`` counts as "always".
    Computed from the dated connections themselves (nothing stored). Connections that last
    beyond the last month are merged once, month by month, into one union-find; the few
    that end inside the window are added to a copy for the months they were active.
    """
    if not months:
        return []
    last_day = month_end(months[-1])
    lasting, passing = [], []
    for a, b, since, ended in dated_edges:
        if ended is None or ended > last_day:
            lasting.append((since or datetime.date.min, a, b))
        else:
            passing.append((a, b, since, ended))
    lasting.sort(key=lambda edge: edge[0])
    groups = _UnionFind()
    added = 0
    points = []
    for month in months:
        day = month_end(month)
        while added < len(lasting) and lasting[added][0] <= day:
            _since, a, b = lasting[added]
            groups.union(a, b)
            added += 1
        extra = [
            (a, b)
            for a, b, since, ended in passing
            if (since is None or since <= day) and ended > day
        ]
        current = groups
        if extra:
            current = groups.copy()
            for a, b in extra:
                current.union(a, b)
        points.append(
            MonthPoint(
                month=month,
                connections=added + len(extra),
                connected_people=len(current.parent),
                largest_group=current.best,
            )
        )
    return points


class _UnionFind:
    """Groups that only grow: union by size, the largest size kept as it changes."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}
        self.best = 0

    def find(self, x: int) -> int:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.size[x] = 1
            self.best = max(self.best, 1)
            return x
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size.pop(rb)
        self.best = max(self.best, self.size[ra])

    def copy(self) -> _UnionFind:
        other = _UnionFind()
        other.parent = dict(self.parent)
        other.size = dict(self.size)
        other.best = self.best
        return other

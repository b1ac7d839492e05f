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
  connected people, otherwise estimated from a fixed-seed sample of sources (networkx's
  ``k`` approximation) sized to a work budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

EXACT_BETWEENNESS_LIMIT = 600
# Work budget for sampled betweenness: roughly sources × (people + connections).
BETWEENNESS_BUDGET = 400_000
MIN_SAMPLES = 4
MAX_SAMPLES = 200
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
        }


def build_graph(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> nx.Graph:
    """An undirected graph of the nodes; edges with an end outside ``nodes`` are left out."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in graph and b in graph)
    return graph


def compute(
    nodes: Iterable[int], edges: Iterable[tuple[int, int]], *, bridges: int = BRIDGES
) -> Figures:
    return figures_of(build_graph(nodes, edges), bridges=bridges)


def figures_of(graph: nx.Graph, *, bridges: int = BRIDGES) -> Figures:
    people = graph.number_of_nodes()
    connections = graph.number_of_edges()
    without = sum(1 for _node, degree in graph.degree() if degree == 0)
    sizes = [len(c) for c in nx.connected_components(graph)] if people else []
    largest = max(sizes, default=0)
    top, approximate, samples = _bridges(graph, bridges) if bridges else ([], False, 0)
    return Figures(
        people=people,
        connections=connections,
        without_connection=without,
        largest_group=largest,
        groups=sum(1 for size in sizes if size > 1),
        density=nx.density(graph) if people > 1 else 0.0,
        bridges=top,
        approximate=approximate,
        samples=samples,
    )


def _bridges(graph: nx.Graph, count: int) -> tuple[list[tuple[int, float]], bool, int]:
    linked = graph.subgraph([n for n, degree in graph.degree() if degree > 0])
    size = linked.number_of_nodes()
    if size < 3:
        return [], False, 0
    approximate = size > EXACT_BETWEENNESS_LIMIT
    samples = 0
    if approximate:
        work = size + linked.number_of_edges()
        samples = max(MIN_SAMPLES, min(MAX_SAMPLES, BETWEENNESS_BUDGET // work))
        approximate = samples < size
    if approximate:
        scores = nx.betweenness_centrality(linked, k=samples, normalized=True, seed=SEED)
    else:
        scores = nx.betweenness_centrality(linked, normalized=True)
    # Normalised over the whole graph's pairs, so a bridge scores the same with isolates.
    scale = _pairs(size) / _pairs(graph.number_of_nodes())
    ranked = sorted(
        ((node, score * scale) for node, score in scores.items() if score > 0),
        key=lambda item: (-item[1], item[0]),
    )
    return ranked[:count], approximate, samples


def _pairs(n: int) -> float:
    return (n - 1) * (n - 2) / 2 if n > 2 else 1.0


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
    Computed from the dated connections themselves (nothing stored), with a union-find.
    """
    edges = list(dated_edges)
    points = []
    for month in months:
        day = month_end(month)
        groups = _UnionFind()
        count = 0
        for a, b, since, ended in edges:
            if (since is not None and since > day) or (ended is not None and ended <= day):
                continue
            count += 1
            groups.union(a, b)
        points.append(
            MonthPoint(
                month=month,
                connections=count,
                connected_people=len(groups.parent),
                largest_group=groups.largest(),
            )
        )
    return points


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = parent.setdefault(x, x)
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb

    def largest(self) -> int:
        sizes: dict[int, int] = {}
        for node in self.parent:
            root = self.find(node)
            sizes[root] = sizes.get(root, 0) + 1
        return max(sizes.values(), default=0)

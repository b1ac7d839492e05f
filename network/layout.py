"""The network's shape: groups (communities), measures per person and per group, and a
stable layout. Plain functions over ids, checked on small hand-made graphs in the tests;
:mod:`network.snapshot` runs them in a job and stores the result.

- groups: Louvain community detection (networkx, fixed seed), largest first; people
  without a tie belong to no group;
- per person (Kumu's set): ties (degree), bridging (betweenness, normalised; exact up to
  ``EXACT_BETWEENNESS_LIMIT`` connected people, else estimated from ``SAMPLES`` sources with
  a fixed seed), reach (people within two steps);
- per group: size, density (ties inside ÷ possible pairs), carriers (members with two or
  more ties inside the group: the people who hold it together);
- layout: each group laid out on its own (networkx spring layout, fixed seed), groups packed
  in rows largest first, people without ties in a grid below: the same picture every visit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .figures import potential_relations

SEED = 7
EXACT_BETWEENNESS_LIMIT = 600
SAMPLES = 64
SPACING = 24  # between people, in layout units
LAYOUT_ITERATIONS = 60
ROW_WIDTH_GROUPS = 5
SPRING_LIMIT = 500  # larger groups get rings (networkx's spring layout would need scipy)  # groups per row, about (the widest rows set the picture's width)


@dataclass
class Person:
    x: float = 0.0
    y: float = 0.0
    group: int = -1  # -1: no tie, no group
    ties: int = 0
    betweenness: float = 0.0
    reach: int = 0


@dataclass
class Group:
    id: int
    members: list[int]
    ties: int = 0  # ties inside the group
    carriers: int = 0
    x: float = 0.0  # centre and radius in the layout
    y: float = 0.0
    r: float = 0.0

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def density(self) -> float:
        possible = potential_relations(self.size)
        return self.ties / possible if possible else 0.0


@dataclass
class Shape:
    people: dict[int, Person]
    groups: list[Group]
    links: dict[tuple[int, int], int] = field(default_factory=dict)  # ties between groups
    approximate: bool = False
    width: float = 0.0
    height: float = 0.0


def graph_of(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> nx.Graph:
    people = set(nodes)
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(sorted(people))
    graph.add_edges_from((a, b) for a, b in edges if a != b and a in people and b in people)
    return graph


def communities(graph: nx.Graph) -> list[list[int]]:
    """Groups of people with ties, largest first (ties broken by the lowest id)."""
    tied = graph.subgraph([n for n in graph if graph.degree(n)])
    if not tied:
        return []
    found = nx.community.louvain_communities(tied, seed=SEED)
    groups = [sorted(group) for group in found]
    return sorted(groups, key=lambda members: (-len(members), members[0]))


def betweenness(graph: nx.Graph) -> tuple[dict[int, float], bool]:
    tied = graph.subgraph([n for n in graph if graph.degree(n)])
    if len(tied) < 3:
        return {}, False
    people = len(graph)
    if len(tied) <= EXACT_BETWEENNESS_LIMIT:
        raw = nx.betweenness_centrality(tied, normalized=False)
        approximate = False
    else:
        samples = min(SAMPLES, len(tied))
        raw = nx.betweenness_centrality(tied, k=samples, normalized=False, seed=SEED)
        approximate = True
    pairs = (people - 1) * (people - 2) / 2  # normalised over everyone, as figures.compute
    return {node: value / pairs for node, value in raw.items() if value > 0}, approximate


def reach(graph: nx.Graph) -> dict[int, int]:
    """People within two steps of each person (not counting themselves)."""
    result = {}
    for node in graph:
        near = set(graph[node])
        for other in list(near):
            near.update(graph[other])
        near.discard(node)
        result[node] = len(near)
    return result


def analyse(nodes: Iterable[int], edges: Iterable[tuple[int, int]]) -> Shape:
    graph = graph_of(nodes, edges)
    people = {node: Person(ties=graph.degree(node)) for node in graph}
    groups = [Group(id=index, members=members) for index, members in enumerate(communities(graph))]
    for group in groups:
        for member in group.members:
            people[member].group = group.id
    scores, approximate = betweenness(graph)
    for node, score in scores.items():
        people[node].betweenness = score
    for node, count in reach(graph).items():
        people[node].reach = count
    inside: dict[int, int] = defaultdict(int)
    links: dict[tuple[int, int], int] = defaultdict(int)
    ties_inside: dict[int, int] = defaultdict(int)
    for a, b in graph.edges:
        ga, gb = people[a].group, people[b].group
        if ga == gb:
            inside[ga] += 1
            ties_inside[a] += 1
            ties_inside[b] += 1
        else:
            links[(min(ga, gb), max(ga, gb))] += 1
    for group in groups:
        group.ties = inside[group.id]
        group.carriers = sum(1 for m in group.members if ties_inside[m] >= 2)
    shape = Shape(people=people, groups=groups, links=dict(links), approximate=approximate)
    _lay_out(graph, shape)
    return shape


def _lay_out(graph: nx.Graph, shape: Shape) -> None:
    """Each group by itself (spring layout, fixed seed), packed in rows, largest first."""
    x_cursor, y_top, row_height = 0.0, 0.0, 0.0
    biggest = shape.groups[0].size if shape.groups else 1
    row_width = max(8 * SPACING, 2 * _radius(biggest) * ROW_WIDTH_GROUPS)
    for group in shape.groups:
        radius = _radius(group.size)
        if x_cursor + 2 * radius > row_width and x_cursor > 0:
            x_cursor, y_top, row_height = 0.0, y_top + row_height + 2 * SPACING, 0.0
        cx, cy = x_cursor + radius, y_top + radius
        positions = spring(graph.subgraph(group.members))
        for node, (px, py) in positions.items():
            person = shape.people[node]
            person.x, person.y = round(cx + px * radius, 1), round(cy + py * radius, 1)
        group.x, group.y, group.r = round(cx, 1), round(cy, 1), round(radius, 1)
        x_cursor += 2 * radius + 2 * SPACING
        row_height = max(row_height, 2 * radius)
    y_top += row_height + 2 * SPACING if shape.groups else 0
    lonely = sorted(node for node, person in shape.people.items() if person.group < 0)
    per_row = max(1, int(row_width // SPACING))
    for index, node in enumerate(lonely):
        person = shape.people[node]
        person.x = float((index % per_row) * SPACING + SPACING / 2)
        person.y = round(y_top + (index // per_row) * SPACING, 1)
    rows = math.ceil(len(lonely) / per_row) if lonely else 0
    shape.width = round(max(row_width, SPACING), 1)
    shape.height = round(max(y_top + rows * SPACING, SPACING), 1)


def _radius(size: int) -> float:
    return max(SPACING, SPACING * math.sqrt(size) * 0.9)


def spring(graph: nx.Graph) -> dict[int, tuple[float, float]]:
    """Positions within the unit circle, the same for the same graph."""
    size = len(graph)
    if size == 1:
        return {next(iter(graph)): (0.0, 0.0)}
    if size == 2:
        a, b = sorted(graph)
        return {a: (-0.5, 0.0), b: (0.5, 0.0)}
    if size > SPRING_LIMIT:  # such groups only show as one node (the page's group view)
        return _rings(graph)
    raw = nx.spring_layout(graph, seed=SEED, iterations=LAYOUT_ITERATIONS)
    furthest = max((math.hypot(float(x), float(y)) for x, y in raw.values()), default=1.0) or 1.0
    return {node: (float(x) / furthest, float(y) / furthest) for node, (x, y) in raw.items()}


def _rings(graph: nx.Graph) -> dict[int, tuple[float, float]]:
    """Breadth first from the best connected person, ring by ring: linear in size."""
    start = min(graph, key=lambda n: (-graph.degree(n), n))
    rings = [[start]]
    seen = {start}
    while True:
        ring = sorted({o for n in rings[-1] for o in graph[n] if o not in seen})
        if not ring:
            break
        seen.update(ring)
        rings.append(ring)
    rest = sorted(set(graph) - seen)
    if rest:
        rings.append(rest)
    positions = {}
    for depth, ring in enumerate(rings):
        radius = depth / max(1, len(rings) - 1)
        for index, node in enumerate(ring):
            angle = 2 * math.pi * index / len(ring)
            positions[node] = (radius * math.cos(angle), radius * math.sin(angle))
    return positions

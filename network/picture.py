"""The network page's picture for one viewer: the stored layout (``network.snapshot``) with
only the people and ties this viewer may see (``residents.disclosure``), drawn as SVG by the
server (``templates/network/_picture.html``): no physics in the browser, the same picture
every visit.

- up to ``MAX_NODES`` people: everyone, coloured by group, sized by ties; labels only for
  the people who bridge most and the focused one;
- above it: the groups as nodes (sized by members, linked by the ties between them); a
  group opens on click (``?group=3``);
- ``?focus=p12`` (a person) or ``?focus=i4`` (an initiative): their network two steps out
  (a person's ties and their ties; an initiative's members and their ties), the rest faded
  (or left out when the network is drawn as groups).

Residents see people whose name is shown to residents, a tie only when both people show
their ties, and the size and bridging of people who show their ties (others are drawn at
the smallest size, never labelled as a bridge). Query count does not depend on the size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

from neighbourhoods.models import Membership, Neighbourhood
from residents.disclosure import member_q, sees_everything

from . import graph, layout
from .models import Initiative, InitiativeMember, NetworkSnapshot

MAX_NODES = 2000
LABELS = 5
COLOURS = 10
PAD = 30


@dataclass
class Node:
    key: str  # "p12" or "g3"
    x: float
    y: float
    r: float
    css: str
    title: str
    label: str = ""
    url: str = ""
    faded: bool = False


@dataclass
class Edge:
    x1: float
    y1: float
    x2: float
    y2: float
    faded: bool = False
    weight: int = 1


@dataclass
class Picture:
    mode: str  # "people", "groups", "group", "focus"
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    view_box: str = "0 0 100 100"
    focus_name: str = ""
    group: dict | None = None
    shown_people: int = 0
    total_people: int = 0

    # The SVG's lines, circles and labels, written here rather than by a template loop:
    # hundreds of elements of five to eight values each took 40,000 of the network page's
    # 109,000 Python calls at 20,000 people (issue #19). ``tests/network/test_picture.py``
    # compares them with the template they replace.

    def edges_svg(self) -> SafeString:
        return mark_safe(
            "".join(
                f'<line x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" y2="{e.y2}"'
                + (
                    ' class="nw-faded"'
                    if e.faded
                    else f' stroke-width="{e.weight}"'
                    if e.weight > 1
                    else ""
                )
                + "/>"
                for e in self.edges
            )
        )

    def nodes_svg(self) -> SafeString:
        return mark_safe(
            "".join(
                f'<a href="{escape(n.url)}#graph-heading"><circle cx="{n.x}" cy="{n.y}" r="{n.r}"'
                f' class="{escape(n.css)}{" nw-faded" if n.faded else ""}">'
                f"<title>{escape(n.title)}</title></circle></a>"
                for n in self.nodes
            )
        )

    def labels_svg(self) -> SafeString:
        return mark_safe(
            "".join(
                f'<text x="{n.x}" y="{n.y}" dy="-{int(n.r) + 4}">{escape(n.label)}</text>'
                for n in self.nodes
                if n.label
            )
        )


def parse_focus(value: str) -> tuple[str, int] | None:
    if len(value) > 1 and value[0] in "pi" and value[1:].isdigit() and len(value) < 12:
        return value[0], int(value[1:])
    return None


def picture(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    filters: graph.Filters,
    snapshot: NetworkSnapshot,
    *,
    focus: str = "",
    group: int | None = None,
    base_url: str = "?",
) -> Picture:
    """Only the people drawn are read: everyone up to ``MAX_NODES``; above it nobody for
    the groups, one group's members, or the people around the focus."""
    coords = snapshot.people
    shown = graph.filtered_people(neighbourhood, membership, filters)
    total = shown.count() if filters.active() else len(coords)
    target = parse_focus(focus)
    today = timezone.localdate()
    large = total > MAX_NODES

    def seen(ids=None) -> tuple[dict[int, str], set[int]]:
        rows = shown if ids is None else shown.filter(pk__in=sorted(ids))
        return _people(rows, membership, coords)

    if target is not None:
        if large:
            centre, near, edges = _focus(neighbourhood, target, lambda ids: seen(ids)[1], today)
            names, tied = seen(near)
            nodes, all_edges = set(names), edges
        else:
            names, tied = seen()
            centre, near, edges = _focus(neighbourhood, target, lambda ids: tied & set(ids), today)
            nodes = set(names)
            all_edges = _edges_among(neighbourhood, filters, tied, today)
        result = Picture(mode="focus")
        result.focus_name = centre
        _draw_people(
            result, snapshot, nodes, names, tied, all_edges, base_url, highlight=near, focus=target
        )
    elif group is not None:
        members = {int(pk) for pk, v in coords.items() if v[2] == group}
        names, tied = seen(members) if large else seen()
        members &= set(names)
        edges = _edges_among(neighbourhood, filters, tied & members, today)
        result = Picture(mode="group")
        result.group = next((g for g in snapshot.groups if g["id"] == group), None)
        _draw_people(result, snapshot, members, names, tied, edges, base_url)
    elif large:
        result = _draw_groups(snapshot, base_url)
    else:
        names, tied = seen()
        edges = _edges_among(neighbourhood, filters, tied, today)
        result = Picture(mode="people")
        _draw_people(result, snapshot, set(names), names, tied, edges, base_url)
    result.total_people = total
    return result


def ranked(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    filters: graph.Filters,
    snapshot: NetworkSnapshot,
    limit: int,
) -> list[tuple[int, str]]:
    """The first ``limit`` people of the snapshot's bridging order this viewer may see with
    their ties (one query, whatever the size)."""
    shown = graph.filtered_people(neighbourhood, membership, filters)
    names, tied = _people(shown.filter(pk__any_of=snapshot.ranking), membership, snapshot.people)
    return [(pk, names[pk]) for pk in snapshot.ranking if pk in tied][:limit]


def everyone(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    filters: graph.Filters,
    snapshot: NetworkSnapshot,
) -> list[tuple[int, str]]:
    """Everyone this viewer may see with their ties, by name (for the export)."""
    shown = graph.filtered_people(neighbourhood, membership, filters)
    names, tied = _people(shown, membership, snapshot.people)
    return sorted(((pk, names[pk]) for pk in tied), key=lambda row: (row[1], row[0]))


def _people(rows, membership, coords) -> tuple[dict[int, str], set[int]]:
    """Names of the people this viewer may see (and who are in the snapshot), and those
    among them who show this viewer their ties."""
    names = {pk: name for pk, name in rows.values_list("pk", "name") if str(pk) in coords}
    if sees_everything(membership):
        return names, set(names)
    tied = set(rows.filter(member_q(membership, "")).values_list("pk", flat=True))
    return names, tied & set(names)


def _edges_among(neighbourhood, filters, people: set[int], today) -> list[tuple[int, int]]:
    if not people:
        return []
    rows = (
        graph.person_pairs(neighbourhood, filters)
        .filter(graph.tie_active_on(today))
        .values_list("person_id", "other_person_id")
    )
    return [(a, b) for a, b in rows if a in people and b in people]


def _focus(neighbourhood, target, allowed, today):
    """The focused person or initiative: its name, the people two steps out, their ties.
    ``allowed(ids)`` keeps the people this viewer may see with their ties."""
    kind, pk = target
    pairs = (
        graph.person_pairs(neighbourhood, graph.Filters())
        .filter(graph.tie_active_on(today))
        .values_list("person_id", "other_person_id")
    )
    if kind == "i":
        initiative = Initiative.objects.in_neighbourhood(neighbourhood).filter(pk=pk).first()
        name = initiative.name if initiative else ""
        members = (
            InitiativeMember.objects.in_neighbourhood(neighbourhood)
            .filter(initiative_id=pk)
            .current_on(today)
            .values_list("person_id", flat=True)
        )
        first = allowed(set(members))
    else:
        name = ""
        first = allowed({pk})
    if not first:
        return name, ({pk} if kind == "p" else set()), []
    step = list(pairs.filter(Q(person_id__in=first) | Q(other_person_id__in=first)))
    ok = allowed({a for a, _b in step} | {b for _a, b in step})
    step = [(a, b) for a, b in step if a in ok and b in ok]
    second = first | {a for a, _b in step} | {b for _a, b in step}
    if kind == "p":
        more = list(pairs.filter(Q(person_id__in=second) | Q(other_person_id__in=second)))
        ok = allowed({a for a, _b in more} | {b for _a, b in more})
        more = [(a, b) for a, b in more if a in ok and b in ok]
        near = second | {a for a, _b in more} | {b for _a, b in more}
        edges = [(a, b) for a, b in more if a in near and b in near]
    else:
        near = second
        edges = step
    return name, near, edges


def _radius(ties: int) -> float:
    return round(4 + 2.2 * math.sqrt(ties), 1)


def _draw_people(
    result: Picture,
    snapshot: NetworkSnapshot,
    nodes: set[int],
    names: dict[int, str],
    tied: set[int],
    edges: list[tuple[int, int]],
    base_url: str,
    *,
    highlight: set[int] | None = None,
    focus: tuple[str, int] | None = None,
) -> None:
    coords = snapshot.people
    spots = {pk: (coords[str(pk)][0], coords[str(pk)][1]) for pk in nodes}
    if highlight is not None:
        spots = _focus_spots(spots, nodes & highlight, edges, coords)
    bridges = sorted(
        (pk for pk in nodes if pk in tied and coords[str(pk)][4] > 0),
        key=lambda pk: -coords[str(pk)][4],
    )[:LABELS]
    labelled = set(bridges)
    focus_person = focus[1] if focus and focus[0] == "p" else None
    if focus_person in nodes:
        labelled.add(focus_person)
        result.focus_name = names.get(focus_person, "")
    xs, ys = [], []
    for pk in sorted(nodes):
        _x, _y, group, ties, _b, _r = coords[str(pk)]
        x, y = spots[pk]
        ties = ties if pk in tied else 0
        faded = highlight is not None and pk not in highlight
        css = f"nw-g{group % COLOURS}" if group >= 0 else "nw-gnone"
        if pk == focus_person:
            css += " nw-focus"
        result.nodes.append(
            Node(
                key=f"p{pk}",
                x=x,
                y=y,
                r=_radius(ties),
                css=css,
                title=names[pk],
                label=names[pk] if pk in labelled and not faded else "",
                url=f"{base_url}focus=p{pk}",
                faded=faded,
            )
        )
        if not faded or highlight is None:
            xs.append(x)
            ys.append(y)
    for a, b in edges:
        if a in nodes and b in nodes:
            faded = highlight is not None and not (a in highlight and b in highlight)
            if faded:
                continue  # the rest is faded: its people in a ring, without their lines
            (xa, ya), (xb, yb) = spots[a], spots[b]
            result.edges.append(Edge(xa, ya, xb, yb, faded))
    if highlight is not None:  # the focused network in the middle, the ring around it
        xs = [n.x for n in result.nodes]
        ys = [n.y for n in result.nodes]
    result.view_box = _box(xs, ys)
    result.shown_people = len(result.nodes)


FOCUS_LAYOUT_LIMIT = 400


def _focus_spots(spots, bright: set[int], edges, coords) -> dict[int, tuple[float, float]]:
    """The focused network laid out by itself in the middle (spring layout, fixed seed: the
    same every time), everyone else faded in a ring around it, in the direction they lie in
    the whole picture, so a phone shows the focus large enough to read."""
    if not bright or len(bright) > FOCUS_LAYOUT_LIMIT:
        return spots
    ego = layout.graph_of(bright, edges)
    size = layout.SPACING * 2.2 * math.sqrt(len(bright)) + layout.SPACING
    local = layout.spring(ego)
    result = {pk: (round(x * size, 1), round(y * size, 1)) for pk, (x, y) in local.items()}
    rest = [pk for pk in spots if pk not in bright]
    if rest:
        cx = sum(x for x, _y in spots.values()) / len(spots)
        cy = sum(y for _x, y in spots.values()) / len(spots)
        for pk in rest:
            x, y = spots[pk]
            angle = math.atan2(y - cy, x - cx)
            radius = size + layout.SPACING * (2 + (coords[str(pk)][2] % 3))
            result[pk] = (round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1))
    return result


def _draw_groups(snapshot: NetworkSnapshot, base_url: str) -> Picture:
    result = Picture(mode="groups")
    centres = {}
    for group in snapshot.groups:
        centres[group["id"]] = (group["x"], group["y"])
        result.nodes.append(
            Node(
                key=f"g{group['id']}",
                x=group["x"],
                y=group["y"],
                r=round(6 + 3 * math.sqrt(group["size"]), 1),
                css=f"nw-g{group['id'] % COLOURS}",
                title=group_name(group),
                label=group_name(group),
                url=f"{base_url}group={group['id']}",
            )
        )
    for a, b, count in snapshot.links:
        if a in centres and b in centres:
            (xa, ya), (xb, yb) = centres[a], centres[b]
            result.edges.append(Edge(xa, ya, xb, yb, weight=min(8, 1 + int(math.log2(count)))))
    result.view_box = _box([n.x for n in result.nodes], [n.y for n in result.nodes])
    return result


def group_name(group: dict) -> str:
    """What a group's members share: "Lindenlaan · Koffieclub · koken" (or its number)."""
    parts = [group[key] for key in ("street", "initiative", "tag") if group.get(key)]
    return " · ".join(parts) if parts else f"#{group['id'] + 1}"


def _box(xs: list[float], ys: list[float]) -> str:
    if not xs:
        return "0 0 100 100"
    side = PAD * 4  # room for a name written under or over a person at the edge
    left, top = min(xs) - side, min(ys) - PAD * 2
    width, height = max(xs) - left + side, max(ys) - top + PAD
    return f"{left:.0f} {top:.0f} {max(width, 60):.0f} {max(height, 60):.0f}"


def label_size(view_box: str) -> dict:
    """Text and line sizes in the picture's units, so they read the same at any zoom."""
    width = float(view_box.split()[2])
    return {
        "font": round(max(11.0, width / 55), 1),
        "stroke": round(max(0.6, width / 900), 2),
        "ring": round(max(1.5, width / 400), 2),
    }

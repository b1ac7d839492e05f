"""The network one viewer may see: people, organisations, initiatives and their links.

Which people a viewer may see, and which of their fields, is decided by
``residents.visibility`` (the one place for that): builders and coordinators see everyone;
residents see people whose name is shown to residents (and themselves), so they see a
connection only when both of its people are visible to them. The street filter and the
street shown on a node use the person's ``street`` visibility; the tag filter uses only
gifts the viewer may see.

Figures (:mod:`network.figures`) are computed on the same people and connections, and are
cached per neighbourhood, viewer and filters under a fingerprint of the data (counts and
last changes), so any change in people, gifts, connections or memberships recomputes them.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Membership, Neighbourhood
from residents.models import Gift, Person, Tag
from residents.visibility import field_q, sees_everything, visible_column

from . import figures as fig
from .models import Connection, Initiative, InitiativeMember, Origin

# The graph page draws at most this many people; larger networks are limited with a note.
MAX_NODES = 2000
# Client-side force layout only below this many nodes; larger graphs get a server layout.
FORCE_LAYOUT_LIMIT = 250
CACHE_SECONDS = 15 * 60


@dataclass(frozen=True)
class Filters:
    street: str = ""
    initiative: int | None = None
    tag: int | None = None
    origin: str = ""
    now: datetime.date = field(default_factory=timezone.localdate)
    then: datetime.date | None = None

    @property
    def key(self) -> str:
        return f"{self.street.casefold()}|{self.initiative}|{self.tag}|{self.origin}"

    def active(self) -> bool:
        return bool(self.street or self.initiative or self.tag or self.origin)

    def on(self, day: datetime.date) -> Filters:
        return replace(self, now=day)


def default_then(now: datetime.date) -> datetime.date:
    return (now.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)


# ------------------------------------------------------------------------------ people


def visible_people(neighbourhood: Neighbourhood, membership: Membership | None):
    return Person.objects.in_neighbourhood(neighbourhood).visible_to(membership)


def filtered_people(neighbourhood: Neighbourhood, membership: Membership | None, filters: Filters):
    """The people a viewer may see, narrowed by street, initiative and tag."""
    people = visible_people(neighbourhood, membership)
    if filters.street:
        people = people.filter(Q(street__iexact=filters.street) & field_q(membership, "street"))
    if filters.initiative:
        members = (
            InitiativeMember.objects.in_neighbourhood(neighbourhood)
            .filter(initiative_id=filters.initiative)
            .current_on(filters.now)
            .values("person_id")
        )
        people = people.filter(pk__in=members)
    if filters.tag:
        gifts = (
            Gift.objects.in_neighbourhood(neighbourhood)
            .visible_to(membership)
            .filter(tags__id=filters.tag)
            .values("person_id")
        )
        people = people.filter(pk__in=gifts)
    return people.order_by()


def person_pairs(neighbourhood: Neighbourhood, filters: Filters):
    """Person–person connections of the neighbourhood (all viewers: ends are checked later)."""
    connections = Connection.objects.in_neighbourhood(neighbourhood).filter(
        other_person__isnull=False
    )
    if filters.origin:
        connections = connections.filter(origin=filters.origin)
    return connections.order_by()


# ------------------------------------------------------------------------------ figures


def fingerprint(neighbourhood: Neighbourhood) -> str:
    """Changes whenever people, gifts, connections or initiative members change."""
    rows = [
        Person.objects.in_neighbourhood(neighbourhood)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")),
        Connection.objects.in_neighbourhood(neighbourhood)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")),
        Gift.objects.in_neighbourhood(neighbourhood)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")),
        InitiativeMember.objects.in_neighbourhood(neighbourhood)
        .order_by()
        .aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")),
    ]
    text = repr([sorted(row.items()) for row in rows])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def viewer_key(membership: Membership | None) -> str:
    if sees_everything(membership):
        return "all"
    return f"r{membership.user_id}" if membership is not None else "public"


def network_figures(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    filters: Filters,
    *,
    version: str | None = None,
) -> tuple[fig.Figures, dict[int, str]]:
    """Figures on ``filters.now`` and the names of the bridging people (cached)."""
    version = version or fingerprint(neighbourhood)
    key = f"network:figures:{neighbourhood.pk}:{viewer_key(membership)}:{_digest(filters.key)}:{filters.now}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    people = dict(filtered_people(neighbourhood, membership, filters).values_list("pk", "name"))
    edges = (
        person_pairs(neighbourhood, filters)
        .active_on(filters.now)
        .values_list("person_id", "other_person_id")
    )
    result = fig.compute(people.keys(), edges)
    names = {pk: people[pk] for pk, _score in result.bridges}
    cache.set(key, (result, names), CACHE_SECONDS)
    return result, names


def monthly_figures(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    months: list[datetime.date],
    *,
    version: str | None = None,
) -> list[fig.MonthPoint]:
    """Connections, connected people and the largest group at the end of each month."""
    version = version or fingerprint(neighbourhood)
    span = f"{months[0]}-{months[-1]}" if months else "none"
    key = f"network:months:{neighbourhood.pk}:{viewer_key(membership)}:{span}:{version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    edges = person_pairs(neighbourhood, Filters()).values_list(
        "person_id", "other_person_id", "since", "ended"
    )
    if not sees_everything(membership):
        visible = set(visible_people(neighbourhood, membership).values_list("pk", flat=True))
        edges = [e for e in edges if e[0] in visible and e[1] in visible]
    result = fig.by_month(edges, months)
    cache.set(key, result, CACHE_SECONDS)
    return result


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# ------------------------------------------------------------------------------ graph data


def graph_data(
    neighbourhood: Neighbourhood,
    membership: Membership | None,
    filters: Filters,
    *,
    max_nodes: int = MAX_NODES,
) -> dict:
    """Cytoscape elements for the network between ``filters.then`` and ``filters.now``.

    Every link carries its ``since``/``ended`` dates so the page can show any day in
    between without asking again. People beyond ``max_nodes`` are left out (the best
    connected stay), with a note saying so.
    """
    now = filters.now
    then = filters.then or default_then(now)
    street = visible_column(membership, "street", "street")
    people = {
        row["pk"]: row
        for row in filtered_people(neighbourhood, membership, filters)
        .annotate(shown_street=street)
        .values("pk", "name", "shown_street")
    }
    window = Q(since__isnull=True) | Q(since__lte=now)
    window &= Q(ended__isnull=True) | Q(ended__gt=then)
    links = []
    degree: dict[int, int] = defaultdict(int)
    for pk, a, b, origin, since, ended in (
        person_pairs(neighbourhood, filters)
        .filter(window)
        .values_list("pk", "person_id", "other_person_id", "origin", "since", "ended")
    ):
        if a in people and b in people:
            links.append(("c", pk, f"p{a}", f"p{b}", origin, since, ended))
            degree[a] += 1
            degree[b] += 1

    organisations: dict[int, str] = {}
    org_links = (
        Connection.objects.in_neighbourhood(neighbourhood)
        .filter(window, organisation__isnull=False)
        .order_by()
    )
    if filters.origin:
        org_links = org_links.filter(origin=filters.origin)
    for pk, a, org, org_name, origin, since, ended in org_links.values_list(
        "pk", "person_id", "organisation_id", "organisation__name", "origin", "since", "ended"
    ):
        if a in people:
            organisations[org] = org_name
            links.append(("c", pk, f"p{a}", f"o{org}", origin, since, ended))
            degree[a] += 1

    initiatives: dict[int, str] = {}
    memberships = (
        InitiativeMember.objects.in_neighbourhood(neighbourhood)
        .filter(joined__lte=now)
        .filter(Q(left__isnull=True) | Q(left__gt=then))
        .order_by()
    )
    if filters.initiative:
        memberships = memberships.filter(initiative_id=filters.initiative)
    for pk, a, initiative, name, joined, left in memberships.values_list(
        "pk", "person_id", "initiative_id", "initiative__name", "joined", "left"
    ):
        if a in people:
            initiatives[initiative] = name
            links.append(("m", pk, f"p{a}", f"i{initiative}", "member", joined, left))

    total = len(people)
    note = ""
    if total > max_nodes:
        keep = set(sorted(people, key=lambda pk: (-degree.get(pk, 0), pk))[:max_nodes])
        people = {pk: row for pk, row in people.items() if pk in keep}
        links = [link for link in links if _person_id(link[2]) in keep]
        note = _(
            "This network has %(total)s people; the graph shows the %(shown)s best connected. "
            "Narrow it down with the filters, or use the table below."
        ) % {"total": f"{total:,}".replace(",", "."), "shown": f"{max_nodes:,}".replace(",", ".")}

    nodes = [
        {
            "data": {
                "id": f"p{pk}",
                "label": row["name"],
                "kind": "person",
                **({"street": row["shown_street"]} if row["shown_street"] else {}),
            }
        }
        for pk, row in people.items()
    ]
    nodes += [
        {"data": {"id": f"o{pk}", "label": name, "kind": "organisation"}}
        for pk, name in organisations.items()
    ]
    nodes += [
        {"data": {"id": f"i{pk}", "label": name, "kind": "initiative"}}
        for pk, name in initiatives.items()
    ]
    edges = [
        {
            "data": {
                "id": f"{prefix}{pk}",
                "source": source,
                "target": target,
                "origin": origin,
                **({"since": since.isoformat()} if since else {}),
                **({"ended": ended.isoformat()} if ended else {}),
            }
        }
        for prefix, pk, source, target, origin, since, ended in links
    ]
    layout = "force"
    if len(nodes) > FORCE_LAYOUT_LIMIT:
        layout = "preset"
        positions = circle_layout([n["data"]["id"] for n in nodes], edges)
        for node in nodes:
            x, y = positions[node["data"]["id"]]
            node["position"] = {"x": x, "y": y}
    return {
        "nodes": nodes,
        "edges": edges,
        "total_people": total,
        "shown_people": len(people),
        "note": note,
        "layout": layout,
        "then": then.isoformat(),
        "now": now.isoformat(),
        "origins": {value: str(label) for value, label in Origin.choices},
    }


def _person_id(node_id: str) -> int:
    return int(node_id[1:])


def circle_layout(node_ids: list[str], edges: list[dict]) -> dict[str, tuple[int, int]]:
    """A cheap layout for large graphs: each connected group as rings around its best
    connected node (breadth first), groups side by side, largest first; lone nodes in a
    grid below. Linear in nodes and links, so 2,000 nodes cost milliseconds."""
    import math

    neighbours: dict[str, list[str]] = {n: [] for n in node_ids}
    for edge in edges:
        a, b = edge["data"]["source"], edge["data"]["target"]
        if a in neighbours and b in neighbours:
            neighbours[a].append(b)
            neighbours[b].append(a)
    seen: set[str] = set()
    groups: list[list[list[str]]] = []  # group → rings → nodes
    lonely: list[str] = []
    for start in sorted(node_ids, key=lambda n: -len(neighbours[n])):
        if start in seen:
            continue
        seen.add(start)
        if not neighbours[start]:
            lonely.append(start)
            continue
        rings = [[start]]
        while True:
            ring = []
            for node in rings[-1]:
                for other in neighbours[node]:
                    if other not in seen:
                        seen.add(other)
                        ring.append(other)
            if not ring:
                break
            rings.append(ring)
        groups.append(rings)
    positions: dict[str, tuple[int, int]] = {}
    spacing = 40
    x_cursor, y_top, row_height, row_width = 0, 0, 0, 2400
    for rings in groups:
        radii = [0]
        for ring in rings[1:]:
            radii.append(max(radii[-1] + spacing * 2, int(len(ring) * spacing / (2 * math.pi))))
        radius = radii[-1] + spacing
        if x_cursor + 2 * radius > row_width and x_cursor > 0:
            x_cursor, y_top, row_height = 0, y_top + row_height + spacing, 0
        cx, cy = x_cursor + radius, y_top + radius
        for ring, r in zip(rings, radii, strict=True):
            for index, node in enumerate(ring):
                angle = 2 * math.pi * index / len(ring)
                positions[node] = (int(cx + r * math.cos(angle)), int(cy + r * math.sin(angle)))
        x_cursor += 2 * radius + spacing
        row_height = max(row_height, 2 * radius)
    y_top += row_height + spacing * 2
    per_row = max(1, row_width // spacing)
    for index, node in enumerate(lonely):
        positions[node] = ((index % per_row) * spacing, y_top + (index // per_row) * spacing)
    return positions


# ------------------------------------------------------------------------------ choices


def filter_choices(neighbourhood: Neighbourhood, membership: Membership | None) -> dict:
    """Streets, initiatives and tags a viewer may filter on (nothing they may not see)."""
    streets = (
        visible_people(neighbourhood, membership)
        .filter(field_q(membership, "street"))
        .exclude(street="")
        .order_by("street")
        .values_list("street", flat=True)
        .distinct()
    )
    seen: dict[str, str] = {}
    for name in streets:
        seen.setdefault(name.casefold(), name)
    return {
        "streets": sorted(seen.values(), key=str.casefold),
        "initiatives": list(
            Initiative.objects.in_neighbourhood(neighbourhood).values_list("pk", "name")
        ),
        "tags": list(Tag.objects.in_neighbourhood(neighbourhood).values_list("pk", "name")),
        "origins": Origin.choices,
    }

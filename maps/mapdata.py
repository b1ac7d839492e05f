"""What the map shows a viewer: places, organisations at their usual place, people per street.

People are never shown at a house. They are counted per street, and the street's marker
stands at the middle of the known places on that street; a street with no known place is
listed but not drawn. Only people whom the viewer may see, and whose street the viewer may
see (``residents.disclosure``), are counted. The same items feed the map (GeoJSON) and the
list beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Exists, OuterRef
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from neighbourhoods import freshness
from neighbourhoods.http import row_url
from neighbourhoods.models import Membership
from organisations.models import Organisation, OrganisationKind
from places.models import Place, PlaceKind
from residents import disclosure as visibility
from residents.models import Gift, GiftKind, Person, normalise

PLACES = "places"
ORGANISATIONS = "organisations"
PEOPLE = "people"
LAYERS = (
    (PLACES, gettext_lazy("Places")),
    (ORGANISATIONS, gettext_lazy("Organisations")),
    (PEOPLE, gettext_lazy("People per street")),
)


@dataclass
class MapItem:
    layer: str
    key: str
    name: str
    kind: str
    kind_label: str
    url: str
    lat: float | None
    lon: float | None
    detail: str = ""
    count: int | None = None

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None

    def feature(self) -> dict:
        properties: dict[str, Any] = {
            "layer": self.layer,
            "id": self.key,
            "name": self.name,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "url": self.url,
            "detail": self.detail,
        }
        if self.count is not None:
            properties["count"] = self.count
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": properties,
        }


class MapFilter(forms.Form):
    """Layers and filters; values that are not choices are ignored, never an error."""

    layer = forms.MultipleChoiceField(
        label=gettext_lazy("Show"),
        choices=LAYERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    place_kind = forms.ChoiceField(label=gettext_lazy("Kind of place"), required=False)
    organisation_kind = forms.ChoiceField(
        label=gettext_lazy("Kind of organisation"), required=False
    )
    gift_kind = forms.ChoiceField(label=gettext_lazy("People with gifts of"), required=False)
    tag = forms.ChoiceField(
        label=gettext_lazy("People with a gift tagged"),
        required=False,
    )
    filtered = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, tags: list[tuple[str, str]]) -> None:
        """``tags``: ``(normalised, name)`` of those the viewer may filter on."""
        super().__init__(data)
        anything = [("", _("any"))]
        choices: dict[str, list[tuple[str, Any]]] = {
            "place_kind": anything + list(PlaceKind.choices),
            "organisation_kind": anything + list(OrganisationKind.choices),
            "gift_kind": anything + list(GiftKind.choices),
            "tag": anything + tags,
        }
        for name, field_choices in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = field_choices
        if not self.is_bound or not self.data.get("filtered"):
            self.initial["layer"] = [value for value, _label in LAYERS]
        self.initial["filtered"] = "1"

    def value(self, name: str):
        if not self.is_bound:
            return self.initial.get(name, "")
        try:
            return self.fields[name].clean(
                # bound to request.GET, a QueryDict (Form.data is typed as a Mapping)
                cast(QueryDict, self.data).getlist(name)
                if name == "layer"
                else self.data.get(name, "")
            )
        except forms.ValidationError:
            return [] if name == "layer" else ""

    def layers(self) -> set[str]:
        if not self.is_bound or not self.data.get("filtered"):
            return {value for value, _label in LAYERS}
        return set(self.value("layer"))


def _address(street: str, number: str) -> str:
    return f"{street} {number}".strip()


def _kept(membership: Membership, layer: str, kind: str, items) -> list[MapItem]:
    """``items(neighbourhood, kind)``: the same for every viewer, kept until the data
    changes (and per slug: their links name it)."""
    neighbourhood = membership.neighbourhood
    name = f"map:{layer}:{neighbourhood.slug}:{kind}"
    return freshness.kept(neighbourhood, None, name, lambda: items(neighbourhood, kind))


def place_items(membership: Membership, kind: str = "") -> list[MapItem]:
    return _kept(membership, PLACES, kind, _place_items)


def _place_items(neighbourhood, kind: str) -> list[MapItem]:
    slug = neighbourhood.slug
    rows = Place.objects.in_neighbourhood(neighbourhood).order_by("name", "pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [
        MapItem(
            layer=PLACES,
            key=f"place-{p.pk}",
            name=p.name,
            kind=p.kind,
            kind_label=str(p.get_kind_display()),
            url=row_url("places:detail", slug, p.pk),
            lat=p.latitude,
            lon=p.longitude,
            detail=_address(p.street, p.house_number),
        )
        for p in rows.only("pk", "name", "kind", "street", "house_number", "latitude", "longitude")
    ]


def organisation_items(membership: Membership, kind: str = "") -> list[MapItem]:
    return _kept(membership, ORGANISATIONS, kind, _organisation_items)


def _organisation_items(neighbourhood, kind: str) -> list[MapItem]:
    slug = neighbourhood.slug
    rows = (
        Organisation.objects.in_neighbourhood(neighbourhood)
        .select_related("usual_place")
        .order_by("name", "pk")
    )
    if kind:
        rows = rows.filter(kind=kind)
    meets_at = _("meets at %(place)s")
    items = []
    for o in rows:
        place = o.usual_place
        items.append(
            MapItem(
                layer=ORGANISATIONS,
                key=f"organisation-{o.pk}",
                name=o.name,
                kind=o.kind,
                kind_label=str(o.get_kind_display()),
                url=row_url("organisations:detail", slug, o.pk),
                lat=place.latitude if place else None,
                lon=place.longitude if place else None,
                detail=meets_at % {"place": place.name} if place else "",
            )
        )
    return items


def street_points(membership: Membership) -> dict[str, tuple[float, float]]:
    """Normalised street → the middle of the places with coordinates on that street."""
    sums: dict[str, list[float]] = {}
    rows = (
        Place.objects.in_neighbourhood(membership.neighbourhood)
        .exclude(street="")
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("street", "latitude", "longitude")
    )
    for street, lat, lon in rows:
        assert lat is not None and lon is not None  # filtered on not null above
        entry = sums.setdefault(normalise(street), [0.0, 0.0, 0])
        entry[0] += lat
        entry[1] += lon
        entry[2] += 1
    return {street: (s[0] / s[2], s[1] / s[2]) for street, s in sums.items()}


def people_items(membership: Membership, gift_kind: str = "", tag: str = "") -> list[MapItem]:
    """One item per street: how many people the viewer may see live there. Without a filter
    (the map as it opens) kept until the data changes: a count over every person."""
    if gift_kind or tag:
        return _people_items(membership, gift_kind, tag)
    return freshness.kept(
        membership.neighbourhood, membership, "map:people", lambda: _people_items(membership)
    )


def _people_items(membership: Membership, gift_kind: str = "", tag: str = "") -> list[MapItem]:
    people = (
        Person.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .filter(visibility.field_q(membership, "street"))
        .exclude(street="")
    )
    if gift_kind or tag:
        gifts = Gift.objects.visible_to(membership).filter(person=OuterRef("pk"))
        if gift_kind:
            gifts = gifts.filter(kind=gift_kind)
        if tag:
            gifts = gifts.filter(tags__normalised=tag)
        people = people.filter(Exists(gifts))
    counts = people.values("street").annotate(n=Count("pk")).order_by()
    streets: dict[str, dict] = {}
    for row in counts:
        key = normalise(row["street"])
        entry = streets.setdefault(key, {"count": 0, "spellings": {}})
        entry["count"] += row["n"]
        entry["spellings"][row["street"]] = entry["spellings"].get(row["street"], 0) + row["n"]
    points = street_points(membership)
    people_url = reverse("residents:people", args=[membership.neighbourhood.slug])
    items = []
    for key, entry in streets.items():
        street = max(entry["spellings"], key=lambda s: entry["spellings"][s])
        point = points.get(key)
        count = entry["count"]
        items.append(
            MapItem(
                layer=PEOPLE,
                key=f"street-{key}",
                name=street,
                kind="street",
                kind_label=ngettext("%(count)s person", "%(count)s people", count)
                % {"count": count},
                url=f"{people_url}?{urlencode({'street': street})}",
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                count=count,
            )
        )
    items.sort(key=lambda item: normalise(item.name))
    return items


def map_items(membership: Membership, filters: MapFilter) -> dict[str, list[MapItem]]:
    layers = filters.layers()
    result: dict[str, list[MapItem]] = {}
    if PLACES in layers:
        result[PLACES] = place_items(membership, filters.value("place_kind"))
    if ORGANISATIONS in layers:
        result[ORGANISATIONS] = organisation_items(membership, filters.value("organisation_kind"))
    if PEOPLE in layers:
        result[PEOPLE] = people_items(membership, filters.value("gift_kind"), filters.value("tag"))
    return result


def feature_collection(membership: Membership, items: dict[str, list[MapItem]]) -> dict:
    neighbourhood = membership.neighbourhood
    features = [item.feature() for group in items.values() for item in group if item.located]
    centre = None
    if neighbourhood.centre_lat is not None and neighbourhood.centre_lon is not None:
        centre = [neighbourhood.centre_lat, neighbourhood.centre_lon]
    return {
        "type": "FeatureCollection",
        "features": features,
        "boundary": neighbourhood.boundary or None,
        "centre": centre,
        "unlocated": sum(1 for group in items.values() for item in group if not item.located),
    }

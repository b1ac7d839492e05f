"""GeoJSON: places from points (OpenStreetMap exports or our own), and neighbourhood boundaries.

Boundaries come from CBS/PDOK "buurten" files (``buurtcode``/``buurtnaam``, or ``statcode``/
``statnaam`` in the generalised maps). The feature for a neighbourhood is the one with its
CBS code, else its name, else the only one, else the one the coordinator chooses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from neighbourhoods import geo
from neighbourhoods.models import Neighbourhood
from residents.models import normalise

from . import columns

CODE_KEYS = ("buurtcode", "statcode", "bu_code", "code", "cbs_code")
NAME_KEYS = ("buurtnaam", "statnaam", "bu_naam", "naam", "name")


def _prop(properties: dict, keys: tuple[str, ...]) -> str:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def features(value: dict) -> list[dict]:
    if value.get("type") == "Feature":
        return [value]
    return [f for f in value.get("features") or [] if isinstance(f, dict)]


def _geometry_type(feature: dict) -> str:
    geometry = feature.get("geometry")
    return geometry.get("type", "") if isinstance(geometry, dict) else ""


def looks_like_boundaries(value: dict) -> bool:
    found = features(value)
    polygons = [f for f in found if _geometry_type(f) in ("Polygon", "MultiPolygon")]
    return bool(polygons) and len(polygons) * 2 >= len(found)


# --- places ----------------------------------------------------------------------------


def _ring_centre(ring: list) -> tuple[float, float] | None:
    points = [p for p in ring if isinstance(p, list | tuple) and len(p) >= 2]
    if not points:
        return None
    return (
        sum(float(p[1]) for p in points) / len(points),
        sum(float(p[0]) for p in points) / len(points),
    )


def point_of(feature: dict) -> tuple[object, object] | None:
    """(lat, lon) of a point, or the middle of a polygon/line (OSM ways as areas)."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        return None
    kind = geometry.get("type")
    coordinates: Any = geometry.get("coordinates")  # any shape: bad ones end in the except
    try:
        if kind == "Point":
            return coordinates[1], coordinates[0]
        if kind == "MultiPoint":
            return coordinates[0][1], coordinates[0][0]
        if kind == "LineString":
            return _ring_centre(coordinates)
        if kind == "Polygon":
            return _ring_centre(coordinates[0])
        if kind == "MultiPolygon":
            return _ring_centre(coordinates[0][0])
    except (TypeError, IndexError, ValueError):
        return None
    return None


def _tag(properties: dict, *keys: str) -> str:
    for key in keys:
        for variant in (key, key.replace(":", "_")):
            value = properties.get(variant)
            if value not in (None, ""):
                return str(value)
    return ""


def _osm_id(feature: dict, properties: dict) -> str:
    if properties.get("external_id"):
        return str(properties["external_id"])
    osm_type, osm_id = properties.get("osm_type"), properties.get("osm_id")
    if osm_type and osm_id:
        return f"osm:{osm_type}/{osm_id}"
    if feature.get("id") not in (None, ""):
        return f"osm:{feature['id']}" if _looks_osm(properties) else str(feature["id"])
    return ""


def _looks_osm(properties: dict) -> bool:
    return any(_tag(properties, key) for key in columns.OSM_KEYS)


def place_rows(value: dict):
    """One row per named feature; unnamed ones (benches, bins) are counted in a notice."""
    from .importing import Row

    rows = []
    unnamed = 0
    for number, feature in enumerate(features(value), start=1):
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        name = _tag(properties, "name", "name:nl", "naam")
        if not name:
            unnamed += 1
            continue
        where = _("feature %(number)s") % {"number": number}
        point = point_of(feature)
        kind = properties.get("kind") or properties.get("soort")
        values = {
            "name": name,
            "kind": kind if kind else columns.osm_kind(properties),
            "street": _tag(properties, "street", "straat", "addr:street"),
            "house_number": _tag(properties, "house_number", "huisnummer", "addr:housenumber"),
            "postcode": _tag(properties, "postcode", "addr:postcode"),
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            "description": _tag(properties, "description", "omschrijving"),
            "external_id": _osm_id(feature, properties),
        }
        row = Row(where=where, number=number, values=values)
        if point is None:
            row.warnings.append(_("This feature has no point; the place gets no location."))
        rows.append(row)
    notices = []
    if unnamed:
        notices.append(
            _("%(count)s features without a name (such as benches and bins) are left out.")
            % {"count": unnamed}
        )
    if value.get("attribution") or value.get("license"):
        notices.append(
            _("Source: %(attribution)s")
            % {"attribution": value.get("attribution") or value.get("license")}
        )
    return rows, notices


# --- boundaries ------------------------------------------------------------------------


@dataclass
class Option:
    code: str
    name: str
    feature: dict

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}" if self.code else self.name


@dataclass
class BoundaryPlan:
    options: list[Option]
    chosen: Option | None
    reason: str = ""
    errors: list[str] = field(default_factory=list)


def _check_coordinates(feature: dict) -> str | None:
    for polygon in geo.polygons(feature):
        for ring in polygon:
            for position in ring:
                try:
                    lon, lat = float(position[0]), float(position[1])
                except (TypeError, ValueError, IndexError):
                    return _("The boundary has coordinates that are not numbers.")
                if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                    return _(
                        "The boundary's coordinates are not longitude/latitude (WGS 84); they look "
                        "like Dutch RD coordinates. Export the file in WGS 84 (EPSG:4326)."
                    )
    return None


def plan(value: dict, neighbourhood: Neighbourhood, code: str = "") -> BoundaryPlan:
    options = [
        Option(
            code=_prop(f.get("properties") or {}, CODE_KEYS),
            name=_prop(f.get("properties") or {}, NAME_KEYS),
            feature=f,
        )
        for f in features(value)
        if _geometry_type(f) in ("Polygon", "MultiPolygon")
    ]
    result = BoundaryPlan(options=options, chosen=None)
    if not options:
        result.errors.append(_("The file has no polygons, so it holds no boundary."))
        return result
    chosen = None
    if code:
        chosen = next((o for o in options if o.code == code), None)
        if chosen is None:
            result.errors.append(_("The file has no boundary with code %(code)s.") % {"code": code})
            return result
        result.reason = _("chosen")
    if chosen is None and neighbourhood.cbs_code:
        chosen = next((o for o in options if o.code == neighbourhood.cbs_code), None)
        if chosen:
            result.reason = _("its CBS code matches")
    if chosen is None:
        wanted = normalise(neighbourhood.name)
        chosen = next((o for o in options if normalise(o.name) == wanted), None)
        if chosen:
            result.reason = _("its name matches")
    if chosen is None and len(options) == 1:
        chosen = options[0]
        result.reason = _("it is the only one in the file")
    if chosen is None:
        result.errors.append(
            _(
                "The file has %(count)s boundaries and none has the code or name of %(name)s; "
                "choose one."
            )
            % {"count": len(options), "name": neighbourhood.name}
        )
        return result
    problem = _check_coordinates(chosen.feature)
    if problem:
        result.errors.append(problem)
    result.chosen = chosen
    return result


def centroid(feature: dict) -> tuple[float, float] | None:
    """(lat, lon) of the area-weighted centre of the largest outer ring."""
    best = None
    for polygon in geo.polygons(feature):
        ring = polygon[0]
        area = cx = cy = 0.0
        for a, b in itertools.pairwise(ring):
            x1, y1, x2, y2 = float(a[0]), float(a[1]), float(b[0]), float(b[1])
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cy / (3 * area), cx / (3 * area))
    if best is None:
        return None
    return best[1], best[2]


def apply(boundary: BoundaryPlan, neighbourhood: Neighbourhood) -> str:
    chosen = boundary.chosen
    if chosen is None:
        return ""
    properties = dict(chosen.feature.get("properties") or {})
    neighbourhood.boundary = {
        "type": "Feature",
        "properties": properties,
        "geometry": chosen.feature["geometry"],
    }
    if chosen.code:
        neighbourhood.cbs_code = chosen.code[: Neighbourhood._meta.get_field("cbs_code").max_length]
    centre = centroid(neighbourhood.boundary)
    if centre is not None:
        neighbourhood.centre_lat, neighbourhood.centre_lon = centre
    neighbourhood.save(update_fields=["boundary", "cbs_code", "centre_lat", "centre_lon"])
    return chosen.label

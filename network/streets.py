"""The neighbourhood's street list for coverage: typed in, or read from a file.

Two kinds of file: a CSV street list (a column ``street``/``straat``/``name``/``naam``/
``straatnaam``, or one street per line without a header; comma or semicolon; UTF-8 with or
without BOM), and an OpenStreetMap GeoJSON export. From OSM, a street is the ``name`` of a
way with a ``highway`` tag, or the ``addr:street`` of any feature (``addr_street`` as some
exports write it); with a boundary on the neighbourhood, only streets with a point inside it
count. Adding is idempotent: a street already on the list (ignoring case and accents) stays.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from neighbourhoods import geo
from neighbourhoods.fields import max_length_of
from neighbourhoods.models import Neighbourhood
from residents.models import normalise

from .models import Street

HEADERS = ("street", "straat", "straatnaam", "name", "naam", "openbareruimte")
MAX_STREETS = 5_000


@dataclass
class StreetFile:
    names: list[str] = field(default_factory=list)
    outside: int = 0  # OSM streets left out because none of their points lies in the boundary
    kind: str = "csv"


def _clean(name: str) -> str:
    return " ".join(str(name or "").split())


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    limit = max_length_of(Street, "name")
    for raw in names:
        name = _clean(raw)
        key = normalise(name)
        if not name or key in seen:
            continue
        if len(name) > limit:
            raise ValidationError(
                _("“%(name)s…” is too long for a street name.") % {"name": name[:40]}
            )
        seen.add(key)
        kept.append(name)
    if len(kept) > MAX_STREETS:
        raise ValidationError(
            _("The file has more than %(count)s streets; is it the right file?")
            % {"count": MAX_STREETS}
        )
    return kept


def read_csv(text: str) -> StreetFile:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError(_("The file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    header = [normalise(cell).replace(" ", "").replace("_", "") for cell in rows[0]]
    column = next((header.index(h) for h in HEADERS if h in header), None)
    if column is None:
        if len(rows[0]) > 1:
            raise ValidationError(
                _("Which column holds the streets? Name it “street” or “straat”.")
            )
        column, body = 0, rows  # one street per line, no header
    else:
        body = rows[1:]
    names = _unique([row[column] for row in body if len(row) > column])
    if not names:
        raise ValidationError(_("The file has no street names."))
    return StreetFile(names=names, kind="csv")


def _points(geometry) -> list[tuple[float, float]]:
    """Every (lat, lon) of a GeoJSON geometry, whatever its type."""
    found: list[tuple[float, float]] = []

    def walk(coords) -> None:
        if (
            isinstance(coords, list)
            and len(coords) >= 2
            and all(isinstance(c, int | float) for c in coords[:2])
        ):
            found.append((float(coords[1]), float(coords[0])))
        elif isinstance(coords, list):
            for item in coords:
                walk(item)

    if isinstance(geometry, dict):
        if geometry.get("type") == "GeometryCollection":
            for part in geometry.get("geometries") or []:
                found.extend(_points(part))
        else:
            walk(geometry.get("coordinates"))
    return found


def read_osm(data: dict, boundary: dict | None) -> StreetFile:
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ValidationError(_("This is not a GeoJSON FeatureCollection."))
    inside: list[str] = []
    outside: set[str] = set()
    for feature in features:
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            continue
        names = []
        if props.get("highway") and props.get("name"):
            names.append(_clean(props["name"]))
        for key in ("addr:street", "addr_street"):
            if props.get(key):
                names.append(_clean(props[key]))
        if not names:
            continue
        points = _points(feature.get("geometry"))
        within = boundary is None or any(geo.contains(boundary, lat, lon) for lat, lon in points)
        for name in names:
            if within:
                inside.append(name)
            else:
                outside.add(normalise(name))
    kept = _unique(inside)
    keys = {normalise(name) for name in kept}
    if not kept:
        raise ValidationError(
            _("No street of the file lies inside the neighbourhood's boundary.")
            if outside
            else _("The file has no streets (ways with a name and “highway”, or addresses).")
        )
    return StreetFile(names=kept, outside=len(outside - keys), kind="osm")


def read_file(content: bytes, neighbourhood: Neighbourhood) -> StreetFile:
    """A street list from an uploaded CSV or OSM GeoJSON file; ValidationError when unusable."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text; save it as UTF-8 CSV.")) from exc
    if "\x00" in text:
        raise ValidationError(_("The file is not a text file."))
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationError(_("The file looks like GeoJSON but cannot be read.")) from exc
        boundary = neighbourhood.boundary if list(geo.polygons(neighbourhood.boundary)) else None
        return read_osm(data, boundary)
    return read_csv(text)


def add_streets(neighbourhood: Neighbourhood, names: list[str]) -> int:
    """Add these streets to the list; returns how many were new."""
    added = 0
    for name in names:
        try:
            with transaction.atomic():
                Street.objects.create(neighbourhood=neighbourhood, name=name)
                added += 1
        except IntegrityError:
            continue
    return added

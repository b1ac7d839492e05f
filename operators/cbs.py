"""Loading CBS open data: buurt boundaries (GeoJSON, WGS 84) and key figures per buurt (CSV).

A boundary file (national or municipal, as CBS/PDOK publish it) gives one :class:`CbsArea`
per buurt, and one per wijk made of its buurten. The key figures (*Kerncijfers wijken en
buurten*, StatLine 85984NED) are matched on buurtcode; a wijk's figures are the sums of its
buurten. Loading the same files again changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from exchange.boundaries import _check_coordinates, centroid

from .models import CbsArea, Level

FIGURES_SOURCE = "CBS, Kerncijfers wijken en buurten (StatLine 85984NED), CC BY 4.0"
AGE_COLUMNS = {
    "0-15": "k_0Tot15Jaar_8",
    "15-25": "k_15Tot25Jaar_9",
    "25-45": "k_25Tot45Jaar_10",
    "45-65": "k_45Tot65Jaar_11",
    "65+": "k_65JaarOfOuder_12",
}


class CbsError(ValueError):
    pass


@dataclass
class Loaded:
    buurten: int = 0
    wijken: int = 0
    matched: int = 0
    unmatched: int = 0


def _prop(properties: dict, *keys: str) -> str:
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _number(value: str) -> int | None:
    value = (value or "").strip()
    if not value or value in {".", "-"}:
        return None
    try:
        return round(float(value))
    except ValueError:
        return None


@transaction.atomic
def load_boundaries(data: bytes | str) -> Loaded:
    """Buurten and their wijken from a CBS/PDOK buurten GeoJSON."""
    try:
        value = json.loads(data)
    except ValueError as error:
        raise CbsError(_("This is not a GeoJSON file.")) from error
    features = value.get("features") if isinstance(value, dict) else None
    if not isinstance(features, list):
        raise CbsError(_("This GeoJSON has no features."))
    loaded = Loaded()
    wijken: dict[str, dict] = defaultdict(lambda: {"polygons": [], "centres": []})
    for feature in features:
        properties = feature.get("properties") or {}
        code = _prop(properties, "buurtcode", "statcode", "bu_code")
        geometry = feature.get("geometry") or {}
        if not code.startswith("BU") or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        problem = _check_coordinates(feature)
        if problem:
            raise CbsError(problem)
        wijk_code = _prop(properties, "wijkcode", "wk_code") or "WK" + code[2:8]
        gemeente_code = _prop(properties, "gemeentecode", "gm_code") or "GM" + code[2:6]
        centre = centroid(feature)
        lat, lon = centre if centre else (None, None)
        CbsArea.objects.update_or_create(
            code=code,
            defaults={
                "level": Level.BUURT,
                "name": _prop(properties, "buurtnaam", "statnaam", "bu_naam") or code,
                "wijk_code": wijk_code,
                "wijk_name": _prop(properties, "wijknaam", "wk_naam"),
                "gemeente_code": gemeente_code,
                "gemeente_name": _prop(properties, "gemeentenaam", "gm_naam"),
                "boundary": {"type": "Feature", "properties": properties, "geometry": geometry},
                "centre_lat": lat,
                "centre_lon": lon,
            },
        )
        loaded.buurten += 1
        wijk = wijken[wijk_code]
        wijk |= {
            "name": _prop(properties, "wijknaam", "wk_naam") or wijk_code,
            "gemeente_code": gemeente_code,
            "gemeente_name": _prop(properties, "gemeentenaam", "gm_naam"),
        }
        coordinates = geometry["coordinates"]
        wijk["polygons"] += [coordinates] if geometry["type"] == "Polygon" else coordinates
        if centre:
            wijk["centres"].append(centre)
    for code, wijk in wijken.items():
        centres = wijk["centres"]
        CbsArea.objects.update_or_create(
            code=code,
            defaults={
                "level": Level.WIJK,
                "name": wijk["name"],
                "wijk_code": code,
                "wijk_name": wijk["name"],
                "gemeente_code": wijk["gemeente_code"],
                "gemeente_name": wijk["gemeente_name"],
                "boundary": {
                    "type": "Feature",
                    "properties": {"wijkcode": code, "wijknaam": wijk["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": wijk["polygons"]},
                },
                "centre_lat": sum(c[0] for c in centres) / len(centres) if centres else None,
                "centre_lon": sum(c[1] for c in centres) / len(centres) if centres else None,
            },
        )
        loaded.wijken += 1
    if not loaded.buurten:
        raise CbsError(_("The file has no CBS buurten (features with a BU code and a polygon)."))
    _sum_wijken()
    return loaded


@transaction.atomic
def load_figures(data: bytes | str, source: str = FIGURES_SOURCE) -> Loaded:
    """Inhabitants, households and age groups per buurt, matched on buurtcode."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if ";" in text[:500] else ",")
    loaded = Loaded()
    areas = {a.code: a for a in CbsArea.objects.filter(level=Level.BUURT)}
    for row in reader:
        code = (row.get("Codering_3") or row.get("WijkenEnBuurten") or "").strip()
        area = areas.get(code)
        if area is None:
            loaded.unmatched += 1
            continue
        area.inhabitants = _number(row.get("AantalInwoners_5", ""))
        area.households = _number(row.get("HuishoudensTotaal_29", ""))
        area.ages = {key: _number(row.get(column, "")) for key, column in AGE_COLUMNS.items()}
        area.figures_source = source
        area.save(update_fields=["inhabitants", "households", "ages", "figures_source"])
        loaded.matched += 1
    _sum_wijken()
    return loaded


def _sum_wijken() -> None:
    totals: dict[str, dict] = defaultdict(lambda: {"inhabitants": 0, "households": 0, "n": 0})
    for area in CbsArea.objects.filter(level=Level.BUURT, households__isnull=False).only(
        "wijk_code", "inhabitants", "households", "figures_source"
    ):
        total = totals[area.wijk_code]
        total["inhabitants"] += area.inhabitants or 0
        total["households"] += area.households or 0
        total["n"] += 1
        total["source"] = area.figures_source
    for wijk in CbsArea.objects.filter(level=Level.WIJK, code__in=list(totals)):
        total = totals[wijk.code]
        wijk.inhabitants = total["inhabitants"]
        wijk.households = total["households"]
        wijk.figures_source = total["source"]
        wijk.save(update_fields=["inhabitants", "households", "figures_source"])

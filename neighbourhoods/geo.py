"""Small geometry on GeoJSON boundaries, with no GIS dependency.

Coordinates in GeoJSON are ``[longitude, latitude]``; the functions here take
``(lat, lon)`` like the rest of the app. Accepts a Feature, a FeatureCollection, a Polygon or
a MultiPolygon (holes respected). Planar ray casting: fine at neighbourhood scale.
"""

from __future__ import annotations

from collections.abc import Iterator

Ring = list[list[float]]


def polygons(geojson: dict | None) -> Iterator[list[Ring]]:
    """Every polygon (outer ring first, then holes) in a GeoJSON object."""
    if not isinstance(geojson, dict):
        return
    kind = geojson.get("type")
    if kind == "FeatureCollection":
        for feature in geojson.get("features") or []:
            yield from polygons(feature)
    elif kind == "Feature":
        yield from polygons(geojson.get("geometry"))
    elif kind == "GeometryCollection":
        for geometry in geojson.get("geometries") or []:
            yield from polygons(geometry)
    elif kind == "Polygon":
        if geojson.get("coordinates"):
            yield geojson["coordinates"]
    elif kind == "MultiPolygon":
        for polygon in geojson.get("coordinates") or []:
            if polygon:
                yield polygon


def in_ring(lat: float, lon: float, ring: Ring) -> bool:
    """Ray casting: is the point inside this closed ring of [lon, lat] positions?"""
    inside = False
    count = len(ring)
    if count < 3:
        return False
    j = count - 1
    for i in range(count):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat):
            crossing = (xj - xi) * (lat - yi) / (yj - yi) + xi
            if lon < crossing:
                inside = not inside
        j = i
    return inside


def contains(geojson: dict | None, lat: float, lon: float) -> bool | None:
    """True/False whether the point lies in the boundary; None when there is no boundary."""
    found = False
    for polygon in polygons(geojson):
        found = True
        outer, holes = polygon[0], polygon[1:]
        if in_ring(lat, lon, outer) and not any(in_ring(lat, lon, hole) for hole in holes):
            return True
    return False if found else None


def bounds(geojson: dict | None) -> tuple[float, float, float, float] | None:
    """(south, west, north, east) of the boundary, or None."""
    lats: list[float] = []
    lons: list[float] = []
    for polygon in polygons(geojson):
        for position in polygon[0]:
            lons.append(position[0])
            lats.append(position[1])
    if not lats:
        return None
    return min(lats), min(lons), max(lats), max(lons)

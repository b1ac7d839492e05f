from neighbourhoods import geo
from neighbourhoods.demo import _boundaries

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[4.0, 52.0], [5.0, 52.0], [5.0, 53.0], [4.0, 53.0], [4.0, 52.0]],
        [[4.4, 52.4], [4.6, 52.4], [4.6, 52.6], [4.4, 52.6], [4.4, 52.4]],  # a hole
    ],
}


def test_point_in_polygon_with_hole():
    assert geo.contains(SQUARE, 52.2, 4.2) is True
    assert geo.contains(SQUARE, 52.5, 4.5) is False  # in the hole
    assert geo.contains(SQUARE, 51.9, 4.5) is False
    assert geo.contains(SQUARE, 52.5, 5.1) is False


def test_feature_collection_and_multipolygon():
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
            [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]],
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": multi, "properties": {}}],
    }
    assert geo.contains(collection, 10.5, 10.5) is True
    assert geo.contains(collection, 5, 5) is False
    assert geo.bounds(collection) == (0, 0, 11, 11)


def test_no_boundary_is_none():
    assert geo.contains(None, 52, 4) is None
    assert geo.contains({"type": "Point", "coordinates": [4, 52]}, 52, 4) is None
    assert geo.contains({"type": "Polygon", "coordinates": []}, 52, 4) is None
    assert geo.bounds(None) is None


def test_real_demo_boundary():
    populierenbuurt = _boundaries()["BU03620804"]
    assert geo.contains(populierenbuurt, 52.2945, 4.8475) is True  # middle
    assert geo.contains(populierenbuurt, 52.3700, 4.9000) is False  # Amsterdam centre

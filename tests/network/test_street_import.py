"""The street list from a file: a CSV street list, or an OpenStreetMap export inside the
neighbourhood's boundary."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.models import Street

from . import factories as f

OSM = Path(__file__).parent / "data" / "osm_nieuwegein_addresses.geojson"
# Around the Nieuwegein city centre: Passage, Groenling, Schakelstede and Stadsplein lie in it.
CENTRE = {
    "type": "Polygon",
    "coordinates": [
        [[5.074, 52.024], [5.086, 52.024], [5.086, 52.030], [5.074, 52.030], [5.074, 52.024]]
    ],
}


def _upload(client, side, name, content: bytes):
    url = reverse("network:street_import", args=[side.neighbourhood.slug])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _names(side):
    return sorted(
        Street.objects.filter(neighbourhood=side.neighbourhood).values_list("name", flat=True)
    )


def test_a_csv_street_list_with_a_header(world, client_for):
    f.street(world.a.neighbourhood, "Lindenlaan")
    client = client_for(world.a.coordinator)
    content = "\ufeffstraat;plaats\nLindenlaan;Amstelveen\nSportlaan;Amstelveen\nsportlaan;x\n Kastanjelaan ;y\n"
    response = _upload(client, world.a, "straten.csv", content.encode())
    assert response.status_code == 302
    assert _names(world.a) == ["Kastanjelaan", "Lindenlaan", "Sportlaan"]
    # importing the same file again changes nothing
    _upload(client, world.a, "straten.csv", content.encode())
    assert len(_names(world.a)) == 3


def test_a_csv_with_one_street_per_line(world, client_for):
    response = _upload(
        client_for(world.a.coordinator), world.a, "s.csv", b"Lindenlaan\nSportlaan\n"
    )
    assert response.status_code == 302
    assert _names(world.a) == ["Lindenlaan", "Sportlaan"]


def test_a_bad_file_is_refused_with_a_message(world, client_for):
    client = client_for(world.a.coordinator)
    for content, words in (
        (b"huisnummer,plaats\n12,Amstelveen\n", "Which column holds the streets?"),
        (b"", "empty"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b'{"type": "FeatureCollection"', "cannot be read"),
        (b'{"type": "FeatureCollection", "features": []}', "has no streets"),
        (b"<!doctype html><p>Lindenlaan</p>", "not a CSV"),
    ):
        response = _upload(client, world.a, "bad.csv", content)
        assert response.status_code == 422, content
        assert words in response.content.decode(), content
    assert not Street.objects.exists()
    photo = _upload(client, world.a, "photo.jpg", b"Lindenlaan\n")
    assert photo.status_code == 422 and "Choose a CSV file" in photo.content.decode()


def test_osm_streets_inside_the_boundary(world, client_for):
    nb = world.a.neighbourhood
    nb.boundary = CENTRE
    nb.save()
    client = client_for(world.a.coordinator)
    response = _upload(client, world.a, "osm.geojson", OSM.read_bytes())
    assert response.status_code == 302
    assert _names(world.a) == ["Groenling", "Passage", "Schakelstede", "Stadsplein"]
    page = client.get(response["Location"]).content.decode()
    assert "14 streets lie outside" in page


def test_osm_streets_without_a_boundary_are_all_taken(world, client_for):
    _upload(client_for(world.a.coordinator), world.a, "osm.geojson", OSM.read_bytes())
    assert len(_names(world.a)) == 18


def test_osm_ways_with_a_highway_tag_count_by_any_point(world, client_for):
    nb = world.a.neighbourhood
    nb.boundary = CENTRE
    nb.save()
    crossing = {
        "type": "Feature",
        "properties": {"highway": "residential", "name": "Langeweg"},
        "geometry": {"type": "LineString", "coordinates": [[5.0, 52.0], [5.08, 52.027]]},
    }
    outside = {
        "type": "Feature",
        "properties": {"highway": "residential", "name": "Verweg"},
        "geometry": {"type": "LineString", "coordinates": [[5.0, 52.0], [5.01, 52.01]]},
    }
    unnamed = {
        "type": "Feature",
        "properties": {"highway": "footway"},
        "geometry": crossing["geometry"],
    }
    import json

    data = json.dumps({"type": "FeatureCollection", "features": [crossing, outside, unnamed]})
    _upload(client_for(world.a.coordinator), world.a, "ways.geojson", data.encode())
    assert _names(world.a) == ["Langeweg"]


def test_only_coordinators_import_streets(world, client_for):
    response = _upload(client_for(world.a.builder), world.a, "s.csv", b"Lindenlaan\n")
    assert response.status_code == 403
    assert not Street.objects.exists()

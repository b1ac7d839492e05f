"""Download buttons for coordinators."""

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from .factories import make_person, make_place


def test_export_page_lists_every_download(world, client_for):
    html = client_for(world.a.coordinator).get(reverse("exchange:export", args=[world.a.slug]))
    text = html.content.decode()
    for fmt in (
        "csv/?what=people",
        "xlsx/?what=places",
        "geojson/",
        "hsds/",
        "hsds-json/",
        "kumu/",
    ):
        assert f"/export/{fmt}" in text


def test_downloads_are_attachments(world, client_for):
    make_place(world.a.neighbourhood, "Buurthuis", latitude=52.3, longitude=4.86)
    make_person(world.a.neighbourhood, "Ans", "Laan")
    client = client_for(world.a.coordinator)
    response = client.get(reverse("exchange:export_download", args=[world.a.slug, "geojson"]))
    assert response["Content-Disposition"].startswith('attachment; filename="populierenbuurt-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(b"".join(response.streaming_content))
    assert data["features"][0]["properties"]["name"] == "Buurthuis"
    url = reverse("exchange:export_download", args=[world.a.slug, "xlsx"])
    book = load_workbook(
        io.BytesIO(b"".join(client.get(url, {"what": "people"}).streaming_content))
    )
    assert [row[0] for row in book.active.iter_rows(values_only=True)] == ["name", "Ans"]


def test_bad_export_requests_get_a_message_not_an_error(world, client_for):
    client = client_for(world.a.coordinator)
    response = client.get(
        reverse("exchange:export_download", args=[world.a.slug, "csv"]), follow=True
    )
    assert "Choose what to export" in response.content.decode()
    assert (
        client.get(reverse("exchange:export_download", args=[world.a.slug, "pdf"])).status_code
        == 404
    )


def test_navigation_shows_import_and_export_to_coordinators_only(world, client_for):
    url = reverse("maps:map", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator).get(url).content.decode()
    builder = client_for(world.a.builder).get(url).content.decode()
    assert "/import/" in coordinator and "/export/" in coordinator
    assert '/map/" aria-current="page"' in builder
    assert "/import/" not in builder and "/export/" not in builder

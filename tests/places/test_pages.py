"""Places: browse as a resident, create/edit/delete as a builder, coordinates checked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from places.models import Place
from residents.models import Audience

from ..organisations.factories import make_organisation, make_plain_person
from .factories import make_photo, make_place

SQUARE = {
    "type": "Feature",
    "properties": {},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[4.84, 52.29], [4.85, 52.29], [4.85, 52.30], [4.84, 52.30], [4.84, 52.29]]
        ],
    },
}


def url(name, side, *args):
    return reverse(f"places:{name}", args=[side.slug, *args])


def data(**extra):
    values = {
        "name": "Buurthuis De Populier",
        "kind": "community_centre",
        "street": "Lindenlaan",
        "house_number": "3",
        "postcode": "1185 AB",
        "latitude": "52.2935",
        "longitude": "4.8478",
        "description": "Grote zaal en een keuken.",
        "managed_by_organisation": "",
        "managed_by_person": "",
        "availability": "ma–za 9:00–22:00",
        "accessibility": "Drempelvrij; keuken met oven.",
    }
    values.update(extra)
    return values


def test_builder_creates_edits_and_deletes(world, client_for):
    nb = world.a.neighbourhood
    organisation = make_organisation(nb, "Stichting Buurthuis")
    manager = make_plain_person(nb, "Beheerder Bea")
    client = client_for(world.a.builder)
    response = client.post(
        url("new", world.a),
        data(managed_by_organisation=organisation.pk, managed_by_person=manager.pk),
    )
    assert response.status_code == 302
    place = Place.objects.get()
    assert response["Location"] == url("detail", world.a, place.pk)
    assert (place.latitude, place.longitude) == (52.2935, 4.8478)
    assert place.managed_by_organisation == organisation
    assert place.managed_by_person == manager
    assert place.created_by == world.a.builder

    detail = client.get(url("detail", world.a, place.pk))
    assert "Stichting Buurthuis" in detail.text
    assert "Beheerder Bea" in detail.text
    assert "Drempelvrij; keuken met oven." in detail.text

    response = client.post(
        url("edit", world.a, place.pk), data(name="Het Buurthuis", latitude="52,2940")
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.name == "Het Buurthuis"
    assert place.latitude == 52.294  # a decimal comma is fine

    assert "Delete Het Buurthuis?" in client.get(url("delete", world.a, place.pk)).text
    response = client.post(url("delete", world.a, place.pk))
    assert response.status_code == 302
    assert not Place.objects.exists()


def test_form_has_the_location_picker_hook(world, client_for):
    nb = world.a.neighbourhood
    nb.centre_lat, nb.centre_lon = 52.2935, 4.8478
    nb.save()
    page = client_for(world.a.builder, language="nl").get(url("new", world.a))
    assert "data-location-picker" in page.text
    assert 'data-centre-lat="52.2935"' in page.text  # never a decimal comma here
    assert 'name="latitude"' in page.text and 'name="longitude"' in page.text


def test_shown_on_the_published_page_only_when_chosen(world, client_for):
    client = client_for(world.a.builder)
    form = client.get(url("new", world.a))
    assert 'name="public"' in form.text
    assert "show on the published page" in form.text.lower()
    client.post(url("new", world.a), data(name="Tuin van Mona"))
    place = Place.objects.get(name="Tuin van Mona")
    assert place.public is False  # off unless someone chooses it
    assert "on the published page" not in client.get(url("detail", world.a, place.pk)).text

    response = client.post(url("edit", world.a, place.pk), data(name="Buurthuis", public="on"))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.public is True
    for page in (url("detail", world.a, place.pk), url("list", world.a)):
        assert "on the published page" in client.get(page).text
    dutch = client_for(world.a.coordinator, language="nl").get(url("edit", world.a, place.pk))
    assert "tonen op de openbare pagina" in dutch.text.lower()

    client.post(url("edit", world.a, place.pk), data(name="Buurthuis"))  # unticked
    place.refresh_from_db()
    assert place.public is False


def test_resident_browses_but_cannot_change(world, client_for):
    place = make_place(world.a.neighbourhood, "Speeltuin")
    client = client_for(world.a.resident)
    assert "Speeltuin" in client.get(url("list", world.a)).text
    detail = client.get(url("detail", world.a, place.pk))
    assert detail.status_code == 200
    assert url("edit", world.a, place.pk) not in detail.text
    assert url("photo_add", world.a, place.pk) not in detail.text
    assert client.get(url("new", world.a)).status_code == 403
    assert client.post(url("new", world.a), data()).status_code == 403
    assert client.post(url("edit", world.a, place.pk), data()).status_code == 403
    assert client.post(url("delete", world.a, place.pk)).status_code == 403
    assert client.post(url("edit", world.a, place.pk), data(public="on")).status_code == 403
    assert Place.objects.filter(pk=place.pk, name="Speeltuin", public=False).exists()


def test_other_neighbourhood_gets_404(world, client_for):
    place = make_place(world.a.neighbourhood, "Alleen in A")
    for user in (world.b.builder, world.b.resident, world.stranger):
        assert client_for(user).get(url("detail", world.a, place.pk)).status_code == 404
    client = client_for(world.b.builder)
    assert client.get(url("detail", world.b, place.pk)).status_code == 404
    assert client.post(url("edit", world.b, place.pk), data()).status_code == 404
    assert client.post(url("delete", world.b, place.pk)).status_code == 404
    assert "Alleen in A" not in client.get(url("list", world.b)).text
    assert Place.objects.filter(pk=place.pk).exists()


def test_manager_name_follows_visibility(world, client_for):
    nb = world.a.neighbourhood
    hidden = make_plain_person(nb, "Verborgen Vera", shown=Audience.BUILDERS)
    place = make_place(nb, "Tuin", managed_by_person=hidden)
    resident_page = client_for(world.a.resident).get(url("detail", world.a, place.pk))
    assert "Verborgen Vera" not in resident_page.text
    assert "a resident who does not show their name" in resident_page.text
    assert (
        "Verborgen Vera" in client_for(world.a.builder).get(url("detail", world.a, place.pk)).text
    )


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("123", "4.8", "Latitude is a number between -90 and 90, for example 52.2935."),
        ("52.3", "-200", "Longitude is a number between -180 and 180, for example 4.8478."),
        ("noord", "4.8", "Latitude is a number between -90 and 90, for example 52.2935."),
        ("nan", "4.8", "Latitude is a number between -90 and 90, for example 52.2935."),
        ("52.3", "inf", "Longitude is a number between -180 and 180, for example 4.8478."),
        ("", "4.8", "Give the latitude too, or leave both empty."),
        ("52.3", "", "Give the longitude too, or leave both empty."),
    ],
)
def test_bad_coordinates_are_refused_with_a_message(
    world, client_for, latitude, longitude, message
):
    response = client_for(world.a.builder).post(
        url("new", world.a), data(latitude=latitude, longitude=longitude)
    )
    assert response.status_code == 422
    assert message in response.text
    assert f'value="{latitude}"' in response.text or not latitude  # input kept
    assert not Place.objects.exists()


def test_no_coordinates_is_fine(world, client_for):
    response = client_for(world.a.builder).post(
        url("new", world.a), data(latitude="", longitude="")
    )
    assert response.status_code == 302
    assert Place.objects.get().latitude is None


def test_outside_the_boundary_warns_but_saves(world, client_for):
    nb = world.a.neighbourhood
    nb.boundary = SQUARE
    nb.save()
    client = client_for(world.a.builder)
    response = client.post(
        url("new", world.a), data(latitude="52.37", longitude="4.89"), follow=True
    )
    assert response.status_code == 200
    assert Place.objects.get().latitude == 52.37
    assert "outside the boundary of Populierenbuurt" in response.text

    inside = client.post(
        url("new", world.a), data(latitude="52.295", longitude="4.845"), follow=True
    )
    assert "outside the boundary" not in inside.text

    # the live check shows the same warning while typing, without saving
    live = client.post(
        url("new", world.a),
        data(name="Nog niet", latitude="52.37", longitude="4.89", _validate="1"),
        headers={"HX-Request": "true"},
    )
    assert live.status_code == 200
    assert 'id="coordinates-feedback"' in live.text
    assert "outside the boundary" in live.text
    assert not Place.objects.filter(name="Nog niet").exists()


def test_managers_from_another_neighbourhood_are_refused(world, client_for):
    organisation = make_organisation(world.b.neighbourhood, "Club B")
    person = make_plain_person(world.b.neighbourhood, "Persoon B")
    response = client_for(world.a.builder).post(
        url("new", world.a),
        data(managed_by_organisation=organisation.pk, managed_by_person=person.pk),
    )
    assert response.status_code == 422
    assert "Choose an organisation of this neighbourhood from the list." in response.text
    assert "Choose a person of this neighbourhood from the list." in response.text
    assert "Club B" not in response.text and "Persoon B" not in response.text
    assert not Place.objects.exists()


def test_list_filters_sorting_pagination_and_htmx(world, client_for):
    nb = world.a.neighbourhood
    make_place(nb, "Eetcafé", kind="cafe", accessibility="Grote keuken")
    for n in range(30):
        make_place(nb, f"Park {n:02d}", kind="park")
    client = client_for(world.a.resident)
    cafes = client.get(url("list", world.a), {"kind": "cafe"})
    assert "Eetcafé" in cafes.text and "Park 01" not in cafes.text
    kitchens = client.get(url("list", world.a), {"q": "keuken"})
    assert "Eetcafé" in kitchens.text and "Park" not in kitchens.text
    newest = client.get(url("list", world.a), {"kind": "park", "sort": "-name"})
    assert "Park 29" in newest.text and "Park 00" not in newest.text
    assert "page=2" in newest.text and "kind=park" in newest.text
    partial = client.get(url("list", world.a), {"kind": "park"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="results">')
    assert "HX-Request" in partial["Vary"]
    assert client.get(url("list", world.a), {"kind": "moon", "page": "-1"}).status_code == 200


def test_dashboard_panel(world, client_for):
    make_place(world.a.neighbourhood, "Oude plek", latitude=52.29, longitude=4.85)
    make_place(world.a.neighbourhood, "Nieuwe plek")
    make_place(world.b.neighbourhood, "Plek in B")
    page = client_for(world.a.resident).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    panel = page.text[page.text.index('id="places-panel-heading"') :]
    assert "<dt>Places</dt><dd><a" in panel and ">2</a></dd>" in panel
    assert "<dt>On the map</dt><dd>1</dd>" in panel
    assert "Nieuwe plek" in page.text and "Plek in B" not in page.text


def test_empty_post_names_what_is_missing(world, client_for):
    response = client_for(world.a.builder).post(url("new", world.a), {})
    assert response.status_code == 422
    assert "Give the place a name." in response.text
    assert "Choose what kind of place this is." in response.text
    assert not Place.objects.exists()


def test_kept_list_shows_a_new_photo_at_once(world, client_for):
    """The list's rows are kept (``freshness.partial``): the same list again runs none of
    their queries, and a new photo shows at once."""
    place = make_place(world.a.neighbourhood, "Buurthuis De Populier")
    client = client_for(world.a.resident)
    list_url = url("list", world.a)
    with CaptureQueriesContext(connection) as first:
        assert "1 photo" not in client.get(list_url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "Buurthuis De Populier" in client.get(list_url).content.decode()
    assert len(again) < len(first)
    make_photo(place)
    after = client.get(list_url).content.decode()
    assert "1 photo" in after
    assert url("photo_thumbnail", world.a, place.pk, place.photos.get().pk) in after

"""The published page: off by default, no login, and nothing unpublished or personal."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from outcomes.models import PublicationSettings, Status
from places.models import Place
from residents.models import Audience

from ..residents.factories import make_person
from .factories import make_outcome, publish


def _url(side):
    return reverse("publication:page", args=[side.slug])


@pytest.fixture
def neighbourhood_with_markers(world):
    nb = world.a.neighbourhood
    manager = make_person(nb, "Mona Managermarker", shown=Audience.PUBLIC)
    Place.objects.create(
        neighbourhood=nb,
        name="Buurthuis De Populier",
        kind="community_centre",
        street="Populierstraat",
        managed_by_person=manager,
    )
    Organisation.objects.create(
        neighbourhood=nb,
        name="Repair Café Populier",
        kind="informal",
        contact="Carl Contactmarker",
        email="carl@contactmarker.example",
        phone="0611111111",
        website="https://repair.example.org",
    )
    shown = make_outcome(
        nb,
        "Titlemarker Jansen",
        story="Storymarker",
        publish=True,
        public_summary="Nine homes were insulated together.",
        quantity=9,
        unit="homes insulated",
        value="2700",
        domains=["energy", "housing"],
    )
    shown.for_whom_people.add(make_person(nb, "Pim Publicperson", shown=Audience.PUBLIC))
    make_outcome(nb, "Notpublished", public_summary="Unpublishedsummary", publish=False)
    make_outcome(nb, "Draftone", public_summary="Draftsummary", publish=True, status=Status.DRAFT)
    make_outcome(world.b.neighbourhood, "B", public_summary="Othersidesummary", publish=True)
    publish(world.b.neighbourhood, published=False)
    return nb


def test_off_by_default_for_everyone(world, client_for, neighbourhood_with_markers):
    assert not PublicationSettings.objects.filter(neighbourhood=world.a.neighbourhood).exists()
    for user in (None, world.a.coordinator, world.staff):
        assert client_for(user).get(_url(world.a)).status_code == 404


def test_unknown_neighbourhood_is_404(client_for, db):
    assert client_for(None).get("/n/nowhere/public/").status_code == 404


def test_published_page_shows_only_what_was_chosen(world, client_for, neighbourhood_with_markers):
    publish(world.a.neighbourhood, intro="Welcome to the Populierenbuurt.")
    response = client_for(None).get(_url(world.a))
    body = response.content.decode()
    assert response.status_code == 200
    for expected in (
        "Welcome to the Populierenbuurt.",
        "Buurthuis De Populier",
        "Repair Café Populier",
        "https://repair.example.org",
        "Nine homes were insulated together.",
        "9 homes insulated",
    ):
        assert expected in body, expected
    for marker in (
        "Managermarker",
        "Contactmarker",
        "0611111111",
        "Titlemarker",
        "Storymarker",
        "Publicperson",
        "Unpublishedsummary",
        "Draftsummary",
        "Othersidesummary",
    ):
        assert marker not in body, marker
    # the other neighbourhood did not publish
    assert client_for(None).get(_url(world.b)).status_code == 404


def test_sections_can_be_left_out(world, client_for, neighbourhood_with_markers):
    publish(world.a.neighbourhood, show_places=False, show_outcomes=False)
    body = client_for(None).get(_url(world.a)).content.decode()
    assert "Buurthuis De Populier" not in body
    assert "Nine homes" not in body
    assert "Repair Café Populier" in body


def test_only_get(world, client_for):
    publish(world.a.neighbourhood)
    assert client_for(None).post(_url(world.a)).status_code == 405


def test_coordinator_switches_it_on_and_off(world, client_for):
    url = reverse("outcomes:publication", args=[world.a.slug])
    client = client_for(world.a.coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"published": "on", "intro": "Hello", "show_places": "on"})
    assert response.status_code == 302
    assert client_for(None).get(_url(world.a)).status_code == 200
    client.post(url, {"intro": "Hello"})
    assert client_for(None).get(_url(world.a)).status_code == 404
    assert client_for(world.a.builder).post(url, {"published": "on"}).status_code == 403

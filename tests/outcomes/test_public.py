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
        public=True,
    )
    Organisation.objects.create(
        neighbourhood=nb,
        name="Repair Café Populier",
        kind="informal",
        contact="Carl Contactmarker",
        email="carl@contactmarker.example",
        phone="0611111111",
        website="https://repair.example.org",
        public=True,
    )
    # not chosen for the published page (the default): a resident's garden, an informal group
    Place.objects.create(
        neighbourhood=nb, name="Gardenmarker of Mona", kind="garden", street="Privatestreetmarker"
    )
    Organisation.objects.create(
        neighbourhood=nb,
        name="Groupmarker Whatsapp",
        kind="informal",
        description="Groupdescriptionmarker",
        website="https://groupmarker.example.org",
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
        "Gardenmarker",
        "Privatestreetmarker",
        "Groupmarker",
        "Groupdescriptionmarker",
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


def test_places_and_organisations_appear_only_when_chosen(world, client_for, db):
    nb = world.a.neighbourhood
    publish(nb)
    place = Place.objects.create(neighbourhood=nb, name="Tuin Plekmarker", kind="garden")
    organisation = Organisation.objects.create(
        neighbourhood=nb,
        name="Clubmarker",
        kind="informal",
        contact="Connie Contactmarker",
        email="connie@contactmarker.example",
        phone="0622222222",
    )
    # the same on the other side, marked public: it never shows on this neighbourhood's page
    Place.objects.create(
        neighbourhood=world.b.neighbourhood, name="Othersideplace", kind="park", public=True
    )
    Organisation.objects.create(
        neighbourhood=world.b.neighbourhood, name="Othersideorg", kind="business", public=True
    )
    client = client_for(None)
    body = client.get(_url(world.a)).content.decode()
    for marker in ("Plekmarker", "Clubmarker", "Othersideplace", "Othersideorg"):
        assert marker not in body, marker

    place.public = True
    place.save()
    organisation.public = True
    organisation.save()
    body = client.get(_url(world.a)).content.decode()
    assert "Tuin Plekmarker" in body
    assert "Clubmarker" in body
    for marker in ("Contactmarker", "connie@", "0622222222", "Othersideplace", "Othersideorg"):
        assert marker not in body, marker

    # chosen, but the neighbourhood left the section out
    publish(nb, show_places=False, show_organisations=False)
    body = client.get(_url(world.a)).content.decode()
    assert "Plekmarker" not in body
    assert "Clubmarker" not in body


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

"""Consent: every record kept; withdrawing takes effect at once on every resident-visible page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.exporting import person_rows
from maps.mapdata import people_items
from neighbourhoods.models import Membership, Role
from residents.consent import withdraw
from residents.models import Audience, ConsentHow, ConsentRecord
from tests.residents.editing import opened
from tests.residents.factories import make_gift, make_person, visibility

PHONE = "06 5555 1234"
STREET = "Wilgenhofpad"


@pytest.fixture
def piet(world):
    person = make_person(
        world.a.neighbourhood,
        "Piet Vermeulen",
        street=STREET,
        phone=PHONE,
        user=world.stranger,  # Piet claimed his profile
        visibility=visibility(Audience.RESIDENTS),
    )
    make_gift(person, "Gitaarles", tags=["muziek"])
    return person


@pytest.fixture
def kitchen_table(world, piet):
    return ConsentRecord.objects.create(
        person=piet,
        fields=["street", "phone"],
        audience=Audience.RESIDENTS,
        text="Mogen we je straat en telefoon aan buren laten zien?",
        text_version="2026-1",
        how=ConsentHow.KITCHEN_TABLE,
        given_at=timezone.now(),
        recorded_by=world.a.builder,
    )


def _resident_views(world, client):
    slug = world.a.slug
    person = client.get(reverse("residents:person", args=[slug, _piet_id(world)])).content
    people = client.get(reverse("residents:people", args=[slug])).content
    search = client.get(reverse("search:search", args=[slug]), {"q": STREET}).content
    return person.decode(), people.decode(), search.decode()


def _piet_id(world):
    return world.a.neighbourhood.person_set.get(name="Piet Vermeulen").pk


def test_consent_page_lists_every_record_with_how_and_who(world, piet, kitchen_table, client_for):
    page = client_for(world.stranger).get(reverse("me:consent", args=[world.a.slug])).content
    text = page.decode()
    assert "at the kitchen table, recorded by a builder" in text
    assert "builder_a" in text and "2026-1" in text
    assert "Mogen we je straat en telefoon aan buren laten zien?" in text


def test_withdrawn_consent_disappears_everywhere_in_the_same_request_cycle(
    world, piet, kitchen_table, client_for
):
    neighbour = client_for(world.a.resident)
    person, people, search = _resident_views(world, neighbour)
    assert PHONE in person and STREET in person
    assert STREET in people
    assert "Piet Vermeulen" in search
    member = Membership.objects.get(user=world.a.resident, neighbourhood=world.a.neighbourhood)
    assert any(r["phone"] == PHONE for r in person_rows(member))
    assert any(item.name == STREET for item in people_items(member))  # map: per street

    response = client_for(world.stranger).post(
        reverse("me:consent", args=[world.a.slug]), {"withdraw": kitchen_table.pk}
    )
    assert response.status_code == 302

    person, people, search = _resident_views(world, neighbour)
    assert PHONE not in person and STREET not in person
    assert "Piet Vermeulen" in person  # the name was not part of this consent
    assert STREET not in people
    assert "Piet Vermeulen" not in search  # a hidden street is not searchable
    rows = [r for r in person_rows(member) if r["name"] == "Piet Vermeulen"]
    assert rows and rows[0]["phone"] == "" and rows[0]["street"] == ""
    assert not any(item.name == STREET for item in people_items(member))

    kitchen_table.refresh_from_db()
    assert kitchen_table.withdrawn_at is not None
    piet.refresh_from_db()
    assert piet.visibility["phone"] == piet.visibility["street"] == "builders"
    assert piet.visibility["name"] == "residents"
    # builders still see what is recorded
    builder = client_for(world.a.builder)
    page = builder.get(reverse("residents:person", args=[world.a.slug, piet.pk])).content
    assert PHONE.encode() in page


def test_withdrawing_twice_changes_nothing(world, piet, kitchen_table):
    first = withdraw(kitchen_table)
    again = withdraw(kitchen_table)
    assert again.withdrawn_at == first.withdrawn_at


def test_withdraw_without_choosing_is_a_clear_message(world, piet, client_for):
    client = client_for(world.stranger)
    response = client.post(reverse("me:consent", args=[world.a.slug]), {}, follow=True)
    assert b"Choose the consent to withdraw." in response.content


def test_claim_records_consent_online(world, client_for):
    from me.models import Invite, InviteKind

    person = make_person(world.a.neighbourhood, "Fatma Yilmaz")
    _invite, token = Invite.make(person, InviteKind.LINK, world.a.builder)
    client = client_for(None)
    client.get(reverse("claim:link", args=[token]))
    client.post(
        reverse("claim:confirm"),
        {
            "username": "fatma",
            "password1": "lindeboom-77-zomer",
            "password2": "lindeboom-77-zomer",
            "confirm": "on",
        },
    )
    records = person.consents.filter(how=ConsentHow.ONLINE)
    assert records.count() == 1
    record = records.get()
    assert record.audience == Audience.BUILDERS and "name" in record.fields
    assert record.recorded_by.username == "fatma"
    assert Membership.objects.get(user__username="fatma").role == Role.RESIDENT


def test_withdrawn_consent_is_not_undone_by_a_builders_stale_form(
    world, piet, kitchen_table, client_for
):
    builder = client_for(world.a.builder)
    edit = reverse("residents:person_edit", args=[world.a.slug, piet.pk])
    stale = {**opened(builder.get(edit)), "languages": "Nederlands, Pools"}
    assert stale["visible_phone"] == "residents"
    # Piet withdraws while the builder's form is open
    client_for(world.stranger).post(
        reverse("me:consent", args=[world.a.slug]), {"withdraw": kitchen_table.pk}
    )

    response = builder.post(edit, stale)

    assert response.status_code == 409
    piet.refresh_from_db()
    assert piet.visibility["phone"] == "builders" and piet.visibility["street"] == "builders"
    conflicts = {c.field: c for c in response.context["form"].conflicts}
    assert set(conflicts) == {"visible_phone", "visible_street"}
    assert (conflicts["visible_phone"].theirs, conflicts["visible_phone"].yours) == (
        str(Audience.BUILDERS.label),
        str(Audience.RESIDENTS.label),
    )
    # Piet's choice comes into the form; saving it keeps the phone hidden, and what the
    # builder typed besides
    again = opened(response)
    assert again["visible_phone"] == "builders" and again["languages"] == "Nederlands, Pools"
    assert builder.post(edit, again).status_code == 302
    piet.refresh_from_db()
    kitchen_table.refresh_from_db()
    assert piet.visibility["phone"] == "builders" and kitchen_table.withdrawn_at is not None
    assert piet.languages == "Nederlands, Pools"
    person_page = client_for(world.a.resident).get(
        reverse("residents:person", args=[world.a.slug, piet.pk])
    )
    assert PHONE not in person_page.content.decode()
    # and putting the phone back for residents by hand is refused: Piet decides
    wider = {**opened(builder.get(edit)), "visible_phone": "residents"}
    assert builder.post(edit, wider).status_code == 422
    piet.refresh_from_db()
    assert piet.visibility["phone"] == "builders"

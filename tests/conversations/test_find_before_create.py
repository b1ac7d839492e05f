"""Find before you create: starting a conversation (and adding a person) finds who is
already known, accent-, case- and typo-tolerant and street-aware, and asks before making a
duplicate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversations.models import Conversation
from neighbourhoods.models import Membership, Neighbourhood
from residents import matching
from residents.models import ConsentRecord, Person

from .factories import make_person

CONSENT = {
    "consent_given": "on",
    "consent_fields": ["name", "street", "conversations"],
    "consent_audience": "builders",
}


def _find(side, name, street=""):
    nb = Neighbourhood.objects.get(pk=side.neighbourhood.pk)
    viewer = Membership.objects.get(neighbourhood=nb, user=side.builder)
    found = matching.find(nb, viewer, name, street)
    names = dict(Person.objects.values_list("pk", "name"))
    return [names[m.person_pk] for m in found]


@pytest.mark.parametrize(
    ("typed", "street"),
    [
        ("Gerda", "Seringenlaan"),
        ("gerda", "seringenlaan"),  # case
        ("Gërda", "Séringenlaan"),  # accents typed
        ("Grda", "Seringenlaan"),  # a letter missing
        ("Gedra", "Seringenlan"),  # two letters swapped, a typo in the street
        ("Ger", ""),  # the start of the name
        ("Gerda", "Seringenlaan 14"),  # another house number on the same street
    ],
)
def test_likely_matches_are_tolerant(world, typed, street):
    make_person(world.a.neighbourhood, "Gerda de Vries", street="Seringenlaan", house_number="12")
    make_person(world.a.neighbourhood, "Kees", street="Seringenlaan")
    make_person(world.b.neighbourhood, "Gerda", street="Seringenlaan")  # another neighbourhood
    assert _find(world.a, typed, street)[0] == "Gerda de Vries"
    assert "Kees" not in _find(world.a, typed, street)


def test_accents_in_the_stored_name_and_street_first(world):
    make_person(world.a.neighbourhood, "Özlem Çelik", street="Lindenlaan")
    make_person(world.a.neighbourhood, "Ozlem", street="Kastanjelaan")
    assert _find(world.a, "ozlem celik") == ["Özlem Çelik"]
    # both fit the name; the one on the typed street comes first
    assert _find(world.a, "Ozlem", "Kastanjelaan 3") == ["Ozlem", "Özlem Çelik"]


def test_a_different_street_is_no_duplicate(world):
    make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan", house_number="12")
    nb = Neighbourhood.objects.get(pk=world.a.neighbourhood.pk)
    viewer = Membership.objects.get(neighbourhood=nb, user=world.a.builder)
    assert matching.likely_duplicates(nb, viewer, "Gerda", "Seringenlaan 40")
    assert not matching.likely_duplicates(nb, viewer, "Gerda", "Dorpsstraat")
    assert not matching.likely_duplicates(nb, viewer, "Truus", "Seringenlaan")


def test_the_index_follows_changes(world):
    assert _find(world.a, "Gerda") == []
    make_person(world.a.neighbourhood, "Gerda")
    assert _find(world.a, "Gerda") == ["Gerda"]


def new_url(world, **query):
    url = reverse("conversations:new", args=[world.a.slug])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def test_typing_shows_matches_as_a_fragment(world, client_for):
    gerda = make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan", phone="0612")
    response = client_for(world.a.builder).get(
        new_url(world, first_name="grda", street="seringenlaan 3"),
        headers={"HX-Request": "true", "HX-Target": "matches"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="matches"')
    assert f'name="pick" value="{gerda.pk}"' in body
    assert "same street" in body
    assert "0612" not in body  # the list shows who, not their contact details


def test_match_query_count_does_not_grow(world, client_for):
    client = client_for(world.a.builder)
    for i in range(3):
        make_person(world.a.neighbourhood, f"Gerda {i}", street="Seringenlaan")
    url = new_url(world, first_name="Gerda", street="Seringenlaan")
    headers = {"HX-Request": "true", "HX-Target": "matches"}
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as small:
        client.get(url, headers=headers)
    for i in range(30):
        make_person(world.a.neighbourhood, f"Gerda {i + 3}", street="Seringenlaan")
    with CaptureQueriesContext(connection) as large:
        client.get(url, headers=headers)
    # the index and the street names (kept per data version) are read again once after it
    assert len(large) == len(small) + 2
    with CaptureQueriesContext(connection) as warm:
        client.get(url, headers=headers)
    assert len(warm) == len(small)


def test_without_javascript_look_up_shows_matches_and_keeps_what_was_typed(world, client_for):
    make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan")
    response = client_for(world.a.builder).post(
        new_url(world), {"first_name": "Gerda", "street": "Seringenlaan", "find": "1", **CONSENT}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Start with Gerda" in body
    assert 'value="Gerda"' in body
    assert Person.objects.count() == 1
    assert not Conversation.objects.exists()


def test_picking_a_known_person_starts_without_a_duplicate(world, client_for):
    gerda = make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan")
    ConsentRecord.objects.create(
        person=gerda,
        fields=["name"],
        audience="builders",
        text="t",
        text_version="1",
        how="kitchen_table",
        given_at="2026-01-01T10:00Z",
    )
    response = client_for(world.a.builder).post(
        new_url(world), {"first_name": "Gerda", "street": "Seringenlaan", "pick": gerda.pk}
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert conversation.person == gerda
    assert Person.objects.count() == 1


def test_picking_someone_without_consent_asks_for_it_first(world, client_for):
    gerda = make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan")
    client = client_for(world.a.builder)
    response = client.post(new_url(world), {"first_name": "Gerda", "pick": gerda.pk})
    assert response.status_code == 200
    assert "Read this out loud" in response.content.decode()
    assert not Conversation.objects.exists()
    # consent ticked together with the pick: started at once, consent on record
    response = client.post(new_url(world), {"pick": gerda.pk, **CONSENT})
    assert Conversation.objects.get().person == gerda
    assert ConsentRecord.objects.filter(person=gerda).count() == 1


def test_a_close_match_asks_did_you_mean_before_creating(world, client_for):
    make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan", house_number="12")
    client = client_for(world.a.builder)
    typed = {"first_name": "Gërda", "street": "Seringenlaan 14", **CONSENT}
    response = client.post(new_url(world), typed)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Did you mean" in body
    assert 'name="create_anyway"' in body
    assert 'value="Seringenlaan 14"' in body  # nothing typed is lost
    assert Person.objects.count() == 1
    response = client.post(new_url(world), {**typed, "create_anyway": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_someone_new_is_created_without_a_question(world, client_for):
    make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan")
    response = client_for(world.a.builder).post(
        new_url(world), {"first_name": "Truus", "street": "Seringenlaan", **CONSENT}
    )
    assert response.status_code == 302
    assert Person.objects.filter(name="Truus").exists()


# ------------------------------------------------------------------ adding a person


def test_adding_a_person_shows_matches_and_asks_before_a_duplicate(world, client_for):
    from tests.residents.test_forms import person_data

    gerda = make_person(world.a.neighbourhood, "Gerda", street="Seringenlaan", house_number="12")
    client = client_for(world.a.builder)
    url = reverse("residents:person_new", args=[world.a.slug])
    fragment = client.get(
        url + "?name=gerda&street=Seringenlaan+5",
        headers={"HX-Request": "true", "HX-Target": "matches"},
    )
    assert fragment.content.decode().lstrip().startswith('<div id="matches"')
    assert gerda.get_absolute_url() in fragment.content.decode()
    typed = person_data(name="Gerda", street="Seringenlaan", house_number="30")
    response = client.post(url, typed)
    assert response.status_code == 200
    assert "Did you mean" in response.content.decode()
    assert Person.objects.count() == 1
    response = client.post(url, {**typed, "create_anyway": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_hidden_fields_never_make_a_match(world):
    """Matching asks residents.disclosure: for a viewer who may not see a name or a street,
    that name or street neither matches nor shows (pages for builders see everything)."""
    nb = world.a.neighbourhood
    shown = {"name": "residents", "street": "builders"}
    make_person(nb, "Gerda", street="Seringenlaan", visibility=shown)
    make_person(nb, "Truus", street="Seringenlaan", visibility={"name": "builders"})
    fresh = Neighbourhood.objects.get(pk=nb.pk)
    resident = Membership.objects.get(neighbourhood=fresh, user=world.a.resident)
    assert matching.find(fresh, resident, "", "Seringenlaan") == []  # streets hidden
    assert [m.same_street for m in matching.find(fresh, resident, "Gerda", "Seringenlaan")] == [
        False
    ]
    assert matching.find(fresh, resident, "Truus") == []  # name hidden
    rows = matching.shown(fresh, resident, "Gerda", "")
    assert [getattr(p, "street", None) for _m, p in rows] == [None]

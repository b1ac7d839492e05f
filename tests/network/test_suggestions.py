"""Follow the energy: suggestions on a crafted neighbourhood, explained, and acted upon."""

import re

from django.test import Client
from django.urls import reverse

from conversations.models import Introduction
from neighbourhoods.models import Role
from network import suggestions as sug
from network.models import Dismissal, Origin
from residents.models import GiftKind
from tests.factories import make_member

from . import factories as f


def crafted(nb):
    """Ans would teach Dutch and loves the garden; Fatima wants to learn Dutch on the same
    street; Gerrit loves the garden elsewhere; Henk only shares the street; Ida cooks."""
    people = {
        "ans": f.person(nb, "Ans", street="Populierstraat"),
        "fatima": f.person(nb, "Fatima", street="Populierstraat"),
        "gerrit": f.person(nb, "Gerrit", street="Lindenlaan"),
        "henk": f.person(nb, "Henk", street="Populierstraat"),
        "ida": f.person(nb, "Ida", street="Lindenlaan"),
    }
    f.gift(people["ans"], "Nederlandse les", GiftKind.HEAD, tags=["taal"], share=True)
    f.gift(people["ans"], "Buurtmoestuin", GiftKind.HEART, tags=["tuin"])
    f.gift(people["fatima"], "Nederlandse les", GiftKind.HEAD, tags=["taal"], learn=True)
    f.gift(people["gerrit"], "buurtmoestuin ", GiftKind.HEART, tags=["tuin", "natuur"])
    f.gift(people["henk"], "Fietsen repareren", GiftKind.HANDS, tags=["fietsen"])
    f.gift(people["ida"], "Surinaams koken", GiftKind.HANDS, tags=["koken"], share=True)
    return people


def pairs(suggestions):
    return [(s.person.name, s.other.name) for s in suggestions]


def test_suggestions_for_a_person_ranked_and_explained(world):
    people = crafted(world.a.neighbourhood)
    result = sug.for_person(people["ans"], viewer=world.a.membership(world.a.builder))
    assert pairs(result) == [("Ans", "Fatima"), ("Ans", "Gerrit")]
    fatima, gerrit = result
    # teach↔learn on title (3) + tag (2) + same street (2)
    assert fatima.score == 7
    # one reason per match, each a sentence with its own subject
    assert fatima.reasons == [
        "Fatima wants to learn Nederlandse les; Ans likes to share it",
        "Both live in Populierstraat",
    ]
    # shared heart title (3, case and spaces ignored) + shared heart tag (1)
    assert gerrit.score == 4
    assert gerrit.reasons == ["Both care about Buurtmoestuin"]


def test_a_shared_tag_is_said_and_titles_stay_with_their_people(world):
    """Two different titles linked by a tag: never glued into one teach-sentence."""
    nb = world.a.neighbourhood
    fatma = f.person(nb, "Fatma", street="Lindenlaan")
    ayse = f.person(nb, "Ayşe", street="Eikenlaan")
    f.gift(fatma, "Wondverzorging", GiftKind.HANDS, tags=["zorg"], share=True)
    f.gift(ayse, "Haren knippen", GiftKind.HANDS, tags=["zorg"], learn=True)
    (match,) = sug.for_person(fatma, viewer=world.a.membership(world.a.builder))
    assert match.reasons == [
        "Ayşe wants to learn Haren knippen; Fatma shares Wondverzorging (both: zorg)"
    ]


def test_reasons_are_dutch_for_dutch_viewers(world):
    from django.utils import translation

    people = crafted(world.a.neighbourhood)
    with translation.override("nl"):
        fatima, gerrit = sug.for_person(people["ans"], viewer=world.a.membership(world.a.builder))
    assert fatima.reasons == [
        "Fatima wil Nederlandse les leren; Ans deelt dat graag",
        "Ze wonen allebei in Populierstraat",
    ]
    assert gerrit.reasons == ["Beiden geven om Buurtmoestuin"]


def test_same_street_alone_is_no_reason(world):
    people = crafted(world.a.neighbourhood)
    assert pairs(sug.for_person(people["henk"])) == []
    assert pairs(sug.for_person(people["ida"])) == []


def test_connected_dismissed_and_introduced_pairs_are_not_suggested(world):
    nb = world.a.neighbourhood
    people = crafted(nb)
    f.link(people["ans"], people["fatima"], origin=Origin.KNEW)
    assert pairs(sug.for_person(people["ans"])) == [("Ans", "Gerrit")]
    Dismissal.objects.create(
        neighbourhood=nb,
        person=min(people["ans"], people["gerrit"], key=lambda p: p.pk),
        other_person=max(people["ans"], people["gerrit"], key=lambda p: p.pk),
    )
    assert pairs(sug.for_person(people["ans"])) == []
    Introduction.objects.create(
        neighbourhood=nb, person=people["gerrit"], to_person=people["fatima"]
    )
    assert ("Gerrit", "Fatima") not in pairs(sug.for_person(people["gerrit"]))


def test_other_neighbourhoods_are_never_suggested(world):
    people = crafted(world.a.neighbourhood)
    elsewhere = f.person(world.b.neighbourhood, "Elders", street="Populierstraat")
    f.gift(elsewhere, "Nederlandse les", GiftKind.HEAD, tags=["taal"], learn=True)
    f.gift(elsewhere, "Buurtmoestuin", GiftKind.HEART)
    assert "Elders" not in {s.other.name for s in sug.for_person(people["ans"])}


def test_neighbourhood_suggestions_list_each_pair_once(world):
    crafted(world.a.neighbourhood)
    result = sug.for_neighbourhood(world.a.neighbourhood)
    keys = [s.key for s in result]
    assert len(keys) == len(set(keys))
    assert {frozenset(p) for p in pairs(result)} == {
        frozenset({"Ans", "Fatima"}),
        frozenset({"Ans", "Gerrit"}),
    }


def test_builder_turns_a_suggestion_into_an_introduction(world, client_for):
    people = crafted(world.a.neighbourhood)
    url = reverse("network:introduce", args=[world.a.slug])
    response = client_for(world.a.builder).post(
        url, {"person": people["ans"].pk, "other": people["fatima"].pk, "next": "/evil.example/"}
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get()
    assert (introduction.person, introduction.to_person) == (people["ans"], people["fatima"])
    assert introduction.is_open and introduction.conversation is None
    assert "Nederlandse les" in introduction.reason
    assert introduction.proposed_by == world.a.builder
    # Proposed once: no longer suggested.
    assert ("Ans", "Fatima") not in pairs(sug.for_person(people["ans"]))


def test_builder_dismisses_a_suggestion_for_good(world, client_for):
    people = crafted(world.a.neighbourhood)
    url = reverse("network:dismiss", args=[world.a.slug])
    client = client_for(world.a.builder)
    for _ in range(2):  # twice: still one dismissal
        response = client.post(url, {"person": people["gerrit"].pk, "other": people["ans"].pk})
        assert response.status_code == 302
    assert Dismissal.objects.count() == 1
    assert pairs(sug.for_person(people["ans"])) == [("Ans", "Fatima")]


def test_bad_suggestion_posts(world, client_for):
    people = crafted(world.a.neighbourhood)
    elsewhere = f.person(world.b.neighbourhood, "Elders")
    client = client_for(world.a.builder)
    for name in ("network:introduce", "network:dismiss"):
        url = reverse(name, args=[world.a.slug])
        cases = [
            ({}, "This suggestion is incomplete"),
            (
                {"person": people["ans"].pk, "other": people["ans"].pk},
                "cannot be connected to themselves",
            ),
            (
                {"person": people["ans"].pk, "other": elsewhere.pk},
                "Only people of this neighbourhood",
            ),
        ]
        for data, message in cases:
            response = client.post(url, data)
            assert response.status_code == 422
            assert message in response.content.decode()
    assert not Introduction.objects.exists() and not Dismissal.objects.exists()


def test_suggestions_show_on_dashboard_and_person_page_for_builders_only(world, client_for):
    people = crafted(world.a.neighbourhood)
    dashboard = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    person = reverse("residents:person", args=[world.a.slug, people["ans"].pk])
    builder = client_for(world.a.builder)
    assert "wants to learn Nederlandse les; Ans likes" in builder.get(dashboard).content.decode()
    assert "Who could Ans meet?" in builder.get(person).content.decode()
    resident = client_for(world.a.resident)
    assert "Follow the energy" not in resident.get(dashboard).content.decode()
    page = resident.get(person).content.decode()
    assert "Who could Ans meet?" not in page and "wants to learn Nederlandse" not in page
    assert resident.get(reverse("network:suggestions", args=[world.a.slug])).status_code == 403


def test_common_tags_do_not_count(world, monkeypatch):
    nb = world.a.neighbourhood
    a, b = f.person(nb, "A", street="X"), f.person(nb, "B", street="Y")
    f.gift(a, "Voetbal", GiftKind.HEART, tags=["sport"])
    f.gift(b, "Hardlopen", GiftKind.HEART, tags=["sport"])
    assert pairs(sug.for_person(a)) == [("A", "B")]
    monkeypatch.setattr(sug, "COMMON_TAG", 1)  # "sport" is now on too many gifts
    assert pairs(sug.for_person(a)) == []


def test_dashboard_suggestions_follow_dismissals(world, client_for):
    people = crafted(world.a.neighbourhood)
    before = pairs(sug.for_neighbourhood(world.a.neighbourhood))
    assert ("Ans", "Fatima") in before or ("Fatima", "Ans") in before
    client_for(world.a.builder).post(
        reverse("network:dismiss", args=[world.a.slug]),
        {"person": people["ans"].pk, "other": people["fatima"].pk},
    )
    after = {frozenset(p) for p in pairs(sug.for_neighbourhood(world.a.neighbourhood))}
    assert frozenset({"Ans", "Fatima"}) not in after


def test_kept_energy_panel_gives_each_builder_a_token_of_their_own(world):
    """The panel's HTML is kept with a mark for its forms' CSRF token: each answer, from the
    cache too, carries a token that this builder's own post is accepted with."""
    crafted(world.a.neighbourhood)
    dashboard = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    second_builder = make_member(world.a.neighbourhood, Role.BUILDER, "builder_a2")
    posts = []
    for user in (world.a.builder, second_builder):  # the first fills the cache
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        page = client.get(dashboard).content.decode()
        assert "\x00" not in page
        form = re.search(
            r'<form method="post" action="([^"]+/dismiss/)".*?name="csrfmiddlewaretoken" '
            r'value="([^"]+)".*?name="person" value="(\d+)".*?name="other" value="(\d+)"',
            page,
            re.S,
        )
        assert form, "no dismiss form on the dashboard"
        action, token, person, other = form.groups()
        posts.append(
            (client, action, {"csrfmiddlewaretoken": token, "person": person, "other": other})
        )
    for client, action, data in posts:  # (a dismissal changes the data: the cache moves on)
        assert client.post(action, data).status_code == 302
    assert Dismissal.objects.count() == 1  # the same pair, dismissed twice

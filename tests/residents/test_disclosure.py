"""The disclosure policy (residents.disclosure): names, ties both ways, memberships, choices."""

import json

import pytest
from django.urls import reverse

from network import graph
from network.initiatives import member_rows
from organisations.members import member_rows as organisation_members
from residents.disclosure import NEIGHBOUR, name_of, sees_tie, tag_q, tie_q
from residents.models import Audience, Tag
from tests.me.factories import make_claimed
from tests.network import factories as f
from tests.organisations.factories import make_member, make_organisation

RES, BLD = Audience.RESIDENTS, Audience.BUILDERS


def _person(nb, name, *, ties=RES, shown=RES):
    return f.person(nb, name, shown=shown, visibility={"ties": Audience(ties).value})


@pytest.fixture
def viewers(world):
    a = world.a
    return {
        "resident": a.membership(a.resident),
        "builder": a.membership(a.builder),
        "coordinator": a.membership(a.coordinator),
        "public": None,
    }


def test_name_of_says_a_neighbour_for_a_hidden_name(world, viewers):
    nb = world.a.neighbourhood
    hidden = _person(nb, "Verborgen Vera", shown=BLD)
    shown = _person(nb, "Open Olga")
    assert name_of(hidden, viewers["resident"]) == str(NEIGHBOUR)
    assert name_of(hidden, viewers["builder"]) == "Verborgen Vera"
    assert name_of(shown, viewers["resident"]) == "Open Olga"
    assert name_of(shown, viewers["public"]) == str(NEIGHBOUR)


@pytest.mark.parametrize(
    ("first", "second", "resident_sees"),
    [(RES, RES, True), (RES, BLD, False), (BLD, RES, False), (BLD, BLD, False)],
)
def test_a_tie_shows_to_residents_only_when_both_allow_it(
    world, viewers, first, second, resident_sees
):
    nb = world.a.neighbourhood
    a, b = _person(nb, "Ans", ties=first), _person(nb, "Bert", ties=second)
    tie = f.link(a, b)
    # both directions of the stored row give the same answer
    reverse_tie = f.link(_person(nb, "Cor", ties=second), _person(nb, "Dirk", ties=first))
    resident = viewers["resident"]
    for connection in (tie, reverse_tie):
        assert sees_tie(connection, resident) is resident_sees
        assert sees_tie(connection, viewers["builder"]) is True
        found = type(connection).objects.filter(pk=connection.pk).filter(tie_q(resident))
        assert found.exists() is resident_sees


def test_ties_hidden_by_either_person_stay_off_the_resident_graph_but_count(
    world, viewers, client_for
):
    nb = world.a.neighbourhood
    a, b, c = _person(nb, "Ans"), _person(nb, "Bert"), _person(nb, "Carla", ties=BLD)
    f.link(a, b)
    f.link(a, c)
    data = json.loads(
        client_for(world.a.resident).get(reverse("network:data", args=[world.a.slug])).content
    )
    ids = {(e["data"]["source"], e["data"]["target"]) for e in data["edges"]}
    assert ids == {(f"p{a.pk}", f"p{b.pk}")}
    # the figures still count both ties: a count names nobody
    figures = graph.network_figures(nb, viewers["resident"], graph.Filters())
    assert figures.connections == 2


def test_memberships_show_only_for_people_who_allow_it(world, viewers):
    nb = world.a.neighbourhood
    club = f.initiative(nb, "Koffieclub")
    open_, closed = _person(nb, "Open Olga"), _person(nb, "Dichte Dina", ties=BLD)
    f.member(club, open_)
    f.member(club, closed)
    rows = member_rows(club, viewers["resident"])
    assert [r.name for r in rows.shown] == ["Open Olga"] and rows.hidden_count == 1
    assert len(member_rows(club, viewers["builder"]).shown) == 2
    choir = make_organisation(nb, "Buurtkoor")
    make_member(choir, open_)
    make_member(choir, closed)
    members = organisation_members(choir, viewers["resident"])
    assert [r.name for r in members.shown] == ["Open Olga"] and members.hidden_count == 1


def test_tags_offered_are_only_those_on_gifts_the_viewer_may_see(world, viewers, client_for):
    nb = world.a.neighbourhood
    hidden = f.person(nb, "Verborgen", visibility={"gifts": BLD.value})
    shown = f.person(nb, "Zichtbaar")
    f.gift(hidden, "Geheime hobby", tags=["zeldzaamheid"])
    f.gift(shown, "Tuinieren", tags=["moestuin"])
    offered = set(
        Tag.objects.in_neighbourhood(nb)
        .filter(tag_q(viewers["resident"]))
        .values_list("name", flat=True)
    )
    assert offered == {"moestuin"}
    everything = Tag.objects.in_neighbourhood(nb).filter(tag_q(viewers["builder"]))
    assert {"moestuin", "zeldzaamheid"} <= set(everything.values_list("name", flat=True))
    client = client_for(world.a.resident)
    for name in ("network:network", "residents:people", "residents:gifts", "maps:map"):
        page = client.get(reverse(name, args=[world.a.slug])).content.decode()
        assert "zeldzaamheid" not in page, name
    builder_page = client_for(world.a.builder).get(reverse("network:network", args=[world.a.slug]))
    assert "zeldzaamheid" in builder_page.content.decode()


def test_a_resident_sees_no_connection_row_unless_both_allow(world, client_for):
    nb = world.a.neighbourhood
    a, b = _person(nb, "Ans Open"), _person(nb, "Bert Dicht", ties=BLD)
    f.link(a, b)
    url = reverse("network:person_connections", args=[world.a.slug, a.pk])
    assert "Bert Dicht" not in client_for(world.a.resident).get(url).content.decode()
    assert "Bert Dicht" in client_for(world.a.builder).get(url).content.decode()


def test_streets_offered_are_only_those_people_show(world, viewers, client_for):
    nb = world.a.neighbourhood
    f.person(nb, "Open", street="Zichtbaarstraat")
    f.person(nb, "Dicht", street="Geheimstraat", visibility={"street": BLD.value})
    client = client_for(world.a.resident)
    for name in ("network:network", "residents:people"):
        page = client.get(reverse(name, args=[world.a.slug])).content.decode()
        assert "Geheimstraat" not in page, name
        assert "Zichtbaarstraat" in page, name
    make_claimed(nb, world.a.resident, "Ans Eigen")
    details = client.get(reverse("me:details", args=[world.a.slug])).content.decode()
    assert '<datalist id="street-options">' in details
    assert "Zichtbaarstraat" in details and "Geheimstraat" not in details

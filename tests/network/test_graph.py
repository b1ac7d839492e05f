"""The graph data endpoint and the network page: filters, limits and what residents see."""

import datetime
import itertools
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network import graph
from network.models import Origin
from residents.models import Audience, GiftKind

from . import factories as f


def _data(client, side, **params):
    response = client.get(reverse("network:data", args=[side.slug]), params)
    assert response.status_code == 200
    return json.loads(response.content)


def test_graph_data_has_people_organisations_initiatives_and_links(world, client_for):
    nb = world.a.neighbourhood
    from organisations.models import Organisation

    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    club = Organisation.objects.create(neighbourhood=nb, name="Buurtclub", kind="informal")
    f.link(ans, bert, datetime.date(2025, 1, 1), origin=Origin.INTRODUCED)
    f.link(ans, None, organisation=club)
    initiative = f.initiative(nb, "Koffieclub")
    f.member(initiative, bert, datetime.date(2025, 2, 1))
    data = _data(client_for(world.a.builder), world.a)
    ids = {n["data"]["id"]: n["data"] for n in data["nodes"]}
    assert ids[f"p{ans.pk}"]["label"] == "Ans"
    assert ids[f"o{club.pk}"]["kind"] == "organisation"
    assert ids[f"i{initiative.pk}"]["kind"] == "initiative"
    edges = {(e["data"]["source"], e["data"]["target"]): e["data"] for e in data["edges"]}
    assert edges[(f"p{ans.pk}", f"p{bert.pk}")]["origin"] == "introduced"
    assert edges[(f"p{ans.pk}", f"p{bert.pk}")]["since"] == "2025-01-01"
    assert (f"p{ans.pk}", f"o{club.pk}") in edges
    assert edges[(f"p{bert.pk}", f"i{initiative.pk}")]["origin"] == "member"
    assert data["note"] == ""


def test_residents_get_only_what_residents_may_see(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans Open", street="Geheimstraat", visibility={"street": Audience.BUILDERS})
    bert = f.person(nb, "Bert Open")
    hidden = f.person(nb, "Verborgen Vera", shown=Audience.BUILDERS)
    f.link(ans, bert)
    f.link(ans, hidden)
    f.link(bert, hidden)
    text = (
        client_for(world.a.resident)
        .get(reverse("network:data", args=[world.a.slug]))
        .content.decode()
    )
    assert "Verborgen" not in text
    assert f"p{hidden.pk}" not in text
    assert "Geheimstraat" not in text  # street hidden from residents
    data = json.loads(text)
    assert len(data["edges"]) == 1
    builder = (
        client_for(world.a.builder)
        .get(reverse("network:data", args=[world.a.slug]))
        .content.decode()
    )
    assert "Verborgen Vera" in builder and "Geheimstraat" in builder
    page = client_for(world.a.resident).get(reverse("network:network", args=[world.a.slug]))
    assert "Verborgen" not in page.content.decode()
    figures = client_for(world.a.resident).get(reverse("network:figures", args=[world.a.slug]))
    assert json.loads(figures.content)["now"]["people"] == 3  # exact counts, no names


def test_residents_cannot_filter_on_a_hidden_street_or_gift(world, client_for):
    nb = world.a.neighbourhood
    secret = f.person(
        nb,
        "Ans",
        street="Geheimstraat",
        visibility={"street": Audience.BUILDERS, "gifts": Audience.BUILDERS},
    )
    f.gift(secret, "Geheime hobby", tags=["zeldzaam"])
    client = client_for(world.a.resident)
    assert _data(client, world.a, street="Geheimstraat")["nodes"] == []
    from residents.models import Tag

    tag = Tag.objects.get(neighbourhood=nb, normalised="zeldzaam")
    assert _data(client, world.a, tag=tag.pk)["nodes"] == []
    builder = client_for(world.a.builder)
    assert len(_data(builder, world.a, tag=tag.pk)["nodes"]) == 1


def test_filters_street_initiative_tag_origin(world, client_for):
    nb = world.a.neighbourhood
    a = f.person(nb, "A", street="Lindenlaan")
    b = f.person(nb, "B", street="Lindenlaan")
    c = f.person(nb, "C", street="Sportlaan")
    f.gift(c, "Koken", GiftKind.HANDS, tags=["koken"])
    f.link(a, b, origin=Origin.KNEW)
    f.link(b, c, origin=Origin.INTRODUCED)
    initiative = f.initiative(nb)
    f.member(initiative, a)
    f.member(initiative, c)
    client = client_for(world.a.builder)

    def people(**params):
        return {
            n["data"]["label"]
            for n in _data(client, world.a, **params)["nodes"]
            if n["data"]["kind"] == "person"
        }

    assert people(street="lindenlaan") == {"A", "B"}
    assert people(initiative=initiative.pk) == {"A", "C"}
    from residents.models import Tag

    assert people(tag=Tag.objects.get(neighbourhood=nb, normalised="koken").pk) == {"C"}
    origins = {e["data"]["origin"] for e in _data(client, world.a, origin="introduced")["edges"]}
    assert origins == {"introduced", "member"}
    # Junk values are ignored, not errors.
    assert people(street="Nergens", tag="x", initiative="y", now="gisteren") == set()


def test_large_networks_are_limited_with_a_note(world):
    nb = world.a.neighbourhood
    people = [f.person(nb, f"P{i}") for i in range(12)]
    for a, b in itertools.pairwise(people[:6]):
        f.link(a, b)
    membership = world.a.membership(world.a.builder)
    data = graph.graph_data(nb, membership, graph.Filters(), max_nodes=5)
    persons = [n for n in data["nodes"] if n["data"]["kind"] == "person"]
    assert len(persons) == 5
    assert data["total_people"] == 12 and data["shown_people"] == 5
    assert "12 people" in data["note"] and "5 best connected" in data["note"]
    kept = {n["data"]["id"] for n in persons}
    assert all(e["data"]["source"] in kept for e in data["edges"])
    assert kept <= {f"p{p.pk}" for p in people[:6]}  # the connected ones stay


def test_big_graphs_get_positions_from_the_server(world, monkeypatch):
    monkeypatch.setattr(graph, "FORCE_LAYOUT_LIMIT", 3)
    nb = world.a.neighbourhood
    people = [f.person(nb, f"P{i}") for i in range(6)]
    f.link(people[0], people[1])
    data = graph.graph_data(nb, world.a.membership(world.a.builder), graph.Filters())
    assert data["layout"] == "preset"
    assert all("position" in n for n in data["nodes"])
    positions = {(n["position"]["x"], n["position"]["y"]) for n in data["nodes"]}
    assert len(positions) == len(data["nodes"])


def test_network_page_has_figures_groups_graph_and_table(world, client_for):
    nb = world.a.neighbourhood
    a, b, c = (f.person(nb, n) for n in ("Ans", "Bert", "Cor"))
    f.link(a, b, datetime.date(2025, 1, 1))
    f.link(b, c, datetime.date(2025, 1, 1))
    page = client_for(world.a.builder).get(reverse("network:network", args=[world.a.slug]))
    text = page.content.decode()
    assert '<svg class="nw-svg' in text and "cytoscape" not in text
    assert "The network as a table" in text
    assert "People who bridge most" in text and "Bert" in text
    # Bert bridges Ans and Cor: the one label in the picture
    assert ">Bert</text>" in text and ">Ans</text>" not in text
    found = client_for(world.a.builder).get(
        reverse("network:network", args=[world.a.slug]),
        {"q": "Cor"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in found.content.decode() and "Cor" in found.content.decode()


def test_large_networks_get_their_bridges_in_a_request_of_their_own(world, client_for, monkeypatch):
    monkeypatch.setattr(graph, "INLINE_BRIDGES_LIMIT", 2)
    nb = world.a.neighbourhood
    a, b, c = (f.person(nb, n) for n in ("Ans", "Bert", "Cor"))
    f.link(a, b)
    f.link(b, c)
    client = client_for(world.a.builder)
    url = reverse("network:figures", args=[world.a.slug])
    assert json.loads(client.get(url).content)["bridges"] is None
    found = json.loads(client.get(url, {"bridges": "1"}).content)["bridges"]
    assert [p["name"] for p in found["people"]] == ["Bert"]
    # Once computed they are cached and given with the figures.
    assert json.loads(client.get(url).content)["bridges"]["people"][0]["name"] == "Bert"


def _table_count(client, slug: str, **params) -> int:
    page = client.get(reverse("network:network", args=[slug]), params).content.decode()
    table = page.split('id="network-table"', 1)[1]
    return int(re.search(r"(\d+) connections? on ", table).group(1))


def test_table_count_is_kept_per_viewer_filter_and_name_and_new_with_the_data(world, client_for):
    """The table's count of connections is kept (issue #19): per viewer kind, filter and name
    looked for, and counted again after a new tie; a junk parameter changes nothing."""
    nb = world.a.neighbourhood
    ans, cor = f.person(nb, "Ans"), f.person(nb, "Cor")  # shown to residents
    bert = f.person(nb, "Bert", shown=Audience.BUILDERS)
    f.link(ans, bert)
    f.link(ans, cor)
    builder, resident = client_for(world.a.builder), client_for(world.a.resident)
    for _round in range(2):
        assert _table_count(builder, world.a.slug) == 2
        assert _table_count(builder, world.a.slug, junk="1") == 2
        assert _table_count(resident, world.a.slug) == 1  # Bert shows nothing to residents
        assert _table_count(builder, world.a.slug, q="Cor") == 1
        assert _table_count(builder, world.a.slug, q="cor") == 1
    f.link(bert, cor)
    assert _table_count(builder, world.a.slug) == 3
    assert _table_count(builder, world.a.slug, q="Cor") == 2
    assert _table_count(resident, world.a.slug) == 1


def test_the_neighbourhood_size_is_kept_until_the_data_changes(world):
    """Whether bridges are computed inline hangs on the number of people: kept per data
    version (a count of 100,000 people on every page), and new with a new person."""
    nb = world.a.neighbourhood
    f.person(nb, "Ans")
    assert graph.neighbourhood_size(nb) == 1
    with CaptureQueriesContext(connection) as again:
        assert graph.neighbourhood_size(nb) == 1
    assert not [q for q in again.captured_queries if "COUNT" in q["sql"]]
    f.person(nb, "Bert")
    assert graph.neighbourhood_size(nb) == 2


def test_the_table_lists_the_newest_first_and_unknown_dates_last(world, client_for):
    """On both databases: PostgreSQL puts NULL first in a descending order."""
    nb = world.a.neighbourhood
    ans, bert, cor, dirk = (f.person(nb, n) for n in ("Ans", "Bert", "Cor", "Dirk"))
    f.link(ans, bert, None)
    f.link(bert, cor, datetime.date(2024, 5, 1))
    f.link(cor, dirk, datetime.date(2025, 6, 1))
    client = client_for(world.a.coordinator)
    text = client.get(reverse("network:network", args=[world.a.slug])).content.decode()
    text = text[text.index('id="table-heading"') :]
    table = text[text.index("<tbody>") : text.index("</tbody>")]
    rows = re.findall(r"<tr>.*?</tr>", table, re.S)
    since = [re.sub(r"<[^>]+>", "", row.split("<td>")[-1]).strip() for row in rows]
    assert since == ["1 Jun 2025", "1 May 2024", "unknown"]


def test_the_tags_offered_are_kept_per_viewer_kind_until_the_data_changes(world, client_for):
    """The network filter's tags (for a resident: a look at every gift) are read once per
    data version; a resident is never offered the tag of a gift hidden from them."""
    nb = world.a.neighbourhood
    shown = f.person(nb, "Ans")
    hidden = f.person(nb, "Bert", shown=Audience.BUILDERS)
    f.gift(shown, "Fietsen", GiftKind.HANDS, tags=["fietsen"])
    f.gift(hidden, "Breien", GiftKind.HANDS, tags=["breien"])
    url = reverse("network:network", args=[world.a.slug])
    builder, resident = client_for(world.a.builder), client_for(world.a.resident)

    def tag_options(client, junk: str) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url, {"junk": junk}).content.decode()
        select = html.split('name="tag"', 1)[1].split("</select>", 1)[0]
        reads = sum('FROM "residents_tag"' in q["sql"] for q in captured.captured_queries)
        return re.findall(r">([^<]+)</option>", select)[1:], reads

    every, reads = tag_options(builder, "1")  # builders: every tag (the defaults too)
    assert {"breien", "fietsen"} <= set(every) and reads == 1
    assert tag_options(builder, "2") == (every, 0)  # kept
    assert tag_options(resident, "1") == (["fietsen"], 1)
    assert tag_options(resident, "2") == (["fietsen"], 0)
    f.gift(shown, "Koken", GiftKind.HANDS, tags=["koken"])
    assert tag_options(resident, "3") == (["fietsen", "koken"], 1)

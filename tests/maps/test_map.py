"""The map page and its data: scoped, visibility-aware, people per street (never a house)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from residents.models import Audience, Gift, Tag, default_visibility
from tests.exchange.factories import make_organisation, make_person, make_place

SHOWN = default_visibility() | {"name": Audience.RESIDENTS, "street": Audience.RESIDENTS}


@pytest.fixture
def mapped(world):
    nb = world.a.neighbourhood
    nb.boundary = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[4.85, 52.29], [4.87, 52.29], [4.87, 52.31], [4.85, 52.29]]],
        },
    }
    nb.save()
    hall = make_place(nb, "Buurthuis", street="Populierenlaan", latitude=52.30, longitude=4.86)
    make_place(
        nb, "Bankje", kind="other", street="Populierenlaan", latitude=52.302, longitude=4.862
    )
    make_place(nb, "Zonder plek", kind="park")
    make_organisation(nb, "Wijkvereniging", usual_place=hall)
    make_organisation(nb, "Losse club", kind="informal")
    shown = make_person(nb, "Ans", "Populierenlaan", visibility=SHOWN, house_number="3",
                        gifts=[("hands", "koken")])  # fmt: skip
    make_person(nb, "Bert", "populierenlaan", visibility=SHOWN)
    make_person(nb, "Verborgen", "Populierenlaan")  # builders only
    make_person(nb, "Cor", "Eikenlaan", visibility=SHOWN)  # a street with no known place
    tag = Tag.objects.create(neighbourhood=nb, name="Eten")
    Gift.objects.get(person=shown).tags.add(tag)
    make_place(world.b.neighbourhood, "Elders", latitude=52.1, longitude=4.1)
    return world


def data(client, world, **params):
    url = reverse("maps:map_data", args=[world.a.slug])
    return client.get(url, params).json()


def by_layer(payload):
    result = {}
    for feature in payload["features"]:
        result.setdefault(feature["properties"]["layer"], []).append(feature)
    return result


def test_resident_sees_places_organisations_and_visible_people_per_street(mapped, client_for):
    payload = data(client_for(mapped.a.resident), mapped)
    layers = by_layer(payload)
    assert sorted(f["properties"]["name"] for f in layers["places"]) == ["Bankje", "Buurthuis"]
    [org] = layers["organisations"]
    assert org["properties"]["name"] == "Wijkvereniging"
    assert org["geometry"]["coordinates"] == [4.86, 52.30]
    [street] = layers["people"]
    assert street["properties"]["count"] == 2  # Ans and Bert; not the hidden one
    # at the middle of the places on the street, not at anybody's house
    assert street["geometry"]["coordinates"] == pytest.approx([4.861, 52.301])
    assert "house" not in str(street["properties"])
    assert payload["boundary"]["geometry"]["type"] == "Polygon"
    assert payload["unlocated"] == 3  # "Zonder plek", "Losse club", Eikenlaan
    assert "Elders" not in str(payload)


def test_builders_count_everyone(mapped, client_for):
    [street] = by_layer(data(client_for(mapped.a.builder), mapped))["people"]
    assert street["properties"]["count"] == 3


def test_filters_by_layer_kind_and_tag(mapped, client_for):
    client = client_for(mapped.a.builder)
    only_places = by_layer(data(client, mapped, filtered=1, layer="places", place_kind="other"))
    assert list(only_places) == ["places"]
    assert [f["properties"]["name"] for f in only_places["places"]] == ["Bankje"]
    tagged = by_layer(data(client, mapped, filtered=1, layer="people", tag="eten"))
    assert tagged["people"][0]["properties"]["count"] == 1
    nothing = data(client, mapped, filtered=1)
    assert nothing["features"] == []
    ignored = by_layer(data(client, mapped, place_kind="castle", tag="<script>"))
    assert set(ignored) == {"places", "organisations", "people"}


def test_map_page_lists_the_same_items_with_links(mapped, client_for):
    response = client_for(mapped.a.resident).get(reverse("maps:map", args=[mapped.a.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Buurthuis", "Bankje", "Zonder plek", "Wijkvereniging", "Losse club"):
        assert name in html
    assert "Populierenlaan" in html and "2 people" in html
    assert "Eikenlaan" in html and "no location known" in html
    assert "Verborgen" not in html and "Elders" not in html
    assert 'data-data-url="/n/populierenbuurt/map/data/"' in html
    assert "<script>" not in html.split("</head>")[1]  # no inline scripts in the body


def test_kept_map_list_follows_the_data_and_stays_per_viewer(mapped, client_for):
    """The list beside the map is kept (``freshness.partial``): a builder's list first, the
    resident's after it still hides who only builders see; a new place shows at once."""
    url = reverse("maps:map", args=[mapped.a.slug])
    assert "3 people" in client_for(mapped.a.builder).get(url).content.decode()
    resident = client_for(mapped.a.resident)
    with CaptureQueriesContext(connection) as first:
        assert "2 people" in resident.get(url).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "2 people" in resident.get(url).content.decode()
    assert len(again) < len(first)
    make_place(mapped.a.neighbourhood, "Nieuwe moestuin", kind="garden")
    assert "Nieuwe moestuin" in resident.get(url).content.decode()


def test_map_page_htmx_returns_the_list_only(mapped, client_for):
    url = reverse("maps:map", args=[mapped.a.slug])
    response = client_for(mapped.a.builder).get(
        url, {"filtered": 1, "layer": "organisations"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="map-results"')
    assert "Wijkvereniging" in html and "Buurthuis ·" not in html


def test_boundary_endpoint_for_the_location_picker(mapped, client_for):
    url = reverse("maps:boundary", args=[mapped.a.slug])
    payload = client_for(mapped.a.builder).get(url).json()
    assert payload["boundary"]["type"] == "Feature"
    assert "outside the boundary of Populierenbuurt" in payload["messages"]["outside"]


def test_map_queries_do_not_grow_with_rows(world, client_for):
    nb = world.a.neighbourhood
    client = client_for(world.a.builder)
    url = reverse("maps:map", args=[world.a.slug])
    data_url = reverse("maps:map_data", args=[world.a.slug])

    def add(count, start):
        for i in range(start, start + count):
            place = make_place(
                nb, f"Plek {i}", street=f"Straat {i % 7}", latitude=52.3, longitude=4.86
            )
            make_organisation(nb, f"Club {i}", usual_place=place)
            make_person(nb, f"Persoon {i}", f"Straat {i % 7}", gifts=[("hands", f"gave {i}")])

    add(5, 0)
    client.get(url)
    cache.clear()  # both counted with nothing kept (the unfiltered map is kept per version)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
        client.get(data_url)
    add(45, 5)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        client.get(url)
        client.get(data_url)
    assert len(large) == len(small)


def test_the_kept_street_counts_follow_the_data_and_stay_per_viewer(world):
    """The unfiltered map's people per street are kept per data version and viewer kind: a
    new neighbour counts at once, and a resident's own hidden street is hers alone."""
    from maps.mapdata import people_items
    from residents.models import Person
    from tests.factories import make_member
    from tests.residents.factories import make_person as person
    from tests.residents.factories import visibility

    nb = world.a.neighbourhood
    shown = visibility(Audience.RESIDENTS)
    person(nb, "Ans", street="Lindenlaan", visibility=shown)
    other = make_member(nb, "resident", "resident_a2")

    def linden(membership) -> int:
        items = people_items(membership)
        return sum(item.count or 0 for item in items if item.name == "Lindenlaan")

    her, theirs = world.a.membership(world.a.resident), world.a.membership(other)
    assert (linden(her), linden(theirs)) == (1, 1)
    person(nb, "Bea", street="Lindenlaan", visibility=shown)
    assert (linden(her), linden(theirs)) == (2, 2)  # the change is counted at once
    own = person(nb, "Mijzelf", street="Lindenlaan", user=world.a.resident)  # builders only
    assert Person.objects.get(pk=own.pk).visibility["street"] == Audience.BUILDERS
    assert (linden(her), linden(theirs)) == (3, 2)
    assert linden(her) == 3 and linden(theirs) == 2  # again, from what was kept


def test_the_list_rows_are_whole_escaped_and_say_where_a_place_is_missing(mapped, client_for):
    """The rows beside the map (written in the view): link, kind, address or meeting place,
    the "no location known" badge, and a name is text, never markup."""
    import re

    make_place(mapped.a.neighbourhood, '<img src=x onerror="alert(1)">', kind="park")
    html = client_for(mapped.a.resident).get(reverse("maps:map", args=[mapped.a.slug]))
    html = html.content.decode()
    rows = re.findall(r'<li class="map-item map-item-(\w+)" data-id="([\w-]+)">(.*?)</li>', html)
    by_name = {
        re.search(r">(.*?)</a>", body).group(1): (layer, key, body) for layer, key, body in rows
    }
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in by_name
    layer, key, body = by_name["Wijkvereniging"]
    assert layer == "organisations" and key.startswith("organisation-")
    assert "meets at Buurthuis" in body and "no location known" not in body
    assert "no location known" in by_name["Losse club"][2]
    layer, key, body = by_name["Zonder plek"]
    assert layer == "places" and 'href="/n/populierenbuurt/places/' in body
    assert '<span class="badge">no location known</span>' in body


def test_places_and_organisations_are_read_once_per_data_version(mapped, client_for):
    """Another query string reads them from the cache (and another viewer: only the people
    layer, per viewer, looks at the places for the streets); a new organisation shows at
    once."""
    url = reverse("maps:map", args=[mapped.a.slug])

    def tables(client, **params) -> set[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return {q["sql"].split(" FROM ")[1].split()[0] for q in captured if " FROM " in q["sql"]}

    small = {'"places_place"', '"organisations_organisation"'}
    builder = client_for(mapped.a.builder)
    assert small <= tables(builder)
    assert not small & tables(builder, junk="1")
    assert '"organisations_organisation"' not in tables(client_for(mapped.a.resident))
    make_organisation(mapped.a.neighbourhood, "Nieuwe club", kind="informal")
    assert "Nieuwe club" in client_for(mapped.a.resident).get(url).content.decode()

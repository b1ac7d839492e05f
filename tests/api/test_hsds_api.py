"""The HSDS 3 API of a published neighbourhood: every answer validates against the official
HSDS 3.0 schemas; pagination and filters; published records only; CORS; the rate limit."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from exchange.hsds import TAXONOMY_ID, stable_id, term_id
from network.models import Initiative
from organisations.models import Organisation
from places.models import Place

from ..organisations.factories import make_organisation
from ..outcomes.factories import make_initiative, publish
from ..places.factories import make_place
from .schemas import errors, response_schema

PAGE_KEYS = {
    "contents", "total_items", "total_pages", "page_number", "size", "first_page", "last_page",
    "empty",
}  # fmt: skip

LISTS = {
    "services": "/services",
    "organizations": "/organizations",
    "locations": "/locations",
    "service_at_locations": "/service_at_locations",
    "taxonomies": "/taxonomies",
    "taxonomy_terms": "/taxonomy_terms",
}


@pytest.fixture
def published(world):
    nb = world.a.neighbourhood
    publish(nb)
    hall = make_place(nb, "Buurthuis De Populier", street="Populierenlaan", house_number="12",
                      postcode="1181 AB", latitude=52.31234, longitude=4.86789, public=True,
                      description="Koffie op dinsdag", external_id="bh-1")  # fmt: skip
    make_place(nb, "Speeltuin", kind="playground", street="Eikenlaan", public=True)
    make_place(nb, "Tuin van Ans", kind="garden", street="Geheimstraat", public=False)
    make_organisation(nb, "Wijkvereniging", email="info@wijk.nl", phone="+31 20 123",
                      contact="Karel Contact", website="https://wijk.nl", public=True,
                      usual_place=hall)  # fmt: skip
    make_organisation(nb, "Geheime club", public=False)
    make_initiative(
        nb, "Koffieochtend", public=True, meeting_place=hall, description="Elke dinsdag"
    )
    make_initiative(nb, "Stille groep", public=False)
    return world


def base(world) -> str:
    return f"/api/hsds/{world.a.neighbourhood.slug}"


def get(client: Client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_the_schema_check_can_fail():
    assert errors({"id": "not-a-uuid", "name": "x"}, response_schema("/services/{id}"))
    assert errors({"contents": [{"id": 1}]}, response_schema("/organizations"))


def test_index_names_the_version_and_serves_the_openapi_description(client, published):
    data = get(client, f"{base(published)}/")
    assert data["version"] == "3.0"
    assert not errors(data, response_schema("/"))
    assert data["openapi_url"].startswith("http://testserver/api/hsds/")
    openapi = get(client, data["openapi_url"].removeprefix("http://testserver"))
    assert openapi["openapi"].startswith("3.")
    assert "/services" in openapi["paths"] and "/locations" in openapi["paths"]
    assert openapi["servers"][0]["url"].endswith(f"/api/hsds/{published.a.neighbourhood.slug}")


def test_every_list_and_every_item_validates_against_the_hsds_schemas(client, published):
    for name, path in LISTS.items():
        data = get(client, f"{base(published)}{path}")
        assert set(data) == PAGE_KEYS, name
        assert data["contents"], f"{name} is empty"
        assert not errors(data, response_schema(path)), (name, errors(data, response_schema(path)))
        for item in data["contents"]:
            one = get(client, f"{base(published)}{path}/{item['id']}")
            detail = response_schema(f"{path}/{{id}}")
            assert not errors(one, detail), (name, errors(one, detail))


def test_only_published_records_and_fields(client, published):
    text = "".join(
        client.get(f"{base(published)}{path}?per_page=200").content.decode()
        for path in LISTS.values()
    )
    for shown in ("Buurthuis De Populier", "Speeltuin", "Wijkvereniging", "Koffieochtend",
                  "Populierenlaan", "https://wijk.nl"):  # fmt: skip
        assert shown in text
    for hidden in ("Tuin van Ans", "Geheimstraat", "Geheime club", "Stille groep",
                   "info@wijk.nl", "+31 20 123", "Karel Contact", "1181 AB", "bh-1", "52.31234", "4.86789"):  # fmt: skip
        assert hidden not in text, hidden


def test_a_neighbourhood_that_does_not_publish_answers_404(client, published):
    nb = published.b.neighbourhood
    make_place(nb, "B plek", public=True)
    for path in ("/", *LISTS.values()):
        get(client, f"/api/hsds/{nb.slug}{path}", status=404)
    publish(nb, published=False)
    get(client, f"/api/hsds/{nb.slug}/services", status=404)
    get(client, "/api/hsds/no-such-place/", status=404)
    # an unpublished record of a published neighbourhood is not found by its id either
    secret = Place.objects.get(name="Tuin van Ans")
    get(
        client,
        f"{base(published)}/locations/{stable_id(secret.neighbourhood, 'place', secret.pk)}",
        404,
    )


def test_what_the_page_does_not_show_the_api_does_not_either(client, published):
    publish(published.a.neighbourhood, show_places=False, show_initiatives=False)
    assert get(client, f"{base(published)}/locations")["total_items"] == 0
    assert get(client, f"{base(published)}/services")["total_items"] == 0
    assert get(client, f"{base(published)}/organizations")["total_items"] == 1


def test_pagination(client, published):
    nb = published.a.neighbourhood
    for number in range(7):
        make_place(nb, f"Bank {number}", kind="square", public=True)
    first = get(client, f"{base(published)}/locations?per_page=4")
    assert (first["total_items"], first["total_pages"], first["page_number"]) == (9, 3, 1)
    assert (first["size"], first["first_page"], first["last_page"], first["empty"]) == (
        4,
        True,
        False,
        False,
    )
    last = get(client, f"{base(published)}/locations?per_page=4&page=3")
    assert len(last["contents"]) == 1 and last["last_page"] and not last["first_page"]
    beyond = get(client, f"{base(published)}/locations?per_page=4&page=9")
    assert beyond["empty"] and beyond["contents"] == []
    ids = [
        i["id"]
        for p in (1, 2, 3)
        for i in get(client, f"{base(published)}/locations?per_page=4&page={p}")["contents"]
    ]
    assert len(set(ids)) == 9
    for bad in ("page=0", "page=x", "per_page=0", "per_page=100000", "modified_after=gisteren"):
        assert "detail" in get(client, f"{base(published)}/locations?{bad}", status=400)


def test_search_modified_after_and_taxonomy_filters(client, published):
    found = get(client, f"{base(published)}/locations?search=speeltuin")
    assert [i["name"] for i in found["contents"]] == ["Speeltuin"]
    assert get(client, f"{base(published)}/services?search=dinsdag")["total_items"] == 1
    assert get(client, f"{base(published)}/services?search=nergens")["total_items"] == 0
    playgrounds = get(
        client, f"{base(published)}/locations?taxonomy_term_id={term_id('place', 'playground')}"
    )
    assert [i["name"] for i in playgrounds["contents"]] == ["Speeltuin"]
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Place.objects.filter(name="Speeltuin").update(updated_at=long_ago)
    Initiative.objects.update(updated_at=long_ago)
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    recent = get(client, f"{base(published)}/locations?modified_after={since.replace('+', '%2B')}")
    assert [i["name"] for i in recent["contents"]] == ["Buurthuis De Populier"]
    assert (
        get(client, f"{base(published)}/services?modified_after={since[:10]}")["total_items"] == 0
    )
    org = Organisation.objects.get(name="Wijkvereniging")
    orgs = get(client, f"{base(published)}/organizations")["contents"]
    residents = next(o for o in orgs if o["name"] != "Wijkvereniging")
    assert (
        get(client, f"{base(published)}/services?organization_id={residents['id']}")["total_items"]
        == 1
    )
    assert org.pk
    terms = get(client, f"{base(published)}/taxonomy_terms?per_page=200")["contents"]
    codes = {t["code"] for t in terms}
    assert {"place:park", "organisation:informal", "domain:care"} <= codes
    assert all(t["taxonomy_id"] == TAXONOMY_ID for t in terms)
    top = get(client, f"{base(published)}/taxonomy_terms?parent_id={term_id('domain')}")
    assert top["total_items"] == 8


def test_ids_are_stable_uuids(client, published):
    first = get(client, f"{base(published)}/services")["contents"][0]["id"]
    assert get(client, f"{base(published)}/services")["contents"][0]["id"] == first
    initiative = Initiative.objects.get(name="Koffieochtend")
    assert first == stable_id(initiative.neighbourhood, "initiative", initiative.pk)


def test_read_only_and_open_to_other_sites(client, published):
    url = f"{base(published)}/services"
    response = client.post(url)
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        url, HTTP_ORIGIN="https://elders.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Origin"] == "*"


@override_settings(HSDS_API_RATE_PER_MINUTE=3)
def test_rate_limited_per_client(client, published):
    cache.clear()
    url = f"{base(published)}/services"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(url).status_code == 200
    cache.clear()


def test_queries_do_not_grow_with_records(client, published, django_assert_max_num_queries):
    nb = published.a.neighbourhood
    url = f"{base(published)}/services"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(10):
        place = make_place(nb, f"Plek {number}", public=True)
        make_organisation(nb, f"Club {number}", public=True, usual_place=place)
        make_initiative(nb, f"Initiatief {number}", public=True, meeting_place=place)
    with CaptureQueriesContext(connection) as large:
        data = json.loads(client.get(url).content)
    assert data["total_items"] == 11
    assert len(large) == len(small)

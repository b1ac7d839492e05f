"""The organisation list costs the same number of queries for 5 rows as for 50."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..places.factories import make_place
from .factories import make_member, make_organisations, make_plain_person


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def grow(neighbourhood, count):
    place = make_place(neighbourhood)
    person = make_plain_person(neighbourhood)
    for organisation in make_organisations(neighbourhood, count):
        organisation.usual_place = place
        organisation.save()
        make_member(organisation, person)


def test_list_queries_do_not_grow_with_rows(world, client_for):
    url = reverse("organisations:list", args=[world.a.slug])
    client = client_for(world.a.resident)
    grow(world.a.neighbourhood, 5)
    small = count_queries(client, url)
    small_htmx = count_queries(client, url, q="Club")
    grow(world.a.neighbourhood, 45)
    assert count_queries(client, url) == small
    assert count_queries(client, url, q="Club") == small_htmx


def test_detail_queries_do_not_grow_with_members(world, client_for):
    from .factories import make_organisation

    nb = world.a.neighbourhood
    organisation = make_organisation(nb)
    url = reverse("organisations:detail", args=[world.a.slug, organisation.pk])
    client = client_for(world.a.builder)
    for _ in range(5):
        make_member(organisation, make_plain_person(nb))
    small = count_queries(client, url)
    for _ in range(45):
        make_member(organisation, make_plain_person(nb))
    assert count_queries(client, url) == small

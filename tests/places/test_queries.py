"""The place list costs the same number of queries for 5 rows as for 50."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..organisations.factories import make_organisation
from .factories import make_photo, make_places


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def grow(neighbourhood, count):
    organisation = make_organisation(neighbourhood)
    for place in make_places(neighbourhood, count):
        place.managed_by_organisation = organisation
        place.save()
        make_photo(place)


def test_list_queries_do_not_grow_with_rows(world, client_for):
    url = reverse("places:list", args=[world.a.slug])
    client = client_for(world.a.resident)
    grow(world.a.neighbourhood, 5)
    small = count_queries(client, url)
    small_filtered = count_queries(client, url, kind="park", q="Plek")
    grow(world.a.neighbourhood, 45)
    assert count_queries(client, url) == small
    assert count_queries(client, url, kind="park", q="Plek") == small_filtered


def test_detail_queries_do_not_grow_with_photos(world, client_for):
    from .factories import make_place

    place = make_place(world.a.neighbourhood)
    url = reverse("places:detail", args=[world.a.slug, place.pk])
    client = client_for(world.a.builder)
    for _ in range(2):
        make_photo(place)
    small = count_queries(client, url)
    for _ in range(8):
        make_photo(place)
    assert count_queries(client, url) == small

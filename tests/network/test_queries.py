"""Network pages cost the same number of queries for 5 rows as for 50."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs import figures
from network import snapshot
from network.models import Origin
from places.models import Place

from . import factories as f


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_initiative_list(world, client_for):
    nb = world.a.neighbourhood
    place = Place.objects.create(neighbourhood=nb, name="Buurthuis", kind="community_centre")
    someone = f.person(nb)

    def grow(count):
        for _ in range(count):
            f.member(f.initiative(nb, meeting_place=place), someone)

    url = reverse("network:initiatives", args=[world.a.slug])
    client = client_for(world.a.resident)
    grow(5)
    small = count_queries(client, url)
    grow(15)  # 20 on one page
    assert count_queries(client, url) == small


def test_initiative_detail(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    url = reverse("network:initiative", args=[world.a.slug, initiative.pk])
    client = client_for(world.a.builder)

    def grow(count):
        people = [f.person(nb) for _ in range(count)]
        for person in people:
            f.member(initiative, person, datetime.date(2025, 1, 1))
            initiative.gifts.add(f.gift(person, "Koffie schenken"))
        for a, b in itertools.pairwise(people):
            f.link(a, b, datetime.date(2025, 3, 1), origin=Origin.INITIATIVE)

    grow(5)
    small = count_queries(client, url)
    grow(45)
    assert count_queries(client, url) == small


@pytest.mark.parametrize("role", ["resident", "coordinator"])
def test_network_page_and_data(world, client_for, role):
    """The page reads the stored snapshot and today's stored figures: the same queries for 6 people as for 52, fresh or
    older than the data (a new one queued), whole, focused on a person or an initiative, or
    one group opened."""
    nb = world.a.neighbourhood
    client = client_for(getattr(world.a, role))
    page = reverse("network:network", args=[world.a.slug])
    data = reverse("network:data", args=[world.a.slug])
    club = f.initiative(nb, "Koffieclub")

    def grow(count):
        people = [f.person(nb) for _ in range(count + 1)]
        for a, b in itertools.pairwise(people):
            f.link(a, b, datetime.date(2025, 3, 1))
        for person in people[::2]:
            f.member(club, person, datetime.date(2025, 1, 1))
        return people

    def counts(person):
        nb.refresh_from_db()
        snapshot.compute(nb.pk)
        figures.refresh.call(nb.pk)  # the job's run after the change (today's figures)
        fresh = [
            count_queries(client, page),
            count_queries(client, page, focus=f"p{person.pk}"),
            count_queries(client, page, focus=f"i{club.pk}"),
            count_queries(client, page, group="0"),
            count_queries(client, data),
        ]
        f.person(nb)  # the data changes: the page shows the stored one and queues another
        return fresh, count_queries(client, page)

    small = counts(grow(5)[2])
    assert counts(grow(45)[20]) == small


def test_person_connections_panel(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans")
    url = reverse("network:person_connections", args=[world.a.slug, ans.pk])
    client = client_for(world.a.builder)

    def grow(count):
        for _ in range(count):
            f.link(ans, f.person(nb), datetime.date(2025, 1, 1))
        f.member(f.initiative(nb), ans)

    grow(5)
    small = count_queries(client, url)
    grow(45)
    assert count_queries(client, url) == small


def test_coverage(world, client_for):
    nb = world.a.neighbourhood
    url = reverse("network:coverage", args=[world.a.slug])
    client = client_for(world.a.coordinator)

    def grow(start, count):
        for i in range(start, start + count):
            f.person(nb, street=f"Straat {i}")
            f.street(nb, f"Lijststraat {i}")

    grow(0, 5)
    small = count_queries(client, url)
    grow(5, 45)
    assert count_queries(client, url) == small

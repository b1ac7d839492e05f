"""The dashboard (every app's panels) costs the same number of queries as a neighbourhood
grows tenfold in people, gifts, connections, conversations and initiatives, for each role."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Origin
from residents.models import GiftKind

from ..conversations.factories import make_finished, make_follow_up
from ..network import factories as f

TITLES = ["Nederlandse les", "Buurtmoestuin", "Fietsen repareren", "Koken", "Breien"]


def grow(world, count: int) -> None:
    nb = world.a.neighbourhood
    people = [f.person(nb, street=f"Straat {i % 4}") for i in range(count)]
    for index, person in enumerate(people):
        title = TITLES[index % len(TITLES)]
        f.gift(person, title, GiftKind.HEAD, tags=["taal"], share=index % 2 == 0)
        f.gift(person, title, GiftKind.HEART, learn=index % 2 == 1)
    for a, b in itertools.pairwise(people):
        f.link(a, b, datetime.date(2025, 3, 1), origin=Origin.KNEW)
    club = f.initiative(nb)
    for person in people[: count // 2]:
        f.member(club, person, datetime.date(2025, 1, 1))
    for person in people[:3]:
        talk = make_finished(nb, world.a.builder, person=person)
        make_follow_up(talk, world.a.builder)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["coordinator", "builder", "resident"])
def test_dashboard_queries_do_not_grow(world, client_for, role):
    client = client_for(getattr(world.a, role))
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    client.get(url)  # figures never computed are computed once, in the first request
    grow(world, 5)
    small = count(client, url)
    grow(world, 45)
    assert count(client, url) == small


def test_cached_panels_follow_the_data_and_stay_per_viewer(world, client_for):
    """The people, places and organisations panels come from the results cache until the
    data changes; a resident's panel (their own hidden people) is never another's."""
    from django.core.cache import cache

    from neighbourhoods.models import Role
    from residents.models import Audience

    from ..factories import make_member

    nb = world.a.neighbourhood
    cache.clear()
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)

    def people_count(client) -> int:
        response = client.get(url)
        panel = next(c for t, c in response.context["panels"] if t.startswith("residents/"))
        return panel["people_count"]

    before = people_count(coordinator)
    first, again = count(coordinator, url), count(coordinator, url)
    assert again == first  # both read the cache (the first visit above filled it)
    f.person(nb, "Nieuw")  # a change: the next view counts again
    assert people_count(coordinator) == before + 1

    # Her own record, hidden from residents: she sees it counted, another resident does not.
    f.person(nb, "Verborgen", shown=Audience.BUILDERS, user=world.a.resident)
    other = make_member(nb, Role.RESIDENT, "resident_a2")
    assert people_count(client_for(world.a.resident)) == people_count(client_for(other)) + 1

"""The dashboard (every app's panels) costs the same number of queries as a neighbourhood
grows tenfold in people, gifts, connections, conversations and initiatives, for each role."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.models import Role
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
        """The figure under "People" in the panel as the page shows it (cached as HTML)."""
        html = client.get(url).content.decode()
        found = re.search(r"<dt>People</dt><dd><a href=\"[^\"]*\">(\d+)</a>", html)
        assert found, "the people panel is on the dashboard"
        return int(found.group(1))

    before = people_count(coordinator)
    first, again = count(coordinator, url), count(coordinator, url)
    assert again == first  # both read the cache (the first visit above filled it)
    f.person(nb, "Nieuw")  # a change: the next view counts again
    assert people_count(coordinator) == before + 1

    # Her own record, hidden from residents: she sees it counted, another resident does not.
    f.person(nb, "Verborgen", shown=Audience.BUILDERS, user=world.a.resident)
    other = make_member(nb, Role.RESIDENT, "resident_a2")
    assert people_count(client_for(world.a.resident)) == people_count(client_for(other)) + 1


def test_cached_reflections_are_each_builders_own_and_follow_new_ones(world, client_for):
    """The reflections panel is cached per builder: a builder's new reflection shows on her
    dashboard at once (the write makes the cache stale) and never on another builder's."""
    from ownership.models import Reflection

    from ..factories import make_member
    from ..outcomes.factories import make_initiative
    from ..ownership.factories import reflection

    nb = world.a.neighbourhood
    other = make_member(nb, Role.BUILDER, "builder_a2")
    club = make_initiative(nb)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    mine, theirs = client_for(world.a.builder), client_for(other)
    for client in (mine, theirs):  # both panels cached before the reflection
        assert "Koffie zelf geregeld" not in client.get(url).content.decode()
    reflection(nb, world.a.builder, why="Koffie zelf geregeld", initiative=club)
    assert Reflection.objects.filter(neighbourhood=nb).count() == 1
    assert "Koffie zelf geregeld" in mine.get(url).content.decode()
    assert "Koffie zelf geregeld" not in theirs.get(url).content.decode()


def test_cached_outcomes_panel_follows_a_new_outcome_and_the_day(world, client_for, monkeypatch):
    from ..outcomes.factories import make_outcome

    nb = world.a.neighbourhood
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)
    assert "Buurtbus rijdt weer" not in coordinator.get(url).content.decode()
    make_outcome(nb, "Buurtbus rijdt weer")
    assert "Buurtbus rijdt weer" in coordinator.get(url).content.decode()

    same_day = count(coordinator, url)
    assert count(coordinator, url) == same_day
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert count(coordinator, url) > same_day  # the panels counted up to today count again


@pytest.mark.parametrize("role", ["coordinator", "builder", "resident"])
def test_a_kept_dashboard_reads_only_the_access_and_the_stored_figures_stamps(
    world, client_for, role
):
    """Asked again with a query string never seen, every panel comes from the cache: the
    session, the user, the membership, and one query for the stamps of both stored figures
    the panels show (the network's today and its suggestions) — not the team, the member
    count or the viewer's own profile."""
    client = client_for(getattr(world.a, role))
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    grow(world, 5)
    client.get(url)  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url + "?never=asked").status_code == 200
    tables = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in queries.captured_queries]
    assert tables == ["django_session", "auth_user", "neighbourhoods_membership", "jobs_figure"]


def test_the_kept_panels_are_read_from_the_cache_at_once(world, client_for, monkeypatch):
    """One read of the cache for every kept panel (a round trip each to a shared cache)."""
    from neighbourhoods import freshness

    client = client_for(world.a.coordinator)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    client.get(url)
    reads: list[tuple[str, int]] = []
    real = freshness.cache

    class Counting:
        def get(self, key, *args, **kwargs):
            reads.append(("get", 1))
            return real.get(key, *args, **kwargs)

        def get_many(self, keys, *args, **kwargs):
            reads.append(("get_many", len(keys)))
            return real.get_many(keys, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(freshness, "cache", Counting())
    assert client.get(url).status_code == 200
    assert len(reads) == 1, reads
    kind, panels = reads[0]
    assert kind == "get_many" and panels >= 8  # residents, places, organisations, network…


def test_the_team_panel_follows_a_new_builder_and_the_member_count(world, client_for):
    from ..factories import make_member

    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)

    def team() -> tuple[str, int]:
        html = coordinator.get(url).content.decode()
        section = html[html.index('id="team-heading"') :]
        members = re.search(r"(\d+) members? in all", section)
        assert members, "the team panel shows the member count"
        return section[: section.index("</section>")], int(members.group(1))

    before, count_before = team()
    make_member(world.a.neighbourhood, Role.RESIDENT, "nieuwe_bewoner")  # a membership only
    assert team()[1] == count_before + 1
    assert "Femke de Wit" not in before
    newcomer = make_member(world.a.neighbourhood, Role.BUILDER, "femke")
    newcomer.first_name, newcomer.last_name = "Femke", "de Wit"
    newcomer.save()
    after, count_after = team()
    assert "Femke de Wit" in after
    assert count_after == count_before + 2

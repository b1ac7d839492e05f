"""Precomputed figures: computed by a task after a change, read from a table, dated when old."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobs import figures
from jobs.models import Figure
from neighbourhoods.freshness import touch
from neighbourhoods.models import Neighbourhood
from network import suggestions as sug
from residents.models import GiftKind, Person

from ..network import factories as f


@pytest.fixture
def counted(monkeypatch):
    """A figure that counts its computations and the people it saw."""
    calls = []

    def people(neighbourhood):
        calls.append(neighbourhood.pk)
        return {"people": Person.objects.filter(neighbourhood=neighbourhood).count()}

    monkeypatch.setitem(figures.REGISTRY, "test.people", people)
    return calls


def fresh(neighbourhood) -> Neighbourhood:
    return Neighbourhood.objects.get(pk=neighbourhood.pk)


def test_a_figure_never_computed_is_computed_once_then_read(world, counted):
    nb = world.a.neighbourhood
    f.person(nb, "Ans")
    first = figures.read(fresh(nb), "test.people")["test.people"]
    assert first.payload == {"people": 1} and first.fresh and first.as_of is None
    again = figures.read(fresh(nb), "test.people")["test.people"]
    assert again.payload == {"people": 1}
    assert counted == [nb.pk]  # read from the table the second time


def test_a_change_queues_the_task_that_recomputes(
    world, counted, django_capture_on_commit_callbacks
):
    nb = world.a.neighbourhood
    figures.read(fresh(nb), "test.people")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        f.person(nb, "Bea")  # a tracked change: touch, then on commit the task
    assert callbacks  # the refresh was queued after the commit, not run inside it
    stored = figures.read(fresh(nb), "test.people")["test.people"]
    assert stored.payload == {"people": 1} and stored.fresh
    assert Figure.objects.get(neighbourhood=nb, name="test.people").data_version == (
        fresh(nb).data_version
    )


def test_until_the_task_ran_the_old_figure_is_shown_with_its_time(world, counted):
    nb = world.a.neighbourhood
    f.person(nb, "Ans")
    figures.read(fresh(nb), "test.people")
    f.person(nb, "Bea")  # no commit inside the test: the task has not run
    stored = figures.read(fresh(nb), "test.people")["test.people"]
    assert stored.payload == {"people": 1}
    assert not stored.fresh and stored.as_of == stored.computed_at
    assert figures.refresh.call(nb.pk) >= 1  # what the worker does
    assert figures.read(fresh(nb), "test.people")["test.people"].payload == {"people": 2}


def test_refresh_skips_fresh_figures_and_survives_a_broken_one(world, counted, monkeypatch):
    nb = world.a.neighbourhood

    def broken(neighbourhood):
        raise RuntimeError("boom")

    monkeypatch.setitem(figures.REGISTRY, "test.broken", broken)
    touch(nb.pk)
    done = figures.refresh.call(nb.pk)
    assert Figure.objects.filter(neighbourhood=nb, name="test.people").exists()
    assert not Figure.objects.filter(name="test.broken").exists()
    assert done == len(figures.REGISTRY) - 1
    calls = len(counted)
    figures.refresh.call(nb.pk)
    assert len(counted) == calls  # fresh: not computed again


def test_figures_of_one_neighbourhood_are_not_another_s(world, counted):
    f.person(world.a.neighbourhood, "Ans")
    a = figures.read(fresh(world.a.neighbourhood), "test.people")["test.people"]
    b = figures.read(fresh(world.b.neighbourhood), "test.people")["test.people"]
    assert a.payload == {"people": 1} and b.payload == {"people": 0}


def test_dashboard_suggestions_come_from_the_table_and_say_their_time(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans", street="Populierstraat")
    fatima = f.person(nb, "Fatima", street="Lindenlaan")
    f.gift(ans, "Nederlandse les", GiftKind.HEAD, share=True)
    f.gift(fatima, "Nederlandse les", GiftKind.HEAD, learn=True)
    client = client_for(world.a.builder)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    page = client.get(url).content.decode()
    assert "Fatima wants to learn Nederlandse les" in page
    assert "Figures from" not in page
    stored = Figure.objects.get(neighbourhood=nb, name=sug.FIGURE)
    # A new gift arrives; the task has not run: the stored pairs, with their time.
    henk = f.person(nb, "Henk")
    f.gift(henk, "Nederlandse les", GiftKind.HEAD, learn=True)
    page = client.get(url).content.decode()
    assert "Figures from" in page
    assert "Henk wants to learn" not in page
    figures.refresh.call(nb.pk)
    assert Figure.objects.get(pk=stored.pk).data_version > stored.data_version
    page = client.get(url).content.decode()
    assert "Figures from" not in page and "Henk wants to learn" in page


def test_a_figure_from_yesterday_is_shown_with_its_time_and_recomputed(
    world, counted, django_capture_on_commit_callbacks
):
    """Figures "as of today" move on at midnight even when no data changed."""
    import datetime

    from django.core.cache import cache

    nb = world.a.neighbourhood
    f.person(nb, "Ans")
    figures.read(fresh(nb), "test.people")
    yesterday = Figure.objects.get(neighbourhood=nb, name="test.people").computed_at - (
        datetime.timedelta(days=1)
    )
    Figure.objects.filter(neighbourhood=nb).update(computed_at=yesterday)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        old = figures.read(fresh(nb), "test.people")["test.people"]
    assert not old.fresh and old.as_of == yesterday
    assert len(callbacks) == 1 and counted == [nb.pk, nb.pk]  # recomputed by the task
    assert figures.read(fresh(nb), "test.people")["test.people"].fresh
    with django_capture_on_commit_callbacks(execute=True) as again:
        figures.read(fresh(nb), "test.people")
    assert again == []  # nothing queued for a figure of today


def test_the_dashboard_network_panel_is_read_from_the_table(
    world, client_for, django_capture_on_commit_callbacks
):
    nb = world.a.neighbourhood
    a, b = f.person(nb, "Ans"), f.person(nb, "Bea")
    coordinator = client_for(world.a.coordinator)
    url = reverse("neighbourhoods:dashboard", args=[nb.slug])
    coordinator.get(url)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        f.link(a, b)
    stale = coordinator.get(url).content.decode()
    assert f.dashboard_network_figures(stale)["Connections"] == 0
    assert "newer figures are being computed" in stale
    figures.refresh.call(nb.pk)  # the worker's run: the panel shows it, though no data changed
    fresh = coordinator.get(url).content.decode()
    assert f.dashboard_network_figures(fresh)["Connections"] == 1
    assert "newer figures are being computed" not in fresh


def test_a_change_queues_a_new_network_snapshot(world, django_capture_on_commit_callbacks):
    from network.models import NetworkSnapshot
    from network.snapshot import compute

    nb = world.a.neighbourhood
    a, b = f.person(nb, "Ans"), f.person(nb, "Bea")
    compute(nb.pk)
    with django_capture_on_commit_callbacks(execute=True):
        f.link(a, b)
    snapshot = NetworkSnapshot.objects.get(neighbourhood=nb)
    assert snapshot.data_version == fresh(nb).data_version
    assert snapshot.people[str(a.pk)][3] == 1  # [x, y, group, ties, ...]: the new tie


def test_the_network_page_reads_today_s_figures_unless_filtered(
    world, client_for, django_capture_on_commit_callbacks
):
    nb = world.a.neighbourhood
    a, b = f.person(nb, "Ans", street="Lindenlaan"), f.person(nb, "Bea", street="Lindenlaan")
    coordinator = client_for(world.a.coordinator)
    url = reverse("network:network", args=[nb.slug])
    coordinator.get(url)
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        f.link(a, b)
    stored = coordinator.get(url).context["figures"]
    assert stored["as_of"] is not None and stored["now"].connections == 0
    counted = coordinator.get(url, {"street": "Lindenlaan"}).context["figures"]
    assert counted["as_of"] is None and counted["now"].connections == 1  # counted live
    figures.refresh.call(nb.pk)
    again = coordinator.get(url).context["figures"]
    assert again["as_of"] is None and again["now"].connections == 1

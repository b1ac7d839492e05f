"""One count of people and connections, the same on every page that shows it.

Crafted data around a day D: people recorded before and after it (one of them talked to
before it), ties started and ended on both sides of it, ties without a start date recorded
before and after it, and a person–organisation connection (no tie). The network page (now
and the "then" column), the dashboard panel, the outcomes dashboard and the report all give
:func:`network.graph.counts_on`'s numbers.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from network import graph
from network.models import Origin, connect
from outcomes.figures import neighbourhood_figures
from tests.conversations.factories import make_finished
from tests.organisations.factories import make_organisation

from . import factories as f

D = datetime.date(2025, 3, 15)
BEFORE = datetime.date(2025, 1, 1)
AFTER = datetime.date(2025, 6, 1)


@pytest.fixture
def crafted(world):
    nb = world.a.neighbourhood
    old = [f.person(nb, f"Old {i}") for i in range(6)]
    for person in old:
        f.recorded(person, BEFORE)
    talked = f.person(nb, "Talked before D")  # entered after D, a conversation before it
    f.recorded(talked, AFTER)
    make_finished(nb, world.a.builder, talked, held_on=BEFORE)
    late = f.person(nb, "Late")  # entered after D: not counted on D
    f.recorded(late, AFTER)
    a, b, c, d, e, g = old
    f.link(a, b, BEFORE)  # active on D
    f.link(a, c, BEFORE, ended=D)  # ended on D: not active at its end
    f.link(a, d, BEFORE, ended=AFTER)  # active on D, ended since
    f.link(b, c, AFTER)  # started after D
    f.link(c, d, D)  # started on D: active
    f.recorded(f.link(d, e), BEFORE)  # no start date, recorded before D: active
    f.recorded(f.link(e, g), AFTER)  # no start date, recorded after D
    f.link(talked, a, BEFORE)  # a tie of the person talked to before D
    f.link(late, b, BEFORE)  # the late person is not counted on D, nor their tie
    connect(a, organisation=make_organisation(nb), origin=Origin.OTHER)  # not a tie
    cache.clear()
    return nb


def test_counts_on_a_day_count_only_what_existed_then(crafted):
    on_d = graph.counts_on(crafted, D)
    # people: 6 old + talked; ties: a–b, a–d, c–d, d–e, talked–a
    assert (on_d.people, on_d.connections) == (7, 5)
    assert on_d.density == pytest.approx(5 / 21)
    today = graph.counts_on(crafted, timezone.localdate())
    # people: + late (and the world's own people of this neighbourhood)
    # ties today: a–b, b–c, c–d, d–e, e–g, talked–a, late–b
    assert today.connections == 7
    assert today.people == on_d.people + 1 + _world_people(crafted)


def _world_people(nb) -> int:
    from residents.models import Person

    return (
        Person.objects.in_neighbourhood(nb)
        .exclude(name__startswith="Old")
        .exclude(name__in=["Talked before D", "Late"])
        .count()
    )


def test_every_page_shows_the_same_count(crafted, world, client_for):
    nb = crafted
    coordinator = client_for(world.a.coordinator)
    today = timezone.localdate()
    expected_d = graph.counts_on(nb, D)
    expected_today = graph.counts_on(nb, today)

    network = coordinator.get(reverse("network:network", args=[nb.slug]), {"then": D.isoformat()})
    assert network.status_code == 200
    figures = network.context["figures"]
    assert (figures["then"].people, figures["then"].connections) == (
        expected_d.people,
        expected_d.connections,
    )
    assert (figures["now"].people, figures["now"].connections) == (
        expected_today.people,
        expected_today.connections,
    )
    past = coordinator.get(reverse("network:network", args=[nb.slug]), {"now": D.isoformat()})
    assert past.context["figures"]["now"].connections == expected_d.connections

    dashboard = coordinator.get(reverse("neighbourhoods:dashboard", args=[nb.slug]))
    panel = f.dashboard_network_figures(dashboard.content.decode())
    assert panel["Connections"] == expected_today.connections
    assert panel["People"] == expected_today.people

    period = {"from": "2025-01-01", "to": D.isoformat()}
    outcomes = coordinator.get(reverse("outcomes:dashboard", args=[nb.slug]), period)
    report = coordinator.get(reverse("outcomes:report", args=[nb.slug]), period)
    for response in (outcomes, report):
        assert response.status_code == 200
        shown = {figure.key: figure.total for figure in response.context["figures"]}
        assert (shown["people"], shown["connections"]) == (
            expected_d.people,
            expected_d.connections,
        )
    assert {f.key: f.total for f in neighbourhood_figures(nb)}["connections"] == (
        expected_today.connections
    )
    growth = report.context["growth"]
    assert growth[-1].active == expected_d.connections


def test_history_on_many_days_agrees_with_counts_on_each_day(crafted):
    """The report's growth table counts every month in one pass; each day gives what
    counts_on gives for that day alone (starts, ends, start dates, people known later, a pair
    tied twice)."""
    a, b = (f.person(crafted, name) for name in ("Twice A", "Twice B"))
    f.recorded(a, BEFORE)
    f.recorded(b, BEFORE)
    f.link(a, b, BEFORE, ended=D)
    f.link(b, a, datetime.date(2025, 2, 1))  # the same pair again, from the other side
    cache.clear()
    days = [
        BEFORE - datetime.timedelta(days=1),
        BEFORE,
        datetime.date(2025, 2, 1),
        D - datetime.timedelta(days=1),
        D,
        AFTER - datetime.timedelta(days=1),
        AFTER,
        timezone.localdate(),
    ]
    expected = [graph.counts_on(crafted, day) for day in days]
    known, changes = graph.history(crafted)
    assert [sum(n for d, n in changes.items() if d <= day) for day in days] == [
        e.connections for e in expected
    ]
    assert len({e.connections for e in expected}) > 3  # the days really differ
    assert [sum(n for d, n in known.items() if d <= day) for day in days] == [
        e.people for e in expected
    ]

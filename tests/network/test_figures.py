"""Figures against small graphs computed by hand."""

import datetime

import pytest

from network import figures as fig
from network import graph
from network.models import Origin
from residents.models import Audience, Person

from . import factories as f


def test_triangle_and_an_isolated_person():
    # a–b–c–a, and d alone: 4 people, 3 of 6 possible pairs.
    result = fig.compute([1, 2, 3, 4], [(1, 2), (2, 3), (1, 3)])
    assert result.people == 4
    assert result.connections == 3
    assert result.without_connection == 1
    assert result.share_without_connection == 0.25
    assert result.largest_group == 3
    assert result.groups == 1
    assert result.density == pytest.approx(3 / 6)
    assert result.bridges == []  # in a triangle nobody stands between the others


def test_a_path_has_its_middle_person_as_bridge():
    # a–b–c and d alone: b lies on the only shortest path a→c, 1 of the 3 pairs among the
    # other people (normalised over all 4 people, as networkx does).
    result = fig.compute([1, 2, 3, 4], [(1, 2), (2, 3)])
    assert result.density == pytest.approx(2 / 6)
    assert result.largest_group == 3
    assert result.bridges == [(2, pytest.approx(1 / 3))]


def test_two_groups_joined_by_one_person():
    # Two triangles {1,2,3} and {5,6,7} both linked to 4: 4 bridges everything.
    edges = [(1, 2), (2, 3), (1, 3), (5, 6), (6, 7), (5, 7), (3, 4), (4, 5)]
    result = fig.compute(range(1, 8), edges)
    assert result.connections == 8
    assert result.groups == 1
    assert result.largest_group == 7
    assert result.density == pytest.approx(8 / 21)
    assert result.bridges[0][0] == 4
    # 4 is on every shortest path between the 3 + 3 people left and right: 9 of 15 pairs.
    assert result.bridges[0][1] == pytest.approx(9 / 15)


def test_empty_and_single_person():
    assert fig.compute([], []).density == 0
    single = fig.compute([7], [])
    assert (single.people, single.connections, single.without_connection) == (1, 0, 1)
    assert single.largest_group == 1


def test_links_to_people_outside_the_set_are_not_counted():
    result = fig.compute([1, 2], [(1, 2), (2, 99), (1, 1)])
    assert result.connections == 1


def test_potential_relations():
    assert [fig.potential_relations(n) for n in (0, 1, 2, 3, 14)] == [0, 0, 1, 3, 91]


def test_large_graphs_use_a_sampled_betweenness(monkeypatch):
    monkeypatch.setattr(fig, "EXACT_BETWEENNESS_LIMIT", 10)
    monkeypatch.setattr(fig, "BETWEENNESS_SECONDS", 0)
    ring = [(i, i + 1) for i in range(30)]
    result = fig.compute(range(31), ring)
    assert result.approximate
    assert result.samples == fig.MIN_SAMPLES
    assert result.bridges


def test_sampling_every_source_gives_the_exact_betweenness(monkeypatch):
    import networkx as nx

    monkeypatch.setattr(fig, "EXACT_BETWEENNESS_LIMIT", 5)
    monkeypatch.setattr(fig, "MAX_SAMPLES", 1000)
    karate = nx.karate_club_graph()
    nodes = [*karate.nodes, 100, 101]  # two people without connections
    result = fig.compute(nodes, karate.edges, bridges=3, seconds=60)
    exact = nx.betweenness_centrality(nx.Graph(karate.edges), normalized=False)
    pairs = (len(nodes) - 1) * (len(nodes) - 2) / 2
    assert not result.approximate and result.samples == 34
    top = sorted(exact, key=lambda n: -exact[n])[:3]
    assert [node for node, _score in result.bridges] == top
    for node, score in result.bridges:
        assert score == pytest.approx(exact[node] / pairs)


def test_by_month_counts_connections_active_at_each_months_end():
    edges = [
        (1, 2, datetime.date(2025, 1, 10), None),
        (2, 3, datetime.date(2025, 2, 5), datetime.date(2025, 3, 15)),
        (4, 5, None, None),  # no date: always counted
        (5, 6, datetime.date(2025, 3, 31), None),  # on the last day: counted in March
    ]
    months = fig.month_starts(datetime.date(2025, 1, 1), datetime.date(2025, 3, 1))
    points = fig.by_month(edges, months)
    assert [(p.connections, p.connected_people, p.largest_group) for p in points] == [
        (2, 4, 2),  # Jan: 1–2, 4–5
        (3, 5, 3),  # Feb: 1–2–3, 4–5
        (3, 5, 3),  # Mar: 2–3 ended on the 15th; 5–6 started on the 31st
    ]


def test_network_figures_from_the_database(world):
    nb = world.a.neighbourhood
    a, b, c = (f.person(nb, name) for name in ("Ans", "Bert", "Cor"))
    f.person(nb, "Dini")
    f.link(a, b, datetime.date(2025, 1, 1))
    f.link(b, c, datetime.date(2025, 6, 1))
    f.link(a, c, datetime.date(2025, 6, 1), origin=Origin.INTRODUCED)
    ended = f.person(nb, "Eef")
    f.link(a, ended, datetime.date(2024, 1, 1), ended=datetime.date(2024, 12, 31))
    for person in Person.objects.in_neighbourhood(nb):
        f.recorded(person, datetime.date(2023, 1, 1))
    membership = world.a.membership(world.a.builder)
    now = graph.network_figures(nb, membership, graph.Filters(now=datetime.date(2025, 7, 1)))
    assert (now.people, now.connections, now.without_connection) == (5, 3, 2)
    assert now.density == pytest.approx(3 / 10)
    then = graph.network_figures(nb, membership, graph.Filters(now=datetime.date(2025, 2, 1)))
    assert (then.connections, then.largest_group) == (1, 2)
    origin = graph.Filters(now=datetime.date(2025, 7, 1), origin=Origin.INTRODUCED)
    only = graph.network_figures(nb, membership, origin)
    assert only.connections == 1


def test_figures_follow_changes(world):
    nb = world.a.neighbourhood
    a, b = f.person(nb, "Ans"), f.person(nb, "Bert")
    membership = world.a.membership(world.a.builder)
    before = graph.network_figures(nb, membership, graph.Filters())
    f.link(a, b)
    after = graph.network_figures(nb, membership, graph.Filters())
    assert (before.connections, after.connections) == (0, 1)


def test_residents_get_exact_counts_that_name_nobody(world):
    nb = world.a.neighbourhood
    a = f.person(nb, "Ans", shown=Audience.RESIDENTS)
    b = f.person(nb, "Bert", shown=Audience.RESIDENTS)
    hidden = f.person(nb, "Verborgen", shown=Audience.BUILDERS)
    f.link(a, b)
    f.link(a, hidden)
    f.link(b, hidden)
    resident = world.a.membership(world.a.resident)
    builder = world.a.membership(world.a.builder)
    seen = graph.network_figures(nb, resident, graph.Filters())
    everything = graph.network_figures(nb, builder, graph.Filters())
    # counts name nobody, so they stay exact for every viewer (issue #16)
    assert (seen.people, seen.connections) == (3, 3)
    assert (everything.people, everything.connections) == (3, 3)
    # with a filter, only people the viewer may filter on are counted
    street = graph.Filters(street=a.street)
    assert graph.network_figures(nb, resident, street).people <= 2


def test_counts_without_networkx_agree_with_compute():
    edges = [(1, 2), (2, 3), (1, 3), (5, 6), (2, 1), (7, 7), (8, 99)]
    nodes = range(1, 10)
    with_nx = fig.compute(nodes, edges, bridges=0)
    plain = fig.counts(nodes, edges)
    assert plain == with_nx

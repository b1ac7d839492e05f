"""Groups, measures and layout (network.layout) on small graphs checked by hand."""

import pytest

from network import layout

# Two triangles joined by the tie 3–4, and 7 without ties:
#   1 — 2        5 — 6
#    \ /          \ /
#     3 ———————— 4          7
TRIANGLES = [(1, 2), (2, 3), (1, 3), (3, 4), (4, 5), (5, 6), (4, 6)]


def test_two_triangles_are_two_groups_and_the_lonely_one_none():
    shape = layout.analyse(range(1, 8), TRIANGLES)
    assert [g.members for g in shape.groups] == [[1, 2, 3], [4, 5, 6]]
    assert shape.people[7].group == -1
    assert shape.links == {(0, 1): 1}


def test_measures_per_person():
    shape = layout.analyse(range(1, 8), TRIANGLES)
    people = shape.people
    assert [people[n].ties for n in range(1, 8)] == [2, 2, 3, 3, 2, 2, 0]
    # 3 lies on the shortest paths of {1, 2} × {4, 5, 6}: 6 of the 15 pairs among the
    # other six people (7 lies on no path but counts in the pairs, as figures.compute)
    assert people[3].betweenness == pytest.approx(6 / 15)
    assert people[4].betweenness == pytest.approx(6 / 15)
    assert people[1].betweenness == 0
    # reach: people within two steps
    assert [people[n].reach for n in range(1, 8)] == [3, 3, 5, 5, 3, 3, 0]
    assert not shape.approximate


def test_measures_per_group():
    shape = layout.analyse(range(1, 8), TRIANGLES)
    for group in shape.groups:
        assert (group.size, group.ties, group.density, group.carriers) == (3, 3, 1.0, 3)
    # a chain a–b–c: density 2/3, only b has two ties inside
    chain = layout.analyse([1, 2, 3], [(1, 2), (2, 3)])
    (group,) = chain.groups
    assert (group.size, group.ties, group.carriers) == (3, 2, 1)
    assert group.density == pytest.approx(2 / 3)


def test_a_star_has_its_centre_as_the_only_bridge():
    shape = layout.analyse(range(5), [(0, n) for n in range(1, 5)])
    assert shape.people[0].betweenness == pytest.approx(1.0)  # all 6 pairs of leaves
    assert all(shape.people[n].betweenness == 0 for n in range(1, 5))
    assert shape.people[1].reach == 4


def test_the_layout_is_the_same_every_time_and_keeps_people_apart():
    first = layout.analyse(range(1, 8), TRIANGLES)
    again = layout.analyse(range(1, 8), TRIANGLES)
    spots = {n: (p.x, p.y) for n, p in first.people.items()}
    assert spots == {n: (p.x, p.y) for n, p in again.people.items()}
    assert len(set(spots.values())) == 7
    # each group inside its own circle, the circles apart
    a, b = first.groups
    assert (a.x - b.x) ** 2 + (a.y - b.y) ** 2 > (a.r + b.r) ** 2
    for group in (a, b):
        for member in group.members:
            p = first.people[member]
            assert (p.x - group.x) ** 2 + (p.y - group.y) ** 2 <= (group.r + 1) ** 2


def test_large_networks_estimate_bridging(monkeypatch):
    monkeypatch.setattr(layout, "EXACT_BETWEENNESS_LIMIT", 3)
    shape = layout.analyse(range(1, 8), TRIANGLES)
    assert shape.approximate
    assert max(shape.people, key=lambda n: shape.people[n].betweenness) in (3, 4)

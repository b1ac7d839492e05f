"""The network picture, groups and measures as each viewer may see them: hidden names
never appear, a tie only when both people show their ties, group names only from what
residents may see; focus two steps out; groups as nodes above the limit."""

import csv
import datetime
import io
import itertools
import threading
import time

import pytest
from django.urls import reverse

from network import picture, snapshot
from residents.models import Audience

from . import factories as f

B = Audience.BUILDERS
DAY = datetime.date(2025, 1, 1)


@pytest.fixture
def street(world):
    nb = world.a.neighbourhood
    people = {
        "ans": f.person(nb, "Ans", street="Lindenlaan"),
        "bert": f.person(nb, "Bert", street="Lindenlaan", visibility={"ties": B}),
        "cor": f.person(nb, "Cor", street="Lindenlaan"),
        "dini": f.person(nb, "Dini", street="Lindenlaan"),
        "geheim": f.person(nb, "Geheim Persoon", street="Geheimstraat", shown=B),
        "verborgen": f.person(
            nb, "Verborgen Straat", street="Geheimstraat", visibility={"street": B}
        ),
    }
    p = people
    for a, b in [
        ("ans", "bert"),
        ("ans", "cor"),
        ("cor", "dini"),
        ("bert", "cor"),
        ("cor", "geheim"),
        ("geheim", "verborgen"),
        ("dini", "verborgen"),
    ]:
        f.link(p[a], p[b], DAY)
    club = f.initiative(nb, "Koffieclub")
    for name in ("ans", "cor", "geheim"):
        f.member(club, p[name], DAY)
    snapshot.compute(nb.pk)
    return world, people, club


@pytest.fixture
def visit(street, client_for):
    world, _people, _club = street

    def get(user, **params):
        response = client_for(user).get(reverse("network:network", args=[world.a.slug]), params)
        assert response.status_code == 200
        return response

    return get


def test_residents_see_only_shown_names_and_ties_both_show(street, visit):
    world, _people, _club = street
    response = visit(world.a.resident)
    text = response.content.decode()
    pic = response.context["picture"]
    assert "Geheim Persoon" not in text and "Geheimstraat" not in text
    assert {n.title for n in pic.nodes} == {"Ans", "Bert", "Cor", "Dini", "Verborgen Straat"}
    # ties drawn: ans–cor, cor–dini, dini–verborgen (Bert shows residents no ties)
    assert len(pic.edges) == 3
    # Bert is drawn at the smallest size, never as a bridge
    bert = next(n for n in pic.nodes if n.title == "Bert")
    assert bert.r == picture._radius(0) and not bert.label
    names = [m["name"] for m in response.context["measures"]]
    assert "Bert" not in names and "Geheim Persoon" not in names


def test_builders_see_everyone(street, visit):
    world, _people, _club = street
    pic = visit(world.a.builder).context["picture"]
    assert len(pic.nodes) == 6 and len(pic.edges) == 7


def test_group_names_use_only_what_residents_may_see(street, visit):
    world, _people, _club = street
    for user in (world.a.builder, world.a.resident):
        groups = visit(user).context["groups"]
        for group in groups:
            assert "Geheimstraat" not in group["name"]


def test_focus_on_a_person_shows_two_steps_out_and_fades_the_rest(world, client_for):
    nb = world.a.neighbourhood
    chain = [f.person(nb, f"P{i}") for i in range(6)]  # P0–P1–P2–P3–P4–P5
    for a, b in itertools.pairwise(chain):
        f.link(a, b, DAY)
    snapshot.compute(nb.pk)
    url = reverse("network:network", args=[world.a.slug])
    pic = client_for(world.a.builder).get(url, {"focus": f"p{chain[0].pk}"}).context["picture"]
    bright = {n.title for n in pic.nodes if not n.faded}
    assert bright == {"P0", "P1", "P2"}
    assert pic.focus_name == "P0"
    assert next(n for n in pic.nodes if n.title == "P0").label == "P0"


def test_focus_on_an_initiative_shows_members_and_their_ties(street, visit):
    world, _people, club = street
    pic = visit(world.a.builder, focus=f"i{club.pk}").context["picture"]
    assert pic.focus_name == "Koffieclub"
    bright = {n.title for n in pic.nodes if not n.faded}
    # members ans, cor, geheim and the people they are tied to
    assert bright == {"Ans", "Bert", "Cor", "Dini", "Geheim Persoon", "Verborgen Straat"}
    resident = visit(world.a.resident, focus=f"i{club.pk}").context["picture"]
    assert "Geheim Persoon" not in {n.title for n in resident.nodes}


def test_above_the_limit_groups_are_nodes_and_open_on_click(street, visit, monkeypatch):
    world, _people, _club = street
    monkeypatch.setattr(picture, "MAX_NODES", 3)
    pic = visit(world.a.builder).context["picture"]
    assert pic.mode == "groups"
    assert all(n.key.startswith("g") and "group=" in n.url for n in pic.nodes)
    opened = visit(world.a.builder, group="0").context["picture"]
    assert opened.mode == "group" and all(n.key.startswith("p") for n in opened.nodes)


def test_measures_csv_follows_the_same_rules(street, client_for):
    world, _people, _club = street
    url = reverse("network:measures", args=[world.a.slug])
    rows = list(csv.reader(io.StringIO(client_for(world.a.resident).get(url).content.decode())))
    names = {row[1] for row in rows[1:]}
    assert "Koffieclub" in names and "Ans" in names
    assert "Bert" not in names and "Geheim Persoon" not in names
    assert rows[0][:6] == ["kind", "name", "group", "ties", "betweenness", "reach"]


def test_an_older_snapshot_is_shown_with_its_time(
    street, visit, django_capture_on_commit_callbacks
):
    world, _people, _club = street
    f.person(world.a.neighbourhood, "Nieuw")
    with django_capture_on_commit_callbacks(execute=True):
        response = visit(world.a.builder)
    assert "newer ones are being computed" in response.content.decode()
    # the queued job ran (immediate backend under tests): the next visit shows the new
    # picture, not the one kept from the visit before
    again = visit(world.a.builder)
    assert "newer ones are being computed" not in again.content.decode()
    assert "Nieuw" in again.content.decode()


def test_the_drawn_picture_is_kept_until_the_data_or_the_stored_picture_changes(street, visit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, people, _club = street
    first = visit(world.a.builder).content.decode()
    with CaptureQueriesContext(connection) as kept:
        second = visit(world.a.builder).content.decode()
    assert second.count("<circle") == first.count("<circle") > 0
    # neither the people to draw nor the bridges to list were read again
    assert not [q for q in kept.captured_queries if '"residents_person"."name"' in q["sql"]]
    people["ans"].name = "Ans Anders"
    people["ans"].save()
    assert "Ans Anders" in visit(world.a.builder).content.decode()


# The template loops the picture's SVG replaced (network.picture.Picture.*_svg)
SVG_LOOPS = (
    "{% load l10n %}{% localize off %}"
    '{% for e in picture.edges %}<line x1="{{ e.x1 }}" y1="{{ e.y1 }}" x2="{{ e.x2 }}" '
    'y2="{{ e.y2 }}"{% if e.faded %} class="nw-faded"{% elif e.weight > 1 %} '
    'stroke-width="{{ e.weight }}"{% endif %}/>{% endfor %}|'
    '{% for n in picture.nodes %}<a href="{{ n.url }}#graph-heading"><circle cx="{{ n.x }}" '
    'cy="{{ n.y }}" r="{{ n.r }}" class="{{ n.css }}{% if n.faded %} nw-faded{% endif %}">'
    "<title>{{ n.title }}</title></circle></a>{% endfor %}|"
    '{% for n in picture.nodes %}{% if n.label %}<text x="{{ n.x }}" y="{{ n.y }}" '
    'dy="-{{ n.r|add:4 }}">{{ n.label }}</text>{% endif %}{% endfor %}'
    "{% endlocalize %}"
)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_svg_written_in_python_is_what_the_template_wrote(language):
    from django.template import Context, Template
    from django.utils import translation

    drawn = picture.Picture(
        mode="focus",
        nodes=[
            picture.Node(
                "p1", 10.5, 20.25, 6.75, "nw-g1", 'Ans "<b>" & Co', "Ans <b>", "?focus=p1"
            ),
            picture.Node("p2", 1e-05, 300.0, 3.0, "nw-g2 nw-x", "Bert", "", "?a=1&focus=p2", True),
            picture.Node("g3", 0.0, -4.5, 12.999, "nw-group", "Groep 3", "Groep", "?group=3"),
        ],
        edges=[
            picture.Edge(1.0, 2.5, 3.125, 4.0),
            picture.Edge(0.1, 0.2, 0.3, 0.4, faded=True, weight=3),
            picture.Edge(5.0, 6.0, 7.0, 8.0, weight=4),
            picture.Edge(5.0, 6.0, 7.0, 8.0, weight=1),
        ],
    )
    with translation.override(language):
        expected = Template(SVG_LOOPS).render(Context({"picture": drawn}))
    assert f"{drawn.edges_svg()}|{drawn.nodes_svg()}|{drawn.labels_svg()}" == expected
    assert "&lt;b&gt;" in expected and 'stroke-width="4"' in expected  # the case is tested


def test_a_stored_picture_is_decoded_once_per_process_however_many_threads_ask(monkeypatch):
    """A fresh process meets as many first requests at once as it has threads; decoding a
    large neighbourhood's picture takes a quarter of a second, so one thread decodes and the
    others wait for its copy (#19)."""
    monkeypatch.setattr(snapshot, "_read", {})
    loads = []
    row = snapshot.NetworkSnapshot(pk=7, computed_at=datetime.datetime(2026, 12, 1, 14, 2))

    def load():
        loads.append(1)
        time.sleep(0.2)
        return row

    key = (7, row.computed_at)
    got = []
    threads = [
        threading.Thread(target=lambda: got.append(snapshot._decoded(1, key, load)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert got == [row] * 4 and len(loads) == 1
    assert snapshot._decoded(1, key, load) is row and len(loads) == 1
    newer = (8, row.computed_at)  # a new computation: read again
    snapshot._decoded(1, newer, load)
    assert len(loads) == 2

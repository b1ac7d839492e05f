"""List pages and panels cost the same number of queries for 5 or 50 rows."""

import datetime
import itertools

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.models import Organisation
from ownership import panels as own_panels
from tests.conversations.factories import make_finished, make_introduction, make_person
from tests.network import factories as nf

from . import factories as f

_seq = itertools.count(1)


def _initiatives(nb, welfare, count: int) -> None:
    for _i in range(count):
        n = next(_seq)
        initiative = nf.initiative(nb, f"Initiatief {n}")
        people = [nf.person(nb, f"Drager {n}-{k}") for k in range(2)]
        for person in people:
            nf.member(initiative, person, joined=datetime.date(2025, 1, 1))
        f.period(initiative, datetime.date(2025, 1, 1), people, [welfare])
        f.period(initiative, datetime.date(2025, 4, 1), people)
        f.meeting(initiative, datetime.date(2025, 5, 1))
        f.meeting(initiative, datetime.date(2025, 6, 1))


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_overview_and_dashboard_do_not_grow_with_initiatives(world, client_for):
    nb = world.a.neighbourhood
    welfare = Organisation.objects.create(neighbourhood=nb, name="Participe", kind="institution")
    client = client_for(world.a.builder)
    urls = [
        reverse("ownership:overview", args=[world.a.slug]),
    ]
    _initiatives(nb, welfare, 5)
    small = [_count(client, url) for url in urls]
    _initiatives(nb, welfare, 45)
    large = [_count(client, url) for url in urls]
    assert large == small


def _panel_queries(world, user, panels) -> int:
    """Queries of building and rendering these panels (not the rest of the page)."""
    request = RequestFactory().get("/")
    request.user = user
    request.membership = world.a.membership(user)
    request.neighbourhood = world.a.neighbourhood
    with CaptureQueriesContext(connection) as queries:
        for template, func in panels:
            context = func(request)
            render_to_string(
                template,
                {"panel": context, "neighbourhood": world.a.neighbourhood},
                request=request,
            )
    return len(queries)


def test_dashboard_panels_do_not_grow(world):
    nb = world.a.neighbourhood
    welfare = Organisation.objects.create(neighbourhood=nb, name="Participe", kind="institution")
    panels = [
        ("ownership/_dashboard_panel.html", own_panels.dashboard_panel),
        ("ownership/_reflections_panel.html", own_panels.reflections_panel),
    ]
    _initiatives(nb, welfare, 3)
    _reflections(nb, world.a.builder, 1)
    small = _panel_queries(world, world.a.coordinator, panels)
    _initiatives(nb, welfare, 30)
    _reflections(nb, world.a.builder, 10)
    assert _panel_queries(world, world.a.coordinator, panels) == small


def _reflections(nb, builder, count: int) -> None:
    for _i in range(count):
        n = next(_seq)
        conversation = make_finished(nb, builder, make_person(nb, f"Gesprek {n}"))
        introduction = make_introduction(conversation, to_person=make_person(nb, f"Buur {n}"))
        initiative = nf.initiative(nb, f"Club {n}")
        f.reflection(nb, builder, f"Gesprek {n}", conversation=conversation)
        f.reflection(nb, builder, f"Introductie {n}", introduction=introduction)
        f.reflection(nb, builder, f"Initiatief {n}", initiative=initiative)


def test_reflection_list_does_not_grow(world, client_for):
    nb = world.a.neighbourhood
    client = client_for(world.a.coordinator)
    url = reverse("ownership:reflections", args=[world.a.slug])
    _reflections(nb, world.a.builder, 2)
    small = _count(client, url)
    _reflections(nb, world.a.builder, 17)
    assert _count(client, url) == small


def test_reflection_list_reads_neither_boundaries_nor_conversation_notes(world, client_for):
    """Each row's subject links through its neighbourhood: its slug, not its 27 kB boundary;
    and the conversation's date and person, not what was said (issue #19)."""
    nb = world.a.neighbourhood
    _reflections(nb, world.a.builder, 2)
    url = reverse("ownership:reflections", args=[world.a.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client_for(world.a.coordinator).get(url)
    assert response.status_code == 200
    assert "Gesprek" in response.content.decode()
    listed = [q["sql"] for q in queries if 'FROM "ownership_reflection"' in q["sql"]]
    assert listed
    assert [sql for sql in listed if "boundary" in sql or "private_notes" in sql] == []

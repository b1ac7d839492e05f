"""Dates where things happened: an introduction made takes a date (default today, never in
the future, never before the neighbourhood's records start), the growth figures follow it,
and the data keeps a link to the conversation rather than English words."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from conversations import services
from neighbourhoods.models import Neighbourhood
from network import figures, graph
from network.models import Connection, Origin

from .factories import make_finished, make_introduction, make_person


def _introduction(world):
    conversation = make_finished(world.a.neighbourhood, world.a.builder)
    return make_introduction(conversation, to_person=make_person(world.a.neighbourhood, "Ans"))


def _url(world, introduction):
    return reverse("conversations:introduction_made", args=[world.a.slug, introduction.pk])


def test_an_introduction_is_dated_when_it_was_made(world, client_for):
    introduction = _introduction(world)
    day = timezone.localdate() - datetime.timedelta(days=40)
    client_for(world.a.builder).post(_url(world, introduction), {"on": day.isoformat()})
    introduction.refresh_from_db()
    assert introduction.connection.since == day
    assert timezone.localdate(introduction.introduced_at) == day
    assert introduction.connection.conversation == introduction.conversation
    assert introduction.connection.origin_note == ""


def test_the_growth_figures_follow_the_date(world):
    """The growth chart (connections at the end of each month) counts a tie from the month
    the introduction was made, not from the day it was logged."""
    nb = world.a.neighbourhood
    today = timezone.localdate()
    months = figures.month_starts(figures.months_back(today, 5), today)

    def growth() -> list[int]:
        fresh = Neighbourhood.objects.get(pk=nb.pk)
        return [p.connections for p in graph.monthly_figures(fresh, months)]

    dated, undated = _introduction(world), _introduction(world)
    services.mark_introduced(undated.pk, world.a.builder)  # today
    assert growth() == [0, 0, 0, 0, 0, 1]
    services.mark_introduced(dated.pk, world.a.builder, on=months[2] + datetime.timedelta(days=3))
    assert growth() == [0, 0, 1, 1, 1, 2]


def test_a_future_or_too_early_date_is_refused_with_a_message(world, client_for):
    introduction = _introduction(world)
    client = client_for(world.a.builder)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(_url(world, introduction), {"on": tomorrow.isoformat()}, follow=True)
    assert b"in the future" in response.content
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2024, 1, 1)
    nb.save()
    response = client.post(_url(world, introduction), {"on": "2023-06-01"}, follow=True)
    assert b"start on 1 January 2024" in response.content
    assert not Connection.objects.filter(origin=Origin.INTRODUCED).exists()


def test_old_english_notes_become_links(world):
    conversation = make_finished(world.a.neighbourhood, world.a.builder)
    a, b, c = (make_person(world.a.neighbourhood) for _ in range(3))
    old = Connection.objects.create(
        neighbourhood=world.a.neighbourhood,
        person=a,
        other_person=b,
        origin=Origin.INTRODUCED,
        origin_note=f"introduced after conversation {conversation.pk}",
    )
    mine = Connection.objects.create(
        neighbourhood=world.a.neighbourhood,
        person=a,
        other_person=c,
        origin=Origin.KNEW,
        origin_note="buren sinds jaren",
    )
    migration = importlib.import_module("network.migrations.0005_connection_conversation")
    migration.notes_to_links(apps, None)
    old.refresh_from_db()
    mine.refresh_from_db()
    assert (old.origin_note, old.conversation_id) == ("", conversation.pk)
    assert mine.origin_note == "buren sinds jaren"


def _typed_value(response, introduction) -> str | None:
    """The value of the date field of ``introduction`` on the page, None when absent."""
    import re

    html = response.content.decode()
    match = re.search(
        rf'<input type="date" name="on" id="made-on-{introduction.pk}" value="([^"]*)"', html
    )
    return match.group(1) if match else None


def test_a_refused_date_keeps_what_was_typed_and_says_why(world, client_for):
    """A future date, a date before the records start, and a date that is no date: the page
    answers 422 with the reason next to the introduction's field, which keeps the typed date."""
    introduction = _introduction(world)
    client = client_for(world.a.builder)
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2024, 1, 1)
    nb.save()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        (tomorrow, b"in the future"),
        ("2023-06-01", b"start on 1 January 2024"),
        ("14-13-2025", b"Give the date they were introduced."),
    ]
    summary = introduction.conversation.get_absolute_url()
    for typed, reason in cases:
        response = client.post(_url(world, introduction), {"on": typed, "next": summary})
        assert response.status_code == 422
        assert reason in response.content
        assert _typed_value(response, introduction) == typed
        assert response.content.count(f'id="made-on-{introduction.pk}"'.encode()) == 1
        assert f'name="next" value="{summary}"'.encode() in response.content
    assert not Connection.objects.filter(origin=Origin.INTRODUCED).exists()
    introduction.refresh_from_db()
    assert introduction.is_open

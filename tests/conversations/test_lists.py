"""Lists of conversations, drafts, follow-ups and introductions; who sees which draft."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conversations.models import FollowUp
from neighbourhoods.models import Role
from tests.factories import make_member

from .factories import (
    make_conversation,
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_person,
)

HX = {"HX-Request": "true"}


def list_url(world, name="list"):
    return reverse(f"conversations:{name}", args=[world.a.slug])


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


# ------------------------------------------------------------------ drafts


def test_a_draft_belongs_to_its_builder(world, client_for):
    other_builder = make_member(world.a.neighbourhood, Role.BUILDER, "builder_a2")
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="secret draft")
    assert client_for(world.a.builder).get(draft.get_absolute_url()).status_code == 200
    # another builder, and a coordinator while the draft is fresh: as if it did not exist
    assert client_for(other_builder).get(draft.get_absolute_url()).status_code == 404
    assert client_for(world.a.coordinator).get(draft.get_absolute_url()).status_code == 404
    save = reverse("conversations:save", args=[world.a.slug, draft.pk])
    assert client_for(other_builder).post(save, {"ideas": "x"}).status_code == 404
    assert "secret draft" not in client_for(other_builder).get(list_url(world)).content.decode()


def test_coordinators_may_rescue_drafts_older_than_14_days(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="old draft")
    draft.started_at = timezone.now() - datetime.timedelta(days=15)
    draft.save()
    coordinator = client_for(world.a.coordinator)
    assert coordinator.get(draft.get_absolute_url()).status_code == 200
    drafts_page = coordinator.get(list_url(world, "drafts")).content.decode()
    assert "older than 14 days" in drafts_page and draft.person.name in drafts_page
    staff = client_for(world.staff)
    assert staff.get(draft.get_absolute_url()).status_code == 200


def test_my_drafts(world, client_for):
    mine = make_conversation(
        world.a.neighbourhood, world.a.builder, make_person(world.a.neighbourhood, "Mine")
    )
    make_finished(
        world.a.neighbourhood, world.a.builder, make_person(world.a.neighbourhood, "Done")
    )
    content = client_for(world.a.builder).get(list_url(world, "drafts")).content.decode()
    assert mine.person.name in content and "Done" not in content


# ---------------------------------------------------------------- the list


def test_filter_by_builder_street_and_dates(world, client_for):
    nb = world.a.neighbourhood
    make_finished(
        nb, world.a.builder, make_person(nb, "Alpha", street="Eikenlaan"), held_on=days_ago(40)
    )
    make_finished(
        nb, world.a.coordinator, make_person(nb, "Bravo", street="Beukenlaan"), held_on=days_ago(5)
    )
    make_finished(
        nb, world.a.builder, make_person(nb, "Charlie", street="Beukenlaan"), held_on=days_ago(2)
    )
    client = client_for(world.a.builder)

    def names(**params):
        content = client.get(list_url(world), params).content.decode()
        return {n for n in ("Alpha", "Bravo", "Charlie") if n in content}

    assert names() == {"Alpha", "Bravo", "Charlie"}
    assert names(builder=world.a.builder.pk) == {"Alpha", "Charlie"}
    assert names(street="beuken") == {"Bravo", "Charlie"}
    assert names(date_from=days_ago(10).isoformat()) == {"Bravo", "Charlie"}
    assert names(date_from=days_ago(10).isoformat(), date_to=days_ago(3).isoformat()) == {"Bravo"}
    fragment = client.get(list_url(world), {"street": "eiken"}, headers=HX).content.decode()
    assert 'id="rows"' in fragment and "<html" not in fragment and "Alpha" in fragment


def test_list_is_paginated(world, client_for):
    nb = world.a.neighbourhood
    for i in range(30):
        make_finished(nb, world.a.builder, make_person(nb, f"Person {i:02d}"), held_on=days_ago(i))
    client = client_for(world.a.builder)
    first = client.get(list_url(world)).content.decode()
    second = client.get(list_url(world), {"page": 2}).content.decode()
    assert "Person 00" in first and "Person 29" not in first
    assert "Person 29" in second and "Page 2 of 2" in second


def test_each_row_counts_its_gifts_introductions_and_follow_ups_in_both_languages(
    world, client_for
):
    nb = world.a.neighbourhood
    busy = make_finished(nb, world.a.builder, make_person(nb, "Busy Bea"))
    make_draft_gift(busy, "Fietsen repareren")
    make_draft_gift(busy, "Soep koken")
    make_introduction(busy, to_person=make_person(nb, "Other Otto"))
    quiet = make_finished(nb, world.a.builder, make_person(nb, "Quiet Quinn"))
    make_draft_gift(quiet, "Luisteren")
    make_follow_up(quiet, world.a.builder, "Terugbellen")
    make_follow_up(quiet, world.a.builder, "Koffie drinken")
    make_finished(nb, world.a.builder, make_person(nb, "New Nina"))
    client = client_for(world.a.builder)
    english = client.get(list_url(world), headers={"accept-language": "en"}).content.decode()
    assert f'href="{busy.get_absolute_url()}"' in english
    assert "2 gifts · 1 introduction · 0 follow-ups" in english
    assert "1 gift · 0 introductions · 2 follow-ups" in english
    assert "0 gifts · 0 introductions · 0 follow-ups" in english
    dutch = client.get(list_url(world), headers={"accept-language": "nl"}).content.decode()
    assert "2 gaven · 1 kennismaking · 0 vervolgacties" in dutch
    assert "1 gave · 0 kennismakingen · 2 vervolgacties" in dutch


def test_kept_list_is_each_builders_own_and_follows_their_work(world, client_for):
    """The rows are kept per builder and the builders' work: a draft listed for its builder
    stays out of another builder's list, and a gift added to it shows at once."""
    nb = world.a.neighbourhood
    other_builder = make_member(nb, Role.BUILDER, "builder_a2")
    draft = make_conversation(nb, world.a.builder, make_person(nb, "Drafty Dirk"))
    make_finished(nb, world.a.builder, make_person(nb, "Finished Fien"))
    mine = client_for(world.a.builder)
    assert "Drafty Dirk" in mine.get(list_url(world)).content.decode()
    theirs = client_for(other_builder).get(list_url(world)).content.decode()
    assert "Finished Fien" in theirs and "Drafty Dirk" not in theirs
    make_draft_gift(draft, "Soep koken")
    assert "1 gift · " in mine.get(list_url(world)).content.decode()


def test_bad_filters_do_not_break_the_list(world, client_for):
    response = client_for(world.a.builder).get(
        list_url(world), {"builder": "nobody", "date_from": "yesterday", "page": "x"}
    )
    assert response.status_code == 200


# --------------------------------------------------------------- follow-ups


def test_my_follow_ups_overdue_first_and_mark_done(world, client_for):
    nb = world.a.neighbourhood
    conversation = make_finished(nb, world.a.builder)
    later = make_follow_up(conversation, world.a.builder, "Later thing", days=10)
    overdue = make_follow_up(conversation, world.a.builder, "Overdue thing", days=-3)
    make_follow_up(conversation, world.a.coordinator, "Someone elses thing", days=1)
    client = client_for(world.a.builder)
    content = client.get(list_url(world, "follow_ups")).content.decode()
    assert content.index("Overdue thing") < content.index("Later thing")
    assert "overdue" in content and "Someone elses thing" not in content
    assert (
        "Someone elses thing"
        in client.get(list_url(world, "follow_ups"), {"who": "all"}).content.decode()
    )

    done_url = reverse("conversations:follow_up_done", args=[world.a.slug, overdue.pk])
    response = client.post(done_url, {"done": "1"}, headers=HX)
    assert response.status_code == 200 and "Open again" in response.content.decode()
    overdue.refresh_from_db()
    assert overdue.is_done and overdue.done_by == world.a.builder
    response = client.post(
        reverse("conversations:follow_up_done", args=[world.a.slug, later.pk]), {"done": "1"}
    )
    assert response.status_code == 302
    assert FollowUp.objects.open().filter(assignee=world.a.builder).count() == 0
    client.post(done_url, {"done": "0"})
    assert FollowUp.objects.open().filter(assignee=world.a.builder).count() == 1


def test_follow_ups_of_a_draft_are_not_on_the_list(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder)
    follow_up = make_follow_up(draft, world.a.builder, "Draft follow-up")
    client = client_for(world.a.builder)
    assert "Draft follow-up" not in client.get(list_url(world, "follow_ups")).content.decode()
    url = reverse("conversations:follow_up_done", args=[world.a.slug, follow_up.pk])
    assert client.post(url).status_code == 404


def test_introductions_page_lists_open_ones_with_a_button(world, client_for):
    conversation = make_finished(world.a.neighbourhood, world.a.builder)
    make_introduction(conversation, to_person=make_person(world.a.neighbourhood, "Kees"))
    content = client_for(world.a.builder).get(list_url(world, "introductions")).content.decode()
    assert "Kees" in content and "Mark as introduced" in content


# ------------------------------------------------------------ query counts


def _populate(world, n):
    nb = world.a.neighbourhood
    for i in range(n):
        conversation = make_finished(nb, world.a.builder, make_person(nb, f"P{i}"))
        make_draft_gift(conversation)
        make_follow_up(conversation, world.a.builder, f"F{i}", days=i - 2)
        make_introduction(conversation, to_person=make_person(nb, f"Q{i}"))
        make_conversation(nb, world.a.builder, make_person(nb, f"D{i}"))


@pytest.mark.parametrize("name", ["list", "drafts", "follow_ups", "introductions"])
def test_list_queries_do_not_grow_with_rows(world, client_for, name):
    client = client_for(world.a.coordinator)
    url = list_url(world, name)
    _populate(world, 5)
    client.get(url)  # warm up (sessions, content types)
    cache.clear()  # the rows are kept: count what a first request runs, at both sizes
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _populate(world, 45)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_person_panel_queries_do_not_grow(world, client_for, rf):
    from django.template.loader import render_to_string

    from conversations.panels import person_panel

    nb = world.a.neighbourhood
    person = make_person(nb, "Often visited")
    request = rf.get("/")
    request.user = world.a.builder
    request.membership = world.a.membership(world.a.builder)
    request.neighbourhood = nb

    def render():
        context = person_panel(request, person=person)
        with CaptureQueriesContext(connection) as queries:
            render_to_string(
                "conversations/_person_panel.html",
                {"panel": context, "neighbourhood": nb},
                request=request,
            )
        return len(queries)

    def add(n):
        for _ in range(n):
            c = make_finished(nb, world.a.builder, person)
            make_draft_gift(c)
            make_follow_up(c, world.a.builder)
            make_introduction(c, to_person=make_person(nb))

    add(2)
    small = render()
    add(20)
    assert render() == small

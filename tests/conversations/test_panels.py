"""The dashboard panel and the person page timeline."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conversations import services

from .factories import (
    make_conversation,
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_known,
    make_person,
)


def test_dashboard_panel_for_builders(world, client_for):
    nb = world.a.neighbourhood
    today = timezone.localdate()
    this_month = make_finished(nb, world.a.builder, held_on=today.replace(day=1))
    make_finished(nb, world.a.builder, held_on=today.replace(day=1) - datetime.timedelta(days=1))
    make_follow_up(this_month, world.a.builder)
    make_follow_up(this_month, world.a.coordinator)
    made = make_introduction(this_month, to_person=make_person(nb))
    make_introduction(this_month, to_person=make_person(nb))
    services.mark_introduced(made.pk, world.a.builder)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    response = client_for(world.a.builder).get(url)
    panel = response.context["panels"]
    figures = next(ctx for t, ctx in panel if t == "conversations/_dashboard_panel.html")
    assert figures["conversations"]["this_month"] == 1
    assert figures["follow_ups"] == {"open": 2, "mine": 1, "my_overdue": 0}
    assert figures["introductions"] == {"made": 1, "open": 1}
    content = response.content.decode()
    assert "Conversations this month" in content and "Introductions made" in content
    resident_page = client_for(world.a.resident).get(url).content.decode()
    assert "Conversations this month" not in resident_page


def test_person_page_shows_the_timeline_and_a_start_button(world, client_for):
    nb = world.a.neighbourhood
    person = make_person(nb, "Fatima")
    conversation = make_conversation(nb, world.a.builder, person, cares_about="De speeltuin")
    make_draft_gift(conversation, "Fietsen repareren")
    make_known(conversation, other=make_person(nb, "Kees"))
    make_introduction(conversation, to_person=make_person(nb, "Ans"))
    make_follow_up(conversation, world.a.builder, "Folder brengen")
    services.finish(conversation.pk, world.a.builder)
    url = reverse("residents:person", args=[world.a.slug, person.pk])
    content = client_for(world.a.builder).get(url).content.decode()
    for text in (
        "Start a conversation",
        "De speeltuin",
        "Fietsen repareren",
        "Kees",
        "Ans",
        "Folder brengen",
    ):
        assert text in content, text
    assert reverse("conversations:new", args=[world.a.slug]) in content


def test_residents_do_not_get_the_timeline(world, client_for):
    nb = world.a.neighbourhood
    person = make_person(
        nb, "Open", visibility=dict.fromkeys(["name", "street", "gifts"], "residents")
    )
    make_finished(nb, world.a.builder, person, cares_about="builders-only timeline")
    url = reverse("residents:person", args=[world.a.slug, person.pk])
    response = client_for(world.a.resident).get(url)
    assert response.status_code in (200, 404)
    assert "builders-only timeline" not in response.content.decode()
    assert "Start a conversation" not in response.content.decode()


def test_navigation_link_for_builders_only(world, client_for):
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    link = reverse("conversations:list", args=[world.a.slug])
    assert link in client_for(world.a.builder).get(url).content.decode()
    assert link not in client_for(world.a.resident).get(url).content.decode()

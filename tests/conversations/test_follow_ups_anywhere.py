"""Follow-ups from a person's page: no conversation needed, on the assignee's list at once."""

import datetime

from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import FollowUp

from .factories import make_conversation, make_follow_up, make_person


def _url(side, person):
    return reverse("conversations:person_follow_up_add", args=[side.neighbourhood.slug, person.pk])


def _post(client, side, person, **data):
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    body = {
        "follow_up-what": "Bellen over de moestuin",
        "follow_up-assignee": side.builder.pk,
        "follow_up-due_on": due,
        "follow_up-client_token": "tok-1",
    }
    body.update(data)
    return client.post(_url(side, person), body)


def test_a_builder_adds_a_follow_up_on_a_person_page(world, client_for):
    person = make_person(world.a.neighbourhood, "Gerda")
    client = client_for(world.a.builder)
    page = client.get(person.get_absolute_url())
    assert b'id="follow-ups"' in page.content
    assert _url(world.a, person).encode() in page.content
    response = _post(client, world.a, person)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{person.get_absolute_url()}#follow-ups")
    follow_up = FollowUp.objects.get()
    assert (follow_up.person, follow_up.conversation, follow_up.assignee) == (
        person,
        None,
        world.a.builder,
    )
    # on the assignee's list straight away, and on the person's page
    listed = client.get(reverse("conversations:follow_ups", args=[world.a.neighbourhood.slug]))
    assert "Bellen over de moestuin" in listed.content.decode()
    assert "Bellen over de moestuin" in client.get(person.get_absolute_url()).content.decode()


def test_sent_twice_it_is_added_once(world, client_for):
    person = make_person(world.a.neighbourhood)
    client = client_for(world.a.builder)
    _post(client, world.a, person)
    _post(client, world.a, person)
    assert FollowUp.objects.count() == 1


def test_a_refused_follow_up_keeps_what_was_typed(world, client_for):
    person = make_person(world.a.neighbourhood)
    client = client_for(world.a.builder)
    response = _post(client, world.a, person, **{"follow_up-due_on": "2001-01-01"})
    assert response.status_code == 422
    assert "Bellen over de moestuin" in response.content.decode()
    assert "in the past" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_another_neighbourhoods_person_or_assignee_is_refused(world, client_for):
    ours = make_person(world.a.neighbourhood)
    theirs = make_person(world.b.neighbourhood)
    client = client_for(world.a.builder)
    assert _post(client, world.a, theirs).status_code == 404
    response = _post(client, world.a, ours, **{"follow_up-assignee": world.b.builder.pk})
    assert response.status_code == 422
    assert not FollowUp.objects.exists()


def test_residents_cannot_add_or_see_follow_ups(world, client_for):
    person = make_person(world.a.neighbourhood)
    services.add_follow_up(
        person=person, what="Geheim plan", assignee=world.a.builder, due_on=timezone.localdate()
    )
    client = client_for(world.a.resident)
    assert _post(client, world.a, person).status_code == 403
    assert "Geheim plan" not in client.get(person.get_absolute_url()).content.decode()


def test_conversation_follow_ups_are_for_the_conversations_person(world):
    conversation = make_conversation(world.a.neighbourhood, world.a.builder)
    follow_up = services.add_follow_up(
        conversation, what="Terugbellen", assignee=world.a.builder, due_on=timezone.localdate()
    )
    assert follow_up.person == conversation.person
    assert not FollowUp.objects.open().exists()  # a draft's follow-ups wait for finishing
    assert make_follow_up(conversation, world.a.builder).person == conversation.person


def _trail(follow_up):
    from audit.models import AuditEntry

    return AuditEntry.objects.filter(
        model_label="conversations.FollowUp", object_id=str(follow_up.pk)
    ).order_by("pk")


def test_follow_ups_are_audited_alike_from_a_person_page_and_in_a_conversation(world, client_for):
    """Both ways of adding a follow-up go through one service function and leave the same
    audit entry: who added it, for whom, which fields; never the words (builders-only)."""
    person = make_person(world.a.neighbourhood, "Gerda")
    client = client_for(world.a.builder)
    assert _post(client, world.a, person).status_code == 302
    from_page = FollowUp.objects.get()
    conversation = make_conversation(world.a.neighbourhood, world.a.builder, person)
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client.post(
        reverse("conversations:follow_up_add", args=[world.a.slug, conversation.pk]),
        {"what": "Folder brengen", "assignee": world.a.builder.pk, "due_on": due},
    )
    in_conversation = FollowUp.objects.exclude(pk=from_page.pk).get()
    for follow_up, words in ((from_page, "Bellen"), (in_conversation, "Folder")):
        [entry] = _trail(follow_up)
        assert (entry.action, entry.actor, entry.person_id) == (
            "create",
            world.a.builder,
            person.pk,
        )
        assert entry.neighbourhood_id == world.a.neighbourhood.id
        assert "what" in entry.changes and "due_on" in entry.changes
        assert words not in str(entry.changes)
    # done, and open again: audited as changes
    done_url = reverse("conversations:follow_up_done", args=[world.a.slug, from_page.pk])
    client.post(done_url, {"done": "1"})
    assert [e.action for e in _trail(from_page)] == ["create", "update"]

"""Finishing turns a draft into gifts, connections, open introductions and follow-ups."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Conversation, FollowUp, Introduction, Status
from network.models import Connection, Origin
from organisations.models import Organisation
from residents.models import Gift, Tag

from .factories import (
    make_conversation,
    make_draft_gift,
    make_follow_up,
    make_introduction,
    make_known,
    make_person,
)

HX = {"HX-Request": "true"}


@pytest.fixture
def full_draft(world):
    nb = world.a.neighbourhood
    person = make_person(nb, "Fatima")
    Gift.objects.create(person=person, kind="heart", title="Café in de buurt", share=False)
    conversation = make_conversation(nb, world.a.builder, person, cares_about="De speeltuin")
    make_draft_gift(conversation, "Fietsen repareren", kind="hands", tags="fietsen, Repair café")
    make_draft_gift(conversation, "cafe in de BUURT", kind="heart", share=True)  # exists already
    make_draft_gift(conversation, "Turks koken", kind="hands", learn=True)
    make_draft_gift(conversation, "turks  koken", kind="hands")  # twice in one draft
    kees = make_person(nb, "Kees")
    club = Organisation.objects.create(neighbourhood=nb, name="Wandelclub", kind="informal")
    make_known(conversation, other=kees)
    make_known(conversation, organisation=club)
    make_introduction(conversation, to_person=make_person(nb, "Ans"), reason="tuin")
    make_follow_up(conversation, world.a.coordinator, "Folder brengen")
    return conversation


def finish_url(conversation):
    return reverse("conversations:finish", args=[conversation.neighbourhood.slug, conversation.pk])


def test_finish_in_one_go(world, client_for, full_draft):
    response = client_for(world.a.builder).post(finish_url(full_draft))
    assert response.status_code == 302
    full_draft.refresh_from_db()
    assert full_draft.status == Status.FINISHED and full_draft.finished_at is not None
    person = full_draft.person
    # gifts: the existing "Café in de buurt" is reused (case and accents ignored), no doubles
    titles = sorted(person.gifts.values_list("title", flat=True))
    assert titles == ["Café in de buurt", "Fietsen repareren", "Turks koken"]
    cafe = person.gifts.get(title="Café in de buurt")
    assert cafe.share is True  # what was learned at the table is added
    bike = person.gifts.get(title="Fietsen repareren")
    assert sorted(t.normalised for t in bike.tags.all()) == ["fietsen", "repair cafe"]
    assert Tag.objects.filter(
        neighbourhood=world.a.neighbourhood, normalised="repair cafe"
    ).exists()
    assert all(d.gift_id for d in full_draft.draft_gifts.all())
    # connections "knew each other already"
    connections = Connection.objects.filter(person=person) | Connection.objects.filter(
        other_person=person
    )
    assert connections.count() == 2
    assert set(connections.values_list("origin", flat=True)) == {Origin.KNEW}
    assert all(r.connection_id for r in full_draft.known_relations.all())
    # introductions stay open; follow-ups appear on the assignee's list
    assert Introduction.objects.get().status == "open"
    assert list(FollowUp.objects.open().filter(assignee=world.a.coordinator)) == list(
        full_draft.follow_ups.all()
    )


def test_finish_is_all_or_nothing(world, full_draft, monkeypatch):
    def broken_connect(*args, **kwargs):
        raise ValidationError("the network is down")

    monkeypatch.setattr(services, "make_tie", broken_connect)
    with pytest.raises(ValidationError):
        services.finish(full_draft.pk, world.a.builder)
    full_draft.refresh_from_db()
    assert full_draft.status == Status.DRAFT
    assert full_draft.person.gifts.count() == 1  # only the one that was there
    assert not Connection.objects.exists()


def test_finishing_twice_changes_nothing(world, client_for, full_draft):
    client = client_for(world.a.builder)
    client.post(finish_url(full_draft))
    response = client.post(finish_url(full_draft))
    assert response.status_code == 302
    assert Gift.objects.count() == 3 and Connection.objects.count() == 2


def test_a_second_conversation_with_the_same_person_adds_no_duplicates(world, full_draft):
    services.finish(full_draft.pk, world.a.builder)
    again = make_conversation(world.a.neighbourhood, world.a.builder, full_draft.person)
    make_draft_gift(again, "FIETSEN repareren")
    make_known(again, other=full_draft.known_relations.first().other_person)
    services.finish(again.pk, world.a.builder)
    assert full_draft.person.gifts.count() == 3
    assert Connection.objects.count() == 2


def test_finishing_an_empty_conversation_is_refused(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="   ")
    client = client_for(world.a.builder)
    response = client.post(finish_url(draft), headers=HX)
    assert response.status_code == 422
    assert "nothing to log yet" in response.content.decode()
    response = client.post(finish_url(draft))
    assert response.status_code == 422
    assert "nothing to log yet" in response.content.decode()
    assert "Finish conversation" in response.content.decode()  # the draft page, intact
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_finish_carries_text_not_yet_autosaved(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder)
    response = client_for(world.a.builder).post(
        finish_url(draft),
        {"cares_about": "Typed just now", "base-cares_about": "", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert (draft.cares_about, draft.status) == ("Typed just now", Status.FINISHED)


def test_finish_with_a_conflicting_text_is_refused_and_loses_nothing(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="Theirs")
    draft.version = 3
    draft.save()
    response = client_for(world.a.builder).post(
        finish_url(draft),
        {"cares_about": "Mine", "base-cares_about": "", "version": "1"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Someone else changed" in content and "Theirs" in content
    draft.refresh_from_db()
    assert (draft.cares_about, draft.status) == ("Theirs", Status.DRAFT)


def test_mark_an_introduction_as_made(world, client_for, full_draft):
    client = client_for(world.a.builder)
    client.post(finish_url(full_draft))
    introduction = Introduction.objects.get()
    url = reverse("conversations:introduction_made", args=[world.a.slug, introduction.pk])
    response = client.post(url)
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.status == "introduced"
    assert introduction.introduced_by == world.a.builder and introduction.introduced_at
    connection = introduction.connection
    assert connection.origin == Origin.INTRODUCED
    # a link to the conversation, no words stored: pages say it in the reader's language
    assert (connection.origin_note, connection.conversation) == ("", full_draft)
    assert connection.since == timezone.localdate()
    assert {connection.person, connection.other_person} == {
        full_draft.person,
        introduction.to_person,
    }
    client.post(url)  # twice: still one connection
    assert Connection.objects.filter(origin=Origin.INTRODUCED).count() == 1


def test_introductions_of_a_draft_cannot_be_marked_yet(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder)
    introduction = make_introduction(draft, to_person=make_person(world.a.neighbourhood))
    url = reverse("conversations:introduction_made", args=[world.a.slug, introduction.pk])
    assert client_for(world.a.builder).post(url).status_code == 404
    assert not Connection.objects.exists()


def test_introduction_proposed_outside_a_conversation(world):
    nb = world.a.neighbourhood
    ans, kees = make_person(nb, "Ans"), make_person(nb, "Kees")
    first = services.propose_introduction(ans, to_person=kees, reason="taal", by=world.a.builder)
    again = services.propose_introduction(ans, to_person=kees, by=world.a.builder)
    assert first == again and first.conversation is None
    made = services.mark_introduced(first.pk, world.a.builder)
    assert (made.connection.origin_note, made.connection.conversation) == ("", None)
    with pytest.raises(ValidationError):
        services.propose_introduction(ans, to_person=make_person(world.b.neighbourhood))
    with pytest.raises(ValidationError):
        services.propose_introduction(ans, to_person=ans)


def test_follow_ups_of_finished_conversations_only_are_listed(world):
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="x")
    make_follow_up(draft, world.a.builder)
    assert not FollowUp.objects.open().exists()
    services.finish(draft.pk, world.a.builder)
    assert FollowUp.objects.open().count() == 1


def test_a_follow_up_overdue_by_the_time_of_finishing_is_listed_as_overdue(world):
    draft = make_conversation(world.a.neighbourhood, world.a.builder, cares_about="x")
    follow_up = make_follow_up(draft, world.a.builder, days=-2)
    services.finish(draft.pk, world.a.builder)
    follow_up.refresh_from_db()
    assert follow_up.is_overdue
    assert Conversation.objects.get().status == Status.FINISHED

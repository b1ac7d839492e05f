"""Discarding a draft removes the person it created when nothing else refers to them;
otherwise the page says why they stay."""

from __future__ import annotations

from django.urls import reverse

from conversations import services
from conversations.models import Conversation
from network.models import Origin, connect
from residents.models import Person

from .factories import make_conversation, make_draft_gift, make_person

CONSENT = {"fields": ["name", "street", "conversations"], "audience": "builders"}


def _start(world, name="Testpersoon"):
    return services.start_conversation(
        neighbourhood=world.a.neighbourhood,
        builder=world.a.builder,
        first_name=name,
        street="Teststraat 1",
        consent=CONSENT,
    )


def _discard(client, world, conversation):
    url = reverse("conversations:discard", args=[world.a.slug, conversation.pk])
    return client.post(url, follow=True)


def test_discarding_removes_the_person_it_created(world, client_for):
    conversation = _start(world)
    make_draft_gift(conversation)
    client = client_for(world.a.builder)
    page = client.get(reverse("conversations:discard", args=[world.a.slug, conversation.pk]))
    assert "is removed too" in page.content.decode()
    response = _discard(client, world, conversation)
    assert "nothing else was recorded about them" in response.content.decode()
    assert not Conversation.objects.exists()
    assert not Person.objects.filter(name="Testpersoon").exists()


def test_a_person_others_refer_to_stays_and_the_page_says_why(world, client_for):
    conversation = _start(world)
    connect(conversation.person, make_person(world.a.neighbourhood, "Kees"), origin=Origin.KNEW)
    client = client_for(world.a.builder)
    page = client.get(reverse("conversations:discard", args=[world.a.slug, conversation.pk]))
    assert "stays: other records refer to them (connections)" in page.content.decode()
    response = _discard(client, world, conversation)
    assert "stays: other records refer to them (connections)" in response.content.decode()
    assert Person.objects.filter(name="Testpersoon").exists()
    assert not Conversation.objects.exists()


def test_a_person_known_before_the_draft_stays(world, client_for):
    known = make_person(world.a.neighbourhood, "Gerda")
    conversation = make_conversation(world.a.neighbourhood, world.a.builder, known)
    response = _discard(client_for(world.a.builder), world, conversation)
    assert "they were known before this conversation" in response.content.decode()
    assert Person.objects.filter(pk=known.pk).exists()


def test_another_conversation_keeps_the_person(world):
    conversation = _start(world)
    make_conversation(world.a.neighbourhood, world.a.builder, conversation.person)
    result = services.discard(conversation)
    assert not result.person_removed
    assert result.kept_because == ["conversations"]

"""Plain factories for conversations and their quick-add items."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from conversations.models import (
    Conversation,
    DraftGift,
    FollowUp,
    Introduction,
    KnownRelation,
    Status,
)
from residents.models import Person

_seq = itertools.count(1)


def make_person(neighbourhood, name: str | None = None, **extra) -> Person:
    extra.setdefault("street", "Populierstraat")
    return Person.objects.create(
        neighbourhood=neighbourhood, name=name or f"Buur {next(_seq)}", **extra
    )


def make_conversation(neighbourhood, builder, person=None, **extra) -> Conversation:
    person = person or make_person(neighbourhood)
    extra.setdefault("cares_about", "")
    return Conversation.objects.create(
        neighbourhood=neighbourhood, person=person, builder=builder, **extra
    )


def make_finished(neighbourhood, builder, person=None, **extra) -> Conversation:
    extra.setdefault("cares_about", "De speeltuin")
    extra.setdefault("finished_at", timezone.now())
    return make_conversation(neighbourhood, builder, person, status=Status.FINISHED, **extra)


def make_draft_gift(conversation, title: str = "Fietsen repareren", **extra) -> DraftGift:
    extra.setdefault("kind", "hands")
    return DraftGift.objects.create(conversation=conversation, title=title, **extra)


def make_known(conversation, other=None, organisation=None) -> KnownRelation:
    return KnownRelation.objects.create(
        conversation=conversation, other_person=other, organisation=organisation
    )


def make_introduction(conversation, to_person=None, to_organisation=None, **extra):
    return Introduction.objects.create(
        neighbourhood=conversation.neighbourhood,
        person=conversation.person,
        conversation=conversation,
        to_person=to_person,
        to_organisation=to_organisation,
        **extra,
    )


def make_follow_up(conversation, assignee, what: str = "Terugbellen", days: int = 7, **extra):
    extra.setdefault("person", conversation.person)
    return FollowUp.objects.create(
        neighbourhood=conversation.neighbourhood,
        conversation=conversation,
        what=what,
        assignee=assignee,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        **extra,
    )

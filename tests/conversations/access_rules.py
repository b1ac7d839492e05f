"""Access rules of the conversation pages: community builders and coordinators only.

The sample conversation is finished, so every builder and coordinator of its neighbourhood
may open it; the rules for drafts (own builder; coordinators after 14 days) are tested in
test_drafts.py.
"""

from neighbourhoods.models import Role

from .factories import (
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_person,
)

EXPECTED_ROLE = {
    "conversations:list": Role.BUILDER,
    "conversations:new": Role.BUILDER,
    "conversations:drafts": Role.BUILDER,
    "conversations:follow_ups": Role.BUILDER,
    "conversations:follow_up_done": Role.BUILDER,
    "conversations:introductions": Role.BUILDER,
    "conversations:introduction_made": Role.BUILDER,
    "conversations:detail": Role.BUILDER,
    "conversations:save": Role.BUILDER,
    "conversations:finish": Role.BUILDER,
    "conversations:discard": Role.BUILDER,
    "conversations:search": Role.BUILDER,
    "conversations:tag_suggestions": Role.BUILDER,
    "conversations:gift_add": Role.BUILDER,
    "conversations:known_add": Role.BUILDER,
    "conversations:introduction_add": Role.BUILDER,
    "conversations:follow_up_add": Role.BUILDER,
    "conversations:gift_remove": Role.BUILDER,
    "conversations:known_remove": Role.BUILDER,
    "conversations:introduction_remove": Role.BUILDER,
    "conversations:follow_up_remove": Role.BUILDER,
    "conversations:person_follow_up_add": Role.BUILDER,
    "conversations:reminders": Role.BUILDER,
    "conversations:offline": Role.BUILDER,
}

KWARGS = {
    "conversation_id": lambda side: side.objects["conv_conversation"].pk,
    "item_id": lambda side: side.objects["conv_item"].pk,
    "follow_up_id": lambda side: side.objects["conv_follow_up"].pk,
    "introduction_id": lambda side: side.objects["conv_introduction"].pk,
}


def populate(side) -> None:
    person = make_person(side.neighbourhood, "Conversation partner")
    other = make_person(side.neighbourhood, "Someone to meet")
    conversation = make_finished(side.neighbourhood, side.builder, person)
    side.objects["conv_conversation"] = conversation
    side.objects["conv_item"] = make_draft_gift(conversation)
    side.objects["conv_follow_up"] = make_follow_up(conversation, side.builder)
    side.objects["conv_introduction"] = make_introduction(conversation, to_person=other)

"""The draft page saves each field as it is typed, and never overwrites unseen changes."""

import json
import re

import pytest
from django.urls import reverse

from conversations.models import TEXT_LIMIT, Conversation

from .factories import make_conversation, make_finished

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(world):
    return make_conversation(world.a.neighbourhood, world.a.builder, cares_about="")


def save_url(conversation):
    return reverse("conversations:save", args=[conversation.neighbourhood.slug, conversation.pk])


def test_draft_page_shows_every_section(world, client_for, draft):
    response = client_for(world.a.builder).get(draft.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    for text in (
        "What they care about",
        "Gifts discovered",
        "Ideas and dreams for the street",
        "Who they already know",
        "Who they should meet",
        "Follow-ups",
        "Private notes",
        "Finish conversation",
        'hx-trigger="input changed delay:800ms, autosave-retry"',
        "js/conversations.js",
    ):
        assert text in content, text
    assert 'aria-live="polite"' in content


def test_autosave_one_field_over_htmx(world, client_for, draft):
    client = client_for(world.a.builder)
    response = client.post(
        save_url(draft),
        {"cares_about": "De speeltuin\r\nen de bomen", "base-cares_about": "", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"conversation-version": {"version": 2}}
    draft.refresh_from_db()
    assert draft.cares_about == "De speeltuin\nen de bomen"
    assert draft.version == 2 and draft.updated_by == world.a.builder


def test_saving_the_same_text_again_changes_nothing(world, client_for, draft):
    client = client_for(world.a.builder)
    data = {"ideas": "Straatfeest", "base-ideas": "", "version": "1"}
    client.post(save_url(draft), data, headers=HX)
    response = client.post(save_url(draft), data, headers=HX)  # a resend after a lost answer
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.ideas, draft.version) == ("Straatfeest", 2)


def test_other_fields_saved_meanwhile_are_no_conflict(world, client_for, draft):
    client = client_for(world.a.builder)
    client.post(
        save_url(draft), {"ideas": "Straatfeest", "base-ideas": "", "version": "1"}, headers=HX
    )
    # a second device still at version 1 writes another field
    response = client.post(
        save_url(draft),
        {"private_notes": "Liever niet bellen", "base-private_notes": "", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.ideas, draft.private_notes, draft.version) == (
        "Straatfeest",
        "Liever niet bellen",
        3,
    )


def test_conflict_shows_both_texts_and_saves_nothing(world, client_for, draft):
    client = client_for(world.a.builder)
    client.post(
        save_url(draft),
        {"cares_about": "Their text: de speeltuin", "base-cares_about": "", "version": "1"},
        headers=HX,
    )
    response = client.post(
        save_url(draft),
        {"cares_about": "My text: de bomen", "base-cares_about": "", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed" in content
    assert "Their text: de speeltuin" in content and "My text: de bomen" in content
    assert "Nothing is lost" in content
    draft.refresh_from_db()
    assert draft.cares_about == "Their text: de speeltuin"
    # keeping mine: send again from their text as base
    response = client.post(
        save_url(draft),
        {
            "cares_about": "My text: de bomen",
            "base-cares_about": "Their text: de speeltuin",
            "version": "2",
        },
        headers=HX,
    )
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.cares_about == "My text: de bomen"


def test_conflict_without_javascript_shows_both_texts_on_the_page(world, client_for, draft):
    draft.cares_about = "Theirs"
    draft.version = 5
    draft.save()
    response = client_for(world.a.builder).post(
        save_url(draft),
        {"cares_about": "Mine", "base-cares_about": "", "version": "1"},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Theirs" in content and "Mine" in content
    # the box holds my text; its base is now theirs, so "Save" keeps mine knowingly
    assert '<input type="hidden" name="base-cares_about" value="Theirs"' in content


def test_save_all_fields_without_javascript(world, client_for, draft):
    response = client_for(world.a.builder).post(
        save_url(draft),
        {
            "version": "1",
            "cares_about": "Groen",
            "base-cares_about": "",
            "place": "Buurthuis",
            "base-place": "",
            "held_on": "2026-01-05",
            "base-held_on": draft.held_on.isoformat(),
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.cares_about, draft.place, draft.held_on.isoformat()) == (
        "Groen",
        "Buurthuis",
        "2026-01-05",
    )


def test_huge_paste_is_refused_with_a_clear_message_and_the_draft_intact(world, client_for, draft):
    draft.private_notes = "Earlier notes"
    draft.save()
    huge = "x" * (TEXT_LIMIT + 1)
    client = client_for(world.a.builder)
    response = client.post(
        save_url(draft),
        {"private_notes": huge, "base-private_notes": "Earlier notes", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "20,001 characters" in content and "20,000" in content
    draft.refresh_from_db()
    assert draft.private_notes == "Earlier notes"
    # without JS the page comes back with the pasted text still in the box
    response = client.post(
        save_url(draft),
        {"private_notes": huge, "base-private_notes": "Earlier notes", "version": "1"},
    )
    assert response.status_code == 422
    assert huge in response.content.decode()


def test_bad_or_future_date_is_refused(world, client_for, draft):
    client = client_for(world.a.builder)
    for value, message in (("soon", "Give the date"), ("2999-01-01", "in the future")):
        response = client.post(save_url(draft), {"held_on": value, "version": "1"}, headers=HX)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert Conversation.objects.get().held_on == draft.held_on


def test_saving_a_finished_conversation_is_refused_and_says_so(world, client_for, draft):
    draft.status = "finished"
    draft.save()
    response = client_for(world.a.builder).post(
        save_url(draft), {"ideas": "Late idea", "version": "1"}, headers=HX
    )
    assert response.status_code == 409
    assert "has been finished" in response.content.decode()
    draft.refresh_from_db()
    assert draft.ideas == ""


def test_empty_post_changes_nothing(world, client_for, draft):
    response = client_for(world.a.builder).post(save_url(draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 1


def test_each_field_carries_its_limit_for_the_page_to_check(world, client_for, draft):
    content = client_for(world.a.builder).get(draft.get_absolute_url()).content.decode()
    for name in ("cares_about", "ideas", "private_notes"):
        assert re.search(rf'id="id_{name}"[^>]*data-limit="{TEXT_LIMIT}"', content), name
    assert re.search(r'id="id_place"[^>]*data-limit="200"', content)
    assert not re.search(r'id="id_held_on"[^>]*data-limit', content)
    # the messages the page fills in: how long, and what is allowed
    assert "This text is {length} characters, more than the {limit} allowed" in content


def test_a_request_over_the_upload_limit_is_a_400_and_saves_nothing(
    world, client_for, draft, settings
):
    # what the page maps to "This text is N characters ... shorten it" (and never sends)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client_for(world.a.builder).post(
        save_url(draft),
        {"private_notes": huge, "base-private_notes": "", "version": "1"},
        headers=HX,
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert (draft.private_notes, draft.version) == ("", 1)


def test_a_logged_conversation_tells_the_page_what_the_server_holds(world, client_for):
    conversation = make_finished(
        world.a.neighbourhood, world.a.builder, cares_about='De "speeltuin"', place=""
    )
    content = client_for(world.a.builder).get(conversation.get_absolute_url()).content.decode()
    # so words kept on the device that never got there can be shown to copy, the rest forgotten
    assert (
        '<script id="saved-cares_about" type="application/json">"De \\"speeltuin\\""</script>'
        in content
    )
    assert '<script id="saved-place" type="application/json">""</script>' in content
    assert 'id="leftovers"' in content and "Remove them from this device" in content

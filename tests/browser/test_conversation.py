"""A builder logs a kitchen-table conversation on a phone, and loses nothing offline."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Conversation, Status
from network.models import Connection, Origin
from residents.models import Gift
from tests.conversations.factories import make_conversation, make_person
from tests.factories import PASSWORD

from .conversation_flow import GIFTS, count_interactions, kitchen_table_flow, run

PHONE = {"locale": "en-GB", "viewport": {"width": 360, "height": 740}}


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@pytest.mark.browser_context_args(**PHONE)
def test_log_a_conversation_on_a_phone(page, live_server, world, screenshot, axe):
    nb = world.a.neighbourhood
    make_person(nb, "Kees")
    make_person(nb, "Ans")
    sign_in(page, live_server, world.a.builder.username)
    expect(page.get_by_role("heading", name=nb.name)).to_be_visible()

    steps = kitchen_table_flow(timezone.localdate(), "Fatima", knows="Kees", meets="Ans")
    performed = run(page, steps)
    assert performed == count_interactions(steps) <= 25

    # the conversation is logged: the summary page
    expect(page.get_by_role("heading", name="Conversation with Fatima")).to_be_visible()
    expect(page.get_by_text("Conversation with Fatima logged.")).to_be_visible()
    conversation = Conversation.objects.get(person__name="Fatima")
    assert conversation.status == Status.FINISHED
    assert conversation.cares_about == "De speeltuin op de hoek en de eenzaamheid."
    assert sorted(
        Gift.objects.filter(person=conversation.person).values_list("title", flat=True)
    ) == sorted(title for _kind, title in GIFTS)
    assert Connection.objects.filter(origin=Origin.KNEW).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    kept = "Object.keys(localStorage).filter(k => k.startsWith('assetmap:conversation:'))"
    assert page.evaluate(kept) == []  # nothing of a logged conversation stays on the phone
    screenshot("conversation-summary-360")
    axe("conversation summary")

    # the person page shows all of it
    page.get_by_role("link", name="Fatima").first.click()
    expect(page.get_by_role("heading", name="Fatima", exact=True)).to_be_visible()
    timeline = page.locator("#conversations")
    for text in ["De speeltuin op de hoek", "Kees", "Ans", "Folder van de koffieochtend brengen"]:
        expect(timeline.get_by_text(text, exact=False).first).to_be_visible()
    for _kind, title in GIFTS:
        expect(page.get_by_role("heading", name=title)).to_be_visible()  # the person's gifts
    screenshot("conversation-person-page-360")

    # the introduction is still open until a builder marks it as made
    page.goto(live_server.url + reverse("conversations:introductions", args=[nb.slug]))
    page.get_by_role("button", name="Mark as introduced to Ans").click()
    expect(page.get_by_text("Introduction made")).to_be_visible()
    connection = Connection.objects.get(origin=Origin.INTRODUCED)
    assert (connection.origin_note, connection.conversation) == ("", conversation)

    # the follow-up is on my list
    page.goto(live_server.url + reverse("conversations:follow_ups", args=[nb.slug]))
    expect(page.get_by_text("Folder van de koffieochtend brengen").first).to_be_visible()
    axe("my follow-ups")
    page.goto(live_server.url + reverse("conversations:list", args=[nb.slug]))
    expect(page.get_by_text("1 conversation")).to_be_visible()
    axe("conversation list")


@pytest.mark.browser_context_args(**PHONE)
def test_nothing_typed_is_lost_when_the_connection_drops(page, live_server, world, screenshot, axe):
    nb = world.a.neighbourhood
    sign_in(page, live_server, world.a.builder.username)
    page.goto(live_server.url + reverse("conversations:new", args=[nb.slug]))
    axe("new conversation")
    page.get_by_label("First name", exact=True).fill("Wim")
    page.get_by_label("Street", exact=True).fill("Eikenlaan")
    page.get_by_label("They agreed, out loud, to the text above").check()
    page.get_by_role("button", name="Start the conversation").click()
    page.wait_for_load_state()
    axe("draft conversation")
    status = page.locator("#save-status")
    cares = page.get_by_label("What they care about", exact=True)
    cares.fill("Online typed.")
    expect(status).to_have_text("All changes saved.")  # after the debounce and the answer
    conversation = Conversation.objects.get(person__name="Wim")
    expect_saved(conversation, "cares_about", "Online typed.")

    # the server becomes unreachable for every change
    pattern, unreachable = offline(page)
    cares.press_sequentially(" Then offline.", delay=10)
    notes = page.get_by_label("Private notes", exact=True)
    notes.fill("Offline note: liever niet bellen.")
    gifts = page.locator("#gifts")
    gifts.get_by_label("hands (skills)", exact=True).check()
    gifts.get_by_label("Gift", exact=True).fill("Taarten bakken")
    gifts.get_by_role("button", name="Add gift").click()
    expect(status).to_contain_text("Not yet saved")
    expect(gifts.get_by_text("Taarten bakken — not yet saved")).to_be_visible()
    screenshot("conversation-offline-360")

    # reload while still unreachable: everything typed comes back from this device
    page.reload()
    page.wait_for_load_state()
    expect(page.get_by_label("What they care about", exact=True)).to_have_value(
        "Online typed. Then offline."
    )
    expect(page.get_by_label("Private notes", exact=True)).to_have_value(
        "Offline note: liever niet bellen."
    )
    expect(status).to_contain_text("Not yet saved")
    conversation.refresh_from_db()
    assert conversation.cares_about == "Online typed."  # really not on the server yet

    # the connection is back: the page sends it all by itself
    page.unroute(pattern, unreachable)
    expect(status).to_have_text("All changes saved.", timeout=20_000)
    expect(page.locator("#gifts [data-items] strong").get_by_text("Taarten bakken")).to_be_visible()

    page.reload()
    page.wait_for_load_state()
    expect(page.get_by_label("What they care about", exact=True)).to_have_value(
        "Online typed. Then offline."
    )
    expect_saved(conversation, "cares_about", "Online typed. Then offline.")
    expect_saved(conversation, "private_notes", "Offline note: liever niet bellen.")
    assert conversation.draft_gifts.filter(title="Taarten bakken").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def open_draft(page, live_server, world, **fields):
    """A draft of the builder's with Joke, open on the builder's phone."""
    nb = world.a.neighbourhood
    draft = make_conversation(nb, world.a.builder, make_person(nb, "Joke"), **fields)
    sign_in(page, live_server, world.a.builder.username)
    page.goto(live_server.url + draft.get_absolute_url())
    page.wait_for_load_state()
    return draft


def expect_saved(conversation, field: str, value: str) -> None:
    conversation.refresh_from_db()
    assert getattr(conversation, field) == value


@pytest.mark.browser_context_args(**PHONE)
def test_two_builders_editing_the_same_text_see_both(page, live_server, world, screenshot, axe):
    draft = open_draft(page, live_server, world, cares_about="Start")
    # meanwhile someone else (another device) saves another text
    Conversation.objects.filter(pk=draft.pk).update(cares_about="Their version", version=2)
    cares = page.get_by_label("What they care about", exact=True)
    cares.fill("My version")
    conflict = page.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_label("Their text (saved)")).to_have_value("Their version")
    expect(conflict.get_by_label("Your text (not saved yet)")).to_have_value("My version")
    expect(page.locator("#save-status")).to_contain_text("Not yet saved")
    draft.refresh_from_db()
    assert draft.cares_about == "Their version"  # not overwritten
    screenshot("conversation-conflict-360")
    axe("conflict")
    cares.fill("My version, and theirs")
    conflict.get_by_role("button", name="Save the text in the box").click()
    expect(page.locator("#save-status")).to_have_text("All changes saved.")
    expect(conflict).to_have_count(0)
    draft.refresh_from_db()
    assert draft.cares_about == "My version, and theirs"


@pytest.mark.browser_context_args(**PHONE)
def test_an_over_long_paste_is_not_sent_and_not_lost(page, live_server, world):
    draft = open_draft(page, live_server, world)
    saves = []
    page.on(
        "request", lambda r: saves.append(r) if r.method == "POST" and "/save/" in r.url else None
    )
    huge = "Begin. " + "x" * (2_700_000 - 7)  # more than Django's 2.5 MB request limit
    notes = page.get_by_label("Private notes", exact=True)
    notes.fill(huge)
    message = (
        "This text is 2,700,000 characters, more than the 20,000 allowed; shorten it — "
        "it is kept on this device meanwhile."
    )
    feedback = page.locator("#feedback-private_notes")
    expect(feedback).to_have_text(message)
    expect(page.locator("#save-status")).to_contain_text("Not yet saved")
    page.wait_for_timeout(1500)  # longer than the autosave's pause
    assert saves == []  # refused before sending: the server would only answer 400

    page.reload()
    value = "document.getElementById('id_private_notes').value"
    expect(feedback).to_have_text(message)
    assert page.evaluate(value) == huge
    draft.refresh_from_db()
    assert draft.private_notes == ""

    # shortened, it is saved as usual and the message goes
    notes.fill("Begin. Korter.")
    expect(page.locator("#save-status")).to_have_text("All changes saved.")
    expect(feedback).to_be_empty()
    expect_saved(draft, "private_notes", "Begin. Korter.")


@pytest.mark.browser_context_args(**PHONE)
def test_a_too_large_answer_from_the_server_says_so(page, live_server, world):
    draft = open_draft(page, live_server, world)
    # a proxy in front of the server with a smaller request limit answers 413
    page.route(
        re.compile(r".*/save/$"),
        lambda route: route.fulfill(status=413, body="Request Entity Too Large"),
    )
    page.get_by_label("What they care about", exact=True).fill("Een lange tekst")
    expect(page.locator("#feedback-cares_about")).to_have_text(
        "This text is 15 characters, too much to send at once; shorten it — "
        "it is kept on this device meanwhile."
    )
    expect(page.locator(".messages")).to_have_count(0)  # not the generic "try again"
    key = f"assetmap:conversation:{draft.pk}:cares_about"
    assert page.evaluate(f"JSON.parse(localStorage.getItem('{key}')).value") == "Een lange tekst"


def offline(page) -> tuple[re.Pattern, object]:
    """Every change of a conversation fails as if the connection were down; pages still load."""

    def unreachable(route):
        if route.request.method == "POST":
            route.abort()
        else:
            route.fallback()

    pattern = re.compile(r".*/conversations/\d+/.*")
    page.route(pattern, unreachable)
    return pattern, unreachable


@pytest.mark.browser_context_args(**PHONE)
def test_a_queued_addition_refused_on_replay_stays_visible(
    page, live_server, world, screenshot, axe
):
    draft = open_draft(page, live_server, world)
    status = page.locator("#save-status")
    gifts = page.locator("#gifts")

    pattern, unreachable = offline(page)
    gifts.get_by_label("hands (skills)", exact=True).check()
    gifts.get_by_label("Gift", exact=True).fill("Taarten bakken")
    gifts.get_by_label("Other tags", exact=True).fill("bakken, feest")
    gifts.get_by_role("button", name="Add gift").click()
    expect(gifts.get_by_text("Taarten bakken — not yet saved")).to_be_visible()

    # meanwhile the conversation is finished on another device; then the connection is back
    Conversation.objects.filter(pk=draft.pk).update(
        status=Status.FINISHED, finished_at=timezone.now()
    )
    page.unroute(pattern, unreachable)
    refused = gifts.locator("li.refused")
    expect(refused).to_contain_text(
        "Could not be added: this conversation was finished on another device", timeout=20_000
    )
    expect(refused).to_contain_text("Taarten bakken · bakken, feest")
    expect(status).to_contain_text("Not yet saved")
    # one added now, with the connection up, is kept the same way (not swapped for a note)
    gifts.get_by_label("heart (what I care about)", exact=True).check()
    gifts.get_by_label("Gift", exact=True).fill("Soep koken")
    gifts.get_by_role("button", name="Add gift").click()
    expect(refused.nth(1)).to_contain_text("Soep koken")
    expect(page.locator(".messages")).to_have_count(0)  # not the generic "try again"
    assert not draft.draft_gifts.exists()
    screenshot("conversation-refused-addition-360")
    axe("refused addition")

    # the finished conversation's page still offers the words to copy, until removed
    page.reload()
    leftovers = page.locator("#leftovers")
    expect(leftovers).to_be_visible()
    expect(leftovers.get_by_role("textbox")).to_have_count(2)
    expect(leftovers.get_by_role("textbox").first).to_have_value("Taarten bakken · bakken, feest")
    expect(leftovers.get_by_role("textbox").nth(1)).to_have_value("Soep koken")
    screenshot("conversation-leftovers-360")
    axe("words left over on a finished conversation")
    leftovers.get_by_role("button", name="Remove them from this device").click()
    expect(leftovers).to_be_hidden()
    page.reload()
    expect(page.locator("#leftovers")).to_be_hidden()
    kept = "Object.keys(localStorage).filter(k => k.startsWith('assetmap:conversation:'))"
    assert page.evaluate(kept) == []


@pytest.mark.browser_context_args(**PHONE)
def test_an_addition_refused_with_403_can_be_sent_again(page, live_server, world):
    draft = open_draft(page, live_server, world)
    # e.g. signed in again in another tab: this page's CSRF token no longer counts
    pattern = re.compile(r".*/conversations/\d+/follow-ups/$")

    def forbidden(route):
        route.fulfill(status=403, body="Forbidden")

    page.route(pattern, forbidden)
    follow_ups = page.locator("#follow-ups")
    follow_ups.get_by_label("What", exact=True).fill("Buurman Kees bellen")
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    follow_ups.get_by_label("Due date", exact=True).fill(due)
    follow_ups.get_by_role("button", name="Add follow-up").click()
    refused = follow_ups.locator("li.refused")
    expect(refused).to_contain_text("Could not be added: you may not change this conversation")
    expect(refused).to_contain_text(f"Buurman Kees bellen · {due}")
    expect(page.locator(".messages")).to_have_count(0)

    page.unroute(pattern, forbidden)
    refused.get_by_role("button", name="Try again").click()
    expect(
        follow_ups.locator("[data-items] strong").get_by_text("Buurman Kees bellen")
    ).to_be_visible()
    expect(refused).to_have_count(0)
    expect(page.locator("#save-status")).to_have_text("All changes saved.")
    assert draft.follow_ups.filter(what="Buurman Kees bellen").count() == 1


@pytest.mark.browser_context_args(**PHONE)
def test_the_builder_is_told_when_this_device_cannot_keep_changes(page, live_server, world):
    nb = world.a.neighbourhood
    draft = make_conversation(nb, world.a.builder, make_person(nb, "Joke"))
    page.add_init_script(
        "Storage.prototype.setItem = function () {"
        " throw new DOMException('full', 'QuotaExceededError'); };"
    )
    sign_in(page, live_server, world.a.builder.username)
    page.goto(live_server.url + draft.get_absolute_url())
    status = page.locator("#save-status")
    pattern, unreachable = offline(page)
    page.get_by_label("What they care about", exact=True).fill("Niet te bewaren")
    expect(status).to_contain_text("this device cannot keep it")
    page.unroute(pattern, unreachable)
    expect(status).to_have_text("All changes saved.", timeout=20_000)
    expect_saved(draft, "cares_about", "Niet te bewaren")

"""A shared device: Back after HTMX navigation, and nothing personal left after logging out."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conversations.models import Conversation
from tests.conversations.factories import make_finished, make_person

from .test_conversation import PHONE, offline, open_draft, sign_in

# Every key and value this device keeps for the page, in both storages.
STORED = """() => [localStorage, sessionStorage].map(s =>
    Object.keys(s).map(k => k + '=' + s.getItem(k)).join('\\n')).join('\\n')"""
HTMX_HISTORY = "htmx-history-cache"


def no_dialog(dialog):
    raise AssertionError(f"unexpected dialog: {dialog.message}")


@pytest.mark.browser_context_args(**PHONE)
def test_back_after_htmx_navigation_and_nothing_left_after_logout(page, live_server, world):
    nb = world.a.neighbourhood
    builder = world.a.builder
    make_finished(nb, builder, make_person(nb, "Fatima", street="Eikenlaan"))
    make_finished(nb, builder, make_person(nb, "Kees", street="Berkenlaan"))
    page.on("dialog", no_dialog)  # nothing unsent: logging out asks nothing
    sign_in(page, live_server, builder.username)
    list_url = live_server.url + reverse("conversations:list", args=[nb.slug])
    page.goto(list_url)
    rows = page.locator("#rows")
    expect(rows.get_by_text("Kees")).to_be_visible()

    # filter over HTMX: the address changes, only the rows are swapped
    page.get_by_label("Street", exact=True).fill("Eikenlaan")
    expect(page).to_have_url(re.compile(r".*\?.*street=Eikenlaan"))
    expect(rows.get_by_text("Kees")).to_have_count(0)
    expect(rows.get_by_text("Fatima")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # Back: htmx asks the server for the page again; it is the whole page, not the rows
    with page.expect_response(lambda r: r.request.headers.get("hx-history-restore-request")):
        page.go_back()
    expect(page).to_have_url(list_url)
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("#rows")).to_have_count(1)
    expect(page.locator("#rows").get_by_text("Kees")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # forward again, then open a conversation: a full page load
    page.go_forward()
    expect(page.locator("#rows").get_by_text("Kees")).to_have_count(0)
    page.locator("#rows").get_by_role("link", name="Fatima").click()
    page.wait_for_load_state()
    assert page.evaluate(f"sessionStorage.getItem('{HTMX_HISTORY}')") is None

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    stored = page.evaluate(STORED)
    assert HTMX_HISTORY not in stored
    for personal in ("Fatima", "Kees", "Eikenlaan", "/conversations/", "/n/"):
        assert personal not in stored, (personal, stored)


@pytest.mark.browser_context_args(**PHONE)
def test_logging_out_with_unsent_words_asks_first(page, live_server, world, screenshot):
    draft = open_draft(page, live_server, world)
    key = f"assetmap:conversation:{draft.pk}:cares_about"
    status = page.locator("#save-status")
    offline(page)
    page.get_by_label("What they care about", exact=True).fill("Zorgen om de buurman")
    expect(status).to_contain_text("Not yet saved")

    # the builder cancels: still signed in, the words still on the page and on this device
    asked = []

    def cancel(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert asked == [
        "You have text on this device that has not been sent yet. If you log out now, "
        "it is removed from this device. Log out anyway?"
    ]
    assert page.url.endswith(draft.get_absolute_url())
    expect(page.get_by_label("What they care about", exact=True)).to_have_value(
        "Zorgen om de buurman"
    )
    assert "Zorgen om de buurman" in page.evaluate(f"localStorage.getItem('{key}')")
    screenshot("logout-unsent-cancelled-360")

    # the builder agrees: logged out, and the words are gone from this device
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert len(asked) == 2
    stored = page.evaluate(STORED)
    assert "assetmap:conversation:" not in stored
    assert "Zorgen om de buurman" not in stored
    assert Conversation.objects.get(pk=draft.pk).cares_about == ""  # it never was sent

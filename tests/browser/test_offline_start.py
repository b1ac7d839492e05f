"""Start a conversation with no signal: the page was kept by an earlier visit; everything
typed survives a reload and arrives once, in order, when the connection is back."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conversations.models import Conversation, Introduction
from tests.conversations.factories import make_person
from tests.factories import PASSWORD

PHONE = {"locale": "nl-NL", "viewport": {"width": 360, "height": 740}}


@pytest.fixture
def phone(browser):
    """A phone of its own: no request routing (Playwright's routing bypasses service workers;
    the app asks nothing outside the live server anyway)."""
    context = browser.new_context(service_workers="allow", **PHONE)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_start_a_conversation_offline(phone, live_server, world):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans")
    page = phone.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(world.a.builder.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # an earlier visit, with a connection, keeps the page on the phone
    new_url = live_server.url + reverse("conversations:new", args=[nb.slug])
    page.goto(new_url)
    expect(page.locator("html[data-offline-ready='1']")).to_have_count(1)

    phone.set_offline(True)
    page.goto(new_url)
    form = page.locator("#offline-form")
    expect(form).to_be_visible()
    assert page.evaluate("navigator.onLine") is False
    form.locator("[name=first_name]").fill("Fatima")
    form.locator("[name=street]").fill("Lindenlaan")
    form.locator("[name=consent_given]").check()
    form.locator("[name=cares_about]").fill("De moestuin achter de flat")
    form.locator("[name=gift_kind]").nth(0).select_option("hands")
    form.locator("[name=gift_title]").nth(0).fill("Fietsen repareren")
    form.locator("[name=gift_kind]").nth(1).select_option("head")
    form.locator("[name=gift_title]").nth(1).fill("Turks koken")
    form.locator("[name=meet_name]").first.fill("Ans")
    form.locator("[name=meet_reason]").first.fill("Beiden houden van tuinieren")

    # a reload (or a closed tab) loses nothing
    page.reload()
    form = page.locator("#offline-form")
    expect(form.locator("[name=first_name]")).to_have_value("Fatima")
    expect(form.locator("[name=gift_title]").nth(1)).to_have_value("Turks koken")
    expect(form.locator("[name=meet_reason]").first).to_have_value("Beiden houden van tuinieren")
    form.locator("button[type=submit]").click()
    expect(page.locator("#offline-outbox")).to_contain_text("Fatima")
    assert not Conversation.objects.exists()

    page.reload()  # still offline: it waits on the phone
    expect(page.locator("#offline-outbox")).to_contain_text("Fatima")
    assert not Conversation.objects.exists()

    phone.set_offline(False)
    expect(page.locator("#offline-status a")).to_be_visible(timeout=20_000)
    expect(page.locator("#offline-outbox")).to_be_empty()

    conversation = Conversation.objects.get()
    assert conversation.builder == world.a.builder
    assert conversation.person.name == "Fatima" and conversation.person.street == "Lindenlaan"
    assert conversation.cares_about == "De moestuin achter de flat"
    assert [(g.kind, g.title) for g in conversation.draft_gifts.order_by("pk")] == [
        ("hands", "Fietsen repareren"),
        ("head", "Turks koken"),
    ]
    [introduction] = Introduction.objects.all()
    assert (introduction.to_person, introduction.conversation) == (ans, conversation)

    # sending again (another tab, a late retry) adds nothing
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.reload()  # with a connection, "new conversation" is the usual start page again
    expect(page.locator("main form").first).to_be_visible()
    expect(page.locator("#offline-form")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert Conversation.objects.count() == 1

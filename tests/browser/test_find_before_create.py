"""Find before you create, on a phone (360×740): a builder starts a conversation with someone
already known by typing a name with a typo and picking them; no duplicate is recorded. A new
person who closely matches asks "Did you mean …?" first."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Conversation
from residents.models import ConsentRecord, Person
from tests.conversations.factories import make_person

from .conversation_flow import count_interactions, known_person_start, run
from .test_conversation import PHONE, sign_in


@pytest.mark.browser_context_args(**PHONE)
def test_start_with_someone_known_without_a_duplicate(page, live_server, world, screenshot, axe):
    nb = world.a.neighbourhood
    gerda = make_person(nb, "Gerda de Vries", street="Seringenlaan", house_number="12")
    ConsentRecord.objects.create(
        person=gerda,
        fields=["name", "street", "conversations"],
        audience="builders",
        text="ja",
        text_version="2026-1",
        how="kitchen_table",
        given_at=timezone.now(),
    )
    make_person(nb, "Kees", street="Seringenlaan")
    sign_in(page, live_server, world.a.builder.username)

    # a typo and another house number still find her; Kees of the same street does not fit
    steps = known_person_start("Gedra", "Seringenlaan 14", pick="Gerda de Vries")
    before_pick = steps.index(next(s for s in steps if s.action == "wait")) + 1
    assert run(page, steps[:before_pick]) == 3
    assert page.locator("#matches").get_by_text("Kees").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("find-before-create-360")
    axe("new conversation with matches")
    assert run(page, steps[before_pick:]) == 1
    conversation = Conversation.objects.get()
    assert conversation.person == gerda
    assert Person.objects.count() == 2  # nobody new
    assert count_interactions(known_person_start("Gerda", "Seringenlaan")) == 4


@pytest.mark.browser_context_args(**PHONE)
def test_a_close_match_asks_did_you_mean(page, live_server, world, screenshot):
    nb = world.a.neighbourhood
    make_person(nb, "Gerda", street="Seringenlaan")
    sign_in(page, live_server, world.a.builder.username)
    page.get_by_role("link", name="Start a conversation").click()
    page.get_by_label("First name", exact=True).fill("Gerda")
    page.get_by_label("Street", exact=True).fill("Seringenlaan")
    page.get_by_label("They agreed, out loud, to the text above").check()
    page.get_by_role("button", name="Start the conversation").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Did you mean")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("did-you-mean-360")
    assert Person.objects.count() == 1
    page.get_by_role("button", name="No, Gerda is someone new: start with a new person").click()
    page.wait_for_load_state()
    expect(page.get_by_label("What they care about")).to_be_visible()
    assert Person.objects.count() == 2

"""Claim flow end to end at phone size: open the invite link, choose a password, edit a gift,
choose who sees what and watch the preview of how the neighbours see you."""

import re

from playwright.sync_api import expect

from me.models import InviteKind
from residents.models import Person
from tests.me.factories import make_invite
from tests.residents.factories import make_gift, make_person

PASSWORD = "populier-boom-2026-zomer"


def _english(page, live_server) -> None:
    page.goto(f"{live_server.url}/claim/")
    page.wait_for_load_state()  # js/app.js makes the language select submit itself
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_claim_edit_a_gift_choose_visibility_see_preview(page, live_server, world, screenshot, axe):
    person = make_person(
        world.a.neighbourhood, "Noor Haddou", street="Populierenlaan", phone="06 1111 2222"
    )
    make_gift(person, "Naaien", share=False)
    _invite, token = make_invite(person, InviteKind.LINK, world.a.builder)
    page.set_viewport_size({"width": 360, "height": 740})
    _english(page, live_server)

    page.goto(f"{live_server.url}/claim/{token}/")
    expect(page.get_by_role("heading", name="Is this you?")).to_be_visible()
    expect(page.get_by_text("06 1111 2222")).to_be_visible()
    assert token not in page.url
    axe("claim-confirm")
    screenshot("claim-confirm")
    page.get_by_label("Username").fill("noor")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("This is me.").check()
    page.get_by_role("button", name="Claim my profile").click()

    expect(page.get_by_role("heading", name="Everything about me")).to_be_visible()
    expect(page.get_by_text("This profile is yours now")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe("me-profile")
    screenshot("me-profile")

    page.get_by_role("link", name="My gifts").click()
    page.get_by_role("link", name="Edit Naaien").click()
    page.get_by_label("Title").fill("Naaien en verstellen")
    page.get_by_label("Would share or teach").check()
    page.get_by_role("button", name="Save gift").click()
    expect(page.get_by_text("Gift “Naaien en verstellen” was saved.")).to_be_visible()
    gift = person.gifts.get()
    assert gift.title == "Naaien en verstellen" and gift.share

    page.get_by_role("link", name="Who sees what").click()
    page.wait_for_load_state()
    preview = page.locator("#preview .preview-residents")
    expect(preview).to_contain_text("Your neighbours do not see you")
    with page.expect_response(lambda r: "/visibility/" in r.url and r.request.method == "POST"):
        page.get_by_label(re.compile(r"^Name:?$")).select_option("residents")
    expect(page.locator("#preview .preview-residents")).to_contain_text("Noor Haddou")
    with page.expect_response(lambda r: "/visibility/" in r.url and r.request.method == "POST"):
        page.get_by_label(re.compile(r"^Gifts:?$")).select_option("residents")
    expect(page.locator("#preview .preview-residents")).to_contain_text("Naaien en verstellen")
    expect(page.locator("#preview .preview-residents")).not_to_contain_text("06 1111 2222")
    assert Person.objects.get(pk=person.pk).visibility["name"] == "builders"  # preview only
    axe("me-visibility")
    screenshot("me-visibility-preview")
    page.get_by_role("button", name="Save who sees what").click()
    expect(page.get_by_text("Who sees what was saved.")).to_be_visible()
    saved = Person.objects.get(pk=person.pk).visibility
    assert saved["name"] == saved["gifts"] == "residents" and saved["phone"] == "builders"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

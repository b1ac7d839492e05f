"""A builder on a phone adds a person with a photo and three gifts; search finds them."""

import io

from PIL import Image
from playwright.sync_api import expect

from residents.models import Person
from tests.factories import PASSWORD


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 90)).save(out, "JPEG")
    return out.getvalue()


def _sign_in_in_english(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _add_gift(page, kind: str, title: str, tag_prefix: str, tag: str, *, another: bool) -> None:
    page.get_by_label(kind).check()
    page.locator("#id_title").fill(title)
    tags = page.locator("#id_tags")
    tags.click()
    tags.press_sequentially(tag_prefix, delay=30)
    suggestion = page.locator(f'#tag-suggestions [data-tag="{tag}"]')
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(tags).to_have_value(f"{tag}, ")
    button = "Save and add another" if another else "Save"
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(f"Gift “{title}” was added.")).to_be_visible()


def test_builder_adds_person_with_photo_and_three_gifts_on_a_phone(
    page, live_server, world, screenshot
):
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in_in_english(page, live_server, "builder_a")
    slug = world.a.slug

    page.goto(f"{live_server.url}/n/{slug}/people/new/")
    page.wait_for_load_state()
    page.wait_for_function("window.htmx !== undefined")
    page.locator("#id_name").fill("Fatima El Idrissi")
    page.locator("#id_street").fill("Grasélaan")
    # inline validation over HTMX: the e-mail field answers as soon as it changes
    page.locator("#id_email").fill("niet-een-adres")
    page.locator("#id_phone").click()
    expect(page.locator("#field-email .error")).to_contain_text(
        "Enter a valid email address.", timeout=20_000
    )
    page.locator("#id_email").fill("fatima@example.org")
    page.locator("#id_phone").click()
    expect(page.locator("#field-email .error")).to_have_count(0)
    page.locator("#id_photo").set_input_files(
        files=[{"name": "fatima.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.locator("#id_visible_name").select_option("residents")
    page.locator("#id_visible_gifts").select_option("residents")
    page.locator("#id_consent_given").check()  # shown to residents: they agreed at the table
    screenshot("inventory-person-form-360")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Fatima El Idrissi", exact=True)).to_be_visible()

    person = Person.objects.get(name="Fatima El Idrissi")
    assert person.created_by == world.a.builder and person.photo
    page.get_by_role("link", name="Add a gift").click()
    page.wait_for_load_state()
    _add_gift(page, "hands (skills)", "Fietsen repareren", "fie", "fietsen", another=True)
    _add_gift(page, "head (knowledge)", "Nederlandse les", "taa", "taal", another=True)
    _add_gift(page, "heart (what I care about)", "Buurtmoestuin", "tui", "tuin", another=False)

    expect(page.get_by_role("heading", name="Fatima El Idrissi", exact=True)).to_be_visible()
    gifts = page.locator("section[aria-labelledby=gifts-heading] .gift-card")
    expect(gifts).to_have_count(3)
    portrait = page.locator("img.portrait")
    expect(portrait).to_be_visible()
    # visible is not loaded: wait for the thumbnail's own request to finish first
    page.wait_for_function("img => img.complete", arg=portrait.element_handle())
    assert portrait.evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("inventory-person-with-gifts-360")

    # live search finds the new gift, accent- and case-insensitively
    page.get_by_role("link", name="Search").click()
    page.wait_for_load_state()
    page.get_by_label(
        "Search people, gifts, initiatives, organisations, places, outcomes and conversations"
    ).press_sequentially("FIETS", delay=30)
    expect(page.locator("#results")).to_contain_text("Fietsen repareren")
    expect(page).to_have_url(f"{live_server.url}/n/{slug}/search/?q=FIETS")
    assert person.gifts.count() == 3

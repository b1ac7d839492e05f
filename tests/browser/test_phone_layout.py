"""Phone first for builders: at 360×740 the main actions are one tap away, nothing scrolls
sideways, and the dashboard starts with what the builder does next."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import PASSWORD

PHONE = {"locale": "nl-NL", "viewport": {"width": 360, "height": 740}}
MAIN_ACTIONS = ["Nieuw gesprek", "Mijn vervolgacties", "Zoeken", "Mensen"]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def no_sideways_scroll(page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths


def in_first_screen(locator) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box


@pytest.mark.browser_context_args(**PHONE)
def test_a_builders_main_actions_are_one_tap_away_on_a_phone(page, live_server, world, screenshot):
    nb = world.a.neighbourhood
    sign_in(page, live_server, world.a.builder.username)
    page.goto(live_server.url + reverse("neighbourhoods:dashboard", args=[nb.slug]))
    nav = page.get_by_role("navigation", name="Buurt")
    for name in MAIN_ACTIONS:
        in_first_screen(nav.get_by_role("link", name=name, exact=True))
    no_sideways_scroll(page)
    # the dashboard starts with what the builder does next
    start = page.get_by_role("main").get_by_role("link", name="Begin een gesprek").first
    in_first_screen(start)
    screenshot("phone-dashboard-builder")

    # the other pages are behind "Menu", a plain link: no JavaScript needed, keyboard too
    expect(nav.get_by_role("link", name="Kaart")).to_be_hidden()
    menu = nav.get_by_role("link", name="Menu")
    menu.focus()
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Kaart")).to_be_visible()
    no_sideways_scroll(page)
    nav.get_by_role("link", name="Menu sluiten").click()
    expect(nav.get_by_role("link", name="Kaart")).to_be_hidden()

    # one tap: a new conversation
    nav.get_by_role("link", name="Nieuw gesprek", exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("conversations:new", args=[nb.slug]))
    no_sideways_scroll(page)
    nav.get_by_role("link", name="Mijn vervolgacties", exact=True).click()
    expect(page.get_by_role("heading", name="Mijn vervolgacties")).to_be_visible()
    no_sideways_scroll(page)


@pytest.mark.browser_context_args(**PHONE)
def test_a_resident_gets_their_own_main_actions(page, live_server, world):
    sign_in(page, live_server, world.a.resident.username)
    page.goto(
        live_server.url + reverse("neighbourhoods:dashboard", args=[world.a.neighbourhood.slug])
    )
    nav = page.get_by_role("navigation", name="Buurt")
    for name in ("Overzicht", "Zoeken", "Mensen", "Kaart"):
        in_first_screen(nav.get_by_role("link", name=name, exact=True))
    expect(nav.get_by_role("link", name="Nieuw gesprek")).to_have_count(0)
    no_sideways_scroll(page)


@pytest.mark.browser_context_args(locale="nl-NL", viewport={"width": 1280, "height": 800})
def test_on_a_wide_screen_every_page_is_in_the_navigation(page, live_server, world):
    sign_in(page, live_server, world.a.coordinator.username)
    page.goto(
        live_server.url + reverse("neighbourhoods:dashboard", args=[world.a.neighbourhood.slug])
    )
    nav = page.get_by_role("navigation", name="Buurt")
    for name in ("Nieuw gesprek", "Gesprekken", "Kaart", "Leden"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Menu")).to_be_hidden()
    no_sideways_scroll(page)

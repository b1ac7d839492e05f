from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_sign_in_switch_to_english_see_dashboard(page, live_server, world, screenshot):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill("builder_a")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name=world.a.neighbourhood.name)).to_be_visible()
    expect(page.get_by_role("link", name="Overzicht")).to_be_visible()

    page.wait_for_load_state()  # js/app.js is deferred; it makes the select submit itself
    page.get_by_label("Taal").select_option("en")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("You take part as community builder.")).to_be_visible()
    # nothing wider than a phone screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("foundation-dashboard-en")

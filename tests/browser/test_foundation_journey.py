from playwright.sync_api import expect

from tests.factories import PASSWORD


def test_sign_in_switch_to_english_see_dashboard(page, live_server, world, screenshot, axe):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    axe("login")
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
    axe("dashboard")
    screenshot("foundation-dashboard-en")


def test_members_page_is_accessible_and_changes_roles_over_htmx(page, live_server, world, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill("coordinator_a")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.goto(f"{live_server.url}/n/{world.a.slug}/members/")
    page.wait_for_load_state()
    axe("members")
    row = page.locator("tr", has_text="resident_a")
    row.get_by_label("Rol van resident_a").select_option("builder")
    with page.expect_response(lambda r: "/role/" in r.url and r.request.method == "POST"):
        row.get_by_role("button", name="Wijzig").click()
    assert world.a.membership(world.a.resident).role == "builder"
    # demoting the last coordinator: the message appears in the row, nothing changes
    row = page.locator("tr", has_text="coordinator_a")
    row.get_by_label("Rol van coordinator_a").select_option("resident")
    with page.expect_response(lambda r: "/role/" in r.url and r.status == 422):
        row.get_by_role("button", name="Wijzig").click()
    expect(page.get_by_role("alert")).to_contain_text("laatste coördinator")
    assert world.a.membership(world.a.coordinator).role == "coordinator"

"""The network page offline in chromium (graph and table), and a builder who turns a
suggestion into a proposed introduction."""

import datetime

from playwright.sync_api import expect

from conversations.models import Introduction
from residents.models import GiftKind
from tests.factories import PASSWORD
from tests.network import factories as f


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # English pages from here on, whatever the state of the Dutch catalogue
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def small_network(nb):
    names = ["Ans", "Bert", "Cor", "Dini", "Eef", "Fatima", "Gerrit"]
    people = {name: f.person(nb, name, street="Populierstraat") for name in names}
    day = datetime.date.today() - datetime.timedelta(days=60)
    for a, b in [("Ans", "Bert"), ("Bert", "Cor"), ("Cor", "Dini"), ("Dini", "Eef")]:
        f.link(people[a], people[b], day)
    club = f.initiative(nb, "Koffieclub")
    for name in ("Ans", "Cor", "Eef"):
        f.member(club, people[name], day)
    f.gift(people["Ans"], "Nederlandse les", GiftKind.HEAD, tags=["taal"], share=True)
    f.gift(people["Fatima"], "Nederlandse les", GiftKind.HEAD, tags=["taal"], learn=True)
    return people


def test_network_page_renders_offline_with_graph_and_table(
    page, live_server, world, screenshot, axe
):
    small_network(world.a.neighbourhood)
    log_in(page, live_server, "builder_a")
    with page.expect_response(lambda r: "/network/data/" in r.url and r.status == 200):
        page.goto(f"{live_server.url}/n/{world.a.slug}/network/")
    page.wait_for_load_state("networkidle")
    # cytoscape drew the graph: its canvases are in the box, the fallback text is gone
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    expect(page.locator(".nw-graph-fallback")).to_have_count(0)
    count = page.evaluate("document.querySelectorAll('#network-graph canvas').length")
    assert count >= 1
    expect(page.locator("[data-graph-tools]")).to_be_visible()
    # the table alternative lists the same connections
    table = page.locator("#network-table table")
    expect(table).to_contain_text("Ans")
    expect(table).to_contain_text("Bert")
    expect(page.locator(".nw-bridges")).to_contain_text("Cor")
    # search to focus
    page.locator("#graph-search").fill("Cor")
    page.locator("[data-focus-form] button[type=submit]").click()
    expect(page.locator("[data-graph-status]")).to_contain_text("Cor")
    # the date slider goes back in time
    slider = page.locator("#graph-date")
    slider.focus()
    page.keyboard.press("Home")
    expect(page.locator("[data-graph-status]")).to_contain_text(": 0")
    axe("network page")
    screenshot("network-page")


def test_network_table_works_without_javascript(browser, live_server, world):
    small_network(world.a.neighbourhood)
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    log_in(page, live_server, "resident_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/network/?q=Dini")
    expect(page.locator(".nw-graph-fallback")).to_be_visible()
    expect(page.locator("#network-table table")).to_contain_text("Dini")
    expect(page.locator("#network-table table")).not_to_contain_text("Bert")
    context.close()


def test_builder_turns_a_suggestion_into_an_introduction(page, live_server, world, screenshot):
    people = small_network(world.a.neighbourhood)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/people/{people['Ans'].pk}/")
    panel = page.locator(".nw-suggestion").filter(has_text="Fatima")
    expect(panel).to_contain_text("Ans would teach Nederlandse les")
    screenshot("network-person-suggestion-360")
    panel.get_by_role("button", name="Propose an introduction").click()
    page.wait_for_load_state()
    introduction = Introduction.objects.get()
    assert (introduction.person_id, introduction.to_person_id) == (
        people["Ans"].pk,
        people["Fatima"].pk,
    )
    expect(page.locator(".nw-suggestion").filter(has_text="Fatima")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

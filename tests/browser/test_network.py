"""The network page offline in chromium (graph and table), and a builder who turns a
suggestion into a proposed introduction."""

import datetime

from playwright.sync_api import expect

from conversations.models import Introduction
from residents.models import GiftKind
from tests.browser.conftest import ARTEFACTS
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


def test_network_page_at_360_shows_groups_and_a_focused_initiative(
    page, live_server, world, screenshot, axe
):
    """On a phone: figures, groups and lists first, the graph one tap away; focusing on the
    coffee club shows its network two steps out, readable, without sideways scrolling."""
    small_network(world.a.neighbourhood)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/network/")
    expect(page.locator(".nw-compare")).to_be_visible()
    groups = page.locator(".nw-groups")
    expect(groups).to_be_visible()
    expect(groups).to_contain_text("Populierstraat")
    # the graph is one tap away on a phone
    details = page.locator("details.nw-graph-details")
    expect(page.locator("svg.nw-svg")).not_to_be_visible()
    details.locator("summary").click()
    expect(page.locator("svg.nw-svg")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("network-groups-360")
    # focus on the coffee club from its row in the measures
    page.locator(".nw-measures tr").filter(has_text="Koffieclub").get_by_role(
        "link", name="Focus"
    ).click()
    expect(page.locator("#graph-heading")).to_contain_text("The network of Koffieclub")
    svg = page.locator("svg.nw-svg")
    expect(svg).to_be_visible()  # open at once when focused
    bright = page.locator("svg.nw-svg circle:not(.nw-faded)")
    # members Ans, Cor, Eef and the people they are tied to: Bert, Dini
    assert bright.count() == 5
    assert page.locator("svg.nw-svg circle.nw-faded").count() == 2  # Fatima, Gerrit
    box = svg.bounding_box()
    assert box is not None and box["width"] <= 360 and box["height"] >= 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe("network page, focused on an initiative")
    svg.screenshot(path=str(ARTEFACTS / "network-focus-koffieclub-360-graph.png"))
    screenshot("network-focus-koffieclub-360")
    # on a wide screen the graph is open from the start, bridges labelled
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/n/{world.a.slug}/network/")
    expect(page.locator("svg.nw-svg")).to_be_visible()
    expect(page.locator("svg.nw-svg text").first).to_be_visible()
    screenshot("network-page")


def test_network_page_works_without_javascript(browser, live_server, world):
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
    expect(page.locator("#network-table table")).to_contain_text("Dini")
    expect(page.locator("#network-table table")).not_to_contain_text("Bert")
    # the picture is drawn by the server: one tap on the summary shows it, no script needed
    page.locator("details.nw-graph-details summary").click()
    expect(page.locator("svg.nw-svg")).to_be_visible()
    context.close()


def test_builder_turns_a_suggestion_into_an_introduction(page, live_server, world, screenshot):
    people = small_network(world.a.neighbourhood)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/people/{people['Ans'].pk}/")
    panel = page.locator(".nw-suggestion").filter(has_text="Fatima")
    expect(panel).to_contain_text("Fatima wants to learn Nederlandse les; Ans likes to share it")
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

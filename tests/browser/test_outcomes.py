"""Harvesting an outcome on a phone, its chain, the report and the published page."""

from decimal import Decimal

from playwright.sync_api import expect

from outcomes.models import Outcome
from tests.factories import PASSWORD
from tests.outcomes.factories import make_outcome, make_unit, publish


def _sign_in_english(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()  # js/app.js makes the language select submit itself
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_builder_harvests_an_outcome_on_a_phone(page, live_server, world, screenshot, axe):
    make_unit(world.a.neighbourhood, "care visit saved", "45.00")
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in_english(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/outcomes/new/")
    page.get_by_label("what changed").fill("Mr Jansen eats with others three times a week")
    page.get_by_label("when").fill("2025-03-14")
    page.get_by_label("care & wellbeing").check()
    page.get_by_label("quantity").fill("-28")
    page.get_by_label("own unit price").select_option(
        label="care visit saved: € 45.00 (2025 prices)"
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A quantity cannot be negative.")).to_be_visible()
    expect(page.get_by_label("what changed")).to_have_value(
        "Mr Jansen eats with others three times a week"
    )
    axe("outcome form with errors")
    page.get_by_label("quantity").fill("28")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mr Jansen eats with others three times a week"
    )
    expect(page.get_by_text("€ 158 – € 473", exact=True)).to_be_visible()  # 1,260 × .5 × .25…

    page.get_by_label("kind of step").select_option(label="a step in words")
    page.get_by_role("button", name="Find").first.click()
    page.locator("#step-note").fill("introduced to the coffee club")
    page.get_by_role("button", name="Add step").click()
    expect(page.locator(".chain-text")).to_have_text(
        "introduced to the coffee club → outcome: Mr Jansen eats with others three times a "
        "week; 28 care visit saved"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe("outcome detail")
    screenshot("outcome-detail-360")
    assert Outcome.objects.get().value_high == Decimal("472.5")


def test_coordinator_reads_the_report_and_the_public_page(
    page, live_server, world, axe, screenshot
):
    make_outcome(
        world.a.neighbourhood,
        "Nine homes insulated",
        quantity=9,
        unit="homes insulated",
        value="3150",
        domains=["energy", "housing"],
        public_summary="Nine households insulated their homes together.",
        publish=True,
    )
    publish(world.a.neighbourhood, intro="What we do together.")
    _sign_in_english(page, live_server, "coordinator_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/outcomes/report/?from=2025-01-01&to=2025-12-31")
    expect(page.get_by_role("heading", name="What Populierenbuurt yields")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by outcomes.js
    expect(
        page.get_by_role("heading", name="Methods: how the euros in this report were worked out")
    ).to_be_visible()
    page.get_by_label("in euros of").select_option("2022")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("€ 2,844").first).to_be_visible()  # 3,150 × CPI 2022 ÷ CPI 2025
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    axe("report")
    screenshot("outcomes-report")
    page.goto(
        f"{live_server.url}/n/{world.a.slug}/outcomes/dashboard/?from=2025-01-01&to=2025-12-31"
    )
    expect(page.locator("svg[role=img]").first).to_be_visible()
    axe("outcomes dashboard")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/n/{world.a.slug}/public/")
    expect(page.get_by_text("Nine households insulated their homes together.")).to_be_visible()
    axe("published page")

"""An organisation admin starts a neighbourhood from a CBS buurt, invites a builder, and sees
the neighbourhoods side by side — on a phone, with axe-core on every page."""

import io
import re

from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.operators.factories import operator_sides


def test_orgadmin_starts_invites_and_compares(page, live_server, world, axe, screenshot):
    call_command("load_cbs", stdout=io.StringIO())
    x, _y = operator_sides(world)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(x.admin.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name="Organisatie X").click()
    expect(page.get_by_role("heading", name="Organisatie X")).to_be_visible()
    axe("organisation dashboard")
    page.get_by_role("link", name="Nieuwe buurt").click()
    axe("new neighbourhood")
    option = page.locator("select[name=area] option", has_text="Stadshart (buurt").first
    page.get_by_label("CBS-buurt of -wijk").select_option(option.get_attribute("value"))
    page.get_by_role("button", name="Start de buurt").click()
    expect(page.get_by_text("Stadshart staat klaar")).to_be_visible()
    axe("people")
    page.get_by_label("E-mailadres").fill("verbinder@example.org")
    page.get_by_label("Stadshart").check()
    page.get_by_role("button", name="Verstuur de uitnodiging").click()
    expect(
        page.get_by_text("De uitnodiging is verstuurd naar verbinder@example.org")
    ).to_be_visible()
    page.wait_for_load_state("load")  # the stylesheets too: the width is measured with them
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link = re.search(r"/invite/\S+", mail.outbox[-1].body)[0]
    page.get_by_role("link", name="Naast elkaar").click()
    rows = page.locator(".op-table tbody tr")
    expect(rows.filter(has_text="Stadshart")).to_have_count(1)
    expect(page.locator(".op-table tfoot")).to_contain_text("Totaal")
    page.wait_for_load_state("load")  # the stylesheets too: the width is measured with them
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("operators-dashboard-360")

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{live_server.url}{link}")
    axe("invitation")
    page.get_by_label("Kies een gebruikersnaam").fill("verbinder")
    page.get_by_label("Kies een wachtwoord").fill("een-lang-wachtwoord-2026")
    page.get_by_label("Het wachtwoord nog een keer").fill("een-lang-wachtwoord-2026")
    page.get_by_role("button", name="Aannemen en mijn account maken").click()
    expect(page.get_by_text("Je doet mee als buurtverbinder")).to_be_visible()

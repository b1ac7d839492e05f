"""Logging a meeting and a reflection on a phone from the initiative page; who carries it."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from organisations.models import Organisation
from ownership.models import Activity, Reflection
from tests.factories import PASSWORD
from tests.network import factories as nf
from tests.ownership import factories as f


def _sign_in_english(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()  # js/app.js makes the language select submit itself
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_builder_logs_a_meeting_and_a_reflection_on_a_phone(
    page, live_server, world, screenshot, axe
):
    nb = world.a.neighbourhood
    today = timezone.localdate()
    club = nf.initiative(nb, "Koffieclub")
    people = [nf.person(nb, f"Bewoner {i}") for i in range(4)]
    for person in people:
        nf.member(club, person, joined=today - datetime.timedelta(days=200))
    welfare = Organisation.objects.create(neighbourhood=nb, name="Participe", kind="institution")
    f.period(club, today - datetime.timedelta(days=200), people, [welfare])
    f.period(club, today - datetime.timedelta(days=100), people)
    f.meetings(club, today - datetime.timedelta(days=200), today - datetime.timedelta(days=7))

    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in_english(page, live_server, "builder_a")
    page.goto(f"{live_server.url}{club.get_absolute_url()}")
    expect(page.get_by_text("Kept going after the hand-over")).to_be_visible()

    form = page.locator("form", has=page.get_by_role("button", name="Log meeting"))
    form.get_by_label("People present").fill("-2")
    form.get_by_label("Note").fill("Appeltaart van mevrouw Kok")
    form.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("The number of people present cannot be negative.")).to_be_visible()
    expect(page.get_by_label("Note")).to_have_value("Appeltaart van mevrouw Kok")
    axe("meeting form with an error")
    page.get_by_label("People present").fill("12")
    page.get_by_role("button", name="Log meeting").click()
    expect(page.get_by_text("Meeting logged.")).to_be_visible()
    assert Activity.objects.filter(present=12, held_on=today).exists()

    reflect = page.locator("form", has=page.get_by_role("button", name="Add reflection"))
    reflect.get_by_label("strengthening").check()
    reflect.get_by_label("Why, in a sentence").fill("Ze doen het nu helemaal zelf.")
    reflect.get_by_role("button", name="Add reflection").click()
    expect(page.get_by_text("Ze doen het nu helemaal zelf.")).to_be_visible()
    assert Reflection.objects.filter(initiative=club, kind="strengthening").exists()
    screenshot("ownership-initiative-phone")
    axe("initiative page with ownership panels")

    page.goto(f"{live_server.url}/n/{world.a.slug}/initiatives/{club.pk}/carriers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who carries Koffieclub")
    axe("who carries it")
    screenshot("ownership-carriers-phone")

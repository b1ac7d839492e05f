"""Dashboard, overview and report: which initiatives residents carry, which stopped when the
professional left, and (internal report only) the builders' reflections."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from organisations.models import Organisation
from ownership.models import ReflectionKind, StartedBy
from tests.network import factories as nf

from . import factories as f

SENTENCE = "Wij draaiden het taalcafe zelf"


@pytest.fixture
def story(world):
    """A hand-over that lasted, a project that died, a resident-started group, one too early."""
    nb = world.a.neighbourhood
    today = timezone.localdate()

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    welfare = Organisation.objects.create(neighbourhood=nb, name="Participe", kind="institution")
    residents = [nf.person(nb, f"Bewoner {i}") for i in range(4)]

    club = nf.initiative(nb, "Koffieclub")
    f.start(club, StartedBy.BUILDER)
    f.period(club, ago(300), residents, [welfare])
    f.period(club, ago(210), residents)
    f.meetings(club, ago(300), ago(2))

    taal = nf.initiative(nb, "Taalcafe")
    f.start(taal, StartedBy.PROFESSIONAL, welfare)
    f.period(taal, ago(320), [], [welfare])
    f.period(taal, ago(150))
    f.meetings(taal, ago(320), ago(136))

    repair = nf.initiative(nb, "Repair Cafe")
    f.start(repair, StartedBy.RESIDENTS)
    f.period(repair, ago(200), residents[:2])

    walk = nf.initiative(nb, "Wandelgroep")
    f.period(walk, ago(100), [], [welfare])
    f.period(walk, ago(20), residents[2:])

    f.reflection(nb, world.a.builder, SENTENCE, ReflectionKind.HARMFUL, initiative=taal)
    return {"club": club, "taal": taal, "repair": repair, "walk": walk}


def _section(page: str, heading: str, until: str = "<h3") -> str:
    """The text after a heading, up to the next heading (or ``until``)."""
    start = page.index(heading)
    end = page.find(until, start + len(heading))
    return page[start : end if end != -1 else None]


def test_dashboard_flags_the_carousel_and_highlights_the_hand_over(world, client_for, story):
    page = client_for(world.a.coordinator).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    page = page.content.decode()
    assert "Taalcafe" in _section(page, "Pattern to avoid: projectencarrousel")
    assert "Koffieclub" not in _section(page, "Pattern to avoid: projectencarrousel")
    assert "Koffieclub" in _section(page, "Handed over, and it keeps going")
    carry = _section(page, "<h3>Residents carry it themselves")
    assert "Koffieclub" in carry and "Repair Cafe" in carry and "Taalcafe" not in carry
    assert "Wandelgroep" in _section(page, "Too early to tell")
    # Residents get no ownership panel on the dashboard.
    resident = client_for(world.a.resident).get(
        reverse("neighbourhoods:dashboard", args=[world.a.slug])
    )
    assert "projectencarrousel" not in resident.content.decode()


def test_overview_groups_every_initiative(world, client_for, story):
    page = client_for(world.a.builder).get(reverse("ownership:overview", args=[world.a.slug]))
    page = page.content.decode()
    assert page.index("Stopped when the professional left") < page.index("Taalcafe")
    assert "only professionals carried it; nothing happened in the 8 weeks" in page
    assert "Kept going after the hand-over" in page
    assert "Started as a project of Participe; carried by Participe alone from" in page


def test_the_stall_weeks_come_from_the_setting(world, client_for, story, settings):
    settings.OWNERSHIP_STALL_WEEKS = 30  # 150 days ago + 30 weeks is still to come
    page = client_for(world.a.builder).get(reverse("ownership:overview", args=[world.a.slug]))
    assert "Taalcafe" in _section(page.content.decode(), 'id="group-too_early"', "</section>")


def _report(world, client_for, audience: str, pdf: bool = False):
    name = "outcomes:report_pdf" if pdf else "outcomes:report"
    today = timezone.localdate()
    period = {"from": (today - datetime.timedelta(days=365)).isoformat(), "to": today.isoformat()}
    return client_for(world.a.coordinator).get(
        reverse(name, args=[world.a.slug]), {**period, "audience": audience}
    )


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages).replace("\n", " ")


@pytest.mark.parametrize("pdf", [False, True])
def test_report_shows_who_carries_and_reflections_only_internally(world, client_for, story, pdf):
    internal = _report(world, client_for, "internal", pdf)
    text = _pdf_text(internal) if pdf else internal.content.decode()
    assert "Who carries the initiatives" in text
    assert "Stopped when the professional left" in text and "Taalcafe" in text
    assert SENTENCE in text
    for audience in ("residents", "partners"):
        response = _report(world, client_for, audience, pdf)
        text = _pdf_text(response) if pdf else response.content.decode()
        assert "Who carries the initiatives" in text
        assert SENTENCE not in text
        assert "Bewoner" not in text  # residents are counted, never named

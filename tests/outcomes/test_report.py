"""The report: figures and stories for a period, names only where the audience may see them,
and the same as a PDF."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from network.models import Origin, connect
from outcomes import report as reports
from outcomes.models import Status, StepKind
from residents.models import Audience

from ..places.factories import make_place
from ..residents.factories import make_gift, make_person, visibility
from .factories import add_step, make_initiative, make_outcome, make_unit

DAY = datetime.date(2025, 3, 14)
PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def story(world):
    """One outcome whose people have every visibility, plus markers in the builders' words:
    the free `where`, the value note, the group in words, step notes (a connection's, a
    public gift's, a note step) and an initiative that is not public, in its chain and list."""
    nb = world.a.neighbourhood
    public = make_person(nb, "Pia Publicmarker", shown=Audience.PUBLIC)
    residents = make_person(nb, "Rita Residentmarker", shown=Audience.RESIDENTS)
    builders = make_person(nb, "Bert Buildermarker", shown=Audience.BUILDERS)
    outcome = make_outcome(
        nb,
        "Titlemarker: Bert eats with others",
        story="Storymarker: details only builders read.",
        significance="Significancemarker",
        public_summary="An older resident eats with neighbours three times a week.",
        happened_on=DAY,
        domains=["care", "cohesion"],
        quantity=28,
        unit="care visits saved",
        value="1260.00",
        value_note="Valuenotemarker Hanna: 28 × € 45",
        place=make_place(nb, "Placemarker community centre", public=True),
        where="Wheremarker at Hanna's flat",
        for_whom_group="Groupmarker the Yilmaz family",
    )
    outcome.for_whom_people.add(public, residents, builders)
    add_step(outcome, StepKind.GIFT, make_gift(public, "cooking"), note="Giftnotemarker Hanna")
    add_step(outcome, StepKind.GIFT, make_gift(residents, "knitting"))
    add_step(outcome, StepKind.GIFT, make_gift(builders, "gardening"))
    add_step(
        outcome,
        StepKind.CONNECTION,
        connect(builders, residents, origin=Origin.INTRODUCED),
        note="Notemarker Hanna met Otto",
    )
    add_step(outcome, StepKind.NOTE, note="Notestepmarker Otto's doctor called")
    secret = make_initiative(
        nb, "Secretclubmarker", description="Descmarker", started_on=datetime.date(2025, 1, 6)
    )
    add_step(outcome, StepKind.INITIATIVE, secret)
    make_initiative(
        nb,
        "Openclubmarker",
        description="Opendescmarker",
        public=True,
        started_on=datetime.date(2025, 1, 6),
    )
    make_outcome(nb, "Draftmarker", status=Status.DRAFT, happened_on=DAY)
    make_outcome(nb, "Oldmarker", happened_on=datetime.date(2023, 1, 1))
    make_outcome(world.b.neighbourhood, "Othersidemarker", happened_on=DAY)
    return outcome


def _report(world, client_for, audience, pdf=False):
    name = "outcomes:report_pdf" if pdf else "outcomes:report"
    url = reverse(name, args=[world.a.slug])
    return client_for(world.a.coordinator).get(url, {**PERIOD, "audience": audience})


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


ALWAYS_HIDDEN = ["Draftmarker", "Oldmarker", "Othersidemarker"]
ALWAYS_SHOWN = ["Placemarker", "28 care visits saved", "Openclubmarker", "Opendescmarker"]
BUILDERS_WORDS = [
    "Wheremarker",
    "Valuenotemarker",
    "Groupmarker",
    "Giftnotemarker",
    "Notemarker",
    "Notestepmarker",
    "Secretclubmarker",
    "Descmarker",
    "Hanna",
    "Otto",
]


@pytest.mark.parametrize(
    ("audience", "shown", "hidden"),
    [
        (
            "internal",
            [
                "Pia Publicmarker",
                "Rita Residentmarker",
                "Bert Buildermarker",
                "Titlemarker",
                "Storymarker",
                "Significancemarker",
                *BUILDERS_WORDS,
            ],
            [],
        ),
        (
            "residents",
            ["Pia Publicmarker", "Rita Residentmarker", "An older resident eats"],
            [
                "Bert Buildermarker",
                "Buildermarker",
                "Titlemarker",
                "Storymarker",
                "Significancemarker",
                "gardening",
                *BUILDERS_WORDS,
            ],
        ),
        (
            "partners",
            ["Pia Publicmarker", "An older resident eats"],
            [
                "Residentmarker",
                "Buildermarker",
                "Titlemarker",
                "Storymarker",
                "Significancemarker",
                "knitting",
                "gardening",
                *BUILDERS_WORDS,
            ],
        ),
    ],
)
@pytest.mark.parametrize("pdf", [False, True])
def test_report_names_only_what_its_audience_may_see(
    world, client_for, story, audience, shown, hidden, pdf
):
    response = _report(world, client_for, audience, pdf=pdf)
    assert response.status_code == 200
    text = _pdf_text(response) if pdf else response.content.decode()
    assert [marker for marker in shown + ALWAYS_SHOWN if marker not in text] == []
    assert [marker for marker in hidden + ALWAYS_HIDDEN if marker in text] == []
    assert "a resident" in text or audience == "internal"


@pytest.mark.parametrize("pdf", [False, True])
def test_partners_read_the_value_worked_out_from_a_unit_price_not_the_typed_note(
    world, client_for, pdf
):
    nb = world.a.neighbourhood
    outcome = make_outcome(
        nb,
        happened_on=DAY,
        quantity=28,
        unit="care visit saved",
        unit_value=make_unit(nb, "care visit saved", "45.00"),
        value_note="Typednotemarker: Hanna's GP said so",
    )
    outcome.revalue()
    outcome.save()
    make_outcome(nb, happened_on=DAY, quantity=9, unit="homes", value="2700.00", value_note="x")
    worked_out = (
        "28 × € 45.00 each × (1 − deadweight 25–50 %) × attribution 25–50 % = € 158 – € 473 "
        "at 2025 prices"
    )
    partners = _report(world, client_for, "partners", pdf=pdf)
    text = _pdf_text(partners) if pdf else partners.content.decode()
    assert worked_out in text
    assert "Typednotemarker" not in text and "Hanna" not in text
    internal = _report(world, client_for, "internal", pdf=pdf)
    assert "Typednotemarker" in (_pdf_text(internal) if pdf else internal.content.decode())


@pytest.mark.parametrize(("audience", "shown"), [("residents", True), ("partners", False)])
def test_a_place_off_the_published_page_is_not_named_to_partners(
    world, client_for, audience, shown
):
    nb = world.a.neighbourhood
    make_outcome(nb, "Quiet", happened_on=DAY, place=make_place(nb, "Hiddenplacemarker garden"))
    for pdf in (False, True):
        response = _report(world, client_for, audience, pdf=pdf)
        text = _pdf_text(response) if pdf else response.content.decode()
        assert ("Hiddenplacemarker" in text) is shown, (audience, pdf)


def test_report_defaults_to_partners_and_the_last_twelve_months(world, client_for, story):
    response = client_for(world.a.coordinator).get(reverse("outcomes:report", args=[world.a.slug]))
    body = response.content.decode()
    assert "Buildermarker" not in body and "Residentmarker" not in body
    assert "partners and the public" in body
    # the form says so too: pressing "Show" again keeps the partners' report
    assert '<option value="partners" selected>' in body
    # and the period's fields show the period the report covers, not empty boxes
    start, end = response.context["start"], response.context["end"]
    assert f'name="from" value="{start.isoformat()}"' in body
    assert f'name="to" value="{end.isoformat()}"' in body


def test_report_tells_figures_values_and_what_residents_did(world, client_for, story):
    body = _report(world, client_for, "internal").content.decode()
    assert "What Populierenbuurt yields" in body
    assert "28 care visits saved" in body
    assert "€ 1,260" in body
    assert "What residents did themselves" in body
    assert "Pia Publicmarker&#x27;s gift (cooking)" in body
    assert "1 draft outcome is left out" in body
    assert 'media="print"' in body or "outcomes.css" in body


def test_pdf_is_a_pdf_with_the_story_and_values(world, client_for, story):
    response = _report(world, client_for, "internal", pdf=True)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="report-populierenbuurt-'
    )
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response)
    assert "What Populierenbuurt yields" in text
    assert "Titlemarker: Bert eats with others" in text
    assert "28 care visits saved" in text
    assert "€ 1,260" in text
    assert "What residents did themselves" in text


def test_pdf_draws_the_names_of_a_diverse_neighbourhood(world, client_for):
    nb = world.a.neighbourhood
    outcome = make_outcome(nb, "Şükrü, Zoë and Ελένη → ‘together’ ✓", happened_on=DAY)
    outcome.for_whom_people.add(make_person(nb, "Ğül Łukasz Nguyễn", shown=Audience.PUBLIC))
    response = _report(world, client_for, "internal", pdf=True)
    assert response.status_code == 200
    text = _pdf_text(response)
    assert "Şükrü, Zoë and Ελένη → ‘together’ ✓" in text
    assert "Ğül Łukasz Nguyễn" in text


def test_pdf_falls_back_for_letters_its_font_lacks():
    assert reports.pdf_text("Mei 李 ⑫") == "Mei ? 12"  # no CJK glyphs; ⑫ decomposes
    assert reports.pdf_text("line\nbreak") == "line\nbreak"


def test_report_is_for_coordinators_only(world, client_for):
    url = reverse("outcomes:report", args=[world.a.slug])
    assert client_for(world.a.builder).get(url).status_code == 403
    assert client_for(world.b.builder).get(url).status_code == 404


def test_bad_period_keeps_the_audience(world, client_for, story):
    response = client_for(world.a.coordinator).get(
        reverse("outcomes:report", args=[world.a.slug]),
        {"from": "2025-12-01", "to": "2025-01-01", "audience": "partners"},
    )
    body = response.content.decode()
    assert "before its start" in body
    assert "Buildermarker" not in body


def test_kept_report_is_per_audience_and_period_and_new_with_the_data(world, client_for, story):
    """The report page is kept per data version, period and audience (issue #19): asked in
    turn with the cache warm, each audience still reads only its own names; another period is
    another report; a new outcome and a person's narrower choice show at once."""
    texts = {}
    for _round in range(2):
        for audience in ("internal", "residents", "partners"):
            response = _report(world, client_for, audience)
            texts[audience] = response.content.decode()
    assert "Bert Buildermarker" in texts["internal"]
    assert "Bert Buildermarker" not in texts["residents"]
    assert "Rita Residentmarker" in texts["residents"]
    assert "Rita Residentmarker" not in texts["partners"]

    url = reverse("outcomes:report", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)
    earlier = coordinator.get(
        url, {"from": "2023-01-01", "to": "2023-12-31", "audience": "internal"}
    )
    assert "Oldmarker" in earlier.content.decode()
    assert "Oldmarker" not in texts["internal"]

    make_outcome(world.a.neighbourhood, "Newmarker", happened_on=DAY)
    assert "Newmarker" in _report(world, client_for, "internal").content.decode()

    pia = story.for_whom_people.get(name="Pia Publicmarker")
    pia.visibility = visibility(Audience.BUILDERS)
    pia.save()
    assert "Pia Publicmarker" not in _report(world, client_for, "partners").content.decode()


def test_kept_report_follows_a_new_price_index(world, client_for, story):
    """A price index loaded by a command (no data change of the neighbourhood) shows in the
    kept report at once: the prices are part of its key."""
    from outcomes.models import PriceIndex

    before = _report(world, client_for, "internal").content.decode()
    assert re.search(r"123[.,]46", before) is None
    PriceIndex.objects.filter(year=DAY.year).update(index="123.456")
    after = _report(world, client_for, "internal").content.decode()
    assert re.search(r"123[.,]46", after)

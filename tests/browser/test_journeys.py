"""Whole days in the app, in Debian's chromium: the builder's, the resident's, the coordinator's.

Every page on the way is checked with axe-core (no serious or critical violations); the
final state of each journey is saved as a screenshot under test-output/screenshots/. The
conversation flow is also done once with the keyboard alone.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from conversations.models import Conversation, Introduction, Status
from me.models import InviteKind
from network.models import Connection, Origin
from places.models import Place
from residents.models import GiftKind, Person
from tests.factories import PASSWORD
from tests.me.factories import make_invite
from tests.network import factories as nf
from tests.outcomes.factories import make_outcome
from tests.places.factories import jpeg_bytes, make_place
from tests.residents.factories import make_gift, make_person

from .conftest import ARTEFACTS
from .conversation_flow import kitchen_table_flow, run

PHONE = {"locale": "en-GB", "viewport": {"width": 360, "height": 740}}
DESKTOP = {"locale": "en-GB", "viewport": {"width": 1280, "height": 800}}
RESIDENT_PASSWORD = "lindeboom-zomer-2026-buurt"


AUDIT = ARTEFACTS.parent / "axe-journeys.jsonl"


@pytest.fixture
def axe(axe, page, request):
    """The shared axe check, also writing every page's result (all impacts) to
    test-output/axe-journeys.jsonl: the accessibility record of the journeys."""

    def check(context: str = "") -> list[dict]:
        violations = axe(context)
        AUDIT.parent.mkdir(parents=True, exist_ok=True)
        with AUDIT.open("a") as out:
            line = {"test": request.node.name, "page": context, "violations": violations}
            out.write(json.dumps(line) + "\n")
        return violations

    return check


def sign_in(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# -- the builder's day ---------------------------------------------------------------------


@pytest.mark.browser_context_args(**PHONE)
def test_builder_day_on_a_phone(page, live_server, world, screenshot, axe, tmp_path):
    nb = world.a.neighbourhood
    nf.person(nb, "Kees")
    nf.person(nb, "Ans")
    sign_in(page, live_server, "builder_a")
    expect(page.get_by_role("heading", name=nb.name)).to_be_visible()
    axe("dashboard")

    # log a conversation: a new person, three gifts, who they know, who they should meet
    steps = kitchen_table_flow(timezone.localdate(), "Fatima", knows="Kees", meets="Ans")
    run(page, steps[:1])
    expect(page.get_by_role("heading", name="New conversation")).to_be_visible()
    axe("new conversation")
    run(page, steps[1:5])
    expect(page.get_by_role("heading", name="Conversation with Fatima")).to_be_visible()
    page.wait_for_load_state()
    axe("conversation draft")
    run(page, steps[5:])
    expect(page.get_by_text("Conversation with Fatima logged.")).to_be_visible()
    axe("conversation summary")
    fits_a_phone(page)
    conversation = Conversation.objects.get(person__name="Fatima")
    assert conversation.status == Status.FINISHED

    # add a place with a photo (on a phone, places are behind "Menu")
    page.get_by_role("link", name="Menu").click()
    page.get_by_role("link", name="Places", exact=True).click()
    expect(page.get_by_role("heading", name="Places", exact=True)).to_be_visible()
    axe("places")
    page.get_by_role("link", name="Add a place").click()
    page.wait_for_load_state()
    axe("place form")
    page.get_by_label("Name").fill("Buurttuin De Linde")
    page.get_by_label("Kind").select_option("garden")
    page.get_by_label("Street").fill("Lindelaan")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Buurttuin De Linde")).to_be_visible()
    photo = tmp_path / "tuin.jpg"
    photo.write_bytes(jpeg_bytes((640, 480), "green"))
    page.get_by_label(re.compile(r"^Photos:?$")).set_input_files(str(photo))
    page.get_by_label("Caption (optional)").fill("De moestuinbakken")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("img", name="De moestuinbakken")).to_be_visible()
    place = Place.objects.get(name="Buurttuin De Linde")
    assert place.photos.count() == 1
    axe("place with photo")
    fits_a_phone(page)
    screenshot("journey-builder-place")

    # mark the introduction from the conversation as made
    page.goto(live_server.url + reverse("conversations:introductions", args=[nb.slug]))
    axe("introductions")
    page.get_by_role("button", name="Mark as introduced to Ans").click()
    expect(page.get_by_text("Introduction made")).to_be_visible()
    assert Introduction.objects.get(person__name="Fatima").connection is not None
    assert Connection.objects.filter(origin=Origin.INTRODUCED).count() == 1
    axe("introductions after")
    fits_a_phone(page)
    screenshot("journey-builder-day")


def tab_to(page, name: str, *, presses: int = 250, backwards: bool = False) -> None:
    """Press Tab until the focused element is called ``name`` (its label or its text)."""
    for _ in range(presses):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return "";
                const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
                return (el.getAttribute("aria-label") || label || el.innerText || el.value || "")
                    .replace(/\\s+/g, " ").replace(/[\\s:*]+$/, "").trim();
            }"""
        )
        if focused == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.mark.browser_context_args(**PHONE)
def test_conversation_with_the_keyboard_alone(page, live_server, world, screenshot, axe):
    """Tab, Enter, Space and typing only: no clicks, no fills."""
    nb = world.a.neighbourhood
    nf.person(nb, "Kees")
    page.goto(f"{live_server.url}/accounts/login/")
    page.wait_for_load_state()
    tab_to(page, "Username")
    page.keyboard.type("builder_a")
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=nb.name)).to_be_visible()
    page.wait_for_load_state()

    tab_to(page, "Start a conversation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New conversation")).to_be_visible()
    tab_to(page, "First name")
    page.keyboard.type("Yusuf")
    tab_to(page, "Street")
    page.keyboard.type("Eikenlaan")
    tab_to(page, "They agreed, out loud, to the text above")
    page.keyboard.press("Space")
    tab_to(page, "Start the conversation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Conversation with Yusuf")).to_be_visible()
    page.wait_for_load_state()

    status = page.locator("#save-status")
    tab_to(page, "What they care about")
    page.keyboard.type("Een bankje bij de bushalte.")
    expect(status).to_have_text("All changes saved.")

    # a gift: the kind with the arrow keys, the title typed, Enter on "Add gift"
    tab_to(page, "head (knowledge)")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # radios: the next kind, "hands (skills)"
    tab_to(page, "Gift")
    page.keyboard.type("Fietsen repareren")
    tab_to(page, "Add gift")
    page.keyboard.press("Enter")
    gifts = page.locator("#gifts [data-items]")
    expect(gifts.locator("strong").get_by_text("Fietsen repareren")).to_be_visible()
    # focus moves to the new gift once the swap settles (a11y.js); the keyboard user goes on
    # from there. Tabbing before it lands let it pull focus out of the search box below.
    page.wait_for_function(
        "() => document.querySelector('#gifts').contains(document.activeElement)"
    )

    # someone they know: search, then Enter on the result
    tab_to(page, "Find someone they know")
    page.keyboard.type("Kees")
    # the results arrive after a short pause in typing; a keyboard user waits for them too
    expect(page.locator("#known").get_by_role("button", name="Knows Kees")).to_be_visible()
    tab_to(page, "Knows Kees")
    page.keyboard.press("Enter")
    expect(page.locator("#known [data-items] strong").get_by_text("Kees")).to_be_visible()

    tab_to(page, "Finish conversation")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Conversation with Yusuf logged.")).to_be_visible()
    axe("summary reached by keyboard")
    conversation = Conversation.objects.get(person__name="Yusuf")
    assert conversation.status == Status.FINISHED
    assert conversation.cares_about == "Een bankje bij de bushalte."
    gift = Person.objects.get(name="Yusuf").gifts.get()
    assert (gift.title, gift.kind) == ("Fietsen repareren", GiftKind.HANDS)
    assert Connection.objects.filter(origin=Origin.KNEW).count() == 1
    screenshot("journey-keyboard-conversation")


# -- the resident's ------------------------------------------------------------------------


@pytest.mark.browser_context_args(**PHONE)
def test_resident_claims_edits_chooses_and_exports(page, live_server, world, screenshot, axe):
    person = make_person(  # recorded by a builder: every field shown to builders only
        world.a.neighbourhood, "Noor Haddou", street="Populierenlaan", phone="06 1111 2222"
    )
    make_gift(person, "Naaien")
    _invite, token = make_invite(person, InviteKind.LINK, world.a.builder)

    # claim through the invite link
    page.goto(f"{live_server.url}/claim/{token}/")
    page.wait_for_load_state()
    page.locator("#language-select").select_option("en")
    expect(page.get_by_role("heading", name="Is this you?")).to_be_visible()
    axe("claim")
    page.get_by_label("Username").fill("noor")
    page.get_by_label(re.compile(r"^Password:?$")).fill(RESIDENT_PASSWORD)
    page.get_by_label("Password again").fill(RESIDENT_PASSWORD)
    page.get_by_label("This is me.").check()
    page.get_by_role("button", name="Claim my profile").click()
    expect(page.get_by_role("heading", name="Everything about me")).to_be_visible()
    axe("my profile")

    # edit gifts: change one, add one
    page.get_by_role("link", name="My gifts").click()
    axe("my gifts")
    page.get_by_role("link", name="Edit Naaien").click()
    page.get_by_label("Title").fill("Naaien en verstellen")
    page.get_by_label("Would share or teach").check()
    page.get_by_role("button", name="Save gift").click()
    expect(page.get_by_text("Gift “Naaien en verstellen” was saved.")).to_be_visible()
    page.get_by_label("hands (skills)").check()
    page.get_by_label("Title").fill("Fietsbanden plakken")
    page.get_by_role("button", name="Add gift").click()
    expect(page.locator(".me-gifts strong").get_by_text("Fietsbanden plakken")).to_be_visible()
    assert sorted(person.gifts.values_list("title", flat=True)) == [
        "Fietsbanden plakken",
        "Naaien en verstellen",
    ]
    axe("my gifts after")

    # who sees what: name and gifts to the neighbours, the phone number stays with builders
    page.get_by_role("link", name="Who sees what").click()
    page.wait_for_load_state()
    axe("visibility")
    page.get_by_label(re.compile(r"^Name:?$")).select_option("residents")
    page.get_by_label(re.compile(r"^Gifts:?$")).select_option("residents")
    preview = page.locator("#preview .preview-residents")
    expect(preview).to_contain_text("Fietsbanden plakken")
    expect(preview).not_to_contain_text("06 1111 2222")
    page.get_by_role("button", name="Save who sees what").click()
    expect(page.get_by_text("Who sees what was saved.")).to_be_visible()
    visibility = Person.objects.get(pk=person.pk).visibility
    assert visibility["name"] == visibility["gifts"] == "residents"
    assert visibility["phone"] == "builders"

    # export: one ZIP with everything
    page.get_by_role("link", name="Download my data").click()
    axe("export")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes()))
    names = archive.namelist()
    assert any(n.endswith(".json") for n in names) and any(n.endswith(".csv") for n in names)
    everything = "".join(
        archive.read(n).decode("utf-8", "replace") for n in names if n.endswith(".json")
    )
    assert "Noor Haddou" in everything and "Fietsbanden plakken" in everything
    json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    fits_a_phone(page)
    screenshot("journey-resident-export")


# -- the coordinator's ---------------------------------------------------------------------


def _neighbourhood_with_assets(world) -> None:
    nb = world.a.neighbourhood
    nb.centre_lat, nb.centre_lon = 52.30, 4.86
    nb.save()
    piet = nf.person(nb, "Piet de Vries", street="Lindelaan")
    ans = nf.person(nb, "Ans Bakker", street="Lindelaan")
    fatima = nf.person(nb, "Fatima El Amrani", street="Eikenlaan")
    nf.gift(piet, "Fietsen repareren", GiftKind.HANDS, tags=["fietsen"], share=True)
    nf.gift(ans, "Buurtmoestuin", GiftKind.HEART, tags=["tuin"])
    nf.gift(fatima, "Speeltuin opknappen", GiftKind.HEART, tags=["kinderen"])
    nf.gift(fatima, "Arabisch", GiftKind.HEAD, tags=["taal"], share=True)
    since = datetime.date(2025, 2, 1)
    nf.link(piet, ans, since)
    nf.link(ans, fatima, since, origin=Origin.INTRODUCED)
    make_place(nb, "Buurthuis De Populier", street="Lindelaan", latitude=52.3, longitude=4.86)
    make_outcome(
        nb,
        "Mr Jansen eats with others three times a week",
        quantity=28,
        unit="care visits saved",
        value="1260",
        happened_on=datetime.date(2025, 6, 1),
        public_summary="A neighbour eats with others three times a week.",
    )


@pytest.mark.browser_context_args(**DESKTOP)
def test_coordinator_searches_filters_maps_and_reports(page, live_server, world, screenshot, axe):
    _neighbourhood_with_assets(world)
    slug = world.a.slug
    sign_in(page, live_server, "coordinator_a")
    axe("dashboard")

    # search: who can fix a bike?
    page.get_by_role("link", name="Search", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label(
        "Search people, gifts, initiatives, organisations, places, outcomes and conversations"
    ).fill("fiets")
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Fietsen repareren")).to_be_visible()
    axe("search results")

    # filter: gifts of the heart in Lindelaan
    page.get_by_role("link", name="Gifts", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Kind of gift").select_option("heart")
    page.get_by_label("Street").select_option("Lindelaan")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"kind=heart"))
    cards = page.locator(".gift-list .gift-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Buurtmoestuin")
    axe("filtered gifts")

    # the map, offline: markers and the list beside it
    page.get_by_role("link", name="Map", exact=True).click()
    page.wait_for_load_state()
    expect(
        page.locator("#map-results").get_by_role("link", name="Buurthuis De Populier")
    ).to_be_visible()
    axe("map")

    # the network: graph and figures
    page.get_by_role("link", name="Network", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Figures")).to_be_visible()
    expect(page.locator("svg.nw-svg").first).to_be_attached()  # drawn on the server (#22)
    axe("network")

    # the report of last year
    page.get_by_role("link", name="Report", exact=True).click()
    page.goto(f"{live_server.url}/n/{slug}/outcomes/report/?from=2025-01-01&to=2025-12-31")
    expect(page.get_by_role("heading", name="What Populierenbuurt yields")).to_be_visible()
    expect(page.get_by_text("A neighbour eats with others three times a week.")).to_be_visible()
    axe("report")
    screenshot("journey-coordinator-report")

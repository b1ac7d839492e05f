"""Click through a running demo as its users do, in Debian's chromium, and print what was seen.

This is the hand check before an issue is closed, written down so it can be repeated:

    rm -f /tmp/walk.sqlite3
    DATABASE_URL=sqlite:////tmp/walk.sqlite3 uv run manage.py demo --port 8010 &
    uv run python bin/walkthrough.py --base http://127.0.0.1:8010 [--only 5 6]

It changes the demo's data (a conversation, a claimed profile, an import), so run it on a fresh
demo database. Every step prints one line; the screenshots land in test-output/walkthrough/.
A step that does not see what it expects stops the run with the reason (exit status 1).
Outside requests are blocked, as in the tests.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "walkthrough"
DATA = ROOT.parent / "shared" / "data"
PASSWORD = "buurt-demo-2026"  # noqa: S105 - the demo password the README prints
SLUG = "populierenbuurt"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class Walk:
    def __init__(self, browser, base: str):
        self.browser = browser
        self.base = base.rstrip("/")
        self.host = urlparse(self.base).netloc

    def page(self, viewport=DESKTOP, user: str | None = None, lang: str = "en") -> Page:
        context = self.browser.new_context(viewport=viewport, locale="nl-NL", accept_downloads=True)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if urlparse(route.request.url).netloc == self.host
                else route.abort()
            ),
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        if user:
            self.sign_in(page, user, lang=lang)
        return page

    def go(self, page: Page, path: str) -> None:
        response = page.goto(self.base + path)
        assert response is not None and response.status < 400, f"{path}: {response.status}"
        page.wait_for_load_state()

    def sign_in(self, page: Page, user: str, password: str = PASSWORD, lang: str = "en") -> None:
        self.go(page, "/accounts/login/")
        if lang == "en":
            self.english(page)
        page.locator("#id_username").fill(user)
        page.locator("#id_password").fill(password)
        page.locator("form[method=post] [type=submit]").last.click()
        page.wait_for_load_state()

    @staticmethod
    def english(page: Page) -> None:
        if page.locator("html").get_attribute("lang") != "en":
            page.locator("#language-select").select_option("en")
            page.wait_for_load_state()
            expect(page.locator("html")).to_have_attribute("lang", "en")

    @staticmethod
    def shot(page: Page, name: str, full: bool = False) -> None:
        page.screenshot(path=SHOTS / f"{name}.png", full_page=full)

    @staticmethod
    def fits(page: Page) -> int:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= page.viewport_size["width"], f"page is {width}px wide"
        return width


def say(issue: int, text: str) -> None:
    print(f"#{issue}  {text}", flush=True)


# -- #3 foundation -------------------------------------------------------------------------


def foundation(w: Walk) -> None:
    page = w.page(PHONE)
    response = page.goto(w.base + "/")
    assert "/accounts/login/" in page.url, page.url
    say(3, f"anonymous / -> {urlparse(page.url).path} (status {response.status})")
    lang = page.locator("html").get_attribute("lang")
    assert lang == "nl", lang
    csp = response.headers.get("content-security-policy", "")
    assert "unsafe-inline" not in csp and "nonce-" in csp, csp
    say(3, "login page in Dutch by default; CSP with a nonce, no unsafe-inline")
    health = page.request.get(w.base + "/healthz")
    say(3, f"/healthz -> {health.status}")
    w.sign_in(page, "coordinator", lang="nl")
    assert urlparse(page.url).path == "/", page.url
    expect(page.get_by_role("link", name="Populierenbuurt")).to_be_visible()
    say(3, "coordinator (two neighbourhoods) lands on the list of both")
    page.get_by_role("link", name="Populierenbuurt").click()
    page.wait_for_load_state()
    w.english(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Populierenbuurt")
    say(3, f"dashboard switched to English at 360 px, page width {w.fits(page)} px")
    w.shot(page, "3-dashboard-phone")
    w.go(page, f"/n/{SLUG}/members/")
    rows = page.locator("main table tbody tr").count()
    say(3, f"members page lists {rows} members")
    w.shot(page, "3-members-phone", full=True)
    other = page.request.get(w.base + "/n/kastanjebuurt/people/")
    say(3, f"coordinator of both opens the other neighbourhood's people: {other.status}")
    page.context.close()

    builder = w.page(DESKTOP, "builder2")
    status = builder.request.get(w.base + f"/n/{SLUG}/people/").status
    assert status == 404, status
    say(3, f"builder2 (Kastanjebuurt only) opens Populierenbuurt's people: {status}")
    status = builder.request.get(w.base + "/n/kastanjebuurt/members/").status
    assert status == 403, status
    say(3, f"builder2 opens Kastanjebuurt's members page (coordinators only): {status}")
    builder.get_by_role("button", name="Log out").click()
    builder.wait_for_load_state()
    say(3, f"log out by POST -> {urlparse(builder.url).path}")
    builder.context.close()


# -- #5 kitchen-table conversations ------------------------------------------------------


def conversations(w: Walk) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.browser.conversation_flow import count_interactions, kitchen_table_flow, run

    page = w.page(PHONE, "builder")
    w.go(page, f"/n/{SLUG}/")
    loads = []
    page.on("load", lambda: loads.append(page.url))
    steps = kitchen_table_flow(
        datetime.date.today(), "Fatima", knows="Ans Jansen", meets="Anna Bos"
    )
    performed = run(page, steps)
    assert performed == count_interactions(steps), performed
    expect(page.get_by_text("Conversation with Fatima logged.")).to_be_visible()
    paths = " ".join(urlparse(url).path.split(SLUG)[-1] for url in loads)
    say(
        5,
        f"new person + 3 gifts + 1 known + 1 introduction + 1 follow-up, finished: "
        f"{performed} interactions; {len(loads)} page loads ({paths}), "
        f"width {w.fits(page)} px",
    )
    w.shot(page, "5-summary-phone", full=True)
    page.get_by_role("link", name="Fatima").first.click()
    page.wait_for_load_state()
    timeline = page.locator("#conversations")
    for text in [
        "De speeltuin op de hoek",
        "Ans Jansen",
        "Anna Bos",
        "Folder van de koffieochtend",
    ]:
        expect(timeline.get_by_text(text, exact=False).first).to_be_visible()
    for title in ["Fietsen repareren", "Nederlandse les geven", "Buurtmoestuin"]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    say(5, "Fatima's page: the conversation, 3 gifts, who she knows, whom to meet, follow-up")
    w.shot(page, "5-person-phone", full=True)
    w.go(page, f"/n/{SLUG}/conversations/introductions/")
    page.get_by_role("button", name="Mark as introduced to Anna Bos").first.click()
    expect(page.get_by_text("Introduction made").first).to_be_visible()
    say(5, "introduction Fatima -> Anna Bos marked as made")
    w.go(page, f"/n/{SLUG}/conversations/follow-ups/")
    expect(page.get_by_text("Folder van de koffieochtend brengen").first).to_be_visible()
    say(5, "the follow-up is on the builder's list")

    # a second conversation, and the connection drops half-way
    w.go(page, f"/n/{SLUG}/conversations/new/")
    page.get_by_label("First name", exact=True).fill("Wim")
    page.get_by_label("Street", exact=True).fill("Lindenlaan")
    page.get_by_label("They agreed, out loud, to the text above").check()
    page.get_by_role("button", name="Start the conversation").click()
    page.wait_for_load_state()
    status = page.locator("#save-status")
    cares = page.get_by_label("What they care about", exact=True)
    cares.fill("Online getypt.")
    expect(status).to_have_text("All changes saved.")
    page.context.set_offline(True)
    cares.press_sequentially(" Daarna zonder verbinding.", delay=15)
    page.get_by_label("Private notes", exact=True).fill("Liever niet bellen na acht uur.")
    expect(status).to_contain_text("Not yet saved")
    stored = page.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('assetmap:conversation:')).length"
    )
    say(5, f"offline: status '{status.inner_text()}', {stored} draft kept in localStorage")
    w.shot(page, "5-offline-phone")
    page.context.set_offline(False)
    expect(status).to_have_text("All changes saved.", timeout=30_000)
    page.reload()
    page.wait_for_load_state()
    expect(cares).to_have_value("Online getypt. Daarna zonder verbinding.")
    expect(page.get_by_label("Private notes", exact=True)).to_have_value(
        "Liever niet bellen na acht uur."
    )
    say(5, "back online: sent by itself; after a reload both texts are there, nothing lost")
    page.context.close()

    resident = w.page(DESKTOP, "resident")
    for path in ["/me/", f"/me/{SLUG}/", f"/n/{SLUG}/people/"]:
        w.go(resident, path)
        assert "Liever niet bellen" not in resident.content(), path
    say(5, "the private note is on none of the resident's pages")
    resident.context.close()


# -- #6 residents in charge ----------------------------------------------------------------

UNKNOWN_CODE = "WXYT-3469"  # well formed, but no invite has it: the refusal is shown
RESIDENT_PASSWORD = "lindeboom-zomer-2026-buurt"  # noqa: S105 - made up for the walk


def person_page(w: Walk, page: Page, name: str) -> str:
    w.go(page, f"/n/{SLUG}/search/?q={name}")
    page.locator("#results").get_by_role("link", name=name, exact=True).first.click()
    page.wait_for_load_state()
    return urlparse(page.url).path


def residents(w: Walk) -> None:
    builder = w.page(PHONE, "builder")
    ans = person_page(w, builder, "Ans Jansen")
    w.go(builder, f"{ans}invite/")
    expect(builder.get_by_text("This profile has already been claimed")).to_be_visible()
    say(6, "the demo resident Ans Jansen: already claimed, no invite offered")
    fatima = person_page(w, builder, "Fatima")
    w.go(builder, f"{fatima}invite/")
    builder.get_by_label("a short code (to read out at the table)").check()
    builder.get_by_role("button", name="Make the invite").click()
    code = builder.locator(".invite-code").inner_text().strip()
    say(6, f"builder made a claim code for Fatima: {len(code)} characters")
    w.shot(builder, "6-invite-code-phone")
    builder.context.close()

    page = w.page(PHONE)
    w.go(page, "/claim/")
    w.english(page)
    page.get_by_label("Your code").fill(UNKNOWN_CODE)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    refused = page.locator("main .errorlist, main [role=alert]").first.inner_text().strip()
    say(6, f"a wrong code: '{refused}'")
    w.go(page, "/claim/")
    page.get_by_label("Your code").fill(code.lower())
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    page.get_by_label("Username").fill("fatima")
    page.get_by_label(re.compile(r"^Password:?$")).fill(RESIDENT_PASSWORD)
    page.get_by_label("Password again").fill(RESIDENT_PASSWORD)
    page.get_by_label(re.compile("This is me")).check()
    page.get_by_role("button", name="Claim my profile").click()
    expect(page.get_by_role("heading", name="Everything about me")).to_be_visible()
    say(6, "Fatima claimed her profile with the code (typed in lower case) and is signed in")
    w.shot(page, "6-me-phone", full=True)

    page.get_by_role("link", name="My gifts").click()
    page.get_by_role("link", name="Edit Fietsen repareren").click()
    page.get_by_label("Title").fill("Fietsen repareren en verven")
    page.get_by_role("button", name="Save gift").click()
    expect(page.get_by_text("Gift “Fietsen repareren en verven” was saved.")).to_be_visible()
    say(6, "edited a gift: 'Fietsen repareren en verven'")
    page.get_by_role("link", name="Who sees what").click()
    page.wait_for_load_state()
    page.get_by_label(re.compile(r"^Name:?$")).select_option("residents")
    page.get_by_label(re.compile(r"^Gifts:?$")).select_option("residents")
    preview = page.locator("#preview .preview-residents")
    expect(preview).to_contain_text("Fietsen repareren en verven")
    page.get_by_role("button", name="Save who sees what").click()
    expect(page.get_by_text("Who sees what was saved.")).to_be_visible()
    say(6, "name and gifts shown to neighbours; the preview showed the edited gift at once")
    w.shot(page, "6-visibility-phone", full=True)

    neighbour = w.page(DESKTOP, "resident")
    w.go(neighbour, f"/n/{SLUG}/search/?q=Fietsen+repareren+en+verven")
    expect(neighbour.locator("main").get_by_text("Fatima").first).to_be_visible()
    say(6, "the neighbour (demo resident) now finds Fatima's gift in search")

    w.go(page, f"/me/{SLUG}/consent/")
    withdrawn = page.get_by_role("button", name="Withdraw this consent").count()
    while page.get_by_role("button", name="Withdraw this consent").count():
        page.get_by_role("button", name="Withdraw this consent").first.click()
        page.wait_for_load_state()
    w.go(neighbour, f"/n/{SLUG}/search/?q=Fietsen+repareren+en+verven")
    assert "Fatima" not in neighbour.locator("main").inner_text()
    say(6, f"withdrew {withdrawn} consent(s): the neighbour's next search no longer shows her")
    neighbour.context.close()

    w.go(page, f"/me/{SLUG}/export/")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes()))
    everything = "".join(
        archive.read(n).decode("utf-8", "replace")
        for n in archive.namelist()
        if n.endswith((".json", ".csv"))
    )
    for text in ["Fatima", "Fietsen repareren en verven", "De speeltuin op de hoek"]:
        assert text in everything, text
    json.loads(archive.read(next(n for n in archive.namelist() if n.endswith(".json"))))
    say(
        6, f"export ZIP: {len(archive.namelist())} files, JSON parses, gifts and conversation in it"
    )

    w.go(page, f"/me/{SLUG}/erase/")
    page.get_by_label("Type the name to confirm").fill("Fatima")
    page.get_by_label("I understand this cannot be undone.").check()
    page.get_by_role("button", name="Erase everything").click()
    page.wait_for_load_state()
    say(6, f"erased: ends on {urlparse(page.url).path} — '{page.locator('h1').inner_text()}'")
    w.shot(page, "6-erased-phone")
    page.context.close()

    builder = w.page(DESKTOP, "builder")
    w.go(builder, f"/n/{SLUG}/search/?q=Fatima")
    expect(
        builder.locator("#results").get_by_role("link", name="Fatima", exact=True)
    ).to_have_count(0)
    status = builder.request.get(w.base + fatima).status
    say(6, f"builder's search finds no Fatima; her old page answers {status}")
    builder.context.close()
    again = w.page(DESKTOP)
    w.sign_in(again, "fatima", RESIDENT_PASSWORD)
    assert "/accounts/login/" in again.url
    say(6, "her login is gone: signing in as fatima is refused")
    again.context.close()


# -- #7 network ------------------------------------------------------------------------------

COFFEE_CLUB = "Koffieclub Populierenbuurt"


def network(w: Walk) -> None:
    page = w.page(DESKTOP, "coordinator")
    w.go(page, f"/n/{SLUG}/initiatives/")
    page.get_by_role("link", name=COFFEE_CLUB).first.click()
    page.wait_for_load_state()
    relations = page.locator(".nw-relations").inner_text()
    rows = page.locator(".nw-numbers tbody tr")
    first, last = rows.first.locator("td"), rows.last.locator("td")
    say(7, f"coffee club: {relations.strip()}")
    say(
        7,
        f"over {rows.count()} months: {first.nth(0).text_content()} members / "
        f"{first.nth(2).text_content()} confirmed relations in the first month, "
        f"{last.nth(0).text_content()} / {last.nth(2).text_content()} in the last",
    )
    w.shot(page, "7-coffee-club", full=True)

    year_ago = (datetime.date.today() - datetime.timedelta(days=365)).isoformat()
    w.go(page, f"/n/{SLUG}/network/?then={year_ago}")
    expect(page.locator("#network-graph canvas").first).to_be_attached()
    table = page.get_by_role("region", name="The network then and now")
    cells = table.locator("tbody tr").nth(1).locator("td")
    say(
        7,
        f"network a year ago vs now: {cells.nth(0).inner_text()} -> "
        f"{cells.nth(1).inner_text()} connections; graph drawn (cytoscape canvas)",
    )
    bridges = page.locator(".nw-bridges li")
    expect(bridges.first).to_be_visible(timeout=20_000)
    say(7, f"who bridges groups: {bridges.first.inner_text()} (+{bridges.count() - 1} more)")
    page.wait_for_timeout(1500)
    w.shot(page, "7-network")
    page.context.close()

    builder = w.page(PHONE, "builder")
    w.go(builder, f"/n/{SLUG}/network/suggestions/")
    first = builder.locator(".nw-pair").first
    pair = first.inner_text().replace("\n", " ")
    reason = builder.locator(".nw-reasons").first.locator("li").all_inner_texts()
    builder.get_by_role("button", name=re.compile("^Propose an introduction")).first.click()
    builder.wait_for_load_state()
    w.go(builder, f"/n/{SLUG}/conversations/introductions/")
    names = [n.strip() for n in re.split(r"↔| and ", pair) if n.strip()]
    expect(builder.locator("main").get_by_text(names[-1]).first).to_be_visible()
    say(7, f"builder turned the top suggestion ({' / '.join(names)}) into an introduction")
    say(7, f"  its explanation: {' | '.join(reason)}")
    w.shot(builder, "7-introductions-phone", full=True)
    builder.context.close()


# -- #8 outcomes and report --------------------------------------------------------------------


def outcomes(w: Walk) -> None:
    from pypdf import PdfReader

    page = w.page(DESKTOP, "coordinator")
    w.go(page, f"/n/{SLUG}/outcomes/report/")
    main = page.locator("main")
    expect(main.get_by_role("heading", name="What Populierenbuurt yields")).to_be_visible()
    text = main.inner_text()
    assert COFFEE_CLUB in text or "coffee club" in text.lower(), "no coffee club in the report"
    period = next(line for line in text.splitlines() if line.startswith("Outcomes report,"))
    care = next(line for line in text.splitlines() if "zorgbezoeken" in line)
    say(8, f"report (defaults: last 12 months, for partners): '{period.strip()}'")
    say(8, f"care visits saved, quantity and value: '{care.strip()}'")
    coffee = [line for line in text.splitlines() if COFFEE_CLUB in line]
    say(8, f"the coffee club appears in {len(coffee)} lines, e.g. '{coffee[0].strip()[:110]}'")
    value = re.search(r"€\s?[\d.,]+", text)
    say(8, f"values in euros shown, e.g. {value.group(0) if value else 'NONE'}")
    w.shot(page, "8-report", full=True)
    page.emulate_media(media="print")
    w.shot(page, "8-report-print")
    page.emulate_media(media="screen")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf = PdfReader(io.BytesIO(info.value.path().read_bytes()))
    pdf_text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "zorgbezoeken" in pdf_text and COFFEE_CLUB in pdf_text
    say(8, f"PDF: {len(pdf.pages)} pages, tells the coffee club and the care visits saved")
    page.context.close()

    anonymous = w.page(PHONE)
    w.go(anonymous, f"/n/{SLUG}/public/")
    say(8, f"published page of Populierenbuurt, anonymous, at 360 px: width {w.fits(anonymous)} px")
    w.shot(anonymous, "8-public-phone", full=True)
    status = anonymous.request.get(w.base + "/n/kastanjebuurt/public/").status
    say(8, f"Kastanjebuurt has not opted in: its public page answers {status}")
    anonymous.context.close()


# -- #11 ownership and reflection ---------------------------------------------------------------


def ownership(w: Walk) -> None:
    page = w.page(DESKTOP, "coordinator")
    w.go(page, f"/n/{SLUG}/")
    panel = page.locator(".own-panel").first
    figures = panel.locator("dl.figures div")
    say(11, "dashboard: " + "; ".join(f.inner_text().replace("\n", " ") for f in figures.all()))
    flagged = panel.locator(".own-flag li").all_inner_texts()
    lasted = panel.locator(".own-success li").all_inner_texts()
    say(11, f"flagged (stopped when the professional left): {[t.splitlines()[0] for t in flagged]}")
    say(11, f"handed over and kept going: {[t.splitlines()[0] for t in lasted]}")
    panel.screenshot(path=SHOTS / "11-dashboard-panel.png")
    w.go(page, f"/n/{SLUG}/outcomes/report/?audience=internal")
    report = page.locator("main").inner_text()
    assert "Builders' reflections" in report or "Builders’ reflections" in report
    assert "Stopped when the professional left" in report
    say(11, "report (internal): hand-overs, the flagged project and builders' reflections")
    w.go(page, f"/n/{SLUG}/ownership/reflections/")
    kinds = {
        k: page.locator("main").inner_text().count(k)
        for k in ("strengthening", "harmful", "neutral")
    }
    say(11, f"reflections page mentions: {kinds}")
    w.shot(page, "11-reflections", full=True)
    page.context.close()
    resident = w.page(DESKTOP, "resident")
    status = resident.request.get(w.base + f"/n/{SLUG}/ownership/reflections/").status
    say(11, f"a resident opening the reflections: {status}")
    resident.context.close()


# -- #9 map, import and export ------------------------------------------------------------------

KB = "kastanjebuurt"


def upload(w: Walk, page: Page, path: Path) -> str:
    w.go(page, f"/n/{KB}/import/")
    page.locator("main input[type=file]").set_input_files(path)
    page.get_by_role("button", name="Show the preview").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible(timeout=60_000)
    return page.locator("main").inner_text()


def confirm(page: Page) -> str:
    page.locator("main form").get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    done = page.locator("main").get_by_text(re.compile(r"added|is now"))
    for _ in range(60):  # a long import shows its progress; the page refreshes itself
        if done.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    return page.locator("main").inner_text()


def exchange(w: Walk) -> None:
    page = w.page(DESKTOP, "coordinator")
    buurten = DATA / "buurten" / "amstelveen_buurten.geojson"
    preview = upload(w, page, buurten)
    line = next(x for x in preview.splitlines() if "becomes the boundary" in x)
    say(9, f"CBS buurten file (47 Amstelveen buurten) previewed: '{line.strip()}'")
    result = confirm(page)
    line = next(x for x in result.splitlines() if "is now" in x)
    say(9, f"imported: '{line.strip()}'")

    osm = DATA / "osm" / "osm_pois_nieuwegein_2017_sample.geojson"
    preview = upload(w, page, osm)
    counts = next(x for x in preview.splitlines() if " rows:" in x or " row:" in x)
    notes = next((x for x in preview.splitlines() if "with a note" in x), "no notes")
    say(9, f"OpenStreetMap export of Nieuwegein previewed: '{counts.strip()}'; {notes.strip()}")
    w.shot(page, "9-import-preview", full=True)
    if page.get_by_label("Import only the valid rows").count():
        page.get_by_label("Import only the valid rows").check()
    result = confirm(page)
    line = next(x for x in result.splitlines() if "added" in x)
    say(9, f"imported: '{line.strip()}'")
    preview = upload(w, page, osm)
    counts = next(x for x in preview.splitlines() if " rows:" in x or " row:" in x)
    say(9, f"the same file again: '{counts.strip()}' (no duplicates)")

    w.go(page, f"/n/{KB}/map/")
    expect(page.locator(".leaflet-marker-icon, .leaflet-interactive").first).to_be_attached()
    page.wait_for_timeout(1000)
    markers = page.locator(".leaflet-marker-icon").count()
    shapes = page.locator(".leaflet-overlay-pane path").count()
    listed = page.locator("#map-results a").count()
    say(
        9,
        f"map offline: {markers} marker icons, {shapes} shapes (the boundary), "
        f"{listed} links in the list beside it",
    )
    w.shot(page, "9-map")

    w.go(page, f"/n/{KB}/export/")
    with page.expect_download() as info:
        page.get_by_role("link", name="HSDS (JSON)").click()
    items = json.loads(info.value.path().read_bytes())
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assetmap.settings")
    os.environ.setdefault("DEBUG", "1")  # only to read the schemas, as manage.py does
    import django

    django.setup()
    from tests.exchange.test_export import _validator

    errors = 0
    for item in items:
        kind = (
            "service"
            if "status" in item
            else "location"
            if "location_type" in item
            else "organization"
        )
        errors += len(list(_validator(kind).iter_errors(item)))
    say(9, f"HSDS JSON: {len(items)} objects, {errors} schema errors against HSDS 3.0")
    with page.expect_download() as info:
        page.get_by_role("link", name="HSDS (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes()))
    descriptor = json.loads(archive.read("datapackage.json"))
    say(
        9,
        f"HSDS data package: {len(descriptor['resources'])} resources, version "
        f"{descriptor['version']}",
    )
    from openpyxl import load_workbook

    with page.expect_download() as info:
        page.get_by_role("link", name="Kumu (XLSX)").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    rows = {name: book[name].max_row - 1 for name in book.sheetnames}
    say(9, f"Kumu workbook: sheets {rows} (Kumu's Elements/Connections import format)")
    page.context.close()


SECTIONS = {
    3: foundation,
    5: conversations,
    6: residents,
    7: network,
    8: outcomes,
    9: exchange,
    11: ownership,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8010")
    parser.add_argument("--only", type=int, nargs="*", default=sorted(SECTIONS))
    args = parser.parse_args()
    SHOTS.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        walk = Walk(browser, args.base)
        try:
            for number in args.only:
                started = time.monotonic()
                SECTIONS[number](walk)
                say(number, f"done in {time.monotonic() - started:.1f} s")
        except (AssertionError, PlaywrightError) as error:
            print(f"STOPPED: {error}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

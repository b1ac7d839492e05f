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
PASSWORD = "buurt-demo-2026"
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

RESIDENT_PASSWORD = "lindeboom-zomer-2026-buurt"


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
    page.get_by_label("Your code").fill("XXXX-XXXX")
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


SECTIONS = {3: foundation, 5: conversations, 6: residents}


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

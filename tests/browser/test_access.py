"""Everyone can use it (issue #24), in Debian's chromium.

- Every main page of each role fits a 320 px phone, and a 360 px phone at 200 % text, without
  scrolling sideways. 200 % text is the browser's default font size doubled (16 px → 32 px,
  DevTools ``Page.setFontSizes``, as Chrome's "very large" font setting does): rem and em
  sizes, em media queries included, grow with it; pixel sizes do not.
- On those pages: ids are unique, every ``list=`` has its datalist, ``<time datetime>`` has no
  microseconds, there is a meta description, and radio groups are fieldsets with a legend.
- By keyboard: "Volgende" on the people list leaves focus on the first person of page 2 and
  the live region says "Pagina 2 van 3"; "Gave toevoegen" on a draft leaves focus on the new
  gift, in view and not under the sticky save status, and the live region says so.
- Tabbing through pages: every focused element has an outline whose colour has 3:1 or more
  against the background behind it (computed from the styles), is not covered by a sticky
  bar, and in the sideways-scrolling nav the ring is drawn inside the link (not clipped).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conversations.models import Conversation
from organisations.models import Organisation
from tests.factories import PASSWORD
from tests.me.factories import make_claimed
from tests.network import factories as nf
from tests.outcomes.factories import publish
from tests.places.factories import make_place
from tests.residents.factories import make_gift, make_people, make_person

LONG_WORD = "Buurtmoestuinvrijwilligerscoördinatiewerkgroepsbijeenkomst"


@pytest.fixture
def neighbourhood(world):
    """Neighbourhood A with enough of everything for three pages of people, long words and
    links, a published page, a network, a draft and a resident's own profile."""
    nb = world.a.neighbourhood
    make_people(nb, 55)
    long = make_person(nb, f"Henk {LONG_WORD}", street=LONG_WORD)
    # a title fits 120 characters (PostgreSQL enforces it); the long link goes in the text
    make_gift(long, LONG_WORD, description=f"https://example.org/{LONG_WORD}/{LONG_WORD}")
    Organisation.objects.create(neighbourhood=nb, name=f"Vereniging {LONG_WORD}")
    make_place(nb, name=f"Buurthuis {LONG_WORD}")
    a, b = nf.person(nb, "Kees"), nf.person(nb, "Ans")
    nf.link(a, b)
    publish(nb)
    make_claimed(nb, world.a.resident, "Ans Jansen")
    draft = Conversation.objects.create(neighbourhood=nb, person=a, builder=world.a.builder)
    return {"nb": nb, "draft": draft}


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def main_pages(world, data) -> dict[str, list[str]]:
    slug = data["nb"].slug
    n = lambda name, **kw: reverse(name, kwargs={"slug": slug, **kw})  # noqa: E731
    return {
        "coordinator_a": [
            n("neighbourhoods:dashboard"),
            n("residents:people"),
            n("residents:gifts"),
            n("organisations:list"),
            n("places:list"),
            n("neighbourhoods:members"),
            n("network:network"),
            n("publication:page"),
        ],
        "builder_a": [
            n("conversations:detail", conversation_id=data["draft"].pk),
            n("conversations:list"),
        ],
        "resident_a": [
            n("me:profile"),
            n("me:details"),
            n("me:gifts"),
            n("me:visibility"),
            n("me:consent"),
            n("me:history"),
            n("me:export"),
        ],
    }


def page_for(browser, live_server, username: str, width: int, big_text: bool):
    context = browser.new_context(viewport={"width": width, "height": 640}, locale="nl-NL")
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    if big_text:
        cdp = context.new_cdp_session(page)
        cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    sign_in(page, live_server, username)
    return context, page


SOUNDNESS = """() => {
  const problems = [];
  const ids = {};
  document.querySelectorAll('[id]').forEach(e => { ids[e.id] = (ids[e.id] || 0) + 1; });
  Object.entries(ids).filter(([, n]) => n > 1).forEach(([id]) => problems.push('duplicate id ' + id));
  document.querySelectorAll('input[list]').forEach(e => {
    const list = document.getElementById(e.getAttribute('list'));
    if (!list || list.tagName !== 'DATALIST') problems.push('no datalist ' + e.getAttribute('list'));
  });
  document.querySelectorAll('time[datetime]').forEach(e => {
    if (/\\.\\d/.test(e.getAttribute('datetime'))) problems.push('microseconds ' + e.getAttribute('datetime'));
  });
  const meta = document.querySelector('meta[name=description]');
  if (!meta || !meta.content.trim()) problems.push('no meta description');
  const groups = new Set();
  document.querySelectorAll('input[type=radio]').forEach(e => groups.add(e.name));
  groups.forEach(name => {
    const first = document.querySelector('input[type=radio][name="' + name + '"]');
    const set = first.closest('fieldset');
    if (!set || !set.querySelector('legend')) problems.push('radio group without fieldset/legend ' + name);
  });
  return problems;
}"""


@pytest.mark.parametrize(
    ("width", "big_text"), [(320, False), (360, True)], ids=["320px", "360px-200pct-text"]
)
def test_main_pages_fit_a_small_phone(browser, live_server, world, neighbourhood, width, big_text):
    too_wide, unsound = [], []
    for username, urls in main_pages(world, neighbourhood).items():
        context, page = page_for(browser, live_server, username, width, big_text)
        for url in urls:
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            if big_text:
                size = page.evaluate("getComputedStyle(document.documentElement).fontSize")
                assert size == "32px", size
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{url} as {username}: {scroll_width} px")
            unsound += [f"{url}: {problem}" for problem in page.evaluate(SOUNDNESS)]
        context.close()
    assert too_wide == [], f"pages wider than {width} px"
    assert unsound == []


# -- focus after an update ------------------------------------------------------------------


@pytest.mark.browser_context_args(locale="nl-NL", viewport={"width": 360, "height": 740})
def test_next_page_of_people_by_keyboard(page, live_server, world, neighbourhood, axe):
    sign_in(page, live_server, "builder_a")
    page.goto(
        live_server.url + reverse("residents:people", kwargs={"slug": neighbourhood["nb"].slug})
    )
    next_link = page.get_by_role("link", name="Volgende")
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("Pagina 2 van 3")
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    first = page.locator("#results .card-title a").first
    expect(first).to_be_focused()
    # focus is on page 2's first person, not somewhere on page 1 or on the body
    assert page.evaluate("document.activeElement.closest('#results') !== null")
    axe("people, page 2")


@pytest.mark.browser_context_args(locale="nl-NL", viewport={"width": 360, "height": 740})
def test_gift_added_on_a_draft_by_keyboard(
    page, live_server, world, neighbourhood, axe, screenshot
):
    sign_in(page, live_server, "builder_a")
    page.goto(live_server.url + neighbourhood["draft"].get_absolute_url())
    page.locator("input[name=kind][value=hands]").focus()
    page.keyboard.press("Space")
    page.locator("#gift-title").focus()
    page.keyboard.type("Taarten bakken")
    page.locator("#gifts button[type=submit]", has_text="Gave toevoegen").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announcer")).to_have_text("Gave toegevoegd: Taarten bakken")
    added = page.locator("#gifts li[data-focus]")
    expect(added).to_contain_text("Taarten bakken")
    expect(added).to_be_focused()
    expect(added).to_be_in_viewport()
    status = page.locator("#save-status").bounding_box()
    box = added.bounding_box()
    assert status is not None and box is not None
    assert box["y"] >= status["y"] + status["height"] - 1, "the save status covers the new gift"
    screenshot("access-draft-gift-added-360")
    axe("draft after adding a gift")


# -- the focus ring -------------------------------------------------------------------------

FOCUSED = """async () => {
  await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  // (a date field moving between its day, month and year parts is briefly not :focus)
  if (!el || el === document.body || !el.matches(':focus')) return null;
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  let node = el.parentElement, bg = null;
  while (node) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.a > 0.5) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || {r: 255, g: 255, b: 255, a: 1};
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(rect.top + Math.min(rect.height / 2, 10), 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  const covered = !!(top && !el.contains(top) && !top.contains(el) && top.closest('[data-sticky]'));
  const nav = el.closest('.nav');
  return {
    what: el.tagName + (el.id ? '#' + el.id : '') + ' ' + (el.textContent || '').trim().slice(0, 30),
    style: style.outlineStyle, width: parseFloat(style.outlineWidth), offset: parseFloat(style.outlineOffset),
    contrast: ratio(parse(style.outlineColor), bg),
    covered, inNav: !!nav,
  };
}"""


@pytest.mark.browser_context_args(locale="nl-NL", viewport={"width": 360, "height": 740})
def test_focus_ring_has_contrast_and_is_never_covered_or_clipped(
    page, live_server, world, neighbourhood
):
    problems, seen, lowest = [], 0, 99.0
    pages = main_pages(world, neighbourhood)
    for username, urls in (
        ("builder_a", pages["builder_a"][:1]),
        ("coordinator_a", pages["coordinator_a"][:2]),
    ):
        page.context.clear_cookies()
        sign_in(page, live_server, username)
        for url in urls:
            page.goto(live_server.url + url)
            for _ in range(45):
                page.keyboard.press("Tab")
                found = page.evaluate(FOCUSED)
                if found is None:
                    continue
                seen += 1
                lowest = min(lowest, found["contrast"])
                if found["style"] == "none" or found["width"] < 2:
                    problems.append(f"{url} {found['what']}: no visible outline ({found['style']})")
                elif found["contrast"] < 3:
                    problems.append(
                        f"{url} {found['what']}: outline contrast {found['contrast']:.2f}"
                    )
                if found["covered"]:
                    problems.append(f"{url} {found['what']}: under a sticky bar")
                if found["inNav"] and found["offset"] + found["width"] > 0:
                    problems.append(f"{url} {found['what']}: ring outside a scrolling nav link")
    assert seen > 60
    assert problems == [], f"lowest contrast {lowest:.2f}"
    print(f"focus ring: {seen} focused elements, lowest contrast {lowest:.2f}:1")

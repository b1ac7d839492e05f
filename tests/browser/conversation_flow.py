"""The kitchen-table flow of tests/browser/test_conversation.py, written down as data.

The browser test runs exactly these steps; bench/conversation_interactions.py counts them.
Only "click", "check", "fill" and "select" are interactions (what a builder does with a
finger or the keyboard); "wait" steps are the test looking, not the builder doing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

INTERACTIONS = frozenset({"click", "check", "fill", "select"})


@dataclass(frozen=True)
class Step:
    action: str  # click | check | fill | select | wait
    kind: str  # label | button | link | text
    name: str
    value: str = ""
    within: str = ""  # a CSS selector to look in (the step's section)


GIFTS = [
    ("hands (skills)", "Fietsen repareren"),
    ("head (knowledge)", "Nederlandse les geven"),
    ("heart (what I care about)", "Buurtmoestuin"),
]


def kitchen_table_flow(today: datetime.date, first_name: str, knows: str, meets: str) -> list[Step]:
    """From the dashboard to a finished conversation with a new person."""
    due = (today + datetime.timedelta(days=7)).isoformat()
    steps = [
        Step("click", "link", "Start a conversation"),
        Step("fill", "label", "First name", first_name),
        Step("fill", "label", "Street", "Populierstraat"),
        Step("check", "label", "They agreed, out loud, to the text above"),
        Step("click", "button", "Start the conversation"),
        Step("fill", "label", "What they care about", "De speeltuin op de hoek en de eenzaamheid."),
    ]
    for kind, title in GIFTS:
        steps += [
            Step("check", "label", kind, within="#gifts"),
            Step("fill", "label", "Gift", title, within="#gifts"),
            Step("click", "button", "Add gift", within="#gifts"),
            Step("wait", "text", title, within="#gifts [data-items]"),
        ]
    steps += [
        Step("fill", "label", "Find someone they know", knows, within="#known"),
        Step("click", "button", f"Knows {knows}", within="#known"),
        Step("wait", "text", knows, within="#known [data-items]"),
        Step("fill", "label", "Find someone for them to meet", meets, within="#introductions"),
        Step("click", "button", f"Should meet {meets}", within="#introductions"),
        Step("wait", "text", meets, within="#introductions [data-items]"),
        Step("fill", "label", "What", "Folder van de koffieochtend brengen", within="#follow-ups"),
        Step("fill", "label", "Due date", due, within="#follow-ups"),
        Step("click", "button", "Add follow-up", within="#follow-ups"),
        Step(
            "wait", "text", "Folder van de koffieochtend brengen", within="#follow-ups [data-items]"
        ),
        Step("click", "button", "Finish conversation"),
    ]
    return steps


def known_person_start(first_name: str, street: str, pick: str = "") -> list[Step]:
    """From the dashboard to a draft with someone already known (consent on record): type
    the name (``pick``: their name as recorded, when typed otherwise), pick them from what
    shows up. Nobody new is recorded."""
    pick = pick or first_name
    return [
        Step("click", "link", "Start a conversation"),
        Step("fill", "label", "First name", first_name),
        Step("fill", "label", "Street", street),
        Step("wait", "text", f"Start with {pick}", within="#matches"),
        Step("click", "button", f"Start with {pick}", within="#matches"),
        Step("wait", "text", "What they care about"),
    ]


# Before find-before-create, the same start went through the people list (the way that made
# no duplicate): People, search, open the person, "Start a conversation", confirm.
KNOWN_PERSON_START_BEFORE = 5


def count_interactions(steps: list[Step]) -> int:
    return sum(1 for step in steps if step.action in INTERACTIONS)


def run(page, steps: list[Step]) -> int:
    """Perform the steps with Playwright; returns how many interactions were performed."""
    from playwright.sync_api import expect

    performed = 0
    for step in steps:
        scope = page.locator(step.within) if step.within else page
        if step.kind == "label":
            target = scope.get_by_label(step.name, exact=True)
        elif step.kind in ("button", "link"):
            target = scope.get_by_role(step.kind, name=step.name, exact=True)
        else:
            target = scope.get_by_text(step.name)
        if step.action == "wait":
            expect(target.first).to_be_visible()
            continue
        if step.action == "fill":
            target.fill(step.value)
        elif step.action == "check":
            target.check()
        elif step.action == "select":
            target.select_option(step.value)
        else:
            target.click()
        performed += 1
        if step.kind in ("button", "link"):
            page.wait_for_load_state()
    return performed

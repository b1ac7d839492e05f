"""How many interactions does logging a kitchen-table conversation take on a phone?

    uv run python bench/conversation_interactions.py

Counts the steps of the flow that tests/browser/test_conversation.py performs in chromium
at 360×740 (the test runs the very same list, tests/browser/conversation_flow.py, and
checks that it performed exactly this many): a new person from first name and street with
consent, what they care about, three gifts, one known relation, one introduction and one
follow-up, then finish; and starting with someone already known (type the name, pick them
from the matches: tests/browser/test_find_before_create.py). Interactions are clicks, ticks and fields filled; the test's own
waiting and checking is not counted, nor signing in. Aim: 25 or fewer.
"""

from __future__ import annotations

import datetime
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conversation_flow import (
    INTERACTIONS,
    KNOWN_PERSON_START_BEFORE,
    count_interactions,
    kitchen_table_flow,
    known_person_start,
)

AIM = 25


def main() -> int:
    steps = kitchen_table_flow(datetime.date.today(), "Fatima", knows="Kees", meets="Ans")
    number = 0
    for step in steps:
        if step.action not in INTERACTIONS:
            continue
        number += 1
        value = f" = {step.value!r}" if step.value else ""
        print(f"{number:2d}. {step.action:6s} {step.kind} “{step.name}”{value}")
    kinds = Counter(step.action for step in steps if step.action in INTERACTIONS)
    total = count_interactions(steps)
    detail = ", ".join(f"{kinds[k]} {k}" for k in ("click", "check", "fill", "select") if kinds[k])
    print(
        f"\ninteractions: {total} ({detail}); aim ≤ {AIM}: {'met' if total <= AIM else 'NOT met'}"
    )
    known = count_interactions(known_person_start("Gerda", "Seringenlaan"))
    print(
        f"starting with someone already known (type, pick): {known} interactions "
        f"(before: {KNOWN_PERSON_START_BEFORE} through the people list, or a duplicate)"
    )
    return 0 if total <= AIM else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""who_changed: the one rule person forms and conversation autosave decide conflicts by."""

import pytest

from neighbourhoods.versions import UNKNOWN, Change, who_changed


@pytest.mark.parametrize(
    ("typed", "saved", "base", "expected"),
    [
        ("a", "a", "x", Change.NONE),
        ("mine", "a", "a", Change.MINE),
        ("a", "theirs", "a", Change.THEIRS),
        ("mine", "theirs", "a", Change.BOTH),
        ("mine", "theirs", UNKNOWN, Change.BOTH),
        ("a", "a", UNKNOWN, Change.NONE),
    ],
)
def test_who_changed(typed, saved, base, expected):
    assert who_changed(typed, saved, base) is expected

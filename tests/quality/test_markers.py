"""The README's quick run `pytest -m "not browser"` runs every test outside tests/browser.

Checked in-process: the browser folder's collection hook on stand-in items, and the marker
on every item this session collected (the whole suite in CI)."""

from pathlib import Path

from tests.browser import conftest as browser_conftest

ROOT = Path(__file__).resolve().parents[2]


class _Item:
    def __init__(self, path: Path):
        self.path = path
        self.markers: list[str] = []

    def add_marker(self, marker) -> None:
        self.markers.append(marker.name)


def test_the_browser_hook_marks_exactly_the_browser_folder():
    inside = _Item(ROOT / "tests" / "browser" / "test_journeys.py")
    outside = _Item(ROOT / "tests" / "quality" / "test_markers.py")
    lookalike = _Item(ROOT / "tests" / "browser_notes" / "test_x.py")
    browser_conftest.pytest_collection_modifyitems([inside, outside, lookalike])
    assert inside.markers == ["browser"]
    assert outside.markers == []
    assert lookalike.markers == []


def test_every_collected_test_is_marked_browser_exactly_when_it_lives_there(request):
    browser_dir = ROOT / "tests" / "browser"
    items = request.session.items
    assert any(item.nodeid == request.node.nodeid for item in items)
    wrong = [
        item.nodeid
        for item in items
        if (item.get_closest_marker("browser") is not None)
        != (browser_dir in Path(item.path).resolve().parents)
    ]
    assert wrong == []

"""The README's quick run `pytest -m "not browser"` runs every test outside tests/browser."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _collected(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return {line.split("::")[0] for line in out.splitlines() if "::" in line}


def test_not_browser_selects_every_test_file_outside_the_browser_folder():
    files = _collected("-m", "not browser", "tests/quality", "tests/browser")
    assert "tests/quality/test_markers.py" in files
    assert not any(name.startswith("tests/browser/") for name in files)
    browser = _collected("-m", "browser", "tests/quality", "tests/browser")
    assert browser and all(name.startswith("tests/browser/") for name in browser)

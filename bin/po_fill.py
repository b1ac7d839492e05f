"""Refresh the catalogues and fill in the Dutch translations from locale/nl/src/*.json.

Usage: uv run python bin/po_fill.py
Each feature keeps its Dutch texts in its own JSON file (no merge conflicts in the .po):
an English msgid maps to its Dutch text (a list of two for plural forms). The script runs
makemessages, fills the .po, prints the msgids still untranslated, and compiles.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


SOURCES = PO.parent.parent / "src"


def main() -> None:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=tests",
            "--ignore=bench",
            "--ignore=test-output",
        ],
        check=True,
    )
    table = {}
    for source in sorted(SOURCES.glob("*.json")):
        table.update(json.loads(source.read_text()))
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.msgid in table:
            value = table[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    for msgid in missing:
        print("untranslated:", msgid)
    subprocess.run([sys.executable, "manage.py", "compilemessages", "--ignore=.venv"], check=True)


if __name__ == "__main__":
    main()

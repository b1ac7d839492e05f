"""Fill Dutch translations into locale/nl/LC_MESSAGES/django.po from a JSON file.

Usage: uv run --with polib python bin/po_fill.py translations.json
The JSON maps an English msgid to its Dutch text (a list of two for plural forms).
Prints the msgids still untranslated, then compiles the catalogues.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def main(path: str) -> None:
    table = json.loads(Path(path).read_text())
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
    main(sys.argv[1])

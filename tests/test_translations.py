"""The Dutch catalogue is complete and the committed .mo files match the .po files."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_compiled_catalogue_matches_source(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert mo.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, entry.msgid


def test_dutch_catalogue_is_complete():
    po = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []

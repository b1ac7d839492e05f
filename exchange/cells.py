"""Cell values in and out of spreadsheets, and the guard against formula injection.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return may be run
as a formula by a spreadsheet program. Exports put an apostrophe in front of such text
(OWASP's advice); imports take that apostrophe off again, so a round trip keeps the text as
it was. Numbers are written as numbers and never escaped.
"""

from __future__ import annotations

import datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape(value: object) -> object:
    """The value to write in a CSV or XLSX cell."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape(text: str) -> str:
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def cell_text(value: object) -> str:
    """Any cell (text, number, date, empty) as trimmed text, without an escaping apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    text = str(value)
    return unescape(text.strip(" \n\x0b\x0c")).strip()

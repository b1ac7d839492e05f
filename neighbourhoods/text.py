"""Text for lists, made in Python where a template filter a row costs too much (issue #19)."""

from __future__ import annotations

import datetime
import functools
import unicodedata

from django.utils.formats import date_format, get_format
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.translation import get_language


def shorten(text: str, length: int) -> str:
    """What ``text|truncatechars:length`` gives, without a Python call per character.

    ``truncatechars`` looks at every character up to ``length`` for combining marks (about
    170 calls for a description of 160 characters: a tenth of a list page of 25 rows). Text
    with no combining mark in the part that counts is cut with one slice."""
    text = unicodedata.normalize("NFC", text or "")
    if len(text) <= length:
        return text
    if any(map(unicodedata.combining, text[: length + 1])):
        return Truncator(text).chars(length)
    return add_truncation_text(text[: calculate_truncate_chars_length(length, None)])


def day(value: datetime.date | None, format: str = "DATE_FORMAT") -> str:
    """``date_format(value, format)`` in the active language, kept per day: a list's rows
    share a few hundred days, and formatting one costs about 80 Python calls (issue #19)."""
    if value is None:
        return ""
    return _day(value, format, get_language() or "")


@functools.lru_cache(maxsize=8192)
def _day(value: datetime.date, format: str, language: str) -> str:
    return date_format(value, format)


def decimals(value: float, places: int) -> str:
    """``value|floatformat:places`` (no grouping) for a list's rows: the decimal separator
    of the active language, read once per language; ``floatformat`` builds a Decimal and
    reads the formats for every value (about 100 Python calls)."""
    return f"{value:.{places}f}".replace(".", _separator(get_language() or ""))


@functools.lru_cache(maxsize=16)
def _separator(language: str) -> str:
    return str(get_format("DECIMAL_SEPARATOR"))

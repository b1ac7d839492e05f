"""Accent- and case-insensitive matching that reads the same on PostgreSQL and SQLite.

``Fold(expr)`` renders as ``search_fold(expr)``: on PostgreSQL an IMMUTABLE SQL function
(``lower(unaccent(...))``, created by this app's migration, with GIN trigram indexes on
``search_fold(column)``); on SQLite the Python :func:`fold` registered on every connection.
Search terms are folded in Python with the same rules, so "Café" ≈ "cafe" everywhere.
"""

from __future__ import annotations

import unicodedata
from typing import overload

from django.db.models import BooleanField, CharField, FloatField, Func, Value

# Letters that do not decompose in Unicode but that unaccent folds (kept in step).
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})


@overload
def fold(text: str) -> str: ...
@overload
def fold(text: None) -> None: ...
def fold(text: str | None) -> str | None:
    """Lower case, accents removed: "Grasélaan" → "graselaan"; None stays None."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).lower().translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class Fold(Func):
    function = "search_fold"
    output_field = CharField()


class WordSimilar(Func):
    """PostgreSQL only: ``term <% search_fold(column)`` (pg_trgm word similarity)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, term: str, expression, **extra):
        super().__init__(Value(term, output_field=CharField()), expression, **extra)


class WordSimilarity(Func):
    """PostgreSQL only: ``word_similarity(term, search_fold(column))`` for ranking."""

    function = "word_similarity"
    output_field = FloatField()

    def __init__(self, term: str, expression, **extra):
        super().__init__(Value(term, output_field=CharField()), expression, **extra)

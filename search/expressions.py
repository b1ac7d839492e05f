"""Accent- and case-insensitive matching that reads the same on PostgreSQL and SQLite.

``Fold(expr)`` renders as ``search_fold(expr)``: on PostgreSQL an IMMUTABLE SQL function
(``lower(unaccent(...))``, created by this app's migration, with GIN trigram indexes on
``search_fold(column)``); on SQLite the Python :func:`fold` registered on every connection.
Search terms are folded in Python with the same rules, so "Café" ≈ "cafe" everywhere.
"""

from __future__ import annotations

import functools
import threading
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


class TermFunc(Func):
    """A function of a search term (a string, passed as a parameter) and columns."""

    def __init__(self, term: str, *expressions, **extra):
        super().__init__(Value(term, output_field=CharField()), *expressions, **extra)


class PerDatabase(TermFunc):
    """A term function written for each database: :meth:`sql_for` gets the compiled term and
    columns (each ``(sql, params)``) and whether the database is PostgreSQL."""

    def as_sql(
        self,
        compiler,
        connection,
        function=None,
        template=None,
        arg_joiner=None,
        **extra_context,
    ):
        compiled = [compiler.compile(e) for e in self.source_expressions]
        return self.sql_for(connection.vendor == "postgresql", *compiled)

    def sql_for(self, postgresql: bool, term, *columns) -> tuple[str, tuple]:
        raise NotImplementedError


class WordSimilar(TermFunc):
    """PostgreSQL only: ``term <% search_fold(column)`` (pg_trgm word similarity)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class WordSimilarity(TermFunc):
    """PostgreSQL only: ``word_similarity(term, search_fold(column))`` for ranking."""

    function = "word_similarity"
    output_field = FloatField()


# --------------------------------------------------------------------------- Dutch words

# Snowball's stemmers keep the word being stemmed in the instance: one per thread (an app
# server's threads stemmed into each other's words: IndexError, a 500 under load).
_local = threading.local()


@functools.lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Dutch stem of a folded word, as PostgreSQL's ``dutch_stem`` (Snowball's Dutch
    Porter algorithm) gives it: "groenten" and "groente" → "groent"."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.stemmer = snowballstemmer.stemmer("dutch_porter")
    return stemmer.stemWord(word)


def words(text: str | None) -> list[str]:
    """The folded words of ``text`` (letters and digits; the rest separates)."""
    folded = fold(text or "")
    return "".join(c if c.isalnum() else " " for c in folded).split()


def stems(*texts: str | None) -> frozenset[str]:
    """The Dutch stems of the words of ``texts``."""
    return frozenset(stem(word) for text in texts for word in words(text))


def stem_match(term: str | None, *texts: str | None) -> bool:
    """SQLite's ``search_stem``: every word of ``term`` is a word of the texts, or shares
    its Dutch stem with one (PostgreSQL: ``search_doc(...) @@ search_query(term)``)."""
    wanted = stems(term)
    return bool(wanted) and wanted <= stems(*texts)


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(term: str | None, text: str | None) -> float:
    """SQLite's ``search_similarity``, as pg_trgm's ``word_similarity``: the best, over
    continuous extents of the text's trigrams, of shared ÷ (the term's trigrams + the
    extent's − shared): "fitsen" ~ "fietsen repareren" 0.5, "word" ~ "two words" 0.8."""
    wanted: set[str] = set()
    for word in words(term):
        wanted |= trigrams(word)
    if not wanted:
        return 0.0
    sequence = [t for word in words(text) for t in _in_order(word)]
    best = 0.0
    for start, first in enumerate(sequence):
        if first not in wanted:
            continue  # a best extent starts (and ends) on a shared trigram
        seen: set[str] = set()
        shared = 0
        for trigram in sequence[start:]:
            if trigram not in seen:
                seen.add(trigram)
                shared += trigram in wanted
            if trigram in wanted:
                best = max(best, shared / (len(wanted) + len(seen) - shared))
    return best


def _in_order(word: str) -> list[str]:
    padded = f"  {word} "
    return list(dict.fromkeys(padded[i : i + 3] for i in range(len(padded) - 2)))


class DutchMatch(PerDatabase):
    """Every word of ``term`` in the two columns, as a whole word or a Dutch stem.

    PostgreSQL: ``search_doc(a, b) @@ search_query(term)``, served by the GIN index on
    ``search_doc(a, b)`` of this app's migration (the columns must be in the index's
    order); SQLite: ``search_stem(term, a, b)`` (:func:`stem_match`).
    """

    output_field = BooleanField()

    def __init__(self, term: str, first, second=None, **extra):
        second = second if second is not None else Value("", output_field=CharField())
        super().__init__(term, first, second, **extra)

    def sql_for(self, postgresql: bool, term, *columns) -> tuple[str, tuple]:
        first, second = columns
        if postgresql:
            params = (*first[1], *second[1], *term[1])
            return f"search_doc({first[0]}, {second[0]}) @@ search_query({term[0]})", params
        return (
            f"search_stem({term[0]}, {first[0]}, {second[0]})",
            (*term[1], *first[1], *second[1]),
        )


class Similar(PerDatabase):
    """A word of the column within a typo of ``term``: on PostgreSQL ``term <% search_fold
    (column)`` (pg_trgm, GIN trigram index), on SQLite ``search_similarity(term, column) >=
    threshold`` (:func:`word_similarity`)."""

    output_field = BooleanField()

    def __init__(self, term: str, expression, threshold: float, **extra):
        self.threshold = threshold
        super().__init__(term, expression, **extra)

    def sql_for(self, postgresql: bool, term, *columns) -> tuple[str, tuple]:
        [column] = columns
        if postgresql:
            return f"({term[0]} <%% search_fold({column[0]}))", (*term[1], *column[1])
        return (
            f"(search_similarity({term[0]}, {column[0]}) >= {self.threshold:.2f})",
            (*term[1], *column[1]),
        )


class Similarity(PerDatabase):
    """How close ``term`` comes to a word of the column (for ranking typo matches)."""

    output_field = FloatField()

    def sql_for(self, postgresql: bool, term, *columns) -> tuple[str, tuple]:
        [column] = columns
        function = "word_similarity" if postgresql else "search_similarity"
        inner = f"search_fold({column[0]})" if postgresql else column[0]
        return f"{function}({term[0]}, {inner})", (*term[1], *column[1])

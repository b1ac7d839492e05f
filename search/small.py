"""The kinds a neighbourhood has tens or hundreds of (organisations, places, initiatives,
and outcomes for builders), searched in Python over their rows kept per data version.

Four queries a search cost more to build, send and compile than matching a few hundred kept
rows takes: at 20,000 people "fiets" spent 13 of its 32 ms on them (bench/README.md, issue
#19). The rules are those of the SQL in :mod:`search.engine` (and of SQLite's functions in
:mod:`search.expressions`, which PostgreSQL's full-text search stands in for there):

- every term is inside a searchable column (folded: accents and case do not matter), or a
  word of the title or text shares its Dutch stem with it, or (organisations and places)
  it names the row's kind ("cafe");
- ranked: a title starting with the query, then the query as whole words or stems in the
  title, then in the text, then a title word starting with it, then the rest; in each rank
  by folded title (code point order, as PostgreSQL's "C" collation), then id.

Looking again with a typo (when nothing matched anywhere) stays in SQL (pg_trgm).

One difference from PostgreSQL's full-text match, which these kinds used there: Dutch
stopwords count as words here (as on SQLite), so "bakker de" ranks a title as whole words
only when "de" is in it too. Which rows match does not change (every term is also looked
for inside the columns).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from neighbourhoods import freshness
from neighbourhoods.models import Membership, Neighbourhood

from .expressions import fold, stems


@dataclass(frozen=True, slots=True)
class Row:
    """What search reads of one row: kept in the cache, so plain values only."""

    pk: int
    title: str
    text: str  # the description or story (for the snippet)
    kind: str  # the kind's or status's value
    street: str
    key: str  # the folded title
    columns: tuple[str, ...]  # the folded columns a term may be inside
    title_stems: frozenset[str]
    doc_stems: frozenset[str]  # of the title and the text


def row(pk: int, title: str, text: str, kind: str = "", street: str = "", *more: str) -> Row:
    """A row whose ``title``, ``text`` and ``more`` (a street) a term may be inside."""
    title, text = title or "", text or ""
    columns = tuple(fold(column) for column in (title, text, *more) if column)
    title_stems = stems(title)
    return Row(
        pk,
        title,
        text,
        kind or "",
        street or "",
        fold(title),
        columns,
        title_stems,
        title_stems | stems(text),
    )


def kept_rows(
    neighbourhood: Neighbourhood,
    viewer: Membership | None,
    name: str,
    read: Callable[[], Iterable[Row]],
) -> list[Row]:
    """``read()`` once per data version (and viewer kind, unless ``viewer`` is None)."""
    return freshness.kept(neighbourhood, viewer, f"search-rows:{name}", lambda: list(read()))


def _stem_match(phrase_stems: frozenset[str], stems: frozenset[str]) -> bool:
    return bool(phrase_stems) and phrase_stems <= stems


def find(
    rows: list[Row],
    terms: list[str],
    limit: int,
    kinds_named: Callable[[str], list[str]] | None = None,
) -> tuple[list[Row], bool]:
    """Up to ``limit`` rows best first, and whether there are more (see the module)."""
    term_stems = [stems(term) for term in terms]
    named = [set(kinds_named(term)) if kinds_named else set() for term in terms]

    def matches(candidate: Row) -> bool:
        return all(
            any(term in column for column in candidate.columns)
            or _stem_match(stems, candidate.doc_stems)
            or candidate.kind in kinds
            for term, stems, kinds in zip(terms, term_stems, named, strict=True)
        )

    phrase = " ".join(terms)
    phrase_stems = stems(phrase)

    def rank(candidate: Row) -> int:
        if candidate.key.startswith(phrase):
            return 4
        if _stem_match(phrase_stems, candidate.title_stems):
            return 3
        if _stem_match(phrase_stems, candidate.doc_stems):
            return 2
        return 1 if " " + phrase in candidate.key else 0

    found = sorted(
        (candidate for candidate in rows if matches(candidate)),
        key=lambda candidate: (-rank(candidate), candidate.key, candidate.pk),
    )
    return found[:limit], len(found) > limit

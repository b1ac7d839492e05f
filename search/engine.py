"""Search across people, gifts, organisations and places of one neighbourhood.

Matching is accent- and case-insensitive on both databases (``search_fold`` on the column,
:func:`~search.expressions.fold` on the term, then ``LIKE %term%``); on PostgreSQL a term of
four letters or more also matches words within one typo (pg_trgm word similarity), and the
GIN trigram indexes of this app's migration serve both. Every term must match somewhere.

Visibility: a person's column is only searched where ``residents.visibility.field_q`` says
the viewer may see it, so a hidden phone number or street can never make a person match.
Ranking: exact title, title prefix, word prefix in the title, anywhere in the title, other
fields / typos; then trigram similarity (PostgreSQL) and the title.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.lookups import Contains, Exact, StartsWith
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation, OrganisationKind
from places.models import Place, PlaceKind
from residents import visibility
from residents.models import Gift, Person

from .expressions import Fold, WordSimilar, WordSimilarity, fold

MAX_TERMS = 6
MAX_TERM_LENGTH = 60
TYPO_MIN_LENGTH = 4


def terms_of(query: str) -> list[str]:
    """The folded words of a query, without duplicates, at most ``MAX_TERMS``."""
    words: list[str] = []
    for word in (fold(query) or "").split():
        word = word.strip(".,;:!?\"'()[]{}")[:MAX_TERM_LENGTH]
        if word and word not in words:
            words.append(word)
    return words[:MAX_TERMS]


@dataclass
class Hit:
    title: str
    url: str
    subtitle: str = ""
    kind: str = ""
    snippet: str = ""  # where the terms were found, when not in the title


def snippet(text: str, terms: list[str], words_around: int = 5) -> str:
    """A few words of ``text`` around the first word containing a term ("" if none)."""
    words = (text or "").split()
    for index, word in enumerate(words):
        folded = fold(word) or ""
        if any(term in folded for term in terms):
            start, end = max(0, index - words_around), index + words_around + 1
            prefix = "… " if start > 0 else ""
            suffix = " …" if end < len(words) else ""
            return prefix + " ".join(words[start:end]) + suffix
    return ""


def _why(sources: list[str], title: str, terms: list[str]) -> str:
    folded_title = fold(title) or ""
    if all(term in folded_title for term in terms):
        return ""
    for text in sources:
        found = snippet(text, terms)
        if found:
            return found
    return ""


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0


def _typo_tolerant() -> bool:
    return connection.vendor == "postgresql"


def _column_match(term: str, column: str) -> Q:
    match = Q(Contains(Fold(column), term))
    if _typo_tolerant() and len(term) >= TYPO_MIN_LENGTH:
        match |= Q(WordSimilar(term, Fold(column)))
    return match


def _matches(terms: list[str], columns: list[tuple[str, Q]], extra=None) -> Q:
    """Every term matches at least one (visible) column, or an ``extra(term)`` condition."""
    condition = Q()
    for term in terms:
        any_column = Q()
        for column, visible in columns:
            any_column |= _column_match(term, column) & visible
        if extra is not None:
            any_column |= extra(term)
        condition &= any_column
    return condition


def _ranked(queryset, title: str, phrase: str):
    folded = Fold(title)
    rank = Case(
        When(Exact(folded, phrase), then=Value(5)),
        When(StartsWith(folded, phrase), then=Value(4)),
        When(Contains(folded, " " + phrase), then=Value(3)),
        When(Contains(folded, phrase), then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(search_rank=rank)
    if _typo_tolerant():
        queryset = queryset.annotate(search_similarity=WordSimilarity(phrase, folded))
        return queryset.order_by("-search_rank", "-search_similarity", title, "pk")
    return queryset.order_by("-search_rank", title, "pk")


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the app's pages are not there (yet)
        return ""


def _page(queryset, limit: int) -> tuple[list, int]:
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], queryset.count()


# --- one function per type ----------------------------------------------------------------

PERSON_COLUMNS = [
    ("name", "name"),
    ("street", "street"),
    ("languages", "languages"),
    ("street_wish", "street_wish"),
    ("phone", "phone"),
    ("email", "email"),
]


def search_people(membership, terms: list[str], limit: int) -> Group:
    columns = [(col, visibility.field_q(membership, fld)) for fld, col in PERSON_COLUMNS]
    rows = (
        Person.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .filter(_matches(terms, columns))
    )
    people, total = _page(_ranked(rows, "name", " ".join(terms)), limit)
    hits = []
    for person in visibility.see_people(people, membership):
        sources = [getattr(person, field, "") for field, _column in PERSON_COLUMNS[2:]]
        hits.append(
            Hit(
                title=person.name,
                url=person.url,
                subtitle=getattr(person, "street", ""),
                kind="person",
                snippet=_why(sources, person.name, terms),
            )
        )
    return Group("people", _("People"), hits, total)


def _tag_match(term: str) -> Q:
    tagged = Gift.tags.through.objects.filter(
        gift_id=OuterRef("pk"), tag__normalised__contains=term
    )
    return Q(Exists(tagged))


def search_gifts(membership, terms: list[str], limit: int) -> Group:
    columns = [("title", Q()), ("description", Q())]
    rows = (
        Gift.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .filter(_matches(terms, columns, extra=_tag_match))
        .select_related("person")
    )
    gifts, total = _page(_ranked(rows, "title", " ".join(terms)), limit)
    hits = []
    for gift in visibility.see_gifts(gifts, membership):
        owner = getattr(gift.person, "name", "")
        hits.append(
            Hit(
                title=gift.title, url=gift.url, subtitle=f"{gift.kind_label} · {owner}", kind="gift"
            )
        )
    return Group("gifts", _("Gifts"), hits, total)


def _kinds_matching(term: str, choices) -> list[str]:
    return [value for value, label in choices if term in fold(str(label)) or term in value]


def search_organisations(membership, terms: list[str], limit: int) -> Group:
    rows = Organisation.objects.in_neighbourhood(membership.neighbourhood)
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(membership)
    columns = [("name", Q()), ("description", Q())]

    def kind(term: str) -> Q:
        kinds = _kinds_matching(term, OrganisationKind.choices)
        return Q(kind__in=kinds) if kinds else Q(pk__in=[])

    rows = rows.filter(_matches(terms, columns, extra=kind))
    organisations, total = _page(_ranked(rows, "name", " ".join(terms)), limit)
    hits = [
        Hit(
            title=o.name,
            url=_url(o),
            subtitle=o.get_kind_display(),
            kind="organisation",
            snippet=_why([o.description], o.name, terms),
        )
        for o in organisations
    ]
    return Group("organisations", _("Organisations"), hits, total)


def search_places(membership, terms: list[str], limit: int) -> Group:
    rows = Place.objects.in_neighbourhood(membership.neighbourhood)
    if hasattr(rows, "visible_to"):
        rows = rows.visible_to(membership)
    columns = [("name", Q()), ("description", Q()), ("street", Q())]

    def kind(term: str) -> Q:
        kinds = _kinds_matching(term, PlaceKind.choices)
        return Q(kind__in=kinds) if kinds else Q(pk__in=[])

    rows = rows.filter(_matches(terms, columns, extra=kind))
    places, total = _page(_ranked(rows, "name", " ".join(terms)), limit)
    hits = []
    for place in places:
        subtitle = place.get_kind_display()
        if place.street:
            subtitle = f"{subtitle} · {place.street}"
        hits.append(
            Hit(
                title=place.name,
                url=_url(place),
                subtitle=subtitle,
                kind="place",
                snippet=_why([place.description], place.name, terms),
            )
        )
    return Group("places", _("Places"), hits, total)


SEARCHERS = {
    "people": search_people,
    "gifts": search_gifts,
    "organisations": search_organisations,
    "places": search_places,
}


def search(membership, query: str, *, limit: int = 10, only: str | None = None) -> list[Group]:
    """Groups of hits for this viewer, in a fixed order; empty groups are kept (total 0)."""
    terms = terms_of(query)
    if not terms:
        return []
    groups = []
    for key, searcher in SEARCHERS.items():
        if only and key != only:
            continue
        groups.append(searcher(membership, terms, limit))
    return groups


__all__ = ["Group", "Hit", "search", "terms_of"]

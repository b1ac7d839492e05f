"""Search across people, gifts, organisations and places of one neighbourhood.

Matching is accent- and case-insensitive on both databases (``search_fold`` on the column,
:func:`~search.expressions.fold` on the term, then ``LIKE %term%``); on PostgreSQL a term of
four letters or more also matches words within one typo (pg_trgm word similarity), and the
GIN trigram indexes of this app's migration serve both. Every term must match somewhere.

Visibility: a person's column is only searched where ``residents.disclosure.field_q`` says
the viewer may see it, so a hidden phone number or street can never make a person match.
Ranking (see :func:`_find`): titles starting with the query (so an exact title first), then
titles with a word starting with it, then other matches, each in title order; typo matches
only when nothing else matched, by trigram similarity. No query counts all matches.

People, gifts and conversations are searched in SQL; the kinds a neighbourhood has tens or
hundreds of (organisations, places, initiatives, builders' outcomes) in their rows kept per
data version, by :mod:`search.small` with the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When, prefetch_related_objects
from django.db.models.functions import Collate
from django.db.models.lookups import Contains, GreaterThanOrEqual, LessThan
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from conversations.models import Conversation
from neighbourhoods.http import row_url
from neighbourhoods.models import choice_label
from network.models import Initiative
from organisations.models import Organisation, OrganisationKind
from outcomes.models import Outcome, PublicationSettings
from places.models import Place, PlaceKind
from residents import disclosure as visibility
from residents.models import Gift, Person, Tag

from . import small
from .apps import WORD_SIMILARITY_THRESHOLD
from .expressions import DutchMatch, Fold, Similar, Similarity, fold, stem

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TERMS = 6
MAX_TERM_LENGTH = 60
TYPO_MIN_LENGTH = 4
TYPO_COLUMNS = {"name", "title", "street"}
# At most this many matches are ranked per type; beyond that all are about as good.
MAX_CANDIDATES = 400


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
    stems = {stem(term) for term in terms}
    for index, word in enumerate(words):
        folded = (fold(word) or "").strip(".,;:!?\"'()[]{}")
        if any(term in folded for term in terms) or stem(folded) in stems:
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
    label: StrOrPromise
    hits: list[Hit] = field(default_factory=list)
    more: bool = False  # more hits than shown


def _typo_tolerant() -> bool:
    """Both databases look again allowing a typo (SQLite with the same trigram measure)."""
    return True


def _sortable(column: str):
    """The folded column in byte order: PostgreSQL walks a matching btree index in order."""
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return Collate(Fold(column), collation)


def _column_match(term: str, column: str, typo: bool = False) -> Q:
    """The term inside the column; with ``typo``, also a word within a typo of it.

    Typos are only looked for in short columns (names, titles, streets): comparing trigrams
    with every word of long texts is slow and mostly finds noise.
    """
    match = Q(Contains(Fold(column), term))
    if typo and len(term) >= TYPO_MIN_LENGTH and column in TYPO_COLUMNS:
        match |= Q(Similar(term, column, WORD_SIMILARITY_THRESHOLD))
    return match


def _matches(terms: list[str], columns: list[tuple[str, Q]], typo: bool = False, extra=None) -> Q:
    """Every term matches at least one (visible) column, or an ``extra(term)`` condition."""
    condition = Q()
    for term in terms:
        any_column = Q()
        for column, visible in columns:
            any_column |= _column_match(term, column, typo) & visible
        if extra is not None:
            any_column |= extra(term)
        condition &= any_column
    return condition


def _ids(rows, condition: Q, exclude: list[int]):
    return rows.filter(condition).exclude(pk__in=exclude).order_by().values_list("pk", flat=True)


def _find(
    rows,
    base,
    title: str,
    terms: list[str],
    limit: int,
    narrow,
    typo: bool,
    doc: tuple[str, str] | None = None,
):
    """Up to ``limit`` rows best first, and whether there are more.

    ``rows`` are the viewer's rows of the neighbourhood; ``narrow(rows, terms, typo,
    exclude)`` gives the ids of those that match every term; ``base`` fetches rows by id.

    1. titles that start with the query, in title order (an index range walk on PostgreSQL);
    2. then other matches: the query as whole words or Dutch stems in the title, then in
       the text (``doc``: the two columns of the kind's full-text index), then a title word
       starting with it, then the rest; only the first ``MAX_CANDIDATES`` ids are ranked
       (a short query first, then just those rows);
    with ``typo`` (PostgreSQL, when the plain search found nothing anywhere): rows within a
    typo, most similar first. Nothing here counts all matches, so a common word costs about
    as much as a rare one.
    """
    phrase = " ".join(terms)
    key = _sortable(title)
    if typo:
        ids = list(narrow(rows, terms, True, [])[:MAX_CANDIDATES])
        similar = (
            base.filter(pk__any_of=ids)
            .annotate(search_similarity=Similarity(phrase, title))
            .order_by("-search_similarity", key, "pk")
        )
        found = list(similar[: limit + 1])
        return found[:limit], len(found) > limit
    upper = phrase[:-1] + chr(ord(phrase[-1]) + 1)
    starts = rows.filter(GreaterThanOrEqual(key, phrase), LessThan(key, upper))
    found = list(starts.order_by(key, "pk")[: limit + 1])
    if len(found) <= limit:
        ids = list(narrow(rows, terms, False, [row.pk for row in found])[:MAX_CANDIDATES])
        whole = [When(DutchMatch(phrase, title), then=Value(3))]
        if doc:
            whole.append(When(DutchMatch(phrase, *doc), then=Value(2)))
        rank = Case(
            *whole,
            When(Contains(Fold(title), " " + phrase), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        rest = (
            base.filter(pk__any_of=ids)
            .annotate(search_rank=rank)
            .order_by("-search_rank", key, "pk")
        )
        found += list(rest[: limit + 1 - len(found)])
    return found[:limit], len(found) > limit


def _known_neighbourhood(objects, neighbourhood) -> None:
    """Their URLs name the neighbourhood's slug: use the one loaded already, not a query
    (and 27 kB of boundary) per hit."""
    for obj in objects:
        obj.neighbourhood = neighbourhood


def _url(obj) -> str:
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:  # the app's pages are not there (yet)
        return ""


# --- one function per type ----------------------------------------------------------------

PERSON_COLUMNS = [
    ("name", "name"),
    ("street", "street"),
    ("languages", "languages"),
    ("street_wish", "street_wish"),
    ("phone", "phone"),
    ("email", "email"),
]


def search_people(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    columns = [(col, visibility.field_q(membership, fld)) for fld, col in PERSON_COLUMNS]

    def narrow(rows, terms, typo, exclude):
        return _ids(rows, _matches(terms, columns, typo), exclude)

    rows = Person.objects.in_neighbourhood(membership.neighbourhood).visible_to(membership)
    people, more = _find(rows, Person.objects.all(), "name", terms, limit, narrow, typo)
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
    return Group("people", _("People"), hits, more)


def _text_match(term: str, typo: bool, doc=("title", "description")) -> Q:
    """The term in the title or the text, or as a whole word or Dutch stem in either."""
    first, second = doc
    return (
        _column_match(term, first, typo)
        | _column_match(term, second, typo)
        | Q(DutchMatch(term, first, second))
    )


def _tag_ids(neighbourhood, term: str) -> list[int]:
    tags = Tag.objects.in_neighbourhood(neighbourhood).filter(normalised__contains=term)
    return list(tags.values_list("pk", flat=True))


def search_gifts(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    neighbourhood = membership.neighbourhood

    def narrow(rows, terms, typo, exclude):
        """Title, description or a tag; one term streams through a UNION ALL of both."""
        if len(terms) == 1:
            ids = _ids(rows, _text_match(terms[0], typo), exclude)
            tag_ids = _tag_ids(neighbourhood, terms[0])
            if tag_ids:
                tagged = _ids(rows, Q(tags__in=tag_ids), exclude)
                if connection.features.supports_slicing_ordering_in_compound:
                    # Each part with its own limit (PostgreSQL): a part planned for all its
                    # rows hashed every person and every tagged gift to give 400 ("taal":
                    # 8 ms at 60,000 gifts)
                    ids, tagged = ids[:MAX_CANDIDATES], tagged[:MAX_CANDIDATES]
                ids = ids.union(tagged, all=True).order_by()
            return ids
        for term in terms:
            term_ids = Gift.objects.filter(_text_match(term, typo)).values("pk")
            tag_ids = _tag_ids(neighbourhood, term)
            if tag_ids:
                tagged = Gift.tags.through.objects.filter(tag_id__in=tag_ids).values("gift_id")
                term_ids = term_ids.order_by().union(tagged, all=True).order_by()
            rows = rows.filter(pk__in=term_ids)
        return _ids(rows, Q(), exclude)

    rows = (
        Gift.objects.in_neighbourhood(neighbourhood).visible_to(membership).select_related("person")
    )
    base = Gift.objects.all()  # the people of the ranked page are fetched afterwards
    gifts, more = _find(
        rows, base, "title", terms, limit, narrow, typo, doc=("title", "description")
    )
    prefetch_related_objects([g for g in gifts if "person" not in g._state.fields_cache], "person")
    hits = []
    for gift in visibility.see_gifts(gifts, membership):
        owner = getattr(gift.person, "name", "")
        hits.append(
            Hit(
                title=gift.title,
                url=gift.url,
                subtitle=f"{gift.kind_label} · {owner}",
                kind="gift",
                snippet=_why([gift.description], gift.title, terms),
            )
        )
    return Group("gifts", _("Gifts"), hits, more)


def _kinds_matching(term: str, choices) -> list[str]:
    return [value for value, label in choices if term in fold(str(label)) or term in value]


def _kind_condition(choices, doc=("name", "description")):
    """A term naming the kind ("cafe"), or the term as a whole word or stem in the text."""

    def condition(term: str) -> Q:
        kinds = _kinds_matching(term, choices)
        words = Q(DutchMatch(term, *doc))
        return words | Q(kind__in=kinds) if kinds else words

    return condition


NAME_DOC = ("name", "description")
OUTCOME_DOC = ("title", "story")


@dataclass(frozen=True)
class SmallKind:
    """A kind searched in its kept rows (:mod:`search.small`)."""

    model: Any
    title: str  # the title column
    text: str  # the text column (with the title, its full-text index)
    label: str  # the choice field the hit's subtitle names ("kind", "status")
    url: str  # the name of its page
    hit: str  # ``Hit.kind``
    street: bool = False  # also searched in its street, shown in the subtitle

    @property
    def doc(self) -> tuple[str, str]:
        return (self.title, self.text)

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.title, self.text, self.label, *(["street"] if self.street else []))

    def to_row(self, obj) -> small.Row:
        street = obj.street if self.street else ""
        title, text, label = (getattr(obj, name) for name in (self.title, self.text, self.label))
        return small.row(obj.pk, title, text, label, street, street)


ORGANISATIONS = SmallKind(
    Organisation, "name", "description", "kind", "organisations:detail", "organisation"
)
PLACES = SmallKind(Place, "name", "description", "kind", "places:detail", "place", street=True)
INITIATIVES = SmallKind(
    Initiative, "name", "description", "status", "network:initiative", "initiative"
)
OUTCOMES = SmallKind(Outcome, "title", "story", "status", "outcomes:detail", "outcome")


def _small_hits(kind: SmallKind, found: list[small.Row], slug: str, terms: list[str]) -> list[Hit]:
    """Hits for rows of a small kind: its kind or status, and the street where it has one."""
    hits = []
    for row in found:
        subtitle = str(choice_label(kind.model, kind.label, row.kind))
        if row.street:
            subtitle = f"{subtitle} · {row.street}"
        hits.append(
            Hit(
                title=row.title,
                url=row_url(kind.url, slug, row.pk),
                subtitle=subtitle,
                kind=kind.hit,
                snippet=_why([row.text], row.title, terms),
            )
        )
    return hits


def _named(membership, model, kind_choices, columns, terms, limit: int, typo: bool, kind_of):
    """Organisations and places: the visible rows of the neighbourhood whose name, text or
    other ``columns`` hold every term, or whose kind a term names."""
    rows = model.objects.in_neighbourhood(membership.neighbourhood)
    viewer = None  # the same rows for every viewer
    if hasattr(rows, "visible_to"):
        rows, viewer = rows.visible_to(membership), membership
    matched = [(column, Q()) for column in columns]
    kind = _kind_condition(kind_choices)

    def matching(terms: list[str], typo: bool) -> Q:
        return _matches(terms, matched, typo, extra=kind)

    def kinds_named(term: str) -> list[str]:
        return _kinds_matching(term, kind_choices)

    return _find_in_small_kind(
        membership, rows, viewer, kind_of, terms, limit, typo, matching, kinds_named
    )


def search_organisations(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    choices = OrganisationKind.choices
    kind = ORGANISATIONS
    found, more = _named(membership, Organisation, choices, NAME_DOC, terms, limit, typo, kind)
    hits = _small_hits(kind, found, membership.neighbourhood.slug, terms)
    return Group("organisations", _("Organisations"), hits, more)


def search_places(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    columns = (*NAME_DOC, "street")
    found, more = _named(membership, Place, PlaceKind.choices, columns, terms, limit, typo, PLACES)
    hits = _small_hits(PLACES, found, membership.neighbourhood.slug, terms)
    return Group("places", _("Places"), hits, more)


def _text_matches(terms: list[str], typo: bool, doc: tuple[str, str], typo_columns=()) -> Q:
    """Every term in the title or the text (or a few more columns)."""
    condition = Q()
    for term in terms:
        found = _text_match(term, typo, doc)
        for column in typo_columns:
            found |= _column_match(term, column, typo)
        condition &= found
    return condition


def _simple(rows, title: str, doc: tuple[str, str], typo_columns=()):
    """``narrow`` for a kind searched in its title and text (and a few more columns)."""

    def narrow(rows, terms, typo, exclude):
        return _ids(rows, _text_matches(terms, typo, doc, typo_columns), exclude)

    return narrow


def _find_in_small_kind(
    membership,
    rows,
    viewer,
    kind: SmallKind,
    terms: list[str],
    limit: int,
    typo: bool,
    matching,
    kinds_named,
) -> tuple[list[small.Row], bool]:
    """A kind a neighbourhood has tens or hundreds of, whose rows ``matching(terms, typo)``
    (a Q) finds: searched in its rows kept per data version (and ``viewer`` kind, unless
    None: the same for every viewer) by :mod:`search.small` with the same rules, or in SQL
    by :func:`_find` when looking again with a typo."""
    if typo:

        def narrow(rows, terms, typo, exclude):
            return _ids(rows, matching(terms, typo), exclude)

        found, more = _find(rows, rows, kind.title, terms, limit, narrow, typo, doc=kind.doc)
        return [kind.to_row(obj) for obj in found], more
    kept = small.kept_rows(
        membership.neighbourhood,
        viewer,
        rows.model._meta.label_lower,
        lambda: map(kind.to_row, rows.only(*kind.fields)),
    )
    return small.find(kept, terms, limit, kinds_named)


def _find_titled(membership, rows, viewer, kind: SmallKind, terms: list[str], limit: int, typo):
    """A small kind searched in its title and text (its rows kept per ``viewer`` kind, or
    for every viewer when None)."""

    def matching(terms: list[str], typo: bool) -> Q:
        return _text_matches(terms, typo, kind.doc)

    return _find_in_small_kind(membership, rows, viewer, kind, terms, limit, typo, matching, None)


def search_initiatives(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    """Initiatives: everyone who may open the initiatives list may open each of them."""
    rows = Initiative.objects.in_neighbourhood(membership.neighbourhood)
    initiatives, more = _find_titled(membership, rows, None, INITIATIVES, terms, limit, typo)
    hits = _small_hits(INITIATIVES, initiatives, membership.neighbourhood.slug, terms)
    return Group("initiatives", _("Initiatives"), hits, more)


PUBLIC_DOC = ("public_summary", "public_summary")


def search_outcomes(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    """Builders and coordinators: every outcome (title and story), to its page. Residents:
    only what the published page shows (``residents.disclosure``: the partner summary of
    shareable outcomes, never the builders' title or story), and only when it is published."""
    neighbourhood = membership.neighbourhood
    rows = Outcome.objects.in_neighbourhood(neighbourhood)
    if membership.is_builder:
        # kept per viewer kind: only builders and coordinators read title and story
        outcomes, more = _find_titled(membership, rows, membership, OUTCOMES, terms, limit, typo)
        hits = _small_hits(OUTCOMES, outcomes, neighbourhood.slug, terms)
        return Group("outcomes", _("Outcomes"), hits, more)
    published = PublicationSettings.objects.filter(
        neighbourhood=neighbourhood, published=True, show_outcomes=True
    ).exists()
    if not published:
        return Group("outcomes", _("Outcomes"), [], False)
    rows = rows.shareable()
    narrow = _simple(rows, "public_summary", PUBLIC_DOC)
    ids = list(narrow(rows, terms, typo, [])[: limit + 1])
    found = list(rows.filter(pk__any_of=ids).order_by("-happened_on", "pk")[:limit])
    url = reverse("publication:page", args=[neighbourhood.slug])
    hits = [
        Hit(
            title=Truncator(o.public_summary).words(12),
            url=url,
            subtitle=str(_("published page")),
            kind="outcome",
        )
        for o in found
    ]
    return Group("outcomes", _("Outcomes"), hits, len(ids) > limit)


CONVERSATION_DOC = ("cares_about", "ideas")


def search_conversations(membership, terms: list[str], limit: int, typo: bool = False) -> Group:
    """Conversations, for builders and coordinators only (``Conversation.visible_to``: a
    draft only for its own builder): what the person cares about and their ideas, never the
    private notes."""
    if not membership.is_builder:
        return Group("conversations", _("Conversations"), [], False)
    neighbourhood = membership.neighbourhood
    rows = Conversation.objects.in_neighbourhood(neighbourhood).visible_to(membership)

    def narrow(rows, terms, typo, exclude):
        return _simple(rows, "cares_about", CONVERSATION_DOC)(rows, terms, typo, exclude)

    ids = list(narrow(rows, terms, typo, [])[:MAX_CANDIDATES])
    rank = Case(
        When(DutchMatch(" ".join(terms), *CONVERSATION_DOC), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    found = list(
        rows.filter(pk__any_of=ids)
        .annotate(search_rank=rank)
        .select_related("person")
        .order_by("-search_rank", "-held_on", "-pk")[: limit + 1]
    )
    _known_neighbourhood(found, neighbourhood)
    hits = [
        Hit(
            title=c.person.name,
            url=_url(c),
            subtitle=date_format(c.held_on),
            kind="conversation",
            snippet=_why([c.cares_about, c.ideas], "", terms),
        )
        for c in found[:limit]
    ]
    return Group("conversations", _("Conversations"), hits, len(found) > limit)


SEARCHERS = {
    "people": search_people,
    "gifts": search_gifts,
    "initiatives": search_initiatives,
    "organisations": search_organisations,
    "places": search_places,
    "outcomes": search_outcomes,
    "conversations": search_conversations,
}


def search(membership, query: str, *, limit: int = 10, only: str | None = None) -> list[Group]:
    """Groups of hits for this viewer, in a fixed order; empty groups are kept.

    When nothing matches anywhere, both databases look again allowing a typo.
    """
    terms = terms_of(query)
    if not terms:
        return []
    if connection.vendor != "postgresql":
        return _search(membership, terms, limit, only)
    with transaction.atomic(), connection.cursor() as cursor:
        # Parallel workers cost more to start than these index scans take (16 ms instead
        # of 76 ms for "koken" at 60,000 gifts): this transaction plans without them.
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        return _search(membership, terms, limit, only)


def _search(membership, terms: list[str], limit: int, only: str | None) -> list[Group]:
    searchers = [(key, f) for key, f in SEARCHERS.items() if not only or key == only]
    groups = [searcher(membership, terms, limit) for _key, searcher in searchers]
    if (
        not any(group.hits for group in groups)
        and _typo_tolerant()
        and any(len(term) >= TYPO_MIN_LENGTH for term in terms)
    ):
        groups = [searcher(membership, terms, limit, typo=True) for _key, searcher in searchers]
    return groups


__all__ = ["Group", "Hit", "search", "terms_of"]

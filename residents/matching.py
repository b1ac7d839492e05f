"""Find before you create: people who are probably the one being typed in.

A builder types a first name and a street (on "New conversation" and "Add a person"); this
module answers with the neighbourhood's people who are likely the same person, so nobody is
recorded twice. Matching is

- accent- and case-insensitive ("Özlem" ≈ "ozlem"), on both databases: names and streets are
  folded in Python, not by the database;
- typo-tolerant: a word within one edit (two for long words, a swap of two letters counts as
  one) matches, and so does a word the typed one starts ("Ger" → "Gerda");
- street-aware: a house number typed with the street is set aside ("Seringenlaan 14" finds
  Gerda of Seringenlaan 12), a street within a typo matches, and people on the typed street
  come first.

Only what the viewer may see takes part (``residents.disclosure``): people listed for them
(``person_q``), and their street and house number only where those fields are visible, so a
hidden field can never make someone match. Pages show the matches through
``disclosure.see_people``.

Speed: the neighbourhood's people are read once per data version into an index of folded name
words and streets (one query, kept per process under ``freshness``' data version, so a change
anywhere makes it stale at once), and matching walks the index's distinct words, not the
people. A search costs at most two queries whatever the number of people (the index when it is
stale, and the matched people).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import Person
from .visibility import person_q, see_people, visible_column

if TYPE_CHECKING:
    from neighbourhoods.models import Membership, Neighbourhood

# At most this many people are offered.
LIMIT = 8
# Typed words shorter than this only match words they start (too many typo matches else).
TYPO_MIN = 4
LONG_WORD = 8  # words this long may have two typos
_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})
_NUMBER = re.compile(r"\s*\d+\s*[a-z]?(\s*[-/]?\s*\w{0,4})?$")
_WORD = re.compile(r"[^\W_]+")


def fold(text: str | None) -> str:
    """Lower case without accents: "Gërda Özdemir" → "gerda ozdemir"."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().translate(_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str | None) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


def split_street(text: str | None) -> tuple[str, str]:
    """("seringenlaan", "14") from "Seringenlaan 14"; the number part may be empty."""
    folded = " ".join(fold(text).split())
    match = _NUMBER.search(folded)
    if match and match.start() > 0:
        return folded[: match.start()].strip(" ,"), match.group(0).strip()
    return folded.strip(" ,"), ""


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, replace, swap two neighbours); ``limit + 1`` once over."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def word_score(typed: str, known: str) -> float:
    """How well a typed word fits a known word: 1 equal, less for a start or a typo, 0 none."""
    if typed == known:
        return 1.0
    if len(typed) >= 2 and known.startswith(typed):
        return 0.9 if len(typed) >= 3 else 0.6
    if len(typed) < TYPO_MIN:
        return 0.0
    limit = 2 if len(typed) >= LONG_WORD else 1
    whole = distance(typed, known, limit)
    if whole <= limit:
        return 0.8 if whole == 1 else 0.65
    # a typo in the part typed so far: "Gedra" → "Gerdaline"
    if len(known) > len(typed) and distance(typed, known[: len(typed)], 1) <= 1:
        return 0.6
    return 0.0


def street_score(typed: str, known: str) -> float:
    if not typed or not known:
        return 0.0
    if typed == known:
        return 1.0
    if len(typed) >= 3 and known.startswith(typed):
        return 0.9
    limit = 2 if len(typed) >= LONG_WORD else 1
    if len(typed) >= TYPO_MIN and distance(typed, known, limit) <= limit:
        return 0.8
    return 0.0


# ------------------------------------------------------------------------------ the index


@dataclass
class Index:
    """The folded names and streets of the people one kind of viewer may see."""

    people: list[tuple[int, tuple[str, ...], str, str]] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=dict)  # word → positions in people
    by_street: dict[str, list[int]] = field(default_factory=dict)


_INDEXES: OrderedDict[str, Index] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 16


def _key(neighbourhood: Neighbourhood, viewer: Membership | None) -> str:
    created = neighbourhood.created_at.timestamp() if neighbourhood.created_at else 0
    who = (
        "anonymous"
        if viewer is None
        else (viewer.role if viewer.is_builder else f"user-{viewer.user_id}")
    )
    return f"{neighbourhood.pk}:{created:.6f}:{neighbourhood.data_version}:{who}"


def index_for(neighbourhood: Neighbourhood, viewer: Membership | None) -> Index:
    key = _key(neighbourhood, viewer)
    with _LOCK:
        found = _INDEXES.get(key)
        if found is not None:
            _INDEXES.move_to_end(key)
            return found
    rows = (
        Person.objects.in_neighbourhood(neighbourhood)
        .filter(person_q(viewer))
        .annotate(
            shown_street=visible_column(viewer, "street", "street"),
            shown_number=visible_column(viewer, "address", "house_number"),
        )
        .values_list("pk", "name", "shown_street", "shown_number")
    )
    index = Index()
    for position, (pk, name, street, number) in enumerate(rows.iterator(chunk_size=4000)):
        name_words = words(name)
        street_key, number_in_street = split_street(street)
        index.people.append((pk, name_words, street_key, fold(number or number_in_street)))
        for word in set(name_words):
            index.by_word.setdefault(word, []).append(position)
        if street_key:
            index.by_street.setdefault(street_key, []).append(position)
    with _LOCK:
        _INDEXES[key] = index
        while len(_INDEXES) > _KEEP:
            _INDEXES.popitem(last=False)
    return index


# ------------------------------------------------------------------------------ matching


@dataclass
class Match:
    person_pk: int
    score: float
    same_street: bool
    same_address: bool


def find(
    neighbourhood: Neighbourhood,
    viewer: Membership | None,
    name: str = "",
    street: str = "",
    *,
    limit: int = LIMIT,
) -> list[Match]:
    """The likeliest people for a typed name and street, best first (see the module text).

    With a name, everyone whose name fits (people on the typed street first); with only a
    street, the people of that street.
    """
    typed_words = words(name)[:4]
    typed_street, typed_number = split_street(street)
    if not typed_words and len(typed_street) < 3:
        return []
    index = index_for(neighbourhood, viewer)
    streets = {
        known: score
        for known in index.by_street
        if (score := street_score(typed_street, known)) > 0
    }
    scores: dict[int, float] = {}
    if typed_words:
        per_word: list[dict[int, float]] = []
        for typed in typed_words:
            best: dict[int, float] = {}
            for known, positions in index.by_word.items():
                score = word_score(typed, known)
                if score:
                    for position in positions:
                        if score > best.get(position, 0):
                            best[position] = score
            per_word.append(best)
        # every typed word must fit a word of the name
        common = set(per_word[0]).intersection(*per_word[1:])
        for position in common:
            scores[position] = sum(best[position] for best in per_word) / len(per_word)
    else:
        for known in streets:
            for position in index.by_street[known]:
                scores[position] = 0.0
    matches = []
    for position, score in scores.items():
        pk, _words, person_street, number = index.people[position]
        on_street = streets.get(person_street, 0.0)
        same_address = bool(on_street and typed_number and number == typed_number)
        total = score + on_street + (0.2 if same_address else 0.0)
        matches.append(Match(pk, total, on_street > 0, same_address))
    matches.sort(key=lambda m: (-m.score, m.person_pk))
    return matches[:limit]


def likely_duplicates(
    neighbourhood: Neighbourhood, viewer: Membership | None, name: str, street: str
) -> list[Match]:
    """People so close to a new one (name fits and same street, or no street known) that
    creating them asks first: "Did you mean …?"."""
    return [
        m for m in find(neighbourhood, viewer, name, street) if m.same_street or not street.strip()
    ]


def people_for(matches: list[Match], neighbourhood: Neighbourhood, viewer: Membership | None):
    """The matched people as rows (one query), in the order of ``matches``."""
    by_pk = (
        Person.objects.in_neighbourhood(neighbourhood)
        .filter(person_q(viewer))
        .in_bulk([m.person_pk for m in matches])
    )
    return [(m, by_pk[m.person_pk]) for m in matches if m.person_pk in by_pk]


def shown(
    neighbourhood: Neighbourhood,
    viewer: Membership | None,
    name: str,
    street: str,
    duplicates: bool = False,
) -> list[tuple[Match, object]]:
    """``(match, person as the viewer may see them)`` for a page: the likely people, or with
    ``duplicates`` only those close enough to ask "Did you mean …?" before creating."""
    if duplicates:
        found = likely_duplicates(neighbourhood, viewer, name, street)
    else:
        found = find(neighbourhood, viewer, name, street)
    rows = people_for(found, neighbourhood, viewer)
    people = see_people([person for _match, person in rows], viewer)
    return [(match, person) for (match, _row), person in zip(rows, people, strict=True)]

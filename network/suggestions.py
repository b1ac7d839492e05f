"""Follow the energy: who should meet whom, and why.

A pair scores when their gifts match:

- both care about the same thing: two *heart* gifts with the same title (3 points) or the
  same tag (1 point each);
- one would teach what the other wants to learn: a gift with *share* on one side and one
  with *learn* on the other, same title (3) or same tag (2 each);
- living on the same street adds 2, but only to pairs that match on a gift.

A tag on more than ``COMMON_TAG`` gifts of the neighbourhood is too common to count.

Pairs already connected (in any way, also ended), dismissed by a builder, or with an
introduction on record are never suggested. Scores are computed in one SQL query for a few
*focus* people only (the person of a person page; for the neighbourhood the people with the
freshest gifts, those without any connection first), so nobody's whole neighbourhood is
loaded into Python. The neighbourhood's best pairs are a precomputed figure
(``jobs.figures``): a task recomputes them after a change, pages read them from a table.
Reasons are stored as data and put into words (``in_words``) for the viewer's language.

Suggestions name people and reasons from their gifts, so they are for builders and
coordinators only (:func:`may_see_suggestions`); residents are never shown any.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from django.db import connection as db
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations.models import Introduction
from jobs import figures
from neighbourhoods.models import Membership, Neighbourhood
from residents import disclosure
from residents.models import Gift, GiftKind, Person

from .models import Connection, Dismissal

HEART_TITLE, HEART_TAG = 3, 1
TEACH_TITLE, TEACH_TAG = 3, 2
SAME_STREET = 2
FOCUS_PEOPLE = 8
# A tag on more gifts than this is too common to bring two people together by itself
# (in a big neighbourhood "kinderen" links thousands); matching titles still count.
COMMON_TAG = 200
RECENT_GIFTS = 300


def may_see_suggestions(membership: Membership | None) -> bool:
    return membership is not None and membership.is_builder


@dataclass
class Suggestion:
    person: Person
    other: Person
    score: int
    reasons: list[str] = field(default_factory=list)
    person_name: str = ""
    other_name: str = ""

    @property
    def key(self) -> str:
        low, high = sorted([self.person.pk, self.other.pk])
        return f"{low}-{high}"


# ------------------------------------------------------------------------------ scoring


def _tables() -> dict[str, str]:
    return {
        "gift": Gift._meta.db_table,
        "gift_tags": Gift.tags.through._meta.db_table,
        "person": Person._meta.db_table,
        "connection": Connection._meta.db_table,
        "dismissal": Dismissal._meta.db_table,
        "introduction": Introduction._meta.db_table,
    }


def scored_pairs(
    neighbourhood: Neighbourhood, focus: list[int], per_person: int
) -> list[tuple[int, int, int]]:
    """``(focus person, other person, score)``, best first, at most ``per_person`` each.

    One query: the focus people's gifts are matched against the neighbourhood's gifts by
    title and by tag; pairs the focus people already know, dismissed or were introduced to
    are read for the focus people only (a handful of index lookups), then left out.
    """
    if not focus:
        return []
    t = _tables()
    marks = ", ".join(["%s"] * len(focus))
    introductions = f"""
        UNION ALL SELECT person_id, to_person_id FROM {t["introduction"]}
            WHERE to_person_id IS NOT NULL AND person_id IN (SELECT id FROM focus)
        UNION ALL SELECT to_person_id, person_id FROM {t["introduction"]}
            WHERE to_person_id IN (SELECT id FROM focus)"""  # noqa: S608
    # Only table names (model metadata) and constants are formatted in; values are params.
    sql = f"""
    WITH focus AS (
        SELECT id, street FROM {t["person"]} WHERE id IN ({marks}) AND neighbourhood_id = %s
    ),
    known AS (
        SELECT person_id AS a, other_person_id AS b FROM {t["connection"]}
            WHERE other_person_id IS NOT NULL AND person_id IN (SELECT id FROM focus)
        UNION ALL SELECT other_person_id, person_id FROM {t["connection"]}
            WHERE other_person_id IN (SELECT id FROM focus)
        UNION ALL SELECT person_id, other_person_id FROM {t["dismissal"]}
            WHERE person_id IN (SELECT id FROM focus)
        UNION ALL SELECT other_person_id, person_id FROM {t["dismissal"]}
            WHERE other_person_id IN (SELECT id FROM focus)
        {introductions}
    ),
    focus_gifts AS (
        SELECT g.id, g.person_id, g.kind, g.share, g.learn, LOWER(TRIM(g.title)) AS t
        FROM {t["gift"]} g WHERE g.person_id IN (SELECT id FROM focus)
    ),
    focus_tags AS (
        SELECT gift_id, tag_id FROM {t["gift_tags"]}
        WHERE gift_id IN (SELECT id FROM focus_gifts)
    ),
    rare_tags AS (
        SELECT tag_id FROM {t["gift_tags"]}
        WHERE tag_id IN (SELECT tag_id FROM focus_tags)
        GROUP BY tag_id HAVING COUNT(*) <= %s
    ),
    nb_gifts AS (
        SELECT g.id, g.person_id, g.kind, g.share, g.learn, LOWER(TRIM(g.title)) AS t
        FROM {t["gift"]} g JOIN {t["person"]} p ON p.id = g.person_id
        WHERE p.neighbourhood_id = %s
    ),
    matches AS (
        SELECT f.person_id AS a, o.person_id AS b,
               CASE WHEN f.kind = %s AND o.kind = %s THEN {HEART_TITLE} ELSE 0 END
             + CASE WHEN (f.share AND o.learn) OR (f.learn AND o.share)
                    THEN {TEACH_TITLE} ELSE 0 END AS w
        FROM focus_gifts f JOIN nb_gifts o ON o.t = f.t AND o.person_id <> f.person_id
        WHERE (f.kind = %s AND o.kind = %s) OR (f.share AND o.learn) OR (f.learn AND o.share)
        UNION ALL
        SELECT f.person_id, o.person_id,
               CASE WHEN f.kind = %s AND o.kind = %s THEN {HEART_TAG} ELSE 0 END
             + CASE WHEN (f.share AND o.learn) OR (f.learn AND o.share)
                    THEN {TEACH_TAG} ELSE 0 END
        FROM focus_gifts f
        JOIN focus_tags ft ON ft.gift_id = f.id
        JOIN rare_tags r ON r.tag_id = ft.tag_id
        JOIN {t["gift_tags"]} ot ON ot.tag_id = ft.tag_id AND ot.gift_id <> f.id
        JOIN {t["gift"]} o ON o.id = ot.gift_id AND o.person_id <> f.person_id
        WHERE (f.kind = %s AND o.kind = %s) OR (f.share AND o.learn) OR (f.learn AND o.share)
    ),
    summed AS (
        SELECT a, b, SUM(w) AS w FROM matches GROUP BY a, b
    ),
    scored AS (
        SELECT s.a, s.b,
               s.w + CASE WHEN pa.street <> '' AND LOWER(pa.street) = LOWER(pb.street)
                          THEN {SAME_STREET} ELSE 0 END AS score
        FROM summed s
        JOIN focus pa ON pa.id = s.a
        JOIN {t["person"]} pb ON pb.id = s.b
        WHERE pb.neighbourhood_id = %s
          AND NOT EXISTS (SELECT 1 FROM known k WHERE k.a = s.a AND k.b = s.b)
    ),
    ranked AS (
        SELECT a, b, score, ROW_NUMBER() OVER (PARTITION BY a ORDER BY score DESC, b) AS rn
        FROM scored
    )
    SELECT a, b, score FROM ranked WHERE rn <= %s ORDER BY score DESC, a, b
    """  # noqa: S608
    heart = GiftKind.HEART.value
    nb = neighbourhood.pk
    params: list[Any] = [*focus, nb, COMMON_TAG, nb, *([heart] * 8), nb, per_person]
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        return [(a, b, int(score)) for a, b, score in cursor.fetchall()]


# ------------------------------------------------------------------------------ focus


def dashboard_focus(neighbourhood: Neighbourhood, limit: int = FOCUS_PEOPLE) -> list[int]:
    """People whose energy is freshest: owners of the latest gifts, unconnected ones first."""
    recent = (
        Gift.objects.in_neighbourhood(neighbourhood)
        .order_by("-pk")
        .values_list("person_id", flat=True)[:RECENT_GIFTS]
    )
    ordered: list[int] = []
    for pk in recent:
        if pk not in ordered:
            ordered.append(pk)
    if not ordered:
        return []
    today = timezone.localdate()
    connected = set(
        Person.objects.filter(pk__in=ordered)
        .filter(
            Exists(Connection.objects.active_on(today).filter(person=OuterRef("pk")))
            | Exists(Connection.objects.active_on(today).filter(other_person=OuterRef("pk")))
        )
        .values_list("pk", flat=True)
    )
    ordered.sort(key=lambda pk: pk in connected)  # stable: unconnected first, then fresh
    return ordered[:limit]


# ------------------------------------------------------------------------------ explained


def for_person(
    person: Person, limit: int = 5, viewer: Membership | None = None
) -> list[Suggestion]:
    rows = scored_pairs(person.neighbourhood, [person.pk], limit)
    return _with_people(explain_rows(rows), viewer)


FIGURE = "network.suggestions"
STORED = 20  # pairs kept for the dashboard (5) and the suggestions page (20)


@figures.register(FIGURE)
def neighbourhood_rows(neighbourhood: Neighbourhood) -> dict[str, Any]:
    """The best pairs around the freshest energy, with their reasons as data (the task)."""
    return {"pairs": explain_rows(_best_pairs(neighbourhood, STORED))}


def for_neighbourhood(
    neighbourhood: Neighbourhood, limit: int = 5, viewer: Membership | None = None
) -> list[Suggestion]:
    """The stored best pairs (computed by a task after changes), minus pairs that met since."""
    return read_for_neighbourhood(neighbourhood, limit, viewer)[0]


def read_for_neighbourhood(
    neighbourhood: Neighbourhood, limit: int = 5, viewer: Membership | None = None
) -> tuple[list[Suggestion], figures.Stored]:
    stored = figures.read(neighbourhood, FIGURE)[FIGURE]
    rows = stored.payload["pairs"]
    # A pair may have met, been dismissed or introduced since (the task may not have run
    # yet): three index lookups among these few people.
    known = _known_among(rows)
    rows = [row for row in rows if frozenset(row[:2]) not in known]
    return _with_people(rows[:limit], viewer), stored


def _known_among(rows: list[list[Any]]) -> set[frozenset[int]]:
    ids = {pk for row in rows for pk in row[:2]}
    known: set[frozenset[int]] = set()
    for model, a, b in (
        (Connection, "person_id", "other_person_id"),
        (Dismissal, "person_id", "other_person_id"),
        (Introduction, "person_id", "to_person_id"),
    ):
        pairs = model.objects.filter(**{f"{a}__in": ids, f"{b}__in": ids}).values_list(a, b)
        known |= {frozenset(pair) for pair in pairs}
    return known


def _best_pairs(neighbourhood: Neighbourhood, limit: int) -> list[tuple[int, int, int]]:
    focus = dashboard_focus(neighbourhood)
    rows = scored_pairs(neighbourhood, focus, 3)
    best: dict[tuple[int, int], tuple[int, int, int]] = {}
    for a, b, score in rows:
        pair = (min(a, b), max(a, b))
        if pair not in best:
            best[pair] = (a, b, score)
    ranked = sorted(best.values(), key=lambda row: (-row[2], row[0], row[1]))
    # Spread over people: one suggestion per person first, then the rest.
    chosen: list[Any] = []
    used: set[Any] = set()
    for row in ranked:
        if row[0] not in used and row[1] not in used:
            chosen.append(row)
            used.update(row[:2])
    chosen += [row for row in ranked if row not in chosen]
    return chosen[:limit]


def explain_rows(rows: list[tuple[int, int, int]]) -> list[list[Any]]:
    """``[a, b, score, reasons]`` with each reason as data (see :func:`reasons_for`)."""
    ids = {pk for a, b, _s in rows for pk in (a, b)}
    if not ids:
        return []
    people = Person.objects.in_bulk(ids)
    gifts: dict[int, list[Gift]] = defaultdict(list)
    for gift in Gift.objects.filter(person_id__in=ids).prefetch_related("tags").order_by("pk"):
        gifts[gift.person_id].append(gift)
    common = common_tags({t.pk for g in gifts.values() for gift in g for t in gift.tags.all()})
    return [
        [a, b, score, reasons_for(people[a], people[b], gifts[a], gifts[b], common)]
        for a, b, score in rows
        if a in people and b in people
    ]


def _with_people(rows: list[list[Any]], viewer: Membership | None) -> list[Suggestion]:
    people = Person.objects.in_bulk({pk for row in rows for pk in row[:2]})
    result = []
    for a, b, score, reasons in rows:
        if a in people and b in people:
            names = {pk: disclosure.name_of(people[pk], viewer) for pk in (a, b)}
            result.append(
                Suggestion(
                    person=people[a],
                    other=people[b],
                    score=score,
                    reasons=[in_words(reason, names) for reason in reasons],
                    person_name=names[a],
                    other_name=names[b],
                )
            )
    return result


def _title(gift: Gift) -> str:
    return gift.title.strip().lower()


def common_tags(tag_ids: set[int]) -> set[int]:
    """Of these tags, those on more than ``COMMON_TAG`` gifts (they do not count)."""
    if not tag_ids:
        return set()
    through = Gift.tags.through.objects.filter(tag_id__in=tag_ids)
    counts = (
        through.values("tag_id").annotate(n=Count("pk")).filter(n__gt=COMMON_TAG)  # type: ignore[misc]  # the plugin misses the annotation n
    )
    return {row["tag_id"] for row in counts.order_by()}


Reason = dict[str, Any]


def reasons_for(
    person: Person,
    other: Person,
    mine: list[Gift],
    theirs: list[Gift],
    common: AbstractSet[int] = frozenset(),
) -> list[Reason]:
    """One reason per match, as data: ``in_words`` says it in the viewer's language.

    - ``{"kind": "heart", "what": title}``: both care about the same thing;
    - ``{"kind": "teach", "learner": pk, "wish": title, "teacher": pk, "what": title}``:
      one wants to learn what the other shares (same title);
    - ``{"kind": "teach-tag", ..., "tag": name}``: the same, linked by a shared tag, so the
      tag that links two different titles is said too;
    - ``{"kind": "heart-tag", "tag": name}``: both care about things with this tag;
    - ``{"kind": "street", "street": name}``: same street (only with a match on gifts).

    Matching titles come first; a shared tag is only mentioned for gifts whose titles did not
    match already, so one match is never told twice.
    """
    reasons: list[Reason] = []
    hearts = [g for g in mine if g.kind == GiftKind.HEART]
    their_hearts = [g for g in theirs if g.kind == GiftKind.HEART]
    matched: set[int] = set()
    for gift in hearts:
        for their in their_hearts:
            if _title(gift) == _title(their) and gift.pk not in matched:
                matched.update([gift.pk, their.pk])
                reasons.append({"kind": "heart", "what": gift.title.strip()})
    for teacher, learner, teaches, learns in (
        (person, other, mine, theirs),
        (other, person, theirs, mine),
    ):
        wishes = [g for g in learns if g.learn]
        offers = [g for g in teaches if g.share]
        done: set[int] = set()
        for wish in wishes:  # same title first
            for gift in offers:
                if wish.pk not in done and _title(gift) == _title(wish):
                    done.add(wish.pk)
                    reasons.append(_teach(teacher, learner, gift, wish))
        for wish in wishes:  # then a shared tag
            for gift in offers:
                shared = _tags(gift, common) & _tags(wish, common)
                if wish.pk not in done and shared:
                    done.add(wish.pk)
                    tag = sorted(shared, key=str.casefold)[0]
                    reasons.append({**_teach(teacher, learner, gift, wish), "tag": tag})
    tags: set[str] = set()
    for gift in hearts:
        for their in their_hearts:
            if gift.pk not in matched and their.pk not in matched:
                tags |= _tags(gift, common) & _tags(their, common)
    reasons.extend({"kind": "heart-tag", "tag": tag} for tag in sorted(tags, key=str.casefold))
    if person.street and person.street.strip().lower() == other.street.strip().lower():
        reasons.append({"kind": "street", "street": person.street.strip()})
    return reasons


def _tags(gift: Gift, common: AbstractSet[int] = frozenset()) -> set[str]:
    return {t.name for t in gift.tags.all() if t.pk not in common}


def _teach(teacher: Person, learner: Person, gift: Gift, wish: Gift) -> Reason:
    return {
        "kind": "teach",
        "teacher": teacher.pk,
        "what": gift.title.strip(),
        "learner": learner.pk,
        "wish": wish.title.strip(),
    }


def in_words(reason: Reason, names: dict[int, str]) -> str:
    """A reason as a sentence in the current language; ``names`` by person id."""
    kind = reason["kind"]
    if kind == "heart":
        return _("Both care about %(what)s") % {"what": reason["what"]}
    if kind == "heart-tag":
        return _("Both care about %(tag)s") % {"tag": reason["tag"]}
    if kind == "street":
        return _("Both live in %(street)s") % {"street": reason["street"]}
    words = {
        "learner": names.get(reason["learner"], ""),
        "wish": reason["wish"],
        "teacher": names.get(reason["teacher"], ""),
        "what": reason["what"],
    }
    if "tag" in reason:
        return _(
            "%(learner)s wants to learn %(wish)s; %(teacher)s shares %(what)s (both: %(tag)s)"
        ) % {
            **words,
            "tag": reason["tag"],
        }
    return _("%(learner)s wants to learn %(wish)s; %(teacher)s likes to share it") % words

"""What may this viewer see of this record? The one answer, for every page and file.

Pages, htmx fragments, exports, search, the map and the network graph ask this module; no
view, template or exporter decides on its own (other apps import this module, never
``residents.visibility``, whose per-field rule for people it re-exports). It adds the rules
for everything else:

People
    A viewer sees a field of a person when the person's chosen audience for that field
    allows it (builders see everything; the person sees all of their own). Another person
    whose name a viewer may not see is shown as "a neighbour" (:func:`name_of`).

Ties and memberships
    Ties (connections) and memberships (of initiatives and organisations) are a field of the
    person like any other: ``ties``, builders only unless the person chose wider. A tie is
    shown to a resident only when *both* people allow it (:func:`tie_q`, :func:`sees_tie`);
    a membership when its person allows it (:func:`member_q`). Counts in figures stay exact:
    they count ties without naming anyone.

Records about a person (what a resident's own data is)
    :data:`SUBJECT_RULES` says, per kind of record, which of its fields the person it is
    about may see: on their own pages and in their export (GDPR art. 15 and 20). Nothing
    written about *another* person is in it (introduction reasons, connection notes,
    builders' reflections, outcome stories and evidence); other people in it are named only
    as :func:`name_of` allows. Builders' notes of conversations held with the person are
    theirs too: in the export, and announced (not shown) on the page (``export_only``).
    Which rows are about a person is decided by explicit links (``me.records``), never by
    searching text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neighbourhoods import freshness
from neighbourhoods.fields import model_field

from .models import Gift, Person, Tag
from .visibility import (
    PERSON_COLUMNS,
    VisibleGift,
    VisiblePerson,
    audiences_for,
    can_see,
    field_q,
    gift_q,
    is_own,
    person_q,
    see_gift,
    see_gifts,
    see_people,
    see_person,
    sees_everything,
    visible_column,
    visible_fields,
    visible_values,
)

if TYPE_CHECKING:
    from neighbourhoods.models import Membership

NEIGHBOUR = gettext_lazy("a neighbour")


# ----------------------------------------------------------------------------- people


def name_of(person: Person | None, viewer: Membership | None) -> str:
    """The person's name where this viewer may see it, else "a neighbour"."""
    if person is None:
        return ""
    return person.name if can_see(person, viewer, "name") else str(NEIGHBOUR)


# ----------------------------------------------------------------------------- ties


def member_q(viewer: Membership | None, prefix: str = "person__") -> Q:
    """Memberships (or tie ends) whose person lets this viewer see them and their ties."""
    if sees_everything(viewer):
        return Q()
    return person_q(viewer, prefix) & field_q(viewer, "ties", prefix)


def tie_q(viewer: Membership | None, a: str = "person__", b: str = "other_person__") -> Q:
    """Connections this viewer may see: both people allow it (an organisation tie: its one
    person). Use on ``Connection`` querysets (or with other prefixes on rows that hold two
    people)."""
    if sees_everything(viewer):
        return Q()
    other = Q(**{f"{b.removesuffix('__')}__isnull": True}) | member_q(viewer, b)
    return member_q(viewer, a) & other


def sees_ties_of(person: Person, viewer: Membership | None) -> bool:
    """May this viewer see the person's ties and memberships (and the person at all)?"""
    return can_see(person, viewer, "name") and can_see(person, viewer, "ties")


def sees_tie(connection: Any, viewer: Membership | None) -> bool:
    """One connection (person–person or person–organisation), with its people loaded."""
    if sees_everything(viewer):
        return True
    if not sees_ties_of(connection.person, viewer):
        return False
    other = connection.other_person if connection.other_person_id else None
    return other is None or sees_ties_of(other, viewer)


# ----------------------------------------------------------------------------- choices


def tag_q(viewer: Membership | None) -> Q:
    """Tags a viewer may be offered: those on at least one gift the viewer may see."""
    if sees_everything(viewer):
        return Q()
    return Q(Exists(Gift.objects.filter(gift_q(viewer), tags=OuterRef("pk"))))


def tags_offered(neighbourhood: Any, viewer: Membership | None) -> list[tuple[int, str, str]]:
    """``(pk, name, normalised)`` of the tags a viewer may filter on (:func:`tag_q`), in
    their order; kept until the data changes (for a resident, a look at every gift)."""

    def tags() -> list[tuple[int, str, str]]:
        rows = Tag.objects.in_neighbourhood(neighbourhood).filter(tag_q(viewer))
        return list(rows.values_list("pk", "name", "normalised"))

    return freshness.kept(neighbourhood, viewer, "tags-offered", tags)


def street_names(neighbourhood: Any, viewer: Membership | None) -> list[str]:
    """Streets a viewer may be offered (filters, suggestions): those of people who show their
    street to this viewer; one spelling per street, sorted. Kept until the data changes (a
    distinct over every person)."""

    def names() -> list[str]:
        people = Person.objects.in_neighbourhood(neighbourhood).filter(
            person_q(viewer) & field_q(viewer, "street")
        )
        streets = people.exclude(street="").order_by("street").values_list("street", flat=True)
        seen: dict[str, str] = {}
        for name in streets.distinct():
            seen.setdefault(name.casefold(), name)
        return sorted(seen.values(), key=str.casefold)

    return freshness.kept(neighbourhood, viewer, "street-names", names)


# ----------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Rule:
    """The fields of one kind of record the person it is about may see.

    ``fields`` in the order shown; relations among them are shown as words: a person by
    :func:`name_of`, a user by their name, anything else by ``labels`` (attribute path)
    or its ``str``. ``export_only`` fields (builders' notes about the person) are in the
    export; the page says they exist. ``extra`` adds computed items: ``(name, label, fn)``.
    """

    fields: tuple[str, ...]
    export_only: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    extra: tuple[tuple[str, Any, Any], ...] = ()


def _domains(outcome: Any, subject: Person, viewer: Membership | None) -> list[str]:
    return [row.get_domain_display() for row in outcome.domain_rows.all()]


def _tag_names(gift: Any, subject: Person, viewer: Membership | None) -> list[str]:
    return [tag.name for tag in gift.tags.all()]


def _other_end(a: str, b: str, organisation: str):
    """The other side of a record between two people (or a person and an organisation), as
    the viewer may see it: ``a`` and ``b`` are the person fields, ``organisation`` the
    organisation field."""

    def other(record: Any, subject: Person, viewer: Membership | None) -> str:
        if organisation and getattr(record, f"{organisation}_id", None):
            return getattr(record, organisation).name
        people = [getattr(record, a), getattr(record, b)]
        others = [p for p in people if p is not None and p.pk != subject.pk]
        return name_of(others[0], viewer) if others else ""

    return other


WITH = gettext_lazy("with")


SUBJECT_RULES: dict[str, Rule] = {
    "residents.Person": Rule(
        fields=(
            "name",
            "street",
            "house_number",
            "postcode",
            "phone",
            "email",
            "languages",
            "street_wish",
            "visibility",
            "created_at",
            "created_by",
        )
    ),
    "residents.Gift": Rule(
        fields=("kind", "title", "description", "share", "learn", "created_at"),
        extra=(("tags", gettext_lazy("tags"), _tag_names),),
    ),
    "residents.ConsentRecord": Rule(
        fields=(
            "fields",
            "audience",
            "text",
            "text_version",
            "how",
            "given_at",
            "recorded_by",
            "withdrawn_at",
        ),
    ),
    "network.Connection": Rule(
        fields=("origin", "since", "ended", "initiative"),
        labels={"initiative": "name"},
        extra=(("with", WITH, _other_end("person", "other_person", "organisation")),),
    ),
    "network.InitiativeMember": Rule(
        fields=("initiative", "initiator", "joined", "left"), labels={"initiative": "name"}
    ),
    "organisations.OrganisationMember": Rule(
        fields=("organisation", "role", "since"), labels={"organisation": "name"}
    ),
    "ownership.CarrierPeriod": Rule(fields=("initiative", "since"), labels={"initiative": "name"}),
    "network.Dismissal": Rule(
        fields=("created_at",), extra=(("with", WITH, _other_end("person", "other_person", "")),)
    ),
    "conversations.Conversation": Rule(
        fields=("held_on", "place", "builder", "status", "cares_about", "ideas", "finished_at"),
        export_only=("private_notes",),
    ),
    "conversations.DraftGift": Rule(fields=("conversation", "kind", "title", "tags")),
    "conversations.KnownRelation": Rule(
        fields=("conversation",),
        extra=(
            (
                "knows",
                gettext_lazy("knows"),
                _other_end("other_person", "other_person", "organisation"),
            ),
        ),
    ),
    "conversations.Introduction": Rule(
        fields=("status", "introduced_at"),
        extra=(("with", WITH, _other_end("person", "to_person", "to_organisation")),),
    ),
    "conversations.FollowUp": Rule(fields=("conversation", "what", "due_on", "done_at")),
    # The partner summary, never the builders' title, story or evidence (they name others).
    "outcomes.Outcome": Rule(
        fields=("happened_on", "public_summary", "status"),
        extra=(("domains", gettext_lazy("policy domains"), _domains),),
    ),
    "places.Place": Rule(fields=("name", "kind", "street"), labels={}),
    "me.Invite": Rule(fields=("kind", "created_at", "expires_at", "used_at", "revoked_at")),
    "me.RetentionKeep": Rule(fields=("kept_by", "kept_at")),
}

# Records that point at a person but are not the person's own data, and why.
NOT_SUBJECT_DATA: dict[str, str] = {
    "ownership.Reflection": "builders' reflections on their own work",
    "outcomes.Contribution": "a step of an outcome's chain; the outcome itself is listed",
    "outcomes.Outcome_for_whom_people": "the link table of outcomes' 'for whom'",
    "network.Initiative_gifts": "the link table of gifts an initiative draws on",
    "ownership.CarrierPeriod_people": "the link table of carrier periods",
    "residents.Gift_tags": "the link table of gifts' tags; tags are listed with each gift",
    "audit.AuditEntry": "listed on its own as the person's history",
    "me.MergeProposal": "builders' working note that two records may be one person",
}


@dataclass(frozen=True)
class Item:
    """One field of a record as the viewer may see it; ``value`` keeps its Python type
    (dates, booleans, lists) so pages localise it and files write it plainly."""

    name: str
    label: str
    value: Any
    export_only: bool = False


def user_name(user: Any) -> str:
    """A user (builder, coordinator) as people read them: full name, else username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _value(record: models.Model, f: models.Field, viewer: Membership | None, rule: Rule) -> Any:
    if f.is_relation:
        related = getattr(record, f.name, None)
        if related is None:
            return None
        if related._meta.label == "residents.Person":
            return name_of(related, viewer)
        if isinstance(related, get_user_model()):
            return user_name(related)
        path = rule.labels.get(f.name)
        if path:
            return getattr(related, path)
        if related._meta.label == "conversations.Conversation":
            return _("conversation of %(day)s") % {"day": related.held_on.isoformat()}
        return str(related)
    raw = getattr(record, f.attname)
    if f.choices and raw not in (None, ""):
        return str(dict(f.flatchoices).get(raw, raw))
    return raw


def subject_items(record: models.Model, subject: Person, viewer: Membership | None) -> list[Item]:
    """What the person a record is about (``subject``, seeing as ``viewer``) may see of it.

    Raises ``KeyError`` for a kind of record that has no rule: a new kind must be given one
    (or be listed in :data:`NOT_SUBJECT_DATA`) before it can reach a resident.
    """
    rule = SUBJECT_RULES[record._meta.label]
    computed = [
        (name, label, compute(record, subject, viewer)) for name, label, compute in rule.extra
    ]
    # "with whom" reads best first; other computed items (tags, domains) come last
    items = [Item(n, str(label), v) for n, label, v in computed if n == "with" and v]
    for name in (*rule.fields, *rule.export_only):
        f = model_field(type(record), name)
        value = _value(record, f, viewer, rule)
        if value in (None, "", [], {}):
            continue
        items.append(Item(name, str(f.verbose_name), value, export_only=name in rule.export_only))
    items += [Item(n, str(label), v) for n, label, v in computed if n != "with" and v]
    return items


def plain(value: Any) -> Any:
    """A value for JSON and CSV files: dates as ISO text, lists kept."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str | list | dict) or value is None:
        return value
    return str(value)


def subject_row(record: models.Model, subject: Person, viewer: Membership | None) -> dict[str, Any]:
    """The record as one row of the person's export (their own data, plain values)."""
    return {item.name: plain(item.value) for item in subject_items(record, subject, viewer)}


def shown_items(items: Iterable[Item]) -> list[Item]:
    """The items a page shows (builders' notes only in the export)."""
    return [item for item in items if not item.export_only]


__all__ = [  # noqa: RUF022  (the per-field rule of residents.visibility, then this module's)
    "PERSON_COLUMNS",
    "VisibleGift",
    "VisiblePerson",
    "audiences_for",
    "can_see",
    "field_q",
    "gift_q",
    "is_own",
    "person_q",
    "see_gift",
    "see_gifts",
    "see_people",
    "see_person",
    "sees_everything",
    "visible_column",
    "visible_fields",
    "visible_values",
    "NEIGHBOUR",
    "NOT_SUBJECT_DATA",
    "SUBJECT_RULES",
    "Item",
    "Rule",
    "member_q",
    "name_of",
    "plain",
    "sees_tie",
    "sees_ties_of",
    "shown_items",
    "street_names",
    "subject_items",
    "subject_row",
    "tag_q",
    "tie_q",
    "user_name",
]

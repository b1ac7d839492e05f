"""Who sees which field of a person: the ONE place that decides it.

Every page, search, export and map asks this module; templates never decide. A *viewer* is
a :class:`~neighbourhoods.models.Membership` of the person's neighbourhood, or ``None`` for
the public (anonymous, or a published page):

- builders and coordinators (and staff) see every field of every person;
- the person's own linked user sees everything of their own profile;
- residents see the fields whose audience is ``residents`` or ``public``;
- the public sees ``public`` fields only.

A person is *listed* for a viewer only when their ``name`` is visible to that viewer; a
gift is listed only when its person is listed and the person's ``gifts`` audience allows.

API
---
Querysets (rows):

- ``Person.objects.in_neighbourhood(nb).visible_to(membership)``
- ``Gift.objects.in_neighbourhood(nb).visible_to(membership)``
- :func:`field_q` (``membership, field, prefix=""``) → ``Q`` of people (``prefix="person__"``
  from gifts) whose ``field`` the viewer may see. AND it with any condition that reads that
  field (filters, search), so a hidden value can never be matched: e.g.
  ``Q(street__iexact=s) & field_q(m, "street")``.
- :func:`visible_column` (``membership, field, column``) → an expression that is the column's
  value where visible and NULL where hidden: sort or group on it instead of the column.
- :func:`person_q` and :func:`gift_q`: the ``Q`` behind ``visible_to``.

Fields (one object):

- :func:`visible_fields` (``person, membership``) → frozenset of ``PERSON_FIELDS`` keys.
- :func:`can_see` (``person, membership, field``) → bool.
- :func:`see_person` / :func:`see_people` → :class:`VisiblePerson`: what templates get.
  Hidden fields are *absent* (``AttributeError`` in Python, empty in templates); they are
  never copied onto the wrapper.
- :func:`see_gift` / :func:`see_gifts` → :class:`VisibleGift` with ``.person`` wrapped.
- :func:`visible_values` (``person, membership``) → ``{column: value}`` of the visible model
  columns, for exports: hidden columns are left out.

``PERSON_COLUMNS`` maps each field of ``PERSON_FIELDS`` to the model columns it covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Case, F, Q, When

from neighbourhoods.http import row_url

from .models import PERSON_FIELDS, Audience

if TYPE_CHECKING:
    from neighbourhoods.models import Membership

    from .models import Gift, Person

# The model columns behind each field a person chooses an audience for.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "street": ("street",),
    "address": ("house_number", "postcode"),
    "phone": ("phone",),
    "email": ("email",),
    "languages": ("languages",),
    "street_wish": ("street_wish",),
    "photo": ("photo",),
    "gifts": (),
    "ties": (),  # connections and memberships: see residents.disclosure
}

_RESIDENT_AUDIENCES = (Audience.RESIDENTS.value, Audience.PUBLIC.value)
_PUBLIC_AUDIENCES = (Audience.PUBLIC.value,)
# Django builds ``Choices.values``/``.choices`` afresh on every access; these run per row.
_AUDIENCE_LABELS = dict(Audience.choices)


def sees_everything(membership: Membership | None) -> bool:
    """Builders, coordinators and staff see every field of every person."""
    return membership is not None and membership.is_builder


def audiences_for(membership: Membership | None) -> tuple[str, ...] | None:
    """The audiences whose fields this viewer sees; None means every field."""
    if membership is None:
        return _PUBLIC_AUDIENCES
    if membership.is_builder:
        return None
    return _RESIDENT_AUDIENCES


def _own_user_id(membership: Membership | None) -> int | None:
    return membership.user_id if membership is not None else None


def field_q(membership: Membership | None, field: str, prefix: str = "") -> Q:
    """People (or rows reaching a person through ``prefix``) whose ``field`` is visible."""
    if field not in PERSON_FIELDS:
        raise KeyError(field)
    audiences = audiences_for(membership)
    if audiences is None:
        return Q()
    condition = Q(**{f"{prefix}visibility__{field}__in": audiences})
    own = _own_user_id(membership)
    if own is not None:
        condition |= Q(**{f"{prefix}user_id": own})
    return condition


def person_q(membership: Membership | None, prefix: str = "") -> Q:
    """People listed for this viewer: those whose name the viewer may see."""
    return field_q(membership, "name", prefix)


def gift_q(membership: Membership | None) -> Q:
    """Gifts listed for this viewer: their person is listed and shows gifts."""
    return person_q(membership, "person__") & field_q(membership, "gifts", "person__")


def visible_column(membership: Membership | None, field: str, column: str, prefix: str = ""):
    """The column where the viewer may see ``field``, NULL elsewhere (sort and group on it)."""
    if sees_everything(membership):
        return F(f"{prefix}{column}")
    return Case(When(field_q(membership, field, prefix), then=F(f"{prefix}{column}")), default=None)


def _audience(person: Person, field: str) -> str:
    value = (person.visibility or {}).get(field)
    return value if value in _AUDIENCE_LABELS else Audience.BUILDERS.value


def is_own(person: Person, membership: Membership | None) -> bool:
    own = _own_user_id(membership)
    return own is not None and person.user_id == own


def visible_fields(person: Person, membership: Membership | None) -> frozenset[str]:
    audiences = audiences_for(membership)
    if audiences is None or is_own(person, membership):
        return frozenset(PERSON_FIELDS)
    return frozenset(f for f in PERSON_FIELDS if _audience(person, f) in audiences)


def can_see(person: Person, membership: Membership | None, field: str) -> bool:
    return field in visible_fields(person, membership)


def visible_values(person: Person, membership: Membership | None) -> dict[str, object]:
    """The visible model columns of a person, e.g. for an export row."""
    fields = visible_fields(person, membership)
    values: dict[str, object] = {}
    for field in PERSON_FIELDS:
        if field in fields:
            for column in PERSON_COLUMNS[field]:
                values[column] = getattr(person, column)
    return values


class VisiblePerson:
    """A person as one viewer may see them. Hidden fields are not attributes at all.

    Always present: ``pk``, ``url``, ``fields`` (visible field names), ``is_own``,
    ``can_manage`` (builders), ``shows(field)``. Present when visible: ``name``, ``street``,
    ``house_number``, ``postcode``, ``phone``, ``email``, ``languages``, ``language_list``,
    ``street_wish``, ``has_photo``, ``photo_url``, ``thumb_url``, ``gift_list`` (when gifts
    were prefetched). For builders and the person themselves: ``audiences`` (field label,
    audience label) and, for builders, ``created_at``/``updated_at``/``created_by``/
    ``updated_by``.
    """

    def __init__(self, person: Person, membership: Membership | None, slug: str | None = None):
        slug = slug or person.neighbourhood.slug
        fields = visible_fields(person, membership)
        self.pk = self.id = person.pk
        self.fields = fields
        self.is_own = is_own(person, membership)
        self.can_manage = sees_everything(membership)
        self.url = row_url("residents:person", slug, person.pk)
        if "name" in fields:
            self.name = person.name
        if "street" in fields:
            self.street = person.street
        if "address" in fields:
            self.house_number = person.house_number
            self.postcode = person.postcode
        if "phone" in fields:
            self.phone = person.phone
        if "email" in fields:
            self.email = person.email
        if "languages" in fields:
            self.languages = person.languages
            self.language_list = person.language_list
        if "street_wish" in fields:
            self.street_wish = person.street_wish
        if "photo" in fields:
            self.has_photo = bool(person.photo)
            if self.has_photo:
                self.photo_url = row_url("residents:person_photo", slug, person.pk)
                self.thumb_url = row_url("residents:person_thumb", slug, person.pk)
        if "gifts" in fields:
            prefetched = getattr(person, "_prefetched_objects_cache", {})
            if "gifts" in prefetched:
                self.gift_list = [VisibleGift(gift, self, slug) for gift in prefetched["gifts"]]
        if self.can_manage or self.is_own:
            self._person = person  # for ``audiences``, worked out only when a page shows it
        if self.can_manage:
            self.created_at = person.created_at
            self.updated_at = person.updated_at
            self.created_by = person.created_by if "created_by" in _loaded(person) else None
            self.updated_by = person.updated_by if "updated_by" in _loaded(person) else None

    def __getattr__(self, name: str):
        """``audiences`` (field label, audience label), for builders and the person only:
        worked out when a page first reads it, as lists never do."""
        person = self.__dict__.get("_person")
        if name != "audiences" or person is None:
            raise AttributeError(name)
        self.audiences = [
            (PERSON_FIELDS[f], _AUDIENCE_LABELS[_audience(person, f)]) for f in PERSON_FIELDS
        ]
        return self.audiences

    def shows(self, field: str) -> bool:
        return field in self.fields

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return getattr(self, "name", "…")

    def __repr__(self) -> str:
        return f"<VisiblePerson {self.pk} {sorted(self.fields)}>"


def _loaded(person: Person) -> set[str]:
    """Relations already fetched with select_related (so reading them costs no query)."""
    return set(getattr(person._state, "fields_cache", {}))


class VisibleGift:
    """A gift as one viewer may see it, with its person wrapped as :class:`VisiblePerson`."""

    def __init__(self, gift: Gift, person: VisiblePerson, slug: str):
        self.pk = self.id = gift.pk
        self.kind = gift.kind
        self.kind_label = gift.get_kind_display()  # a table per language (ChoiceLabels)
        self.title = gift.title
        self.description = gift.description
        self.share = gift.share
        self.learn = gift.learn
        self.created_at = gift.created_at
        self.person = person
        self.url = row_url("residents:gift", slug, gift.pk)
        prefetched = getattr(gift, "_prefetched_objects_cache", {})
        self.tags = list(prefetched["tags"]) if "tags" in prefetched else []

    def get_absolute_url(self) -> str:
        return self.url

    def __str__(self) -> str:
        return self.title


def see_person(person: Person, membership: Membership | None) -> VisiblePerson:
    slug = membership.neighbourhood.slug if membership is not None else None
    return VisiblePerson(person, membership, slug)


def see_people(people: Iterable[Person], membership: Membership | None) -> list[VisiblePerson]:
    slug = membership.neighbourhood.slug if membership is not None else None
    return [VisiblePerson(p, membership, slug) for p in people]


def see_gift(gift: Gift, membership: Membership | None) -> VisibleGift:
    """Wrap one gift; the caller must have checked ``Gift.objects.visible_to`` for it."""
    return see_gifts([gift], membership)[0]


def see_gifts(gifts: Iterable[Gift], membership: Membership | None) -> list[VisibleGift]:
    """Wrap gifts (fetch them with ``select_related("person")`` and prefetched tags)."""
    slug = membership.neighbourhood.slug if membership is not None else None
    people: dict[int, VisiblePerson] = {}
    wrapped = []
    for gift in gifts:
        person = people.get(gift.person_id)
        if person is None:
            person = people[gift.person_id] = VisiblePerson(gift.person, membership, slug)
        wrapped.append(VisibleGift(gift, person, slug or gift.person.neighbourhood.slug))
    return wrapped


__all__ = [
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
]

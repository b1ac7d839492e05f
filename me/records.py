"""Everything recorded about a person, found by walking the models' relations.

The walk is Django's own deletion collector (``Collector(force_collection=True)``), which
follows ``_meta.related_objects`` recursively: whatever would be deleted with the person
*belongs* to them (gifts, consents, conversations and their follow-ups, connections,
memberships of organisations and initiatives, links to outcomes …); whatever would only lose
its link (``SET_NULL``) *mentions* them (a place they manage). Models added later are covered
without changes here. The same walk feeds the page "everything about me", the export and
the erasure, so the three cannot drift apart.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models, router
from django.db.models import Q
from django.db.models.deletion import Collector
from django.db.models.fields.files import FieldFile

# Fields never shown to the resident on their pages (only in their own export).
PRIVATE_PREFIX = "private"
# Fields never shown or exported at all: secrets of the app, not data about the person.
SECRET_WORDS = ("hash", "password", "token", "secret")
# Bookkeeping columns left off the page (they stay in the export).
HIDDEN_ON_PAGE = {"version", "updated_by"}
# Models shown in their own sections of the page (or not at all), not as "other records".
OWN_SECTIONS = {
    "residents.Person",
    "residents.Gift",
    "residents.ConsentRecord",
    "me.Invite",
    "me.RetentionKeep",
    "ownership.Reflection",  # builders' reflections: never shown to residents
}


def is_private(f: models.Field) -> bool:
    return f.name.startswith(PRIVATE_PREFIX)


def is_secret(f: models.Field) -> bool:
    return any(word in f.name for word in SECRET_WORDS)


@dataclass
class Records:
    """What belongs to a person (deleted with them) and what merely links to them."""

    owned: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    linked: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def all_owned(self):
        for model, objs in self.owned.items():
            for obj in objs:
                yield model, obj


def collector_for(person) -> Collector:
    collector = Collector(
        using=router.db_for_write(type(person)), origin=person, force_collection=True
    )
    collector.collect([person])
    return collector


def _full(model: type[models.Model], pks) -> list[models.Model]:
    """The rows again, every column loaded (the collector fetches only what deleting needs)."""
    return list(model._base_manager.filter(pk__in=list(pks)).order_by("pk"))


def collect(person) -> Records:
    collector = collector_for(person)
    records = Records()
    for model, instances in collector.data.items():
        if instances:
            records.owned[model] = _full(model, {obj.pk for obj in instances})
    linked: dict[type[models.Model], set] = {}
    for (_field, _value), batches in collector.field_updates.items():
        for batch in batches:
            for obj in batch:
                linked.setdefault(type(obj), set()).add(obj.pk)
    for model, pks in linked.items():
        records.linked[model] = _full(model, pks)
    return records


def mentioning_outcomes(person, records: Records | None = None) -> list[models.Model]:
    """Outcomes that name the person: by a relation to them, through a record of theirs
    (e.g. a contribution step pointing at their gift), or their name in the text."""
    if not apps.is_installed("outcomes"):
        return []
    try:
        Outcome = apps.get_model("outcomes", "Outcome")
    except LookupError:
        return []
    condition = Q(pk__in=linked_outcome_ids(person, Outcome, records))
    for f in person_relations(Outcome, type(person)):
        condition |= Q(**{f.name: person})
    if len(person.name.strip()) >= 3:
        for f in text_fields(Outcome):
            condition |= Q(**{f"{f.name}__icontains": person.name.strip()})
    scoped = Outcome._default_manager.filter(neighbourhood_id=person.neighbourhood_id)
    return list(scoped.filter(condition).distinct().order_by("pk"))


def linked_outcome_ids(person, outcome_model, records: Records | None = None) -> set:
    """Outcomes reached from records that point at the person's own records."""
    records = records or collect(person)
    ids = set()
    for model, objs in records.linked.items():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is outcome_model:
                ids.update(getattr(obj, f.attname) for obj in objs)
    ids.discard(None)
    return ids


def person_relations(model: type[models.Model], person_model) -> list[models.Field]:
    """The model's own foreign keys and many-to-many fields that point at a person."""
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model is person_model
    ]


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.FileField)
        and not f.choices
    ]


# ---------------------------------------------------------------------------------------
# Turning objects into plain rows (for the page, JSON and CSV)


def plain(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


class Describer:
    """Turns related objects into rows; names of other people only as the viewer sees them."""

    def __init__(self, person, viewer=None):
        self.person = person
        self.viewer = viewer  # a Membership: names of others through residents.visibility
        self._users: dict[int, str] = {}
        self._people: dict[int, str] = {}

    def user_name(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id not in self._users:
            user = get_user_model().objects.filter(pk=user_id).first()
            self._users[user_id] = (user.get_full_name() or user.get_username()) if user else ""
        return self._users[user_id]

    def person_name(self, person_id: int | None) -> str:
        from residents.models import Person
        from residents.visibility import can_see

        if person_id is None:
            return ""
        if person_id == self.person.pk:
            return self.person.name
        if person_id not in self._people:
            other = Person.objects.filter(pk=person_id).first()
            visible = other is not None and can_see(other, self.viewer, "name")
            self._people[person_id] = other.name if visible else f"#{person_id}"
        return self._people[person_id]

    def value(self, obj: models.Model, f: models.Field):
        raw = getattr(obj, f.attname)
        if raw is None or not f.is_relation:
            if f.choices and raw not in (None, ""):
                return str(dict(f.flatchoices).get(raw, raw))
            return plain(raw)
        target = f.related_model
        if target is get_user_model():
            return self.user_name(raw)
        if target._meta.label == "residents.Person":
            return self.person_name(raw)
        related = getattr(obj, f.name, None)
        return str(related) if related is not None else raw

    def row(self, obj: models.Model, *, hide_private: bool) -> dict:
        """Field name → plain value; secrets left out, private fields only when allowed."""
        data = {"id": obj.pk}
        for f in obj._meta.concrete_fields:
            if f.primary_key or is_secret(f):
                continue
            if hide_private and is_private(f):
                continue
            data[f.name] = self.value(obj, f)
        for f in obj._meta.many_to_many:
            data[f.name] = [str(item) for item in getattr(obj, f.name).all()]
        return data

    def labelled(self, obj: models.Model) -> dict:
        """For the page: verbose field labels, private fields replaced by a notice flag."""
        fields = []
        has_private = False
        for f in obj._meta.concrete_fields:
            if f.primary_key or is_secret(f) or f.name in HIDDEN_ON_PAGE:
                continue
            if f.is_relation and f.related_model._meta.label == "neighbourhoods.Neighbourhood":
                continue
            if (
                f.is_relation
                and getattr(obj, f.attname) == self.person.pk
                and (f.related_model is type(self.person))
            ):
                continue
            if is_private(f):
                has_private = has_private or bool(getattr(obj, f.attname))
                continue
            value = self.value(obj, f)
            if value in (None, "", [], {}):
                continue
            fields.append((str(f.verbose_name), value))
        return {"object": obj, "fields": fields, "has_private": has_private}

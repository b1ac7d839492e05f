"""What is recorded about a person: for erasure by walking relations, for the person by links.

Erasure (``collect``) must reach everything: it walks the models' relations.

The walk is Django's own deletion collector (``Collector(force_collection=True)``), which
follows ``_meta.related_objects`` recursively: whatever would be deleted with the person
*belongs* to them (gifts, consents, conversations and their follow-ups, connections,
memberships of organisations and initiatives, links to outcomes …); whatever would only lose
its link (``SET_NULL``) *mentions* them (a place they manage). Models added later are covered
without changes here.

The person's own pages and export (``own_records``) list only records that are about them by
an explicit link (their row, gifts, consent, ties and memberships they are part of,
conversations held with them and their follow-ups, outcomes that name them by link), and
show each as ``residents.disclosure`` allows: never a text search, never another person's
notes. ``tests/privacy`` checks that every relation to a person is listed here or in
``disclosure.NOT_SUBJECT_DATA``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models, router
from django.db.models import Q
from django.db.models.deletion import Collector

from conversations.models import Conversation, DraftGift, FollowUp, Introduction, KnownRelation
from network.models import Connection, Dismissal, InitiativeMember
from organisations.models import OrganisationMember
from outcomes.models import Outcome
from ownership.models import CarrierPeriod
from places.models import Place
from residents.models import ConsentRecord, Gift, Person

from .models import Invite, RetentionKeep


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
            # django-stubs type a batch of Collector.field_updates as one model; it is a list
            for obj in batch:  # type: ignore[attr-defined]
                linked.setdefault(type(obj), set()).add(obj.pk)
    for model, pks in linked.items():
        records.linked[model] = _full(model, pks)
    return records


def mentioning_outcomes(person, records: Records | None = None) -> list[models.Model]:
    """Outcomes that name the person: by a relation to them, through a record of theirs
    (e.g. a contribution step pointing at their gift), or their name in the text."""
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
    ids: set[Any] = set()
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
        if isinstance(f, models.Field)  # not a reverse relation (those are auto-created)
        and f.is_relation
        and not f.auto_created
        and f.related_model is person_model
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
# The person's own data, by explicit links


@dataclass
class Section:
    """One kind of record about the person: its label, table name and rows."""

    label: str
    table: str
    records: list[models.Model]


def own_querysets(person) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every kind of record about the person, as querysets of explicit links."""
    conversation_of = Q(conversation__person=person)
    outcomes = (
        Q(for_whom_people=person)
        | Q(contributions__gift__person=person)
        | Q(contributions__connection__person=person)
        | Q(contributions__connection__other_person=person)
        | Q(contributions__conversation__person=person)
    )
    outcome_ids = Outcome.objects.filter(neighbourhood_id=person.neighbourhood_id).filter(outcomes)
    return [
        (Person, Person.objects.filter(pk=person.pk).select_related("created_by")),
        (Gift, Gift.objects.filter(person=person).prefetch_related("tags")),
        (ConsentRecord, ConsentRecord.objects.filter(person=person).select_related("recorded_by")),
        (
            Connection,
            Connection.objects.involving(person).select_related(
                "person", "other_person", "organisation", "initiative"
            ),
        ),
        (
            InitiativeMember,
            InitiativeMember.objects.filter(person=person).select_related("initiative"),
        ),
        (
            OrganisationMember,
            OrganisationMember.objects.filter(person=person).select_related("organisation"),
        ),
        (CarrierPeriod, CarrierPeriod.objects.filter(people=person).select_related("initiative")),
        (
            Dismissal,
            Dismissal.objects.filter(Q(person=person) | Q(other_person=person)).select_related(
                "person", "other_person"
            ),
        ),
        (Conversation, Conversation.objects.filter(person=person).select_related("builder")),
        (DraftGift, DraftGift.objects.filter(conversation_of).select_related("conversation")),
        (
            KnownRelation,
            KnownRelation.objects.filter(conversation_of).select_related(
                "conversation", "other_person", "organisation"
            ),
        ),
        (
            Introduction,
            Introduction.objects.filter(Q(person=person) | Q(to_person=person)).select_related(
                "person", "to_person", "to_organisation"
            ),
        ),
        (
            FollowUp,
            FollowUp.objects.filter(conversation_of | Q(person=person)).select_related(
                "conversation"
            ),
        ),
        (
            Outcome,
            Outcome.objects.filter(pk__in=outcome_ids.values("pk")).prefetch_related("domain_rows"),
        ),
        (Place, Place.objects.filter(managed_by_person=person)),
        (Invite, Invite.objects.filter(person=person)),
        (RetentionKeep, RetentionKeep.objects.filter(person=person).select_related("kept_by")),
    ]


def own_records(person) -> list[Section]:
    """The person's own data, one section per kind of record that has rows."""
    sections = []
    for model, queryset in own_querysets(person):
        rows = list(queryset.order_by("pk"))
        if rows:
            sections.append(
                Section(str(model._meta.verbose_name_plural), model._meta.label_lower, rows)
            )
    return sections

"""Merging two records of the same person: :func:`merge_people`.

Everything that points at the person who goes (``drop``) is moved to the person who stays
(``keep``), found by walking the relations, not by a list: every foreign key in the project
that points at a person (``Person._meta.get_fields(include_hidden=True)``: gifts, consent
records, connections, memberships of initiatives and organisations, conversations and what
hangs from them, introductions, carrier periods and the link tables of many-to-many fields
such as outcomes' "for whom", invites …) and every model added later.

Rows that would become duplicates fold into one:

- a row that would point at ``keep`` twice (a connection or a dismissed suggestion between
  the two merged people) is deleted;
- a row that would repeat another under a unique constraint (two connections to the same
  third person, two memberships of one initiative, a link table row) folds into the row
  that exists: what points at the folded row moves to it (the same walk, one level down),
  its empty fields are filled from the folded row (and its flags set where
  either row had them), start dates take the earlier and end
  dates the later (or none, while either is still open), then the folded row goes;
- pairs stored ordered (``person < other_person`` check constraints) are reordered.

The person row: ``keep``'s values stay, its empty fields are filled from ``drop``; who may
see each field is the narrower of the two (consent is the narrower of both); a claimed login
moves along (two claimed profiles are refused). The history rows (audit trail) of ``drop``
become ``keep``'s. All of this writes no audit rows of its own: one entry records the merge.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from audit import trail
from audit.models import Action, AuditEntry
from neighbourhoods import freshness
from residents.consent import RANK, audience_of
from residents.models import PERSON_FIELDS, Person
from residents.signals import people_merged

from .erasure import _generic_pairs

# Dates that end something: when folding two rows the later wins, and an open end (None) wins.
END_DATES = frozenset({"ended", "left", "until", "ends_on", "done_at", "withdrawn_at"})
# Columns of the person that are never filled from the other record.
_PERSON_KEEP = frozenset(
    {"id", "neighbourhood", "visibility", "version", "created_by", "updated_by", "updated_at"}
)


class MergeRefused(ValidationError):
    pass


@dataclass
class MergeReport:
    keep: Person
    dropped_id: int
    moved: Counter = field(default_factory=Counter)  # model label → rows moved
    folded: Counter = field(default_factory=Counter)  # model label → rows folded away


def incoming(model: type[models.Model]) -> list[models.ForeignKey]:
    """Every concrete foreign key (or one-to-one) anywhere that points at ``model``,
    hidden ones and the link tables of many-to-many fields included."""
    fields = []
    for rel in model._meta.get_fields(include_hidden=True):
        if isinstance(rel, models.ManyToOneRel):  # a OneToOneRel is one too
            fields.append(rel.field)
    return fields


def check(keep: Person, drop: Person) -> None:
    if keep.pk == drop.pk:
        raise MergeRefused(_("Choose two different people to merge."))
    if keep.neighbourhood_id != drop.neighbourhood_id:
        raise MergeRefused(_("Only people of the same neighbourhood can be merged."))
    if keep.user_id and drop.user_id:
        raise MergeRefused(
            _(
                "Both have claimed their profile with their own login; they cannot be merged. "
                "Ask one of them to erase their profile instead."
            )
        )


def merge_people(*, keep: Person, drop: Person, by) -> MergeReport:
    """Move everything of ``drop`` onto ``keep``, fold duplicates, audit once, delete ``drop``."""
    with transaction.atomic(), trail.suppressed(), freshness.batch(keep.neighbourhood_id):
        locked = Person.objects.select_for_update().in_bulk([keep.pk, drop.pk])
        if len(locked) != 2:
            raise MergeRefused(_("One of the two people no longer exists."))
        keep, drop = locked[keep.pk], locked[drop.pk]
        check(keep, drop)
        report = MergeReport(keep=keep, dropped_id=drop.pk)
        changed = _merge_person_row(keep, drop)
        move_references(Person, keep, drop, report)
        _move_history(keep.pk, drop.pk)
        drop.delete()
        keep.updated_by = by
        keep.save()
        # the access log (audit.access): one merge entry; the dropped person's mentions move
        people_merged.send(sender=Person, keep=keep, drop_id=report.dropped_id, user=by)
        trail.record(
            Action.MERGE,
            keep,
            {
                "merged": [report.dropped_id, keep.pk],
                "moved": dict(sorted(report.moved.items())),
                "folded": dict(sorted(report.folded.items())),
                "fields": changed,
            },
            by=by,
        )
    return report


def _merge_person_row(keep: Person, drop: Person) -> list[str]:
    """Fill ``keep``'s empty fields from ``drop``; visibility the narrower of the two."""
    changed = []
    for f in Person._meta.concrete_fields:
        if f.name in _PERSON_KEEP:
            continue
        mine, theirs = getattr(keep, f.attname), getattr(drop, f.attname)
        if f.name == "created_at":
            if theirs and mine and theirs < mine:
                keep.created_at = theirs
            continue
        if mine in (None, "") and theirs not in (None, ""):
            setattr(keep, f.attname, theirs)
            changed.append(f.name)
    if drop.user_id and keep.user_id == drop.user_id:
        # one login per neighbourhood: free it on the record that goes first
        Person.objects.filter(pk=drop.pk).update(user=None)
        drop.user_id = None
    visibility = dict(keep.visibility or {})
    for name in PERSON_FIELDS:
        mine_audience = audience_of(keep.visibility, name)
        theirs_audience = audience_of(drop.visibility, name)
        narrower = min(mine_audience, theirs_audience, key=RANK.__getitem__)
        if visibility.get(name) != narrower:
            visibility[name] = narrower
    if visibility != keep.visibility:
        keep.visibility = visibility
        changed.append("visibility")
    return changed


def move_references(model: type[models.Model], keep, drop, report: MergeReport) -> None:
    """Point every reference to ``drop`` (a row of ``model``) at ``keep``, folding rows that
    would repeat or point at ``keep`` twice (see the module text)."""
    for fk in incoming(model):
        rows = list(fk.model._base_manager.filter(**{fk.attname: drop.pk}).order_by("pk"))
        for row in rows:
            _move_row(row, fk, keep, report)


def _move_row(row: models.Model, fk: models.ForeignKey, keep, report: MergeReport) -> None:
    model = type(row)
    label = model._meta.label
    setattr(row, fk.attname, keep.pk)
    same_target = [
        f
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is fk.related_model and f is not fk
    ]
    if any(getattr(row, f.attname) == keep.pk for f in same_target):
        row.delete()  # would point at the kept record twice (a tie between the two)
        report.folded[label] += 1
        return
    _reorder(row)
    twin = _twin(row)
    if twin is not None:
        fold_rows(row, twin, report)
        return
    updates = {f.attname: getattr(row, f.attname) for f in [fk, *same_target]}
    model._base_manager.filter(pk=row.pk).update(**updates)
    report.moved[label] += 1


def _reorder(row: models.Model) -> None:
    """Rows stored as ordered pairs (a check ``a < b``) get their two ends in order."""
    for constraint in type(row)._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if not isinstance(constraint, models.CheckConstraint) or condition is None:
            continue
        for child in condition.children:
            if isinstance(child, tuple) and child[0].endswith("__lt") and isinstance(child[1], F):
                a = cast("models.Field", type(row)._meta.get_field(child[0].removesuffix("__lt")))
                b = cast("models.Field", type(row)._meta.get_field(child[1].name))  # type: ignore[attr-defined]
                low, high = getattr(row, a.attname), getattr(row, b.attname)
                if low is not None and high is not None and low > high:
                    setattr(row, a.attname, high)
                    setattr(row, b.attname, low)


def _unique_sets(model: type[models.Model]) -> list[tuple[list[str], Q | None]]:
    sets: list[tuple[list[str], Q | None]] = []
    for f in model._meta.concrete_fields:
        if f.unique and not f.primary_key:
            sets.append(([f.name], None))
    for together in model._meta.unique_together:
        sets.append((list(together), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append((list(constraint.fields), constraint.condition))
    return sets


def _twin(row: models.Model) -> models.Model | None:
    """Another row that ``row`` would repeat under one of its model's unique constraints."""
    model = type(row)
    for names, condition in _unique_sets(model):
        values = {}
        for name in names:
            f = model._meta.get_field(name)
            values[f.attname] = getattr(row, f.attname)  # type: ignore[union-attr]
        if any(v is None for v in values.values()):
            continue  # NULLs never clash
        queryset = model._base_manager.filter(**values).exclude(pk=row.pk)
        if condition is not None:
            queryset = queryset.filter(condition)
            if not model._base_manager.filter(pk=row.pk).filter(condition).exists():
                continue
        twin = queryset.order_by("pk").first()
        if twin is not None:
            return twin
    return None


def fold_rows(row: models.Model, twin: models.Model, report: MergeReport) -> None:
    """``row`` repeats ``twin``: move what points at ``row`` to ``twin``, fill ``twin``'s
    blanks (dates: the earlier start, the later or open end) and delete ``row``."""
    model = type(row)
    move_references(model, twin, row, report)
    fresh = model._base_manager.get(pk=row.pk)
    updates: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or f.is_relation or getattr(f, "auto_now", False):
            continue
        mine, theirs = getattr(twin, f.attname), getattr(fresh, f.attname)
        if isinstance(f, models.DateField):  # DateTimeField too
            if f.name in END_DATES:
                new = None if mine is None or theirs is None else max(mine, theirs)
            else:
                new = _earlier(mine, theirs)
            if new != mine:
                updates[f.attname] = new
        elif isinstance(f, models.BooleanField):
            if theirs and not mine:  # a flag either row had (an initiator stays one)
                updates[f.attname] = True
        elif mine in (None, "") and theirs not in (None, ""):
            updates[f.attname] = theirs
    fresh.delete()
    if updates:
        model._base_manager.filter(pk=twin.pk).update(**updates)
    report.folded[model._meta.label] += 1


def _earlier(a: datetime.date | None, b: datetime.date | None) -> datetime.date | None:
    if a is None or b is None:
        return a if b is None else b
    return min(a, b)


def _move_history(keep_id: int, drop_id: int) -> None:
    """The audit trail and generic references (admin log) of ``drop`` become ``keep``'s."""
    AuditEntry.objects.filter(person_id=drop_id).update(person_id=keep_id)
    AuditEntry.objects.filter(model_label=Person._meta.label, object_id=str(drop_id)).update(
        object_id=str(keep_id)
    )
    person_type = ContentType.objects.get_for_model(Person)
    for model in apps.get_models():
        for ct_field, id_field in _generic_pairs(model):
            text = isinstance(id_field, models.CharField | models.TextField)
            model._default_manager.filter(
                **{
                    ct_field.attname: person_type.pk,
                    id_field.attname: str(drop_id) if text else drop_id,
                }
            ).update(**{id_field.attname: str(keep_id) if text else keep_id})

"""Changes in the reader's words: field labels and values as the forms show them.

``Soort: handen`` rather than ``kind: hands``, ``Wil leren: ja`` rather than ``True``, who
sees what as words rather than a dict. Values of other records (a login, a place) are named
without personal data: a person appears as "a person" with their number, never by name.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from residents.models import PERSON_FIELDS, Audience

EMPTY = "–"
# Fields every history already implies: the record's own neighbourhood.
NOT_SHOWN = frozenset({"neighbourhood"})


def model_for(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    with contextlib.suppress(FieldDoesNotExist):
        field = model._meta.get_field(name)
        return field if isinstance(field, models.Field) else None
    return None


def label(model: type[models.Model] | None, name: str) -> str:
    """The field's label as its form shows it, with a capital."""
    field = field_of(model, name)
    text = str(field.verbose_name) if field is not None else name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _audiences(value: dict) -> str:
    audiences = dict(Audience.choices)
    parts = []
    for key, audience in value.items():
        name = str(PERSON_FIELDS.get(key, key.replace("_", " ")))
        parts.append(f"{name}: {audiences.get(audience, audience)}")
    return "; ".join(parts)


Names = dict[tuple[str, Any], str]  # (model label, pk) → how it reads


def _related(field: models.Field, value: Any, names: Names) -> str:
    target = field.related_model
    if target is None or isinstance(target, str):
        return str(value)
    if target._meta.label == "residents.Person":
        return _("a person (number %(id)s)") % {"id": value}
    found = names.get((target._meta.label, value))
    if found is not None:
        return found
    if target is get_user_model():
        return _("a user who no longer exists")
    return _("deleted (number %(id)s)") % {"id": value}


def related_names(entries) -> Names:
    """The records the changes of ``entries`` point at, named: one query per kind of record
    (people are never looked up: they read as "a person" with their number)."""
    wanted: dict[type[models.Model], set] = {}
    for entry in entries:
        model = model_for(entry.model_label)
        for name, values in (entry.changes or {}).items():
            if name in NOT_SHOWN:
                continue
            field = field_of(model, name)
            target = field.related_model if field is not None and field.is_relation else None
            if target is None or isinstance(target, str) or not isinstance(values, list):
                continue
            if target._meta.label == "residents.Person":
                continue
            wanted.setdefault(target, set()).update(v for v in values if v is not None)
    names: Names = {}
    user_model = get_user_model()
    for target, ids in wanted.items():
        for pk, found in target._default_manager.in_bulk(list(ids)).items():
            if isinstance(found, user_model):
                text = found.get_full_name() or found.get_username()
            else:
                text = str(found)
            names[(target._meta.label, pk)] = text
    return names


def value(model: type[models.Model] | None, name: str, raw: Any, names: Names | None = None) -> str:
    """A stored value (as the audit trail keeps it) as the form shows it."""
    if raw is None or raw == "":
        return EMPTY
    field = field_of(model, name)
    if isinstance(raw, bool):
        return _("yes") if raw else _("no")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, dict):
        if name == "visibility":
            return _audiences(raw)
        return "; ".join(f"{label(model, str(k))}: {v}" for k, v in raw.items())
    if isinstance(raw, list):
        return ", ".join(str(item) for item in raw) or EMPTY
    if field is not None and field.is_relation:
        return _related(field, raw, names or {})
    if isinstance(field, models.DateTimeField) and isinstance(raw, str):
        moment = parse_datetime(raw)
        if moment is not None:
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField) and isinstance(raw, str):
        day = parse_date(raw[:10])
        if isinstance(day, datetime.date):
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(field, models.FileField):
        return os.path.basename(str(raw))
    if isinstance(raw, float):
        return formats.number_format(raw)
    return str(raw)


def rows(
    model_label: str, changes: dict, names: Names | None = None
) -> list[tuple[str, str | None, str | None]]:
    """(label, old, new) per changed field, readable; old/new None when not kept."""
    model = model_for(model_label)
    result = []
    for name, values in sorted((changes or {}).items()):
        if name in NOT_SHOWN:
            continue
        old, new = values if isinstance(values, list) and len(values) == 2 else (None, None)
        kept = values is not None
        result.append(
            (
                label(model, name),
                value(model, name, old, names) if kept and old is not None else None,
                value(model, name, new, names) if kept and new is not None else None,
            )
        )
    return result


def attach(entries) -> list:
    """The entries with ``readable`` rows each, in a constant number of queries."""
    entries = list(entries)
    names = related_names(entries)
    for entry in entries:
        entry.readable = rows(entry.model_label, entry.changes, names)
    return entries

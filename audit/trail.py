"""Writing the audit trail: signal handlers for the tracked models and the acting user.

The acting user comes from a context variable that :class:`audit.middleware.AuditMiddleware`
sets for every request (commands and tests use :func:`acting_as`). Bulk operations
(``bulk_create``, ``QuerySet.update``) send no signals and are not recorded: the demo seeder
and imports use them on purpose.

Models are connected lazily by label in ``AuditConfig.ready``: a model that is not installed
is skipped, so no app has to import this one.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from .models import Action, AuditEntry


@dataclass(frozen=True)
class Tracked:
    """How one model is audited. ``keep_values`` False: only field names are kept (for
    models with builders-only text such as conversations' private notes)."""

    keep_values: bool = True
    skip: frozenset[str] = field(default_factory=frozenset)


_COMMON_SKIP = frozenset({"created_at", "updated_at", "created_by", "updated_by"})

TRACKED: dict[str, Tracked] = {
    "residents.Person": Tracked(skip=_COMMON_SKIP | {"photo_thumbnail", "version"}),
    "residents.Gift": Tracked(skip=_COMMON_SKIP),
    "organisations.Organisation": Tracked(skip=_COMMON_SKIP),
    "places.Place": Tracked(skip=_COMMON_SKIP),
    "network.Initiative": Tracked(skip=_COMMON_SKIP),
    "conversations.Conversation": Tracked(keep_values=False, skip=_COMMON_SKIP | {"version"}),
    # A follow-up's words are for the team only, like a conversation's notes; who marked it
    # done is the entry's actor.
    "conversations.FollowUp": Tracked(
        keep_values=False, skip=_COMMON_SKIP | {"client_token", "done_by"}
    ),
}

MAX_TEXT = 500

_actor: ContextVar[object | None] = ContextVar("audit_actor", default=None)
_suppressed: ContextVar[bool] = ContextVar("audit_suppressed", default=False)


def current_actor():
    """The signed-in user of the current request (or of :func:`acting_as`), else None."""
    source = _actor.get()
    user = getattr(source, "user", source)  # a request, or a user
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@contextlib.contextmanager
def acting_as(user_or_request) -> Iterator[None]:
    token = _actor.set(user_or_request)
    try:
        yield
    finally:
        _actor.reset(token)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Write no audit rows inside (erasure writes its own single row)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def _plain(value):
    """A JSON-friendly, bounded copy of a field value."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


def _fields(model: type[models.Model], tracked: Tracked) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and f.name not in tracked.skip
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _snapshot(instance: models.Model, tracked: Tracked) -> dict:
    return {f.name: _plain(getattr(instance, f.attname)) for f in _fields(type(instance), tracked)}


def _neighbourhood_id(instance: models.Model) -> int | None:
    if hasattr(instance, "neighbourhood_id"):
        return instance.neighbourhood_id
    path = getattr(type(instance), "neighbourhood_path", "")
    parts = path.split("__") if path else []
    target = instance
    try:
        for part in parts[:-1]:
            target = getattr(target, part)
    except models.ObjectDoesNotExist:
        return None
    return getattr(target, f"{parts[-1]}_id", None) if parts else None


def _person_id(instance: models.Model) -> int | None:
    if instance._meta.label == "residents.Person":
        return instance.pk
    return getattr(instance, "person_id", None)


def _write(instance: models.Model, action: str, changes: dict, tracked: Tracked) -> None:
    if not tracked.keep_values:
        changes = dict.fromkeys(changes)
    AuditEntry.objects.create(
        neighbourhood_id=_neighbourhood_id(instance),
        actor=current_actor(),
        action=action,
        model_label=instance._meta.label,
        object_id=str(instance.pk),
        person_id=_person_id(instance),
        changes=changes,
    )


def record(
    action: str,
    instance: models.Model,
    changes: dict | None = None,
    *,
    by=None,
    note: str = "",
) -> AuditEntry:
    """One explicit entry for an action that writes many rows at once (a merge, a group of
    ties): the caller runs the writes inside :func:`suppressed` and records them here once."""
    return AuditEntry.objects.create(
        neighbourhood_id=_neighbourhood_id(instance),
        actor=by if by is not None else current_actor(),
        action=action,
        model_label=instance._meta.label,
        object_id=str(instance.pk),
        person_id=_person_id(instance),
        changes=changes or {},
        note=note,
    )


def _before_save(sender, instance, raw=False, **kwargs) -> None:
    if raw or _suppressed.get() or instance.pk is None:
        instance._audit_before = None
        return
    tracked = TRACKED[sender._meta.label]
    names = [f.attname for f in _fields(sender, tracked)]
    row = sender._default_manager.filter(pk=instance.pk).values(*names).first()
    if row is None:
        instance._audit_before = None
        return
    by_attname = {f.attname: f.name for f in _fields(sender, tracked)}
    instance._audit_before = {by_attname[k]: _plain(v) for k, v in row.items()}


def _after_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or _suppressed.get():
        return
    tracked = TRACKED[sender._meta.label]
    now = _snapshot(instance, tracked)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        changes = {k: [None, v] for k, v in now.items() if v not in (None, "", [], {})}
        _write(instance, Action.CREATE, changes, tracked)
        return
    changes = {k: [before.get(k), v] for k, v in now.items() if before.get(k) != v}
    instance._audit_before = now
    if changes:
        _write(instance, Action.UPDATE, changes, tracked)


def _after_delete(sender, instance, origin=None, **kwargs) -> None:
    if _suppressed.get():
        return
    if origin is not None and _is_neighbourhood(origin):
        return  # the whole neighbourhood goes, its trail with it
    tracked = TRACKED[sender._meta.label]
    before = _snapshot(instance, tracked)
    changes = {k: [v, None] for k, v in before.items() if v not in (None, "", [], {})}
    _write(instance, Action.DELETE, changes, tracked)


def _is_neighbourhood(origin) -> bool:
    model = getattr(origin, "model", None) or type(origin)
    return model._meta.label == "neighbourhoods.Neighbourhood"


def tracked_models() -> list[type[models.Model]]:
    found = []
    for label in TRACKED:
        try:
            found.append(apps.get_model(label))
        except LookupError:
            continue
    return found


def connect() -> None:
    for model in tracked_models():
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")

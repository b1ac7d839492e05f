"""The access log: who exported, downloaded or looked at whose data, and how much.

One function writes it, :func:`record`; every export, report download, person-page view by
a builder or coordinator outside their own records, merge and erasure calls it. An entry
holds who (the user and their role then), what (a fixed description such as "people, Excel
(NL)"), when and how many records; the people it included only as ids, so that a resident
can see who downloaded data that included them. Nothing else about them is kept.

Kept ``ACCESS_LOG_DAYS`` days (:func:`prune`, ``manage.py prune_access_log``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from neighbourhoods.models import Membership, Neighbourhood, Role

from .models import AccessAction, AccessEntry, AccessSubject

STAFF = "staff"
ORGANISATION_ADMIN = "organisation admin"
COMMAND_LINE = "command line"
SELF = "self"  # the resident about whom it is (erasing their own data)

__all__ = [
    "AccessAction",
    "forget_person",
    "move_person",
    "prune",
    "record",
    "role_label",
    "role_of",
]


def role_label(role: str) -> str:
    """A role as people read it ("coordinator", "staff", "the resident themself")."""
    from django.utils.translation import gettext as _

    labels = {
        **dict(Role.choices),
        STAFF: _("staff"),
        ORGANISATION_ADMIN: _("organisation admin"),
        COMMAND_LINE: _("command line"),
        SELF: _("the resident themself"),
    }
    return str(labels.get(role, role))


def role_of(actor, neighbourhood: Neighbourhood | None) -> str:
    """The actor's role in the neighbourhood when it happened (a Role value, or staff)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return COMMAND_LINE
    if neighbourhood is not None:
        role = (
            Membership.objects.filter(user=actor, neighbourhood=neighbourhood)
            .values_list("role", flat=True)
            .first()
        )
        if role:
            return role
    if actor.is_staff:
        return STAFF
    return ORGANISATION_ADMIN


def record(
    actor,
    action: str,
    neighbourhood: Neighbourhood | None,
    count: int,
    *,
    subjects: Iterable[int] = (),
    what: str = "",
    role: str = "",
    operator_id: int | None = None,
) -> AccessEntry:
    """Log one access. ``subjects``: ids of the people whose data it included (never names);
    ``what``: a fixed description of the export or report, never user text."""
    if action not in AccessAction.values:
        raise ValueError(f"unknown access action {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        entry = AccessEntry.objects.create(
            neighbourhood=neighbourhood,
            operator_id=operator_id,
            actor=user,
            role=role or role_of(user, neighbourhood),
            action=action,
            what=str(what)[:100],
            count=max(0, int(count)),
        )
        ids = sorted({int(pk) for pk in subjects})
        AccessSubject.objects.bulk_create(
            [AccessSubject(entry=entry, person_id=pk) for pk in ids], batch_size=1000
        )
    return entry


def forget_person(person_id: int) -> None:
    """Erasure: the person's id leaves every entry (the entries and counts stay)."""
    AccessSubject.objects.filter(person_id=person_id).delete()


def move_person(drop_id: int, keep_id: int) -> None:
    """A merge: the dropped person's mentions become the kept person's (once per entry)."""
    both = AccessSubject.objects.filter(person_id=keep_id).values("entry_id")
    AccessSubject.objects.filter(person_id=drop_id, entry_id__in=both).delete()
    AccessSubject.objects.filter(person_id=drop_id).update(person_id=keep_id)


def prune(now: datetime.datetime | None = None) -> int:
    """Delete entries older than ACCESS_LOG_DAYS; returns how many went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ACCESS_LOG_DAYS)
    deleted, _by_model = AccessEntry.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def on_person_viewed(sender, person, user, role: str, **kwargs) -> None:
    """A builder or coordinator opened a person's page outside their own records."""
    record(user, AccessAction.PERSON_VIEW, person.neighbourhood, 1, subjects=[person.pk], role=role)


def on_people_merged(sender, keep, drop_id: int, user, role: str = "", **kwargs) -> None:
    """Two people became one: log the merge (both ids) and move the mentions."""
    move_person(drop_id, keep.pk)
    record(user, AccessAction.MERGE, keep.neighbourhood, 2, subjects=[keep.pk], role=role)


def on_job_file_downloaded(
    sender,
    job,
    user,
    neighbourhood,
    what: str,
    records: int,
    role: str = "",
    operator_id: int | None = None,
    **kwargs,
) -> None:
    """A job's file (a report PDF) was downloaded: logged as a report download."""
    record(
        user,
        AccessAction.REPORT,
        neighbourhood,
        records,
        what=what,
        role=role,
        operator_id=operator_id,
    )

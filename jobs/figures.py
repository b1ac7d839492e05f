"""Heavy figures, computed by a task when a neighbourhood's data changes, read from a table.

A feature registers what it computes, once, by name::

    @figures.register("network.suggestions")
    def suggestion_rows(neighbourhood) -> dict: ...   # JSON-able, nothing per viewer

Every change of a neighbourhood's tracked data raises its ``data_version``
(``neighbourhoods.freshness.touch``); after that transaction commits, :func:`schedule` queues
:func:`refresh` on the task queue (``jobs.queue``: django-tasks-db by default, at once under
tests), which recomputes every registered figure whose stored version is older. Pages call
:func:`read`: one query for all the figures they show. What they get is never older than the
last change plus one run of the task; while a newer run is waiting, ``Stored.fresh`` is
False and the page says from when its figures are (``templates/includes/figures_time.html``).
Only a figure that was never computed at all (a new neighbourhood's first visit) is computed
in the request, once.

Payloads hold ids and numbers, not words or names: the page turns them into words in the
viewer's language and asks ``residents.disclosure`` what this viewer may see.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from neighbourhoods import freshness
from neighbourhoods.models import Neighbourhood

from . import queue
from .models import Figure

log = logging.getLogger(__name__)

Compute = Callable[[Neighbourhood], Any]
REGISTRY: dict[str, Compute] = {}


def register(name: str) -> Callable[[Compute], Compute]:
    def decorator(compute: Compute) -> Compute:
        REGISTRY[name] = compute
        return compute

    return decorator


@dataclass(frozen=True)
class Stored:
    payload: Any
    computed_at: datetime.datetime
    fresh: bool

    @property
    def as_of(self) -> datetime.datetime | None:
        """When the figures are from, if newer data is still being computed; else None."""
        return None if self.fresh else self.computed_at


def _save(neighbourhood: Neighbourhood, name: str, version: int, payload: Any) -> Figure:
    """Store unless a newer version is stored already (two workers may race)."""
    now = timezone.now()
    updated = Figure.objects.filter(
        neighbourhood=neighbourhood, name=name, data_version__lte=version
    ).update(data_version=version, computed_at=now, payload=payload)
    if not updated:
        try:
            with transaction.atomic():
                Figure.objects.create(
                    neighbourhood=neighbourhood,
                    name=name,
                    data_version=version,
                    computed_at=now,
                    payload=payload,
                )
        except IntegrityError:  # stored meanwhile, newer: keep that one
            pass
    return Figure(
        neighbourhood=neighbourhood,
        name=name,
        data_version=version,
        computed_at=now,
        payload=payload,
    )


def compute(neighbourhood: Neighbourhood, name: str) -> Figure:
    """Compute one figure from the data as it is now and store it."""
    version = (
        Neighbourhood.objects.filter(pk=neighbourhood.pk)
        .values_list("data_version", flat=True)
        .get()
    )
    return _save(neighbourhood, name, version, REGISTRY[name](neighbourhood))


def _current(row: Figure, neighbourhood: Neighbourhood, today: datetime.date) -> bool:
    """Computed from the neighbourhood's data as it is, and today (figures "as of today",
    such as this month's counts, move on at midnight even when nothing changed)."""
    return (
        row.data_version >= neighbourhood.data_version
        and timezone.localdate(row.computed_at) >= today
    )


def read(neighbourhood: Neighbourhood, *names: str) -> dict[str, Stored]:
    """The stored figures (one query); a figure never computed is computed now. A figure
    from before today whose data has not changed since is shown as it is, with its time,
    while a refresh is queued (once per neighbourhood and day)."""
    rows = {
        row.name: row
        for row in Figure.objects.filter(neighbourhood=neighbourhood, name__in=names).only(
            "name", "data_version", "computed_at", "payload"
        )
    }
    today = timezone.localdate()
    found = {}
    for name in names:
        row = rows.get(name) or compute(neighbourhood, name)
        fresh = _current(row, neighbourhood, today)
        if not fresh and row.data_version >= neighbourhood.data_version:
            _queue_daily(neighbourhood.pk, today)
        found[name] = Stored(payload=row.payload, computed_at=row.computed_at, fresh=fresh)
    return found


def stamp(neighbourhood: Neighbourhood, name: str) -> str:
    """When the stored figure was computed, from which data version (a figure never computed
    is computed now, as :func:`read` would): part of the cache key of what is shown from it,
    so a cached panel changes when the job stores a newer figure, even without a change of
    the data. In a GET view every figure's stamp comes from one small query (the dashboard
    shows two stored figures)."""
    stamps = freshness.once(("figure-stamps", neighbourhood.pk), lambda: _stamps(neighbourhood))
    row = stamps.get(name)
    if row is None:
        computed = compute(neighbourhood, name)
        row = stamps[name] = (computed.computed_at, computed.data_version)
    return f"{row[0].isoformat()}:{row[1]}"


def _stamps(neighbourhood: Neighbourhood) -> dict[str, tuple[datetime.datetime, int]]:
    rows = Figure.objects.filter(neighbourhood=neighbourhood).order_by()
    return {
        name: (at, version)
        for name, at, version in rows.values_list("name", "computed_at", "data_version")
    }


def _queue_daily(neighbourhood_id: int, today: datetime.date) -> None:
    if cache.add(f"figures:daily:{neighbourhood_id}:{today.isoformat()}", True, 24 * 3600):
        schedule(neighbourhood_id)


@task()
def refresh(neighbourhood_id: int) -> int:
    """Recompute the neighbourhood's stale figures; returns how many were recomputed."""
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id).first()
    if neighbourhood is None:
        return 0
    stored = {
        row.name: row for row in Figure.objects.filter(neighbourhood=neighbourhood).defer("payload")
    }
    today = timezone.localdate()
    done = 0
    for name in REGISTRY:
        row = stored.get(name)
        if row is not None and _current(row, neighbourhood, today):
            continue
        try:
            compute(neighbourhood, name)
            done += 1
        except Exception:  # one broken figure must not keep the others stale
            log.exception("figure %s of neighbourhood %s failed", name, neighbourhood_id)
    return done


def schedule(neighbourhood_id: int) -> None:
    """After the current transaction commits, queue a refresh (see ``freshness.on_touch``)."""
    if REGISTRY:
        transaction.on_commit(lambda: queue.enqueue(refresh, neighbourhood_id))


freshness.on_touch(schedule)

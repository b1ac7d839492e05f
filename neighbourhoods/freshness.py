"""Cached results of a neighbourhood's busiest pages, and the number that makes them stale.

Lists and search are read far more often than their data changes. Their results are
rendered once and kept in the cache under a key that holds the neighbourhood's
``data_version``. Every save or delete of data those results show adds one to that number,
in the same transaction as the change, so the next request misses and renders afresh, on
every app server: the number lives in the database and arrives with the neighbourhood that
``access.require`` loads anyway, so checking it costs no query. The cache itself may be
per process (the default); keys that no longer match are simply never read again.

- Models whose rows cached results show register once with :func:`track` (in their app's
  ``ready``); saves, deletes and many-to-many changes then call :func:`touch`.
- Code that writes such rows without signals (``bulk_create``, ``QuerySet.update``) calls
  :func:`touch` itself.
- Code that writes many rows in one transaction (import, erasure, deleting a person with
  their gifts) runs inside :func:`batch`: one touch at its end instead of one per row. The
  touch locks the neighbourhood's row until the transaction commits, so taking it last keeps
  other writers of the neighbourhood from waiting on a long import, and keeps the lock order
  the same as every other writer's (rows first, the neighbourhood last).
- Views keep a rendered partial with :func:`partial`, other results with :func:`value`.
- The builders' own work (draft conversations and their items, follow-ups) has a number of
  its own, ``work_version``, moved by ``touch(…, data=False)`` and by every :func:`touch`: a
  draft saves itself every few seconds while a builder types, and that should not make every
  list of the neighbourhood stale nor queue its figure jobs. The builders' dashboard panels,
  the conversation list and reflections read it. A finished conversation is data.

A cached entry is per viewer kind: per role for builders and coordinators (who see every
field), per user for residents (who also see their own hidden fields), and per language.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from neighbourhoods.http import NeighbourhoodRequest

from .locks import KeyedLocks, Turn
from .models import Neighbourhood

if TYPE_CHECKING:
    from .models import Membership

SECONDS = 300  # an upper bound only: a change makes entries stale at once

# Inside ``batch``: the neighbourhoods touched so far (signals add to it instead of touching).
_batched: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "freshness_batched", default=None
)


# Called with the neighbourhood's id after every touch (``jobs.figures`` queues the
# recomputation of precomputed figures there): a registry, so this app imports no other.
_listeners: list[Callable[[int], None]] = []


def on_touch(listener: Callable[[int], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def touch(neighbourhood_id: int | None, *, data: bool = True) -> None:
    """Everything cached for this neighbourhood is stale from now on (one UPDATE).

    ``data=False``: only what shows the builders' own work (drafts, follow-ups); inside a
    :func:`batch` that too waits for the batch's one touch of both at its end."""
    if neighbourhood_id is None:
        return
    pending = _batched.get()
    if pending is not None:
        pending.add(neighbourhood_id)
        return
    versions = {"work_version": models.F("work_version") + 1}
    if data:
        versions["data_version"] = models.F("data_version") + 1
    Neighbourhood.objects.filter(pk=neighbourhood_id).update(**versions)
    if data:
        for listener in _listeners:
            listener(neighbourhood_id)


@contextlib.contextmanager
def batch(neighbourhood_id: int) -> Iterator[None]:
    """Many writes to one neighbourhood: no touch per row, one for all at the end.

    Signals of tracked models do nothing inside (not even finding the row's neighbourhood);
    the neighbourhood given, and any other touched explicitly, are touched once on leaving.
    """
    if (outer := _batched.get()) is not None:  # nested: the outer batch touches
        outer.add(neighbourhood_id)
        yield
        return
    pending: set[int] = {neighbourhood_id}
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    for pk in sorted(pending):
        touch(pk)


def neighbourhood_id_of(instance: models.Model) -> int | None:
    """Follow the model's ``neighbourhood_path`` (e.g. ``person__neighbourhood``)."""
    *hops, _last = getattr(type(instance), "neighbourhood_path", "neighbourhood").split("__")
    target = instance
    try:
        for hop in hops:
            target = getattr(target, hop)
    except ObjectDoesNotExist:  # the parent went first; its own delete touched already
        return None
    return getattr(target, "neighbourhood_id", None)


def _on_save_or_delete(work: bool | Callable[[models.Model], bool]):
    def handler(sender, instance, **kwargs) -> None:
        if _batched.get() is None:
            is_work = work(instance) if callable(work) else work
            touch(neighbourhood_id_of(instance), data=not is_work)

    return handler


def _on_m2m(sender, instance, action: str, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and _batched.get() is None:
        touch(neighbourhood_id_of(instance))


def track(
    model: type[models.Model],
    *,
    m2m: tuple[str, ...] = (),
    work: bool | Callable[[models.Model], bool] = False,
) -> None:
    """Saves and deletes of ``model`` (and changes of its ``m2m`` fields) make caches stale;
    ``work=True``: only what shows the builders' own work (``touch(…, data=False)``); a function:
    work for the rows it says so of (a draft), data for the others (a finished one)."""
    label = model._meta.label_lower
    handler = _on_save_or_delete(work)
    # weak=False: the handler is made here, and nothing else holds it
    post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"freshness-save-{label}")
    post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"freshness-delete-{label}")
    for name in m2m:
        field = model._meta.get_field(name)
        assert isinstance(field, models.ManyToManyField), f"{label}.{name} is not many-to-many"
        through = field.remote_field.through
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"freshness-{label}-{name}")


# Saving a user with only these fields (a login, a rehashed password) changes nothing shown.
_UNSHOWN_USER_FIELDS = frozenset({"last_login", "password"})


def _on_user_save(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    if created or (update_fields is not None and set(update_fields) <= _UNSHOWN_USER_FIELDS):
        return
    # kept lists show builders' and authors' names in every neighbourhood the user is in
    for neighbourhood_id in instance.memberships.values_list("neighbourhood_id", flat=True):
        touch(neighbourhood_id)


def track_users(user_model: type[models.Model]) -> None:
    """A user's new name shows at once in every neighbourhood they are a member of (kept
    lists show builders' names), not only once the kept entries run out."""
    post_save.connect(_on_user_save, sender=user_model, dispatch_uid="freshness-users")


# While a GET view runs (``access.require``): the data version its neighbourhood arrived
# with, so that :func:`version` needs no query of its own, as :func:`value` needs none.
_read_with_request: contextvars.ContextVar[tuple[int, int] | None] = contextvars.ContextVar(
    "freshness_read_with_request", default=None
)


@contextlib.contextmanager
def reading(request: NeighbourhoodRequest) -> Iterator[None]:
    """Around a view: in a GET (which changes no data), :func:`version` of the request's
    neighbourhood is the one it was loaded with at the start of the request."""
    if request.method not in ("GET", "HEAD"):
        yield
        return
    neighbourhood = request.neighbourhood
    token = _read_with_request.set((neighbourhood.pk, neighbourhood.data_version))
    memo = _once_per_request.set({})
    try:
        yield
    finally:
        _once_per_request.reset(memo)
        _read_with_request.reset(token)


# While a GET view runs: what :func:`once` read already in this request.
_once_per_request: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "freshness_once_per_request", default=None
)


def once[T](name: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` at most once per GET request (within :func:`reading`), for a small read
    several parts of one page need (the stored figures' stamps); outside one, every time."""
    memo = _once_per_request.get()
    if memo is None:
        return compute()
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def version(neighbourhood: Neighbourhood) -> str:
    """The neighbourhood's data version as it is in the database now (one small query), for
    caches outside a request (figures, suggestions) whose neighbourhood object may be older
    than the last change; in a GET view, the version its neighbourhood was loaded with (no
    query: three a network page). Its creation time keeps a recreated database from old
    entries."""
    read = _read_with_request.get()
    current: int | None
    if read is not None and read[0] == neighbourhood.pk:
        current = read[1]
    else:
        current = (
            Neighbourhood.objects.filter(pk=neighbourhood.pk)
            .values_list("data_version", flat=True)
            .first()
        )
    created = neighbourhood.created_at.timestamp() if neighbourhood.created_at else 0
    return f"{neighbourhood.pk}:{created:.0f}:{current}"


def kept[T](
    neighbourhood: Neighbourhood,
    viewer_membership: Membership | None,
    name: str,
    compute: Callable[[], T],
) -> T:
    """``compute()``, kept under the neighbourhood's data version as it is in the database
    now, the viewer kind (None: the same for every viewer) and the language: for code that
    has no request (one small query for the version)."""
    who = viewer(viewer_membership) if viewer_membership is not None else "anyone"
    named = hashlib.blake2b(name.encode(), digest_size=12).hexdigest()  # may hold typed words
    return _remembered(
        ":".join(("kept", named, version(neighbourhood), who, get_language() or "")), compute
    )


# Keys being computed in this process now: a second thread that misses the same key waits
# for the first instead of computing it too (``locks``).
_computing = KeyedLocks()
WAIT_SECONDS = 10  # then compute anyway: never a deadlock, at worst the work done twice


def _remembered[T](cache_key: str, compute: Callable[[], T]) -> T:
    found = cache.get(cache_key)
    if found is not None:
        return found
    with _computing.hold(cache_key, WAIT_SECONDS) as turn:
        if turn is Turn.WAITED:  # read what the other thread kept
            found = cache.get(cache_key)
        if found is None:
            found = compute()
            cache.set(cache_key, found, SECONDS)
    return found


def viewer(membership: Membership) -> str:
    if membership.is_builder:
        return membership.role
    return f"user-{membership.user_id}"


def key(request: NeighbourhoodRequest, name: str, *, per_query: bool = True) -> str:
    """The cache key of ``name`` for this request: the neighbourhood (id, slug, as links name
    it, and creation time, so a restored or recreated database never meets old entries), its
    data version, viewer, language and (unless ``per_query`` is off) the query string."""
    neighbourhood = request.neighbourhood
    query = request.GET.urlencode() if per_query else ""
    query = hashlib.blake2b(query.encode(), digest_size=12).hexdigest()
    created = neighbourhood.created_at.timestamp() if neighbourhood.created_at else 0
    return ":".join(
        (
            "fragment",
            name,
            str(neighbourhood.pk),
            neighbourhood.slug,
            f"{created:.6f}",
            str(neighbourhood.data_version),
            viewer(request.membership),
            get_language() or "",
            query,
        )
    )


def value[T](
    request: NeighbourhoodRequest, name: str, compute: Callable[[], T], *, per_query: bool = True
) -> T:
    """``compute()``, or what it gave for the same version, viewer, language and query.

    Only for GET: a POST may have changed the data after the version was read.
    """
    if request.method != "GET":
        return compute()
    return _remembered(key(request, name, per_query=per_query), compute)


# Stands in for the CSRF token in kept HTML (see :func:`partial`). No stored text can
# hold NUL (PostgreSQL refuses it, and so do the forms and ``RefuseNulMiddleware``), so
# nothing anyone wrote can turn into a token.
CSRF_MARK = "\x00csrf-token\x00"


def _scoped(
    request: NeighbourhoodRequest,
    name: str,
    *,
    per_user: bool = False,
    per_day: bool = False,
    work: bool = False,
) -> str:
    """``name`` for what shows more than the data and the viewer kind: ``per_user`` what
    is the viewer's own (their drafts, what they may remove), ``per_day`` what counts up
    to today, ``work`` the builders' own work (drafts and their items, follow-ups)."""
    if per_user:
        name += f":user-{request.user.pk}"
    if per_day:
        name += f":{timezone.localdate().isoformat()}"
    if work:
        name += f":work-{request.neighbourhood.work_version}"
    return name


@dataclass(frozen=True)
class Part:
    """What :func:`partial` keeps: ``template`` (a partial: ``"places/list.html#results"``)
    rendered with ``context()`` (None: nothing), under ``name`` and the scopes of
    :func:`_scoped` (and the query string unless ``per_query`` is off)."""

    name: str
    template: str
    context: Callable[[], dict | None]
    per_query: bool = True
    per_user: bool = False
    per_day: bool = False
    work: bool = False


def partial(
    request: NeighbourhoodRequest,
    name: str,
    template: str,
    context: Callable[[], dict | None],
    *,
    per_query: bool = True,
    per_user: bool = False,
    per_day: bool = False,
    work: bool = False,
) -> SafeString:
    """``template`` rendered with ``context()``, kept like :func:`value`: on a hit neither
    the context's queries nor the rendering run. Only for what shows tracked data; see
    :func:`_scoped` for the rest.

    A form's CSRF token is rendered as :data:`CSRF_MARK`, never the first viewer's own, and
    each answer gets this request's own token in its place."""
    part = Part(name, template, context, per_query, per_user, per_day, work)
    return partials(request, [part])[0]


def partials(request: NeighbourhoodRequest, parts: list[Part]) -> list[SafeString]:
    """Several :func:`partial` at once, with one round trip to the cache for those kept
    (the dashboard's kept panels: one read of a shared cache instead of one each)."""

    def renderer(part: Part) -> Callable[[], str]:
        def render() -> str:
            shown = part.context()
            if shown is None:
                return ""
            return render_to_string(part.template, {**shown, "csrf_token": CSRF_MARK}, request)

        return render

    def scoped(part: Part) -> str:
        return _scoped(
            request, part.name, per_user=part.per_user, per_day=part.per_day, work=part.work
        )

    if request.method != "GET":  # as :func:`value`: a POST may have changed the data
        found: list[str] = [renderer(part)() for part in parts]
    else:
        keys = [key(request, scoped(part), per_query=part.per_query) for part in parts]
        kept = cache.get_many(keys) if len(keys) > 1 else {}
        found = [
            kept[cache_key] if cache_key in kept else _remembered(cache_key, renderer(part))
            for part, cache_key in zip(parts, keys, strict=True)
        ]
    token = get_token(request) if any(CSRF_MARK in html for html in found) else ""
    return [mark_safe(html.replace(CSRF_MARK, token) if token else html) for html in found]

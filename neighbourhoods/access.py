"""Who may see what: the only module that decides access to a neighbourhood.

Every view under ``/n/<slug>/`` is wrapped in :func:`require`. Objects are fetched with
:func:`get_in_neighbourhood`, so an id from another neighbourhood is a 404, never a leak.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from neighbourhoods import freshness
from neighbourhoods.http import NeighbourhoodRequest

from .models import Membership, Neighbourhood, NeighbourhoodQuerySet, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User
    from django.db import models

View = Callable[..., HttpResponseBase]


# Every page loads its neighbourhood; the boundary (tens of kB of GeoJSON) is read only by
# the few pages that draw or check it, with one extra query when they touch it.
LIGHT = ("boundary",)


def membership_for(user: User | AnonymousUser, neighbourhood: Neighbourhood) -> Membership | None:
    """The user's membership; staff are coordinators everywhere (an unsaved membership)."""
    if not user.is_authenticated or not user.is_active:
        return None
    membership = (
        Membership.objects.filter(user=user, neighbourhood=neighbourhood).order_by().first()
    )
    if membership is not None:
        membership.user, membership.neighbourhood = user, neighbourhood
    if user.is_staff and (membership is None or membership.role != Role.COORDINATOR):
        return Membership(user=user, neighbourhood=neighbourhood, role=Role.COORDINATOR)
    return membership


@functools.cache
def _light_membership_fields() -> tuple[str, ...]:
    """The membership's fields and its neighbourhood's but the ``LIGHT`` ones, named for
    ``only()``: the same columns as ``defer`` names, but ``defer`` across a relation to a
    model with many reverse relations costs about a millisecond to compile on every request
    (measured: 1.45 ms against 0.42 ms), and every neighbourhood page starts with this query."""
    own = [field.name for field in Membership._meta.concrete_fields]
    theirs = [
        f"neighbourhood__{field.name}"
        for field in Neighbourhood._meta.concrete_fields
        if field.name not in LIGHT
    ]
    return (*own, *theirs)


def membership_or_404(request: HttpRequest, slug: str) -> Membership:
    """The caller's role in this neighbourhood; 404 when they have none (no existence leak).

    One query for a member: the membership with its neighbourhood (without the boundary).
    """
    user = request.user
    membership = None
    if user.is_authenticated and user.is_active:
        membership = (
            Membership.objects.filter(user=user, neighbourhood__slug=slug)
            .select_related("neighbourhood")
            .only(*_light_membership_fields())
            .order_by()
            .first()
        )
    if membership is not None and user.is_authenticated:  # found for a signed-in user only
        membership.user = user
        if not user.is_staff or membership.role == Role.COORDINATOR:
            return membership
    if not getattr(user, "is_staff", False) or not user.is_active or not user.is_authenticated:
        raise Http404("No such neighbourhood.")  # (staff are signed in; AnonymousUser is not)
    neighbourhood = get_object_or_404(Neighbourhood.objects.defer(*LIGHT), slug=slug)
    return Membership(user=user, neighbourhood=neighbourhood, role=Role.COORDINATOR)


def require(role: Role) -> Callable[[View], View]:
    """View decorator: login, membership of ``slug`` (else 404), at least ``role`` (else 403).

    Sets ``request.membership`` and ``request.neighbourhood`` for the view.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: NeighbourhoodRequest, slug: str, *args, **kwargs) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_or_404(request, slug)
            if not membership.at_least(role):
                raise PermissionDenied
            request.membership = membership
            request.neighbourhood = membership.neighbourhood
            with freshness.reading(request):
                return view(request, slug, *args, **kwargs)

        # A function attribute, read by the URL-walk test and the docs.
        wrapped.required_role = role  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_in_neighbourhood[M: models.Model](
    queryset: NeighbourhoodQuerySet[M] | type[M], neighbourhood: Neighbourhood, **lookup
) -> M:
    """One object of this neighbourhood, or 404 (also for ids of other neighbourhoods).

    ``queryset`` is a model whose ``objects`` is a :class:`NeighbourhoodQuerySet` manager,
    or such a queryset.
    """
    if isinstance(queryset, type):
        # django-stubs give ``objects`` to concrete models only, not to a type variable.
        manager = queryset.objects  # type: ignore[attr-defined]
        queryset = cast("NeighbourhoodQuerySet[M]", manager.all())
    return get_object_or_404(queryset.in_neighbourhood(neighbourhood), **lookup)

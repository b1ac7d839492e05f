"""Panels on other apps' pages (registered in MeConfig.ready): the person page and dashboard."""

from __future__ import annotations

from django.http import HttpRequest

from residents.models import Person


def person_panel(request: HttpRequest, person=None, **kwargs) -> dict | None:
    """Builders: claim status and the invite; coordinators also history and erasure."""
    membership = getattr(request, "membership", None)
    if person is None or membership is None or not membership.is_builder:
        return None
    return {
        "subject": person,
        "claimed": person.user_id is not None,
        "is_coordinator": membership.is_coordinator,
    }


def dashboard_panel(request: HttpRequest, **kwargs) -> dict | None:
    """A link to the caller's own profile here; for coordinators, the retention review."""

    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    has_profile = Person.objects.filter(
        neighbourhood=membership.neighbourhood, user_id=membership.user_id
    ).exists()
    if not has_profile and not membership.is_coordinator:
        return None
    return {"has_profile": has_profile, "is_coordinator": membership.is_coordinator}

"""Follow the energy: suggested pairs, turned into introductions or dismissed.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conversations.services import propose_introduction
from neighbourhoods.access import require
from neighbourhoods.http import (
    NeighbourhoodRequest,
    next_url,
    render_page,
)
from neighbourhoods.models import Role
from residents import disclosure

from .. import suggestions as sug
from ..forms import (
    SuggestionForm,
)
from ..models import (
    Dismissal,
    ordered_pair,
)


@require(Role.BUILDER)
@require_GET
def suggestion_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    suggestions, stored = sug.read_for_neighbourhood(
        request.neighbourhood, limit=sug.STORED, viewer=request.membership
    )
    context = {"suggestions": suggestions, "as_of": stored.as_of}
    return render_page(request, "network/suggestions.html", context)


def _suggestion_error(request: NeighbourhoodRequest, form: SuggestionForm) -> HttpResponse:
    context = {
        "suggestions": sug.for_neighbourhood(
            request.neighbourhood, limit=sug.STORED, viewer=request.membership
        ),
        "error": " ".join(str(e) for e in form.non_field_errors() or form.errors.values()),
    }
    return render_page(request, "network/suggestions.html", context, status=422)


@require(Role.BUILDER)
@require_POST
def suggestion_introduce(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Turn a suggestion into a proposed introduction (conversations' open introductions)."""
    form = SuggestionForm(request.POST, neighbourhood=request.neighbourhood)
    if not form.is_valid():
        return _suggestion_error(request, form)
    assert form.people is not None  # a valid form found both
    person, other = form.people

    names = {p.pk: disclosure.name_of(p, request.membership) for p in (person, other)}
    reasons = sug.reasons_for(person, other, list(person.gifts.all()), list(other.gifts.all()))
    reason = form.cleaned_data["reason"] or "; ".join(sug.in_words(r, names) for r in reasons)
    propose_introduction(person, to_person=other, reason=reason[:300], by=request.user)
    messages.success(
        request,
        _(
            "Introduction proposed: %(person)s should meet %(other)s. It is on the list of "
            "introductions to make."
        )
        % {"person": person.name, "other": other.name},
    )
    return _after_suggestion(request, slug)


@require(Role.BUILDER)
@require_POST
def suggestion_dismiss(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = SuggestionForm(request.POST, neighbourhood=request.neighbourhood)
    if not form.is_valid():
        return _suggestion_error(request, form)
    assert form.people is not None  # a valid form found both
    person, other = form.people
    low, high = ordered_pair(person.pk, other.pk)
    Dismissal.objects.get_or_create(
        neighbourhood=request.neighbourhood,
        person_id=low,
        other_person_id=high,
        defaults={"dismissed_by": request.user},
    )
    messages.success(
        request,
        _("%(person)s and %(other)s will not be suggested again.")
        % {"person": person.name, "other": other.name},
    )
    return _after_suggestion(request, slug)


def _after_suggestion(request: HttpRequest, slug: str) -> HttpResponse:
    return redirect(next_url(request, reverse("network:suggestions", args=[slug])))

"""Merging duplicates: builders propose, coordinators merge (or decline). See ``me.merge``."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.fields import is_id
from neighbourhoods.http import NeighbourhoodRequest, render_page
from neighbourhoods.models import Role
from residents import disclosure, matching
from residents.disclosure import VisiblePerson
from residents.models import Person

from .merge import MergeRefused, merge_people
from .models import MergeProposal


def _people(request: NeighbourhoodRequest):
    return Person.objects.in_neighbourhood(request.neighbourhood).visible_to(request.membership)


def _with_counts(request: NeighbourhoodRequest, pks: list[int]) -> list[VisiblePerson]:
    """The people as the viewer may see them, with how much hangs from each record."""
    rows = (
        _people(request)
        .filter(pk__in=pks)
        .annotate(
            gift_count=Count("gifts", distinct=True),
            conversation_count=Count("conversations", distinct=True),
            tie_count=Count("connections_out", distinct=True)
            + Count("connections_in", distinct=True),
        )
        .in_bulk()
    )
    shown = []
    for pk in pks:
        if pk in rows:
            person = disclosure.see_person(rows[pk], request.membership)
            person.gift_count = rows[pk].gift_count  # type: ignore[attr-defined]
            person.conversation_count = rows[pk].conversation_count  # type: ignore[attr-defined]
            person.tie_count = rows[pk].tie_count  # type: ignore[attr-defined]
            shown.append(person)
    return shown


@require(Role.BUILDER)
def merge(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    """Find the other record, compare both, then merge (coordinators) or propose (builders)."""
    person = get_in_neighbourhood(_people(request), request.neighbourhood, pk=person_id)
    data = request.POST if request.method == "POST" else request.GET
    other_id = data.get("other", "")
    other = None
    if is_id(other_id) and int(other_id) != person.pk:
        other = get_in_neighbourhood(_people(request), request.neighbourhood, pk=other_id)
    name = " ".join(request.GET.get("name", person.name).split())[:120]
    street = " ".join(request.GET.get("street", person.street).split())[:120]
    error = ""
    if request.method == "POST" and other is not None:
        keep, drop = (other, person) if data.get("keep") == str(other.pk) else (person, other)
        if request.membership.is_coordinator:
            try:
                report = merge_people(keep=keep, drop=drop, by=request.user)
            except MergeRefused as refused:
                error = refused.messages[0]
            else:
                messages.success(
                    request,
                    _("Merged: %(name)s is one record now (%(moved)s records moved).")
                    % {"name": keep.name, "moved": sum(report.moved.values())},
                )
                return redirect(keep)
        else:
            MergeProposal.objects.get_or_create(
                person=keep,
                other_person=drop,
                declined_at__isnull=True,
                defaults={"proposed_by": request.user},
            )
            messages.success(
                request,
                _("Proposed: a coordinator will look at merging %(other)s into %(name)s.")
                % {"name": keep.name, "other": drop.name},
            )
            return redirect(person)
    candidates = [
        match
        for match in matching.find(request.neighbourhood, request.membership, name, street)
        if match.person_pk != person.pk
    ]
    context = {
        "subject": disclosure.see_person(person, request.membership),
        "name": name,
        "street": street,
        "candidates": _with_counts(request, [m.person_pk for m in candidates]),
        # the record made first is offered to stay (ticked), the later one is the duplicate
        "pair": sorted(
            _with_counts(request, [person.pk, other.pk]) if other else [],
            key=lambda p: (p.created_at, p.pk),
        ),
        "other": other,
        "error": error,
    }
    return render_page(request, "me/merge.html", context, status=422 if error else 200)


@require(Role.COORDINATOR)
@require_GET
def merges(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Open proposals to merge, for coordinators to decide on."""
    proposals = (
        MergeProposal.objects.in_neighbourhood(request.neighbourhood)
        .filter(declined_at__isnull=True)
        .filter(Q(person__in=_people(request)) & Q(other_person__in=_people(request)))
        .select_related("person", "other_person", "proposed_by")
        .order_by("created_at", "pk")
    )
    rows = [
        (
            proposal,
            disclosure.see_person(proposal.person, request.membership),
            disclosure.see_person(proposal.other_person, request.membership),
            disclosure.user_name(proposal.proposed_by),
        )
        for proposal in proposals[:200]
    ]
    return render_page(request, "me/merges.html", {"rows": rows})


@require(Role.COORDINATOR)
@require_POST
def merge_decline(request: NeighbourhoodRequest, slug: str, proposal_id: int) -> HttpResponse:
    proposal = get_in_neighbourhood(
        MergeProposal.objects.all(), request.neighbourhood, pk=proposal_id
    )
    if proposal.declined_at is None:
        proposal.declined_at = timezone.now()
        proposal.declined_by = request.user
        proposal.save(update_fields=["declined_at", "declined_by"])
        messages.success(request, _("Declined: the two records stay apart."))
    return redirect("privacy:merges", slug)

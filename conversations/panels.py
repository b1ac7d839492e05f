"""Panels on the dashboard and on person pages (builders and coordinators only)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from neighbourhoods.dashboard import register_panel

from .models import Conversation, FollowUp, Introduction, IntroductionStatus, Status


@register_panel("conversations/_dashboard_panel.html", slot="dashboard", order=30)
def dashboard_panel(request, **kwargs) -> dict | None:
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_builder:
        return None
    nb = membership.neighbourhood
    today = timezone.localdate()
    conversations = Conversation.objects.in_neighbourhood(nb).aggregate(
        this_month=Count("pk", filter=Q(status=Status.FINISHED, held_on__gte=today.replace(day=1))),
        my_drafts=Count("pk", filter=Q(status=Status.DRAFT, builder=request.user)),
    )
    follow_ups = (
        FollowUp.objects.in_neighbourhood(nb)
        .open()
        .aggregate(
            open=Count("pk"),
            mine=Count("pk", filter=Q(assignee=request.user)),
            my_overdue=Count("pk", filter=Q(assignee=request.user, due_on__lt=today)),
        )
    )
    introductions = (
        Introduction.objects.in_neighbourhood(nb)
        .proposed()
        .aggregate(
            made=Count("pk", filter=Q(status=IntroductionStatus.INTRODUCED)),
            open=Count("pk", filter=Q(status=IntroductionStatus.OPEN)),
        )
    )
    return {
        "conversations": conversations,
        "follow_ups": follow_ups,
        "introductions": introductions,
    }


@register_panel("conversations/_person_panel.html", slot="person", order=30)
def person_panel(request, person=None, **kwargs) -> dict | None:
    """The person's conversations, newest first, with what came out of each."""
    membership = getattr(request, "membership", None)
    if person is None or membership is None or not membership.is_builder:
        return None
    conversations = (
        Conversation.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .filter(person=person)
        .select_related("builder")
        .prefetch_related(
            "draft_gifts",
            Prefetch("known_relations", queryset=_known()),
            Prefetch("introductions", queryset=_introductions()),
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("assignee")),
        )
        .order_by("-held_on", "-pk")
    )
    return {"person": person, "conversations": conversations}


def _known():
    from .models import KnownRelation

    return KnownRelation.objects.select_related("other_person", "organisation")


def _introductions():
    return Introduction.objects.select_related("to_person", "to_organisation")

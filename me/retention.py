"""The retention rule: people with no conversation, login or change for RETENTION_MONTHS.

A person's *last sign of life* is the latest of: the profile's last change, their login's
last sign-in, their latest conversation, and a coordinator's last "keep" decision.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from conversations.models import Conversation
from residents.models import ConsentRecord

from .models import RetentionKeep


def cutoff(months: int | None = None):
    months = settings.RETENTION_MONTHS if months is None else months
    return timezone.now() - timedelta(days=round(months * 30.44))


def _latest(queryset: QuerySet, field: str) -> Subquery:
    return Subquery(
        queryset.filter(person=OuterRef("pk")).order_by(f"-{field}").values(field)[:1],
        output_field=DateTimeField(),
    )


def with_last_activity(people: QuerySet) -> QuerySet:
    """Annotate ``last_activity`` (never NULL: falls back to the profile's last change)."""
    parts = [
        F("updated_at"),
        Coalesce(F("user__last_login"), F("updated_at")),
        Coalesce(_latest(RetentionKeep.objects.all(), "kept_at"), F("updated_at")),
    ]
    parts.append(Coalesce(_latest(Conversation.objects.all(), "updated_at"), F("updated_at")))
    return people.annotate(last_activity=Greatest(*parts, output_field=DateTimeField()))


def due_for_review(people: QuerySet, months: int | None = None) -> QuerySet:
    return (
        with_last_activity(people)
        .filter(last_activity__lt=cutoff(months))
        .order_by("last_activity", "pk")
    )


def consent_withdrawn(people: QuerySet) -> QuerySet:
    """People who withdrew every consent they gave, so nothing holds their data any more,
    unless a coordinator decided to keep it after the last withdrawal. Oldest first."""

    records = ConsentRecord.objects.filter(person=OuterRef("pk"))
    last_withdrawal = Subquery(
        records.values("person").annotate(last=Max("withdrawn_at")).values("last")[:1],
        output_field=DateTimeField(),
    )
    kept_since = RetentionKeep.objects.filter(
        person=OuterRef("pk"), kept_at__gt=OuterRef("withdrawn_on")
    )
    return (
        people.filter(Exists(records))
        .exclude(Exists(records.filter(withdrawn_at__isnull=True)))
        .annotate(withdrawn_on=last_withdrawal)
        .filter(~Q(Exists(kept_since)))
        .order_by("withdrawn_on", "pk")
    )

"""Who carries an initiative over time, what it did (activity log), and builders' reflections.

- :class:`InitiativeStart`: who started an initiative (residents' own idea, a builder who
  brought people together, or a professional's project).
- :class:`CarrierPeriod`: from a date on, the residents and/or organisations (professionals)
  who carry it. The next period ends the previous one; a period with nobody says nobody
  carries it any more. The rules of :mod:`ownership.rules` read these as plain dated data.
- :class:`Activity`: a meeting or activity on a date with the number of people present (no
  names) and a free note: evidence that it runs.
- :class:`Reflection`: a builder's short verdict on a conversation, an introduction or an
  initiative: strengthening, harmful or neutral, with a sentence why. Builders and
  coordinators only; never a score on residents.
"""

from __future__ import annotations

from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped

NOTE_LIMIT = 300
MAX_PRESENT = 5000


class StartedBy(models.TextChoices):
    RESIDENTS = "residents", _("residents' own idea")
    BUILDER = "builder", _("a community builder brought people together")
    PROFESSIONAL = "professional", _("a professional's project")


class InitiativeStart(models.Model):
    initiative = models.OneToOneField(
        "network.Initiative",
        on_delete=models.CASCADE,
        related_name="ownership_start",
        verbose_name=_("initiative"),
    )
    started_by = models.CharField(_("who started it"), max_length=20, choices=StartedBy.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose project"),
        help_text=_("For a professional's project: the organisation."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    neighbourhood_path = "initiative__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("start of an initiative")
        verbose_name_plural = _("starts of initiatives")

    def __str__(self) -> str:
        return f"{self.initiative} · {self.started_by}"


class CarrierPeriod(models.Model):
    """From ``since`` on (until the next period), these people and organisations carry it."""

    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.CASCADE,
        related_name="carrier_periods",
        verbose_name=_("initiative"),
    )
    since = models.DateField(_("from"))
    people = models.ManyToManyField(
        "residents.Person",
        blank=True,
        related_name="carried_initiatives",
        verbose_name=_("residents who carry it"),
    )
    organisations = models.ManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="carried_initiatives",
        verbose_name=_("organisations (professionals) who carry it"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "initiative__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["since", "pk"]
        verbose_name = _("who carries it")
        verbose_name_plural = _("who carries it")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "since"], name="one_carrier_period_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.since:%Y-%m-%d}"


class Activity(models.Model):
    """A meeting or activity: when, how many people were there (no names), a free note."""

    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("initiative"),
    )
    held_on = models.DateField(_("date"))
    present = models.PositiveIntegerField(_("people present"))
    note = models.CharField(_("note"), max_length=NOTE_LIMIT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "initiative__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["initiative", "held_on"])]

    def __str__(self) -> str:
        return f"{self.initiative} · {self.held_on:%Y-%m-%d}"


class ReflectionKind(models.TextChoices):
    STRENGTHENING = "strengthening", _("strengthening")
    HARMFUL = "harmful", _("harmful")
    NEUTRAL = "neutral", _("neutral")


class ReflectionQuerySet(NeighbourhoodQuerySet["Reflection"]):
    def visible_to(self, membership) -> Self:
        """Builders and coordinators see reflections; residents never do."""
        if membership is None or not membership.is_builder:
            return self.none()
        return self


class Reflection(NeighbourhoodScoped):
    """A builder's reflection on one conversation, introduction or initiative."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("community builder"),
    )
    kind = models.CharField(
        _("for the people involved, this was"), max_length=16, choices=ReflectionKind.choices
    )
    why = models.CharField(_("why, in a sentence"), max_length=NOTE_LIMIT)
    written_on = models.DateField(_("date"), default=timezone.localdate)
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reflections",
    )
    introduction = models.ForeignKey(
        "conversations.Introduction",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reflections",
    )
    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reflections",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["-written_on", "-pk"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    conversation__isnull=False, introduction__isnull=True, initiative__isnull=True
                )
                | Q(conversation__isnull=True, introduction__isnull=False, initiative__isnull=True)
                | Q(conversation__isnull=True, introduction__isnull=True, initiative__isnull=False),
                name="reflection_has_one_subject",
            )
        ]
        indexes = [models.Index(fields=["neighbourhood", "written_on"])]

    def __str__(self) -> str:
        # No names, no verdict and no sentence: this string may show up wherever a row links to it.
        return f"reflection {self.pk}"

    @property
    def subject(self):
        return self.conversation or self.introduction or self.initiative

"""Kitchen-table conversations: a draft a builder fills in any order, then finishes.

A draft holds its quick-add items as rows (draft gifts, known relations, introductions,
follow-ups); `conversations.services.finish` turns them into the person's gifts and
connections in one transaction. Who may see a draft is decided in
:meth:`ConversationQuerySet.visible_to`, nowhere else.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import (
    ChoiceLabels,
    NeighbourhoodQuerySet,
    NeighbourhoodScoped,
    Role,
)
from residents.models import GiftKind, normalise

# Longest text a builder may keep in one of the long fields (cares about, ideas, notes).
TEXT_LIMIT = 20_000
# Coordinators may open another builder's draft once it is this old (to rescue it).
DRAFT_RESCUE_AFTER = timedelta(days=14)


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINISHED = "finished", _("finished")


class ConversationQuerySet(NeighbourhoodQuerySet["Conversation"]):
    def finished(self) -> Self:
        return self.filter(status=Status.FINISHED)

    def drafts(self) -> Self:
        return self.filter(status=Status.DRAFT)

    def visible_to(self, membership) -> Self:
        """Finished conversations for builders; a draft only for its own builder, and for
        coordinators once it is older than 14 days. Residents see none."""
        if membership is None or not membership.is_builder:
            return self.none()
        rule = Q(status=Status.FINISHED) | Q(builder=membership.user)
        if membership.is_coordinator:
            rule |= Q(status=Status.DRAFT, started_at__lte=timezone.now() - DRAFT_RESCUE_AFTER)
        return self.filter(rule)


class Conversation(NeighbourhoodScoped):
    person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("with"),
    )
    builder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="conversations",
        verbose_name=_("community builder"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    place = models.CharField(
        _("where"),
        max_length=200,
        blank=True,
        help_text=_("For example: at their kitchen table, in the community centre."),
    )
    cares_about = models.TextField(
        _("what they care about"),
        blank=True,
        help_text=_("In their words: what they love, what worries them, what they would act on."),
    )
    ideas = models.TextField(
        _("ideas and dreams for the street"),
        blank=True,
        help_text=_("What they would like to see happen in the street or the neighbourhood."),
    )
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        help_text=_("Only community builders read these; never shown to residents."),
    )
    # The id a phone gave a conversation started offline: sent again, it is started once.
    client_token = models.CharField(_("client token"), max_length=40, blank=True, editable=False)

    started_with_new_person = models.BooleanField(
        _("started with a new person"),
        default=False,
        editable=False,
        help_text=_("The person was recorded when this draft started (discarding removes them)."),
    )
    # Optimistic concurrency: every saved change of the text fields adds one.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects: ClassVar = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["neighbourhood", "status", "held_on"]),
            models.Index(fields=["builder", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["builder", "client_token"],
                condition=~Q(client_token=""),
                name="one_conversation_per_client_token",
            )
        ]

    def __str__(self) -> str:
        # No names: this string may show up wherever a row links to the conversation.
        return f"conversation {self.pk} · {self.held_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.neighbourhood.slug, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def has_content(self) -> bool:
        """True when finishing would log something (text or any quick-add item)."""
        if any(value.strip() for value in (self.cares_about, self.ideas, self.private_notes)):
            return True
        return (
            self.draft_gifts.exists()
            or self.known_relations.exists()
            or self.introductions.exists()
            or self.follow_ups.exists()
        )


class ConversationItem(ChoiceLabels, models.Model):
    """Quick-add rows of a conversation. ``client_token`` makes a resent add harmless."""

    client_token = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "conversation__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["pk"]


class DraftGift(ConversationItem):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="draft_gifts",
        verbose_name=_("conversation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=GiftKind.choices)
    title = models.CharField(_("title"), max_length=120)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    share = models.BooleanField(_("would share or teach"), default=False)
    learn = models.BooleanField(_("wants to learn"), default=False)
    gift = models.ForeignKey(
        "residents.Gift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person's gift this became when the conversation was finished."),
    )

    class Meta(ConversationItem.Meta):
        verbose_name = _("gift discovered")
        verbose_name_plural = _("gifts discovered")

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return split_tags(self.tags)


def split_tags(text: str) -> list[str]:
    """ "Garden, cooking ,garden" → ["Garden", "cooking"] (no empties, no repeats)."""

    seen: set[str] = set()
    names = []
    for part in (text or "").split(","):
        name = " ".join(part.split())[:60]
        if name and normalise(name) not in seen:
            seen.add(normalise(name))
            names.append(name)
    return names


class KnownRelation(ConversationItem):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="known_relations",
        verbose_name=_("conversation"),
    )
    other_person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    connection = models.ForeignKey(
        "network.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(ConversationItem.Meta):
        verbose_name = _("known relation")
        verbose_name_plural = _("known relations")
        constraints = [
            models.CheckConstraint(
                condition=Q(other_person__isnull=False, organisation__isnull=True)
                | Q(other_person__isnull=True, organisation__isnull=False),
                name="known_relation_has_one_end",
            )
        ]

    def __str__(self) -> str:
        return str(self.target)

    @property
    def target(self):
        return self.other_person or self.organisation


class IntroductionStatus(models.TextChoices):
    OPEN = "open", _("open")
    INTRODUCED = "introduced", _("introduced")


class IntroductionQuerySet(NeighbourhoodQuerySet["Introduction"]):
    def proposed(self) -> Self:
        """Introductions that count: outside drafts (a draft's proposals are not yet real)."""
        return self.filter(Q(conversation__isnull=True) | Q(conversation__status=Status.FINISHED))

    def open(self) -> Self:
        return self.proposed().filter(status=IntroductionStatus.OPEN)


class Introduction(NeighbourhoodScoped):
    """ "``person`` should meet ``to_person`` (or ``to_organisation``)".

    Usually proposed in a conversation; ``conversation`` is empty when proposed elsewhere
    (e.g. from a suggestion on the network pages). Use `services.propose_introduction`.
    """

    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="introductions"
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="introductions",
    )
    to_person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="introductions_to",
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="introductions_to",
    )
    reason = models.CharField(_("why they should meet"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IntroductionStatus.choices,
        default=IntroductionStatus.OPEN,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    introduced_at = models.DateTimeField(_("introduced at"), null=True, blank=True)
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("introduced by"),
    )
    connection = models.ForeignKey(
        "network.Connection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_token = models.CharField(max_length=40, blank=True, editable=False)

    objects: ClassVar = IntroductionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_person__isnull=False, to_organisation__isnull=True)
                | Q(to_person__isnull=True, to_organisation__isnull=False),
                name="introduction_has_one_target",
            )
        ]
        indexes = [models.Index(fields=["neighbourhood", "status"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.target}"

    @property
    def target(self):
        return self.to_person or self.to_organisation

    @property
    def is_open(self) -> bool:
        return self.status == IntroductionStatus.OPEN


class FollowUpQuerySet(NeighbourhoodQuerySet["FollowUp"]):
    def listed(self) -> Self:
        """Follow-ups on someone's list: those of finished conversations, and those added on
        a person's page (no conversation)."""
        return self.filter(Q(conversation__isnull=True) | Q(conversation__status=Status.FINISHED))

    def open(self) -> Self:
        return self.listed().filter(done_at__isnull=True)

    def due_by(self, day) -> Self:
        """Open follow-ups due on or before ``day`` (the overdue ones included)."""
        return self.open().filter(due_on__lte=day)


class FollowUp(NeighbourhoodScoped):
    """Something a team member will do, for one person: added in a conversation (listed once
    it is finished) or straight from the person's page (``conversation`` empty)."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("conversation"),
    )
    person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("for whom"),
    )
    what = models.CharField(_("what"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="follow_ups",
        verbose_name=_("by whom"),
    )
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_token = models.CharField(max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"])]

    def __str__(self) -> str:
        return self.what

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due_on < timezone.localdate()


def team_members(neighbourhood):
    """Users who may be given a follow-up: builders and coordinators of the neighbourhood."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__neighbourhood=neighbourhood,
            memberships__role__in=[Role.BUILDER, Role.COORDINATOR],
            is_active=True,
        )
        .order_by("first_name", "username")
        .distinct()
    )


class DigestFrequency(models.TextChoices):
    OFF = "off", _("no reminders")
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("once a week")


class DigestSetting(models.Model):
    """A team member's choice of follow-up reminders by e-mail (off until they choose).

    ``last_sent_on`` is claimed before a digest is sent, so nobody gets one day's digest twice.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_setting"
    )
    frequency = models.CharField(
        _("reminders by e-mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.OFF,
    )
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"),
        default=0,
        choices=[
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
        help_text=_("For a weekly digest."),
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    last_sent_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up reminder setting")
        verbose_name_plural = _("follow-up reminder settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"

    def is_due(self, day) -> bool:
        """Whether a digest should go out on ``day`` (never twice on one day)."""
        if self.frequency == DigestFrequency.OFF or self.last_sent_on == day:
            return False
        if self.frequency == DigestFrequency.WEEKLY:
            recent = self.last_sent_on is not None and (day - self.last_sent_on).days < 7
            return day.weekday() == self.weekday and not recent
        return True

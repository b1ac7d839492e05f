"""Connections between people (and between a person and an organisation)."""

from __future__ import annotations

import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped
from residents.models import Person, normalise


class Origin(models.TextChoices):
    KNEW = "knew", _("knew each other already")
    INTRODUCED = "introduced", _("introduced after a conversation")
    INITIATIVE = "initiative", _("met in an initiative")
    OTHER = "other", _("other")


class ConnectionQuerySet(NeighbourhoodQuerySet["Connection"]):
    def active_on(self, day) -> Self:
        return self.filter(Q(since__lte=day) | Q(since__isnull=True)).filter(
            Q(ended__isnull=True) | Q(ended__gt=day)
        )

    def involving(self, person) -> Self:
        return self.filter(Q(person=person) | Q(other_person=person))


class Connection(NeighbourhoodScoped):
    """A relation person–person (``other_person``) or person–organisation (``organisation``).

    Person–person pairs are stored once, with the lower id in ``person``; use
    :func:`connect` to create them, which also refuses duplicates.
    """

    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="connections_out"
    )
    other_person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connections_in",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="connections",
    )
    origin = models.CharField(_("how it came about"), max_length=20, choices=Origin.choices)
    origin_note = models.CharField(_("note"), max_length=200, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    ended = models.DateField(_("ended"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connections",
        verbose_name=_("initiative"),
        help_text=_("Where they met, for connections made in an initiative."),
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conversation"),
        help_text=_("The conversation it came from (known there, or introduced after it)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "-pk"]
        verbose_name = _("connection")
        verbose_name_plural = _("connections")
        constraints = [
            models.CheckConstraint(
                condition=(Q(other_person__isnull=False) & Q(organisation__isnull=True))
                | (Q(other_person__isnull=True) & Q(organisation__isnull=False)),
                name="connection_has_exactly_one_other_end",
            ),
            models.CheckConstraint(
                condition=Q(other_person__isnull=True) | Q(person__lt=F("other_person")),
                name="connection_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["person", "other_person"],
                condition=Q(other_person__isnull=False),
                name="one_connection_per_pair",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_connection_per_person_and_organisation",
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(since__isnull=True) | Q(ended__gte=F("since")),
                name="connection_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["neighbourhood", "since"]),
            # the network table: newest first, one page at a time (on PostgreSQL with
            # ``since DESC NULLS LAST``: migration 0007)
            models.Index(
                fields=["neighbourhood", "-since", "-id"], name="connection_nb_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.other_person or self.organisation}"

    def other_end(self, person):
        if self.organisation_id:
            return self.organisation
        return self.other_person if self.person_id == person.pk else self.person

    def is_active_on(self, day: datetime.date) -> bool:
        started = self.since is None or self.since <= day
        return started and (self.ended is None or self.ended > day)


def connect(person, other=None, *, organisation=None, origin: str, **fields) -> Connection:
    """Create (or return the existing) connection; refuses self-links and other neighbourhoods."""
    if (other is None) == (organisation is None):
        raise ValidationError(_("Connect a person to one other person or one organisation."))
    target = other or organisation
    if target.neighbourhood_id != person.neighbourhood_id:
        raise ValidationError(_("Both ends of a connection must be in the same neighbourhood."))
    if other is not None:
        if other.pk == person.pk:
            raise ValidationError(_("A person cannot be connected to themselves."))
        low, high = sorted([person, other], key=lambda p: p.pk)
        lookup = {"person": low, "other_person": high}
    else:
        lookup = {"person": person, "organisation": organisation}
    since, ended = fields.get("since"), fields.get("ended")
    if since and ended and ended < since:
        raise ValidationError(_("A connection cannot end before it started."))
    connection, _created = Connection.objects.get_or_create(
        **lookup,
        defaults={"neighbourhood_id": person.neighbourhood_id, "origin": origin, **fields},
    )
    return connection


def end_connection(connection: Connection, ended: datetime.date) -> Connection:
    """Mark a connection as ended on ``ended``; refuses a date before it started."""
    if connection.since and ended < connection.since:
        raise ValidationError(_("A connection cannot end before it started."))
    connection.ended = ended
    connection.save(update_fields=["ended", "updated_at"])
    return connection


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


# ------------------------------------------------------------------------------ initiatives


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", _("idea")
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class Initiative(NeighbourhoodScoped):
    """Something residents started: a coffee club, a repair café, a street garden.

    Members join and leave on dates (:class:`InitiativeMember`); initiators are members
    flagged ``initiator``. Joining connects nobody: a builder confirms who knows whom, which
    creates connections with origin "met in an initiative" and ``initiative`` set.
    """

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.IDEA,
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    meeting_place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("meeting place"),
    )
    gifts = models.ManyToManyField(
        "residents.Gift",
        blank=True,
        related_name="initiatives",
        verbose_name=_("gifts it uses"),
    )
    public = models.BooleanField(
        _("show on the published page"),
        default=False,
        help_text=_("Only the name, description and status; never members."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:initiative", args=[self.neighbourhood.slug, self.pk])

    @property
    def initiators(self):
        """The people who started it (members flagged ``initiator``)."""

        return Person.objects.filter(
            initiative_memberships__initiative=self, initiative_memberships__initiator=True
        )


class InitiativeMemberQuerySet(NeighbourhoodQuerySet["InitiativeMember"]):
    def current_on(self, day: datetime.date) -> Self:
        return self.filter(joined__lte=day).filter(Q(left__isnull=True) | Q(left__gt=day))


class InitiativeMember(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="members", verbose_name=_("initiative")
    )
    person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        related_name="initiative_memberships",
        verbose_name=_("person"),
    )
    initiator = models.BooleanField(_("one of the initiators"), default=False)
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    neighbourhood_path = "initiative__neighbourhood"
    objects: ClassVar = InitiativeMemberQuerySet.as_manager()

    class Meta:
        ordering = ["joined", "pk"]
        verbose_name = _("initiative member")
        verbose_name_plural = _("initiative members")
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "person"], name="one_membership_per_initiative"
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=F("joined")),
                name="initiative_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.initiative}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


# ------------------------------------------------------------------------------ suggestions


class Dismissal(NeighbourhoodScoped):
    """A suggested pair a builder dismissed: never suggested again. Stored once per pair."""

    person = models.ForeignKey("residents.Person", on_delete=models.CASCADE, related_name="+")
    other_person = models.ForeignKey("residents.Person", on_delete=models.CASCADE, related_name="+")
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dismissed on"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "other_person"], name="one_dismissal_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(person__lt=F("other_person")), name="dismissal_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.other_person}"


# ------------------------------------------------------------------------------ coverage


class Street(NeighbourhoodScoped):
    """A street of the neighbourhood, typed in by a coordinator (or imported), for coverage."""

    name = models.CharField(_("street"), max_length=120)
    normalised = models.CharField(max_length=120, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["normalised", "pk"]
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "normalised"], name="one_street_per_spelling"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):

        self.name = " ".join(self.name.split())
        self.normalised = normalise(self.name)
        super().save(*args, **kwargs)


# ------------------------------------------------------------------------------ snapshot


class NetworkSnapshot(models.Model):
    """The network's heavy figures as a job last computed them (``network.snapshot``):
    groups, layout and measures of the people and ties of one day, and the figures by month.
    ``data_version`` is the neighbourhood's version they were computed from; a page that
    finds an older one shows it with its time and queues a new computation."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="network_snapshot"
    )
    data_version = models.PositiveBigIntegerField(default=0)
    computed_at = models.DateTimeField()
    day = models.DateField()
    # {person id: [x, y, group, ties, betweenness, reach]}
    people = models.JSONField(default=dict)
    # [{id, size, ties, density, carriers, x, y, r, street, initiative, tag}]
    groups = models.JSONField(default=list)
    links = models.JSONField(default=list)  # [[group, group, ties between them]]
    months = models.JSONField(default=list)  # [[first day, connections, connected, largest]]
    # {initiative id: [members, ties among them, reach, groups it spans]}
    initiatives = models.JSONField(default=dict)
    ranking = models.JSONField(default=list)  # people ids by bridging, then ties, best first
    approximate = models.BooleanField(default=False)
    width = models.FloatField(default=0)
    height = models.FloatField(default=0)
    seconds = models.FloatField(default=0)  # how long the computation took

    class Meta:
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"network of {self.neighbourhood_id} at version {self.data_version}"

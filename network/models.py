"""Connections between people (and between a person and an organisation)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped


class Origin(models.TextChoices):
    KNEW = "knew", _("knew each other already")
    INTRODUCED = "introduced", _("introduced after a conversation")
    INITIATIVE = "initiative", _("met in an initiative")
    OTHER = "other", _("other")


class ConnectionQuerySet(NeighbourhoodQuerySet):
    def active_on(self, day) -> ConnectionQuerySet:
        return self.filter(Q(since__lte=day) | Q(since__isnull=True)).filter(
            Q(ended__isnull=True) | Q(ended__gt=day)
        )

    def involving(self, person) -> ConnectionQuerySet:
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
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConnectionQuerySet.as_manager()

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
        indexes = [models.Index(fields=["neighbourhood", "since"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.other_person or self.organisation}"

    def other_end(self, person):
        if self.organisation_id:
            return self.organisation
        return self.other_person if self.person_id == person.pk else self.person


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

"""Operators (*organisaties*): who runs neighbourhoods, their admins, invitations, CBS areas.

Not to be confused with the ``organisations`` app, which holds a neighbourhood's associations
and institutions as assets. The arrow points one way: operators → neighbourhoods; the link of
a neighbourhood to its operator lives here (:class:`OperatorNeighbourhood`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Neighbourhood, Role

INVITATION_DAYS = 14


class Kind(models.TextChoices):
    WELFARE = "welfare", _("welfare organisation")
    MUNICIPALITY = "municipality", _("municipality")
    LIBRARY = "library", _("library")
    HOUSING = "housing", _("housing corporation")
    OTHER = "other", _("other")


class Operator(models.Model):
    name = models.CharField(_("name"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.WELFARE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("operators:dashboard", args=[self.slug])

    @property
    def scope(self) -> str:
        """The owner label of this operator's background jobs (``jobs.Job.scope``)."""
        return f"operator:{self.pk}"


class OperatorAdmin(models.Model):
    """An organisation admin: above coordinator, scoped to one operator."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="admins")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="operator_admin_roles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operator", "user"], name="one_admin_row_per_operator")
        ]
        verbose_name = _("organisation admin")
        verbose_name_plural = _("organisation admins")

    def __str__(self) -> str:
        return f"{self.user} · {self.operator}"


class OperatorNeighbourhood(models.Model):
    """A neighbourhood run by an operator, with the CBS codes it rolls up by."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="links")
    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.CASCADE, related_name="operator_link"
    )
    wijk_code = models.CharField(_("CBS wijkcode"), max_length=12, blank=True)
    wijk_name = models.CharField(_("wijk"), max_length=120, blank=True)
    gemeente_code = models.CharField(_("CBS gemeentecode"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["gemeente_code", "wijk_code", "neighbourhood__name"]
        verbose_name = _("neighbourhood of an organisation")
        verbose_name_plural = _("neighbourhoods of organisations")

    def __str__(self) -> str:
        return f"{self.operator} · {self.neighbourhood}"


class Level(models.TextChoices):
    BUURT = "buurt", _("buurt")
    WIJK = "wijk", _("wijk")


class CbsArea(models.Model):
    """A CBS buurt or wijk from a loaded boundary file, with its key figures when loaded."""

    code = models.CharField(_("CBS code"), max_length=12, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    name = models.CharField(_("name"), max_length=120)
    wijk_code = models.CharField(max_length=12, blank=True)
    wijk_name = models.CharField(max_length=120, blank=True)
    gemeente_code = models.CharField(max_length=8, blank=True, db_index=True)
    gemeente_name = models.CharField(max_length=120, blank=True)
    boundary = models.JSONField(null=True, blank=True)
    centre_lat = models.FloatField(null=True, blank=True)
    centre_lon = models.FloatField(null=True, blank=True)
    inhabitants = models.PositiveIntegerField(null=True, blank=True)
    households = models.PositiveIntegerField(null=True, blank=True)
    # Age groups (CBS): 0–15, 15–25, 25–45, 45–65, 65 and older.
    ages = models.JSONField(default=dict, blank=True)
    figures_source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["gemeente_name", "wijk_code", "level", "name"]
        verbose_name = _("CBS area")
        verbose_name_plural = _("CBS areas")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def hash_token(token: str) -> str:
    return salted_hmac("operators.invitation", token.strip(), algorithm="sha256").hexdigest()


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)


class Invitation(models.Model):
    """An e-mail link that gives its user a role in one or more of the operator's neighbourhoods.

    Only a keyed hash of the token is stored; it works once and for ``INVITATION_DAYS`` days.
    """

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, related_name="+", verbose_name=_("neighbourhoods")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} · {self.operator}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired

"""Invites to claim a profile, and coordinators' "keep" decisions in the retention review.

An invite's secret (a long link token or a short code to read out at the table) is shown
once, when it is made; only a keyed hash is stored, so a copy of the database opens nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet

INVITE_DAYS = 14
# Short codes: no 0/O, 1/I/L, 5/S, 2/Z, 8/B; easy to read out and to type on a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8


def hash_secret(secret: str) -> str:
    """Keyed hash of a token or code (codes compare without dashes, spaces or case)."""
    cleaned = normalise_secret(secret)
    return salted_hmac("me.invite", cleaned, algorithm="sha256").hexdigest()


def normalise_secret(secret: str) -> str:
    text = "".join((secret or "").split())
    short = text.replace("-", "")
    return short.upper() if len(short) <= CODE_LENGTH else text


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ "ACDE-FGHJ": two groups of four, easier to read out."""
    return f"{code[:4]}-{code[4:]}"


class InviteKind(models.TextChoices):
    LINK = "link", _("a link (to send or show)")
    CODE = "code", _("a short code (to read out at the table)")


class InviteQuerySet(NeighbourhoodQuerySet["Invite"]):
    def open(self) -> Self:
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invite(models.Model):
    person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        related_name="invites",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InviteKind.choices)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    emailed_at = models.DateTimeField(_("sent by email at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    neighbourhood_path = "person__neighbourhood"
    objects: ClassVar = InviteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invite")
        verbose_name_plural = _("invites")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @classmethod
    def make(cls, person, kind: str, by, days: int = INVITE_DAYS) -> tuple[Invite, str]:
        """A new invite and its secret (shown once, never stored)."""
        secret = new_code() if kind == InviteKind.CODE else new_token()
        invite = cls.objects.create(
            person=person,
            kind=kind,
            secret_hash=hash_secret(secret),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        return invite, secret

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and not self.is_expired


class RetentionKeep(models.Model):
    """A coordinator reviewed this person and decided to keep the data (resets the clock)."""

    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="retention_keeps"
    )
    kept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kept by"),
    )
    kept_at = models.DateTimeField(_("kept on"), auto_now_add=True)

    neighbourhood_path = "person__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["-kept_at", "-pk"]
        verbose_name = _("retention decision")
        verbose_name_plural = _("retention decisions")

    def __str__(self) -> str:
        return f"#{self.person_id} kept {self.kept_at:%Y-%m-%d}"


class ClaimCodeAttempt(models.Model):
    """One try of a claim code from one client address: the wrong-code limit counts these.

    Kept in the database so every app server counts the same tries (no per-process state);
    rows older than the limit's window are deleted as new wrong codes come in.
    """

    address = models.CharField(max_length=45)
    tried_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address", "tried_at"], name="me_codeattempt_addr_at")]

    def __str__(self) -> str:
        return f"{self.address} {self.tried_at:%Y-%m-%d %H:%M}"


class MergeProposal(models.Model):
    """A builder's proposal that two records are one person; a coordinator merges or declines.

    Merging moves ``other_person`` onto ``person`` (``me.merge``); the proposal folds away
    with it. A declined proposal stays, so the pair is not proposed again unnoticed.
    """

    person = models.ForeignKey(
        "residents.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("keep")
    )
    other_person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("merge into it"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    neighbourhood_path = "person__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed merge")
        verbose_name_plural = _("proposed merges")

    def __str__(self) -> str:
        return f"{self.person} ← {self.other_person}"

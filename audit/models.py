"""The audit trail: who created, changed or deleted what, and when.

Rows are written by the signal handlers in :mod:`audit.trail`. Each row names the person it
belongs to (``person_id``, a plain integer, not a foreign key) so that erasing a person can
remove every row about them (see ``me.erasure``) while the erasure itself is recorded without
any personal data (action ``erase``, no person id, no values).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    ERASE = "erase", _("erased")
    MERGE = "merge", _("merged")
    TIES = "ties", _("confirmed who knows whom")


class AuditEntryQuerySet(NeighbourhoodQuerySet["AuditEntry"]):
    def about_person(self, person_id: int) -> Self:
        return self.filter(person_id=person_id)


class AuditEntry(models.Model):
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model_label = models.CharField(_("kind of record"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    person_id = models.BigIntegerField(_("person id"), null=True, blank=True, db_index=True)
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("Field name → [old, new] for tracked fields; null values when not kept."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["model_label", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model_label}#{self.object_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def field_names(self) -> list[str]:
        return sorted(self.changes)


class AccessAction(models.TextChoices):
    EXPORT = "export", _("export")
    REPORT = "report", _("report download")
    PERSON_VIEW = "person_view", _("opened a person's page")
    MERGE = "merge", _("merged two people")
    ERASE = "erase", _("erasure")


class AccessEntry(models.Model):
    """Who took data out or looked at a person's record: who, what, when, how many.

    Free of the personal data it refers to: the people it included are listed only by id in
    :class:`AccessSubject` (so a resident can see who downloaded data that included them);
    ``what`` is a fixed description of the export, never a name or a search.
    """

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("neighbourhood"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # An organisation-level download (operators.Operator id; a plain id: audit is below it).
    operator_id = models.BigIntegerField(_("organisation id"), null=True, blank=True)
    role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    what = models.CharField(_("what"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("records"), default=0)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.action} {self.what} ({self.count}) {self.created_at:%Y-%m-%d %H:%M}"


class AccessSubject(models.Model):
    """One person an access log entry included (an id only; erasure removes these rows)."""

    entry = models.ForeignKey(AccessEntry, on_delete=models.CASCADE, related_name="subjects")
    person_id = models.BigIntegerField(db_index=True)

    neighbourhood_path = "entry__neighbourhood"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person_id"], name="access_subject_once")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.person_id}"

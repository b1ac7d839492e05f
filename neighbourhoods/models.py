"""Neighbourhoods, memberships and roles, and the scoped QuerySet every feature app uses."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Role(models.TextChoices):
    RESIDENT = "resident", _("resident")
    BUILDER = "builder", _("community builder")
    COORDINATOR = "coordinator", _("coordinator")

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= Role(other).rank


_RANKS = {Role.RESIDENT: 1, Role.BUILDER: 2, Role.COORDINATOR: 3}


class Neighbourhood(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    municipality = models.CharField(_("municipality"), max_length=120, blank=True)
    cbs_code = models.CharField(_("CBS buurtcode"), max_length=20, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    data_starts_on = models.DateField(
        _("records start on"),
        null=True,
        blank=True,
        help_text=_(
            "Nothing (an introduction, a tie, a membership, a carrier period) may be dated "
            "earlier. Empty: ten years before the neighbourhood was added."
        ),
    )
    # One more with every change to what cached pages show (neighbourhoods.freshness).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # One more with every change to the builders' own work (conversations, follow-ups) as
    # well as with every change of ``data_version``: a draft's autosave moves only this one,
    # so it leaves the neighbourhood's cached lists as they are.
    work_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Never writes the versions back: only ``freshness.touch`` moves them, with an
        UPDATE that adds one; a copy loaded earlier would otherwise turn them back."""
        if self.pk is not None and not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in ("data_version", "work_version")
                and f.attname in self.__dict__  # deferred fields stay as they are
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("neighbourhoods:dashboard", args=[self.slug])


_M = TypeVar("_M", bound=models.Model, covariant=True)


class NeighbourhoodQuerySet(models.QuerySet[_M, _M]):
    """The one place where rows are scoped to a neighbourhood.

    Models that belong to a neighbourhood set `neighbourhood_path` when the link is
    indirect (e.g. ``"person__neighbourhood"``); views never filter by hand.

    Typing (django-stubs): methods of a QuerySet subclass return ``Self``, so a chain such
    as ``Person.objects.in_neighbourhood(n).visible_to(m)`` keeps ``PersonQuerySet[Person]``.
    A subclass for one model names it (``NeighbourhoodQuerySet["Tag"]``) when its methods
    use ``self.model``. A model that sets its own manager on top of
    :class:`NeighbourhoodScoped`'s declares it a class variable, as django-stubs types
    managers: ``objects: ClassVar = PersonQuerySet.as_manager()``.
    """

    def in_neighbourhood(self, neighbourhood: Neighbourhood) -> Self:
        path = getattr(self.model, "neighbourhood_path", "neighbourhood")
        return self.filter(**{path: neighbourhood})


@functools.cache
def _choice_labels(field: models.Field, language: str) -> dict[Any, Any]:
    return {
        make_hashable(value): force_str(label, strings_only=True)
        for value, label in field.flatchoices
    }


def _choice_label(field: models.Field, value: Any) -> Any:
    return _choice_labels(field, get_language() or "").get(make_hashable(value), value)


def choice_label(model: type[models.Model], field_name: str, value: Any) -> Any:
    """What ``get_FOO_display()`` shows for ``value`` of a model's field, in the active
    language (for rows kept as plain values)."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return _choice_label(field, value)


class ChoiceLabels:
    """``get_FOO_display()`` from a table per field and language.

    Django's own makes a dictionary of every choice and hashes each lazy label (which
    translates it) on every call: 588 Python calls for a place's kind, a third of the
    places list's calls for its 24 rows; 6,100 of the network page's 59,000 for its
    table's 50 rows (issue #19)."""

    def _get_FIELD_display(self, field: models.Field) -> Any:
        return _choice_label(field, getattr(self, field.attname))


class NeighbourhoodScoped(ChoiceLabels, models.Model):
    """Abstract base for anything that belongs directly to one neighbourhood."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, verbose_name=_("neighbourhood")
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        abstract = True


class MembershipQuerySet(NeighbourhoodQuerySet["Membership"]):
    def coordinators(self) -> Self:
        return self.filter(role=Role.COORDINATOR)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("neighbourhood"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["neighbourhood__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "neighbourhood"], name="one_membership_per_neighbourhood"
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.neighbourhood} · {self.get_role_display()}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def at_least(self, role: Role) -> bool:
        return self.role_enum.at_least(role)

    @property
    def is_builder(self) -> bool:
        return self.at_least(Role.BUILDER)

    @property
    def is_coordinator(self) -> bool:
        return self.at_least(Role.COORDINATOR)


class LastCoordinatorError(ValidationError):
    pass


def _guard_last_coordinator(membership: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .in_neighbourhood(membership.neighbourhood)
        .coordinators()
        .exclude(pk=membership.pk)
    )
    if membership.role == Role.COORDINATOR and not others.exists():
        raise LastCoordinatorError(
            _("%(name)s is the last coordinator of this neighbourhood; add another first."),
            params={"name": membership.user.get_username()},
        )


@transaction.atomic
def change_role(membership: Membership, role: Role) -> Membership:
    """Change a member's role; refuses to demote the last coordinator."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    if role != Role.COORDINATOR:
        _guard_last_coordinator(locked)
    locked.role = role
    locked.save(update_fields=["role"])
    return locked


@transaction.atomic
def remove_member(membership: Membership) -> None:
    """Remove a member; refuses to remove the last coordinator."""
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    _guard_last_coordinator(locked)
    locked.delete()


def neighbourhoods_for(user: User | AnonymousUser) -> models.QuerySet[Neighbourhood]:
    """Neighbourhoods the user may enter: all for staff, their memberships otherwise."""
    if not user.is_authenticated:
        return Neighbourhood.objects.none()
    if user.is_staff:
        return Neighbourhood.objects.all()
    return Neighbourhood.objects.filter(memberships__user=user).distinct()

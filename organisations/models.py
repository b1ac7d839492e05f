from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped


class OrganisationKind(models.TextChoices):
    INFORMAL = "informal", _("informal group")
    ASSOCIATION = "association", _("association")
    INSTITUTION = "institution", _("institution")
    BUSINESS = "business", _("business")


class Organisation(NeighbourhoodScoped):
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    contact = models.CharField(_("contact person"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    meeting_times = models.CharField(_("meeting times"), max_length=200, blank=True)
    usual_place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations_meeting_here",
        verbose_name=_("usual place"),
    )
    public = models.BooleanField(
        _("show on the published page"),
        default=False,
        help_text=_(
            "Anyone can then read its name, kind, description, meeting times and website on "
            "the neighbourhood's published page (when that page is on); never the contact "
            "person, email, phone or members."
        ),
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.neighbourhood.slug, self.pk])


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "residents.Person",
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=60, blank=True, help_text=_("For example chair or volunteer.")
    )
    since = models.DateField(_("since"), null=True, blank=True)

    neighbourhood_path = "organisation__neighbourhood"
    objects: ClassVar = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "person__name"]
        verbose_name = _("membership of an organisation")
        verbose_name_plural = _("memberships of organisations")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="one_role_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.organisation}"

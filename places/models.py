from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped


class PlaceKind(models.TextChoices):
    COMMUNITY_CENTRE = "community_centre", _("community centre")
    PARK = "park", _("park")
    GARDEN = "garden", _("garden")
    SQUARE = "square", _("square")
    CAFE = "cafe", _("café")
    EMPTY_SHOP = "empty_shop", _("empty shop")
    PLAYGROUND = "playground", _("playground")
    CHURCH_HALL = "church_hall", _("church hall")
    SCHOOL = "school", _("school")
    LIBRARY = "library", _("library")
    SPORTS = "sports", _("sports facility")
    SHOP = "shop", _("shop")
    HEALTH = "health", _("health care")
    OTHER = "other", _("other")


class Place(NeighbourhoodScoped):
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("description"), max_length=4000, blank=True)
    managed_by_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_places",
        verbose_name=_("managed by (organisation)"),
    )
    managed_by_person = models.ForeignKey(
        "residents.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_places",
        verbose_name=_("managed by (person)"),
    )
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    accessibility = models.TextField(_("accessibility notes"), max_length=2000, blank=True)
    public = models.BooleanField(
        _("show on the published page"),
        default=False,
        help_text=_(
            "Anyone can then read its name, kind, street and description on the "
            "neighbourhood's published page (when that page is on); never who manages it."
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
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:detail", args=[self.neighbourhood.slug, self.pk])


class PlacePhoto(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="places/")
    thumbnail = models.ImageField(upload_to="places/thumbs/", blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "place__neighbourhood"
    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("place photo")
        verbose_name_plural = _("place photos")

    def __str__(self) -> str:
        return self.caption or self.place.name

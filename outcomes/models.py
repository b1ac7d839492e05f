"""Outcomes (*opbrengsten*): harvested change, its evidence, value and contribution chain.

Figures over outcomes live in `outcomes.figures`; names of people in `outcomes.names`, which
asks `residents.disclosure` what the reader may see.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from pathlib import PurePosixPath
from typing import ClassVar, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodQuerySet, NeighbourhoodScoped
from residents.models import normalise

from .valuation import Assumptions

CENT = Decimal("0.01")


class Domain(models.TextChoices):
    """Policy domains an outcome can count for (several per outcome)."""

    CARE = "care", _("care & wellbeing")
    ENERGY = "energy", _("energy")
    CLIMATE = "climate", _("climate adaptation & greenery")
    SAFETY = "safety", _("safety")
    YOUTH = "youth", _("youth & education")
    WORK = "work", _("work & income")
    HOUSING = "housing", _("housing")
    COHESION = "cohesion", _("social cohesion")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBSTANTIATED = "substantiated", _("substantiated")


class Period(models.TextChoices):
    """What one price pays for; see `outcomes.valuation`."""

    UNIT = "unit", _("per unit")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class DurationUnit(models.TextChoices):
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


def percent(label, default: int, help_text=""):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


def year_field(label, **extra):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1900), MaxValueValidator(2100)], **extra
    )


class ReferencePrice(models.Model):
    """A published national unit price (read-only; loaded by `outcomes.prices`)."""

    key = models.CharField(max_length=60, unique=True)
    category = models.CharField(_("category"), max_length=80)
    label = models.CharField(_("unit"), max_length=200)
    price = models.DecimalField(_("price (€)"), max_digits=12, decimal_places=2)
    price_year = year_field(_("price year"))
    period = models.CharField(_("per"), max_length=10, choices=Period.choices)
    source = models.CharField(_("source"), max_length=300)
    featured = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = [models.F("featured").asc(nulls_last=True), "category", "label"]
        verbose_name = _("reference price")
        verbose_name_plural = _("reference prices")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="reference_price_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The unit in the reader's language where we translated it, else the source's words."""
        from .price_names import UNITS
        from .prices import FEATURED

        label = FEATURED.get(self.key) or UNITS.get(self.key)
        return str(label) if label else self.label

    @property
    def category_name(self) -> str:
        """The category in the reader's language (the source's words when not translated)."""
        from .price_names import CATEGORIES

        label = CATEGORIES.get(self.category)
        return str(label) if label else self.category


class PriceIndex(models.Model):
    """The CBS consumer price index per year (2025 = 100), for indexing values."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    index = models.DecimalField(_("index"), max_digits=9, decimal_places=3)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        ordering = ["year"]
        verbose_name = _("price index")
        verbose_name_plural = _("price indices")

    def __str__(self) -> str:
        return f"{self.year}: {self.index}"


class UnitValue(NeighbourhoodScoped):
    """A unit price of the neighbourhood's own (insulation savings, a repair), with its source
    and price year, so the same unit is valued the same way everywhere.

    Custom units belong to a neighbourhood for now; when operators (organisations running
    neighbourhoods) arrive, a nullable ``operator`` foreign key beside ``neighbourhood`` lets
    an operator share units with all its neighbourhoods.
    """

    unit = models.CharField(
        _("unit"),
        max_length=80,
        help_text=_("For example: energy saved per insulated home, repair."),
    )
    normalised = models.CharField(max_length=80, editable=False)
    value = models.DecimalField(_("price per unit (€)"), max_digits=12, decimal_places=2)
    period = models.CharField(
        _("per"),
        max_length=10,
        choices=Period.choices,
        default=Period.UNIT,
        help_text=_("Per day, month or year when the price is for a period (e.g. per year)."),
    )
    price_year = year_field(
        _("price year"), help_text=_("The year whose euros this price is in, e.g. 2024.")
    )
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_(
            "Where the price comes from, so a controller can check it: publication, table, "
            "year (e.g. Milieu Centraal, Besparingen isolatie, 2024)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["normalised", "pk"]
        verbose_name = _("own unit price")
        verbose_name_plural = _("own unit prices")
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "normalised"], name="one_value_per_unit_per_neighbourhood"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="unit_value_not_negative"),
        ]

    def __str__(self) -> str:
        return self.unit

    @property
    def name(self) -> str:
        return self.unit

    @property
    def price(self) -> Decimal:
        return self.value

    def save(self, *args, **kwargs):
        self.unit = " ".join(self.unit.split())
        self.normalised = normalise(self.unit)
        super().save(*args, **kwargs)


class OutcomeQuerySet(NeighbourhoodQuerySet["Outcome"]):
    def substantiated(self) -> Self:
        return self.filter(status=Status.SUBSTANTIATED)

    def between(self, start=None, end=None) -> Self:
        qs = self
        if start:
            qs = qs.filter(happened_on__gte=start)
        if end:
            qs = qs.filter(happened_on__lte=end)
        return qs

    def shareable(self) -> Self:
        """What may appear on the published page: substantiated, opted in, summarised."""
        return self.substantiated().filter(publish=True).exclude(public_summary="")


class Outcome(NeighbourhoodScoped):
    title = models.CharField(
        _("what changed"),
        max_length=200,
        help_text=_("One sentence, e.g. “Mr Jansen eats with others three times a week”."),
    )
    story = models.TextField(_("the story"), max_length=8000, blank=True)
    for_whom_people = models.ManyToManyField(
        "residents.Person", blank=True, related_name="outcomes", verbose_name=_("for whom")
    )
    for_whom_group = models.CharField(
        _("for whom (a group, in words)"),
        max_length=200,
        blank=True,
        help_text=_("For example: older residents of the Populierstraat flats."),
    )
    happened_on = models.DateField(_("when"))
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("place"),
    )
    where = models.CharField(_("where (in words)"), max_length=200, blank=True)
    significance = models.TextField(_("why it matters"), max_length=4000, blank=True)
    evidence_text = models.TextField(_("evidence"), max_length=8000, blank=True)
    evidence_links = models.TextField(
        _("links to evidence"),
        max_length=4000,
        blank=True,
        help_text=_("One web address per line."),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=80, blank=True)
    reference_price = models.ForeignKey(
        ReferencePrice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("reference price"),
    )
    unit_value = models.ForeignKey(
        UnitValue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("own unit price"),
    )
    duration = models.DecimalField(
        _("how long"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    duration_unit = models.CharField(
        _("in"), max_length=10, choices=DurationUnit.choices, default=DurationUnit.MONTHS
    )
    deadweight_low = percent(_("deadweight from (%)"), 25)
    deadweight_high = percent(_("deadweight to (%)"), 50)
    attribution_low = percent(_("attribution from (%)"), 25)
    attribution_high = percent(_("attribution to (%)"), 50)
    drop_off = percent(_("drop-off per year (%)"), 20)
    value_low = models.DecimalField(
        _("value, low (€)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value_high = models.DecimalField(
        _("value, high (€)"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    value_year = models.PositiveSmallIntegerField(_("price year"), null=True, blank=True)
    value_note = models.CharField(
        _("why these assumptions"),
        max_length=300,
        blank=True,
        help_text=_("For example: the care home's casemanager and the family helped too."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    harvested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("harvested by"),
    )
    substantiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substantiated by"),
    )
    substantiated_at = models.DateTimeField(_("substantiated at"), null=True, blank=True)
    public_summary = models.TextField(
        _("summary for partners and the public"),
        max_length=1000,
        blank=True,
        help_text=_("Without names or details that point to a person."),
    )
    publish = models.BooleanField(
        _("show on the published page"),
        default=False,
        help_text=_("Only substantiated outcomes with a summary are shown, never names."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="outcome_quantity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(value_low__isnull=True) | Q(value_low__gte=0),
                name="outcome_value_low_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_high__gte=F("value_low")),
                name="outcome_value_high_not_below_low",
            ),
            models.CheckConstraint(
                condition=Q(reference_price__isnull=True) | Q(unit_value__isnull=True),
                name="outcome_one_price",
            ),
        ]
        indexes = [models.Index(fields=["neighbourhood", "happened_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:detail", args=[self.neighbourhood.slug, self.pk])

    @property
    def domains(self) -> list[str]:
        """Domain codes, in the order of `Domain` (uses prefetched rows when present)."""
        codes = {row.domain for row in self.domain_rows.all()}
        return [code for code in Domain.values if code in codes]

    @property
    def domain_labels(self) -> list[str]:
        return [str(Domain(code).label) for code in self.domains]

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    @property
    def is_substantiated(self) -> bool:
        return self.status == Status.SUBSTANTIATED

    def set_domains(self, codes) -> None:
        codes = set(codes)
        self.domain_rows.exclude(domain__in=codes).delete()
        have = set(self.domain_rows.values_list("domain", flat=True))
        OutcomeDomain.objects.bulk_create(
            OutcomeDomain(outcome=self, domain=code) for code in codes - have
        )

    @property
    def price(self) -> ReferencePrice | UnitValue | None:
        """The unit price this outcome is valued with, if any."""
        return self.reference_price or self.unit_value

    @property
    def is_valued(self) -> bool:
        return self.value_high is not None

    def assumptions(self) -> Assumptions | None:
        price = self.price
        if price is None or self.quantity is None:
            return None
        return Assumptions(
            quantity=self.quantity,
            price=price.price,
            period=price.period,
            duration=self.duration,
            duration_unit=self.duration_unit,
            deadweight_low=self.deadweight_low,
            deadweight_high=self.deadweight_high,
            attribution_low=self.attribution_low,
            attribution_high=self.attribution_high,
            drop_off=self.drop_off,
        )

    def revalue(self) -> None:
        """Work the value range out again from the quantity, the price and the assumptions
        (none without a price); the price's year becomes the value's year."""
        assumptions = self.assumptions()
        if assumptions is None:
            self.value_low = self.value_high = self.value_year = None
            return
        self.value_low, self.value_high = assumptions.value_range()
        price = self.price
        assert price is not None  # assumptions() is None without a price
        self.value_year = price.price_year


class OutcomeDomain(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="domain_rows")
    domain = models.CharField(_("policy domain"), max_length=20, choices=Domain.choices)

    neighbourhood_path = "outcome__neighbourhood"
    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "domain"], name="one_row_per_domain")
        ]
        indexes = [models.Index(fields=["domain"])]

    def __str__(self) -> str:
        return self.get_domain_display()


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name that says nothing about the upload; only the checked suffix is kept."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"outcomes/evidence/{secrets.token_urlsafe(18)}{suffix}"


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("photo")
    PDF = "pdf", _("PDF document")


class Evidence(models.Model):
    """A photo or document backing an outcome; served only by an access-checking view."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    content_type = models.CharField(max_length=60)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "outcome__neighbourhood"
    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.caption or self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "outcomes:evidence",
            args=[self.outcome.neighbourhood.slug, self.outcome_id, self.pk],
        )


class StepKind(models.TextChoices):
    GIFT = "gift", _("a resident's gift")
    CONNECTION = "connection", _("a connection")
    INITIATIVE = "initiative", _("an initiative")
    CONVERSATION = "conversation", _("a conversation")
    NOTE = "note", _("a step in words")


class Contribution(models.Model):
    """One step of an outcome's contribution chain: a gift, a connection, … or words.

    Each kind has its own nullable foreign key (scoped by the form to the outcome's
    neighbourhood). When the object is erased the step stays, anonymised, with its kind.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="contributions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=StepKind.choices)
    gift = models.ForeignKey(
        "residents.Gift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("gift"),
    )
    connection = models.ForeignKey(
        "network.Connection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("connection"),
    )
    initiative = models.ForeignKey(
        "network.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("initiative"),
    )
    conversation = models.ForeignKey(
        "conversations.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("conversation"),
    )
    note = models.CharField(
        _("how it contributed"),
        max_length=200,
        blank=True,
        help_text=_("For example: introduced to the coffee club."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    neighbourhood_path = "outcome__neighbourhood"
    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        ordering = ["outcome", "position", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(connection__isnull=True, initiative__isnull=True, conversation__isnull=True)
                    | Q(gift__isnull=True, initiative__isnull=True, conversation__isnull=True)
                    | Q(gift__isnull=True, connection__isnull=True, conversation__isnull=True)
                    | Q(gift__isnull=True, connection__isnull=True, initiative__isnull=True)
                ),
                name="contribution_links_at_most_one_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.outcome}"

    @property
    def target(self):
        return getattr(self, self.kind, None) if self.kind != StepKind.NOTE else None


class PublicationSettings(models.Model):
    """What a neighbourhood chose to publish at /n/<slug>/public/ (nothing by default)."""

    neighbourhood = models.OneToOneField(
        "neighbourhoods.Neighbourhood",
        on_delete=models.CASCADE,
        related_name="publication",
        verbose_name=_("neighbourhood"),
    )
    published = models.BooleanField(
        _("publish a public page"),
        default=False,
        help_text=_("Anyone with the address can read it, without logging in."),
    )
    intro = models.TextField(_("introductory text"), max_length=4000, blank=True)
    show_places = models.BooleanField(_("show places"), default=True)
    show_organisations = models.BooleanField(_("show organisations"), default=True)
    show_initiatives = models.BooleanField(_("show initiatives"), default=True)
    show_outcomes = models.BooleanField(
        _("show outcomes"),
        default=True,
        help_text=_("Only those marked for publication, with their summary and no names."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication settings")
        verbose_name_plural = _("publication settings")

    def __str__(self) -> str:
        return str(self.neighbourhood)

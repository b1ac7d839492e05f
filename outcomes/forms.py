"""Forms of outcomes: every bad input gets a clear message next to its field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from neighbourhoods.fields import DayField, IdField
from neighbourhoods.images import ACCEPT_ATTRIBUTE, process_image
from neighbourhoods.images import MESSAGES as IMAGE_MESSAGES
from neighbourhoods.models import Neighbourhood
from places.models import Place
from residents.models import normalise

from .models import (
    Domain,
    EvidenceKind,
    Outcome,
    Period,
    PublicationSettings,
    ReferencePrice,
    Status,
    UnitValue,
)
from .names import ReportAudience

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def price_label(price: ReferencePrice | UnitValue) -> str:
    """ "nursing-home day: € 290.00 per day (2022 prices)" """
    per = "" if price.period == Period.UNIT else f" {Period(price.period).label}"
    return _("%(unit)s: € %(price)s%(per)s (%(year)s prices)") % {
        "unit": price.name,
        "price": number_format(price.price, 2, force_grouping=True),
        "per": per,
        "year": price.price_year,
    }


def reference_price_choices() -> list:
    """Grouped choices in the reader's language: the units community building touches first,
    then by category."""
    featured: list[tuple[int, str]] = []
    groups: dict[str, list[tuple[int, str]]] = {}
    for price in ReferencePrice.objects.all():
        row = (price.pk, price_label(price))
        if price.featured is not None:
            featured.append(row)
        else:
            groups.setdefault(price.category_name, []).append(row)
    return [
        ("", "---------"),
        (_("Often used in community building"), featured),
        *[  # in alphabetical order of the reader's words
            (category, sorted(groups[category], key=lambda row: row[1].casefold()))
            for category in sorted(groups, key=str.casefold)
        ],
    ]


PERCENT_WIDGET = forms.NumberInput(attrs={"min": "0", "max": "100", "step": "1", "class": "short"})


def _default_of(name: str) -> Any:
    """The model default of one of Outcome's own columns."""
    field = Outcome._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    return field.default


class OutcomeForm(forms.ModelForm):
    domains = forms.MultipleChoiceField(
        label=_("policy domains"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every domain this change counts for."),
        error_messages={"required": _("Choose at least one policy domain.")},
    )

    class Meta:
        model = Outcome
        fields = [
            "title",
            "story",
            "happened_on",
            "domains",
            "for_whom_group",
            "place",
            "where",
            "significance",
            "evidence_text",
            "evidence_links",
            "quantity",
            "unit",
            "reference_price",
            "unit_value",
            "duration",
            "duration_unit",
            "deadweight_low",
            "deadweight_high",
            "attribution_low",
            "attribution_high",
            "drop_off",
            "value_note",
            "public_summary",
            "publish",
        ]
        widgets = {
            "happened_on": DateInput(),
            "story": forms.Textarea(attrs={"rows": 5}),
            "significance": forms.Textarea(attrs={"rows": 3}),
            "evidence_text": forms.Textarea(attrs={"rows": 3}),
            "evidence_links": forms.Textarea(attrs={"rows": 2}),
            "public_summary": forms.Textarea(attrs={"rows": 2}),
            "quantity": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "duration": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "deadweight_low": PERCENT_WIDGET,
            "deadweight_high": PERCENT_WIDGET,
            "attribution_low": PERCENT_WIDGET,
            "attribution_high": PERCENT_WIDGET,
            "drop_off": PERCENT_WIDGET,
        }
        help_texts = {
            "quantity": _("What you counted: visits, hours, people, homes, months…"),
            "unit": _(
                "What the quantity counts, e.g. “homes insulated”; filled in from the price "
                "when you choose one."
            ),
            "reference_price": _(
                "A published national price (Zorginstituut Nederland, costing manual). "
                "Leave both prices empty when the change has no fair price in euros: it stays "
                "in the report as a story and a quantity."
            ),
            "unit_value": _("Or a price of your own, with its source (see “Own unit prices”)."),
            "duration": _(
                "Only for a price per day, month or year: how long the effect lasts, e.g. 9 "
                "months of postponed admission."
            ),
            "deadweight_low": _(
                "Deadweight: would it have happened anyway? The share that would have, without "
                "the initiative. Give a range; we suggest 25 to 50 percent unless you know better."
            ),
            "attribution_low": _(
                "Attribution: how much of the change is thanks to the residents and the "
                "community building, and not to care workers, family or others? We suggest "
                "25 to 50 percent."
            ),
            "drop_off": _(
                "For effects lasting more than a year: how much less each following year "
                "counts. We suggest 20 percent."
            ),
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        places = cast("forms.ModelChoiceField[Place]", self.fields["place"])
        places.queryset = Place.objects.in_neighbourhood(neighbourhood)
        own_prices = cast("forms.ModelChoiceField[UnitValue]", self.fields["unit_value"])
        own_prices.queryset = UnitValue.objects.in_neighbourhood(neighbourhood)
        # An instance attribute, called without self (as Django's docs do it); the stubs
        # only know the method.
        own_prices.label_from_instance = price_label  # type: ignore[assignment]
        self.fields["reference_price"].widget.choices = reference_price_choices()
        self.fields["happened_on"].error_messages["invalid"] = _("Enter a date such as 2025-03-14.")
        for name in self.PERCENTS:
            field = self.fields[name]
            field.required = False  # empty: the suggested default
            for code in ("invalid", "min_value", "max_value"):
                field.error_messages[code] = _("Give a whole percentage, 0 to 100.")
        self.fields["duration_unit"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["domains"] = self.instance.domains

    # (legend, rows, intro): a row is a field name or a tuple of names shown side by side
    FIELDSETS: list[tuple[StrOrPromise, list[str | tuple[str, ...]], StrOrPromise]] = [
        (_("What changed"), ["title", "story", "significance"], ""),
        (
            _("For whom, when and where"),
            ["happened_on", "for_whom_group", "place", "where"],
            "",
        ),
        (_("Policy domains"), ["domains"], ""),
        (_("Quantity"), ["quantity", "unit"], ""),
        (
            _("Value in euros (optional)"),
            [
                "reference_price",
                "unit_value",
                ("duration", "duration_unit"),
                ("deadweight_low", "deadweight_high"),
                ("attribution_low", "attribution_high"),
                "drop_off",
                "value_note",
            ],
            _(
                "Value = quantity × price × duration (for a price per day, month or year) × "
                "(1 − deadweight) × attribution. The low value takes the high deadweight and the "
                "low attribution; the high value the other way round. Not everything has a fair "
                "price: then leave the prices empty."
            ),
        ),
        (_("Evidence"), ["evidence_text", "evidence_links"], ""),
        (_("Sharing"), ["public_summary", "publish"], ""),
    ]

    def fieldsets(self) -> list[tuple[StrOrPromise, list, StrOrPromise]]:
        """(legend, rows, intro): a row is one bound field or several shown side by side."""
        return [
            (
                legend,
                [
                    [self[name] for name in row] if isinstance(row, tuple) else [self[row]]
                    for row in rows
                ],
                intro,
            )
            for legend, rows, intro in self.FIELDSETS
        ]

    def clean_happened_on(self) -> datetime.date:
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError(
                _("An outcome is harvested once it has happened: choose a date up to today.")
            )
        return day

    def clean_quantity(self) -> Decimal | None:
        quantity = self.cleaned_data.get("quantity")
        if quantity is not None and quantity < 0:
            raise ValidationError(_("A quantity cannot be negative."))
        return quantity

    def clean_duration(self) -> Decimal | None:
        duration = self.cleaned_data.get("duration")
        if duration is not None and duration <= 0:
            raise ValidationError(_("A duration is more than zero."))
        return duration

    def clean_evidence_links(self) -> str:
        text = self.cleaned_data.get("evidence_links", "")
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            try:
                validate(line)
            except ValidationError:
                raise ValidationError(
                    _("Line %(line)s is not a web address starting with https:// : %(text)s"),
                    params={"line": number, "text": line[:80]},
                ) from None
        return "\n".join(lines)

    PERCENTS = (
        "deadweight_low",
        "deadweight_high",
        "attribution_low",
        "attribution_high",
        "drop_off",
    )

    def _ranges(self, data) -> None:
        for name in self.PERCENTS:
            if name not in self.errors and data.get(name) is None:
                data[name] = _default_of(name)
        if not data.get("duration_unit"):
            data["duration_unit"] = _default_of("duration_unit")
        for low, high, message in (
            (
                "deadweight_low",
                "deadweight_high",
                _("The deadweight range runs from the lower to the higher share: swap them."),
            ),
            (
                "attribution_low",
                "attribution_high",
                _("The attribution range runs from the lower to the higher share: swap them."),
            ),
        ):
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(high, message)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        quantity = data.get("quantity")
        reference: ReferencePrice | None = data.get("reference_price")
        own: UnitValue | None = data.get("unit_value")
        unit = (data.get("unit") or "").strip()
        if data.get("publish") and not (data.get("public_summary") or "").strip():
            self.add_error(
                "public_summary",
                _("Write a summary without names before showing this on the published page."),
            )
        self._ranges(data)
        if "quantity" in self.errors:
            return data
        if reference is not None and own is not None:
            self.add_error(
                "unit_value",
                _("Choose one price: a reference price or one of your own, not both."),
            )
            return data
        price = reference or own
        if price is not None:
            data["unit"] = unit or price.name
            if quantity is None:
                self.add_error("quantity", _("Give the quantity the price is multiplied by."))
            if price.period != Period.UNIT and data.get("duration") is None:
                self.add_error(
                    "duration",
                    _("This price is %(per)s: say how long the effect lasts, in months or years.")
                    % {"per": Period(price.period).label},
                )
            if price.period == Period.UNIT:
                data["duration"] = None
            return data
        data["duration"] = None
        if quantity is not None and not unit:
            self.add_error("unit", _("Say what the quantity counts, e.g. “homes insulated”."))
        if unit and quantity is None:
            self.add_error("quantity", _("Give the quantity for this unit, e.g. 9."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=Status.choices)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("photo or document"),
        help_text=_("A PDF document or a JPEG, PNG or WebP photo, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": f"application/pdf,{ACCEPT_ATTRIBUTE}"}),
        error_messages={"required": _("Choose a file to upload.")},
    )
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise ValidationError(_("The file is empty."))
        if upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(
                _("This file is %(size)s MB; the limit is 10 MB."),
                params={"size": number_format(Decimal(upload.size) / (1024 * 1024), 1)},
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if head.startswith(PDF_MAGIC):
            self.kind = EvidenceKind.PDF
            self.content_type = "application/pdf"
            return upload
        if head.startswith(IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
            try:
                clean = process_image(upload)  # re-encoded, metadata stripped, random name
            except ValidationError as error:
                if error.code == "image_format":  # it starts like a photo but is not one
                    raise ValidationError(IMAGE_MESSAGES["broken"], code="image_broken") from None
                raise
            self.kind = EvidenceKind.IMAGE
            self.content_type = clean.content_type
            return clean
        raise ValidationError(
            _("Only PDF documents or JPEG, PNG or WebP photos can be added as evidence.")
        )


class PersonPickForm(forms.Form):
    """Add a person "for whom" (the id comes from the search list on the page)."""

    person = IdField(
        label=_("person"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a person from the list."),
            "invalid": _("Choose a person from the list."),
        },
    )


class StepForm(forms.Form):
    """One step of the contribution chain: a kind, maybe an object, maybe words."""

    kind = forms.ChoiceField(label=_("kind of step"))
    target = IdField(label=_("which one"), required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("how it contributed"),
        max_length=200,
        required=False,
        help_text=_("For example: introduced to the coffee club."),
    )

    def __init__(self, *args, kinds: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (code, spec.label) for code, spec in kinds.items()
        ]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        kind = data.get("kind")
        if not kind:
            return data
        spec = self.kinds[kind]
        target = data.get("target")
        if spec.queryset is None:
            if not (data.get("note") or "").strip():
                self.add_error("note", _("Describe the step in a few words."))
            return data
        if target is None:
            self.add_error("target", _("Search and choose one from the list first."))
            return data
        found = spec.queryset.filter(pk=target).first()
        if found is None:
            self.add_error("target", _("That one is not part of this neighbourhood."))
        data["object"] = found
        return data


class UnitValueForm(forms.ModelForm):
    class Meta:
        model = UnitValue
        fields = ["unit", "value", "period", "price_year", "source"]
        widgets = {
            "value": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "price_year": forms.NumberInput(attrs={"min": "1900", "max": "2100", "class": "short"}),
        }
        error_messages = {
            "source": {
                "required": _(
                    "Say where this price comes from (publication, table, year): without a "
                    "source a controller cannot check it."
                )
            },
            "price_year": {"required": _("Give the year whose euros this price is in.")},
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        for validator_error in ("min_value", "max_value", "invalid"):
            self.fields["price_year"].error_messages[validator_error] = _(
                "Give a year such as 2024."
            )
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("price_year", timezone.localdate().year)

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if value < 0:
            raise ValidationError(_("A price per unit cannot be negative."))
        return value

    def clean_source(self) -> str:
        return " ".join(self.cleaned_data["source"].split())

    def clean_unit(self) -> str:
        unit = " ".join(self.cleaned_data["unit"].split())
        clash = UnitValue.objects.in_neighbourhood(self.neighbourhood).filter(
            normalised=normalise(unit)
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("This unit is already in the table; edit that one."))
        return unit


class PublicationForm(forms.ModelForm):
    class Meta:
        model = PublicationSettings
        fields = [
            "published",
            "intro",
            "show_places",
            "show_organisations",
            "show_initiatives",
            "show_outcomes",
        ]
        widgets = {"intro": forms.Textarea(attrs={"rows": 4})}


def default_period() -> tuple[datetime.date, datetime.date]:
    """The last twelve months up to today."""
    today = timezone.localdate()
    start = today.replace(day=1)
    for _month in range(11):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return start, today


def _period_fields(form: forms.Form) -> None:
    """Adds ``from`` and ``to`` (reserved words in Python, so not class attributes)."""
    for name, label in (("from", _("from")), ("to", _("to"))):
        form.fields[name] = DayField(label=label, required=False, widget=DateInput())
        form.fields[name].error_messages["invalid"] = _("Enter a date such as 2025-03-14.")


class PeriodForm(forms.Form):
    """?from=&to= — a period in 1900..2100; empty or invalid means the last twelve months."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _period_fields(self)
        self.order_fields(["from", "to"])
        # the period shown is the one the page covers: the default until another is asked
        self.fields["from"].initial, self.fields["to"].initial = default_period()

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period is before its start."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        default_start, default_end = default_period()
        if not self.is_valid():
            return default_start, default_end
        return (
            self.cleaned_data.get("from") or default_start,
            self.cleaned_data.get("to") or default_end,
        )


class ReportForm(PeriodForm):
    audience = forms.ChoiceField(
        label=_("for whom is this report"),
        choices=ReportAudience.choices,
        initial=ReportAudience.PARTNERS,  # the report's default: the narrowest set of names
        required=False,
        help_text=_("Decides which residents' names appear; everyone else is “a resident”."),
    )

    def __init__(self, *args, index_years: list[int] | None = None, **kwargs):
        """``index_years``: the years of the price index (`prices.index_years`); without
        them the report stays in the latest year the report is given."""
        super().__init__(*args, **kwargs)
        years = sorted(index_years or [])
        self.index_years = years
        self.fields["year"] = forms.CharField(  # never invalid: an unknown year is ignored
            label=_("in euros of"),
            widget=forms.Select(choices=[(str(year), str(year)) for year in reversed(years)]),
            required=False,
            help_text=_("All values are indexed to this year with the CBS consumer price index."),
        )

    def price_year(self, end: datetime.date) -> int | None:
        """The chosen year, else the period's last year (or the latest year in the index)."""
        raw = str(self.data.get("year") or "") if self.is_bound else ""
        if raw.isascii() and raw.isdigit() and int(raw) in self.index_years:
            return int(raw)
        if not self.index_years:
            return None
        return max(self.index_years[0], min(end.year, self.index_years[-1]))

    def audience_value(self) -> str:
        """The chosen audience even when the dates are wrong; partners when none is chosen
        (the narrowest set of names is the safe default)."""
        raw = self.data.get("audience") if self.is_bound else None
        return raw if raw in ReportAudience.values else ReportAudience.PARTNERS.value


class OutcomeFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=100)
    domain = forms.ChoiceField(
        label=_("policy domain"), required=False, choices=[("", _("all domains")), *Domain.choices]
    )
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("any status")), *Status.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _period_fields(self)

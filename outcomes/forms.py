"""Forms of outcomes: every bad input gets a clear message next to its field."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from neighbourhoods.fields import DayField, IdField
from neighbourhoods.images import ACCEPT_ATTRIBUTE, process_image
from neighbourhoods.images import MESSAGES as IMAGE_MESSAGES
from neighbourhoods.models import Neighbourhood
from places.models import Place
from residents.models import normalise

from .chain import plain_number
from .models import (
    CENT,
    Domain,
    EvidenceKind,
    Outcome,
    PublicationSettings,
    Status,
    UnitValue,
    computed_value,
)
from .names import ReportAudience

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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
            "unit_value",
            "unit",
            "value",
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
            "value": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }
        help_texts = {
            "value": _("Leave empty when you choose a standard unit: it is calculated."),
            "unit": _("Or type a unit when there is no standard one, e.g. “homes insulated”."),
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.fields["place"].queryset = Place.objects.in_neighbourhood(neighbourhood)
        self.fields["unit_value"].queryset = UnitValue.objects.in_neighbourhood(neighbourhood)
        self.fields["unit_value"].label_from_instance = lambda unit: (
            _("%(unit)s (€ %(value)s each)")
            % {"unit": unit.unit, "value": number_format(unit.value, 2)}
        )
        self.fields["happened_on"].error_messages["invalid"] = _("Enter a date such as 2025-03-14.")
        if self.instance.pk and not self.is_bound:
            self.initial["domains"] = self.instance.domains

    FIELDSETS = [
        (_("What changed"), ["title", "story", "significance"]),
        (_("For whom, when and where"), ["happened_on", "for_whom_group", "place", "where"]),
        (_("Policy domains"), ["domains"]),
        (_("Quantity and value"), ["quantity", "unit_value", "unit", "value", "value_note"]),
        (_("Evidence"), ["evidence_text", "evidence_links"]),
        (_("Sharing"), ["public_summary", "publish"]),
    ]

    def fieldsets(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

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

    def clean_value(self) -> Decimal | None:
        value = self.cleaned_data.get("value")
        if value is not None and value < 0:
            raise ValidationError(_("An estimated value cannot be negative."))
        return value

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

    def clean(self):
        data = super().clean()
        quantity = data.get("quantity")
        unit_value: UnitValue | None = data.get("unit_value")
        unit = (data.get("unit") or "").strip()
        value = data.get("value")
        if data.get("publish") and not (data.get("public_summary") or "").strip():
            self.add_error(
                "public_summary",
                _("Write a summary without names before showing this on the published page."),
            )
        if "quantity" in self.errors or "value" in self.errors:
            return data
        if unit_value is not None:
            data["unit"] = unit = unit_value.unit
            if quantity is None:
                self.add_error("quantity", _("Give the quantity for the standard unit you chose."))
            else:
                data["value"] = computed_value(quantity, unit_value)
                if not (data.get("value_note") or "").strip():
                    data["value_note"] = _(
                        "%(quantity)s × € %(value)s (standard value per %(unit)s)"
                    ) % {
                        "quantity": plain_number(quantity),
                        "value": number_format(unit_value.value, 2),
                        "unit": unit_value.unit,
                    }
            return data
        if value is not None and not unit:
            self.add_error(
                "value",
                _(
                    "A value needs a unit: choose a standard unit, or type a unit and a "
                    "quantity (e.g. 9 homes insulated)."
                ),
            )
        if quantity is not None and not unit:
            self.add_error(
                "unit", _("Say what the quantity counts: choose a standard unit or type one.")
            )
        if unit and quantity is None:
            self.add_error("quantity", _("Give the quantity for this unit, e.g. 9."))
        if value is not None and unit and not (data.get("value_note") or "").strip():
            self.add_error("value_note", _("Say how the value was estimated."))
        if value is not None:
            data["value"] = value.quantize(CENT)
        return data

    def save(self, commit: bool = True, *, user=None) -> Outcome:
        outcome: Outcome = super().save(commit=False)
        outcome.neighbourhood = self.neighbourhood
        outcome.unit = self.cleaned_data.get("unit", "")
        outcome.value = self.cleaned_data.get("value")
        outcome.value_note = self.cleaned_data.get("value_note", "")
        if outcome.pk is None:
            outcome.harvested_by = user
        if commit:
            outcome.save()
            outcome.set_domains(self.cleaned_data["domains"])
        return outcome


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
        self.fields["kind"].choices = [(code, spec.label) for code, spec in kinds.items()]

    def clean(self):
        data = super().clean()
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
        fields = ["unit", "value", "note"]
        widgets = {"value": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood

    def clean_value(self) -> Decimal:
        value = self.cleaned_data["value"]
        if value < 0:
            raise ValidationError(_("A value per unit cannot be negative."))
        return value

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

    def save(self, commit: bool = True, *, user=None) -> UnitValue:
        unit: UnitValue = super().save(commit=False)
        unit.neighbourhood = self.neighbourhood
        unit.updated_by = user
        if commit:
            unit.save()
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

    def clean(self):
        data = super().clean()
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
        required=False,
        help_text=_("Decides which residents' names appear; everyone else is “a resident”."),
    )

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

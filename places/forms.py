from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from neighbourhoods import geo
from neighbourhoods.fields import is_id
from neighbourhoods.forms import RecordForm
from neighbourhoods.images import ACCEPT_ATTRIBUTE, SafeImageField
from neighbourhoods.models import Neighbourhood
from organisations.models import Organisation
from residents.models import Person

from .models import Place, PlaceKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SORTS = {
    "name": (_("name A–Z"), ("name", "pk")),
    "-name": (_("name Z–A"), ("-name", "-pk")),
    "newest": (_("newest first"), ("-created_at", "-pk")),
    "kind": (_("kind"), ("kind", "name", "pk")),
}

PEOPLE_IN_SELECT = 200  # the manager select lists this many; a search finds the others
MAX_PHOTOS_PER_UPLOAD = 10
MAX_PHOTOS_PER_PLACE = 30


class PlaceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, street or description contains"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all kinds")), *PlaceKind.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def filter(self, queryset: QuerySet[Place]) -> QuerySet[Place]:
        """Apply the valid filters; invalid values (a bookmarked old kind) are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        q = (data.get("q") or "").strip()
        if q:
            queryset = queryset.filter(
                Q(name__icontains=q)
                | Q(street__icontains=q)
                | Q(description__icontains=q)
                | Q(accessibility__icontains=q)
            )
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        order = SORTS.get(data.get("sort") or "name", SORTS["name"])[1]
        return queryset.order_by(*order)

    @property
    def active(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("q") or data.get("kind"))


class CoordinateField(forms.FloatField):
    """A latitude or longitude: accepts a decimal comma, refuses out-of-range with a message."""

    # A text input keeps exactly what was typed ("52,29" too) when the form comes back.
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def __init__(self, *, limit: float, message: StrOrPromise, **kwargs):
        self.limit = limit
        self.range_message = message
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.error_messages["invalid"] = message

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        value = super().to_python(value)
        if value is not None and (not math.isfinite(value) or abs(value) > self.limit):
            raise ValidationError(self.range_message, code="out_of_range")
        return value


class PlaceForm(RecordForm):
    latitude = CoordinateField(
        label=_("Latitude"),
        limit=90,
        message=_("Latitude is a number between -90 and 90, for example 52.2935."),
        help_text=_("North–south position in degrees."),
    )
    longitude = CoordinateField(
        label=_("Longitude"),
        limit=180,
        message=_("Longitude is a number between -180 and 180, for example 4.8478."),
        help_text=_("East–west position in degrees."),
    )

    class Meta:
        model = Place
        fields = [
            "name",
            "kind",
            "street",
            "house_number",
            "postcode",
            "latitude",
            "longitude",
            "description",
            "managed_by_organisation",
            "managed_by_person",
            "availability",
            "accessibility",
            "public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "availability": _("When it can be used, for example: weekdays 9:00–17:00."),
            "accessibility": _(
                "Step-free entrance, accessible toilet, kitchen, hearing loop, parking …"
            ),
        }
        error_messages = {
            "name": {"required": _("Give the place a name.")},
            "kind": {"required": _("Choose what kind of place this is.")},
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.warnings: list[str] = []
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("— choose —")),
            *PlaceKind.choices,
        ]

        organisations = cast(
            "forms.ModelChoiceField[Organisation]", self.fields["managed_by_organisation"]
        )
        organisations.queryset = Organisation.objects.in_neighbourhood(neighbourhood).order_by(
            "name", "pk"
        )
        organisations.empty_label = _("— none —")
        organisations.error_messages["invalid_choice"] = _(
            "Choose an organisation of this neighbourhood from the list."
        )

        people = cast("forms.ModelChoiceField[Person]", self.fields["managed_by_person"])
        people.queryset = Person.objects.in_neighbourhood(neighbourhood)
        people.empty_label = _("— none —")
        people.error_messages["invalid_choice"] = _(
            "Choose a person of this neighbourhood from the list."
        )
        # Validation accepts anyone of this neighbourhood; the select lists a short list
        # (plus the current manager), and the search next to it finds anyone else.
        people.widget.choices = self._person_choices(people.queryset)

    def _person_choices(self, queryset: QuerySet[Person]) -> list[tuple[str, StrOrPromise]]:
        listed = list(
            queryset.only("pk", "name", "street").order_by("name", "pk")[:PEOPLE_IN_SELECT]
        )
        current_pk = str(self["managed_by_person"].value() or "")
        # a posted value may be anything; only a plausible id is looked up (validation
        # explains the rest)
        plausible = is_id(current_pk)
        if plausible and all(str(p.pk) != current_pk for p in listed):
            current = queryset.only("pk", "name", "street").filter(pk=current_pk).first()
            if current is not None:
                listed.insert(0, current)
        return [("", _("— none —"))] + [
            (str(p.pk), f"{p.name} · {p.street}" if p.street else p.name) for p in listed
        ]

    def clean(self):
        data = super().clean()
        assert data is not None  # ModelForm.clean() returns cleaned_data
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = value.strip()
        lat, lon = data.get("latitude"), data.get("longitude")
        lat_given = bool((self.data.get(self.add_prefix("latitude")) or "").strip())
        lon_given = bool((self.data.get(self.add_prefix("longitude")) or "").strip())
        if lat is None and lon is not None and not lat_given:
            self.add_error("latitude", _("Give the latitude too, or leave both empty."))
        if lon is None and lat is not None and not lon_given:
            self.add_error("longitude", _("Give the longitude too, or leave both empty."))
        if lat is not None and lon is not None:
            inside = geo.contains(self.neighbourhood.boundary, lat, lon)
            if inside is False:
                self.warnings.append(
                    _(
                        "This point lies outside the boundary of %(neighbourhood)s. "
                        "That is allowed; check that the coordinates are right."
                    )
                    % {"neighbourhood": self.neighbourhood.name}
                )
        return data


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleSafeImageField(SafeImageField):
    """Several photos at once; each is hardened, errors name the file they belong to."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_PHOTOS_PER_UPLOAD:
            raise ValidationError(
                _("Choose at most %(count)s photos at a time."),
                code="too_many",
                params={"count": MAX_PHOTOS_PER_UPLOAD},
            )
        cleaned: list[Any] = []
        errors: list[ValidationError] = []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                name = getattr(upload, "name", "") or _("a file")
                errors.extend(
                    ValidationError(
                        _("%(file)s: %(message)s"),
                        code=getattr(error, "code", None) or "invalid",
                        params={"file": name, "message": message},
                    )
                    for message in error.messages
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


class PhotoUploadForm(forms.Form):
    photos = MultipleSafeImageField(
        label=_("Photos"),
        help_text=_("JPEG, PNG or WebP, up to 10 MB and 40 megapixels each."),
        error_messages={"required": _("Choose one or more photos.")},
    )
    caption = forms.CharField(
        label=_("Caption (optional)"),
        required=False,
        max_length=200,
        help_text=_("Describe what the photo shows, for people who cannot see it."),
    )

    def __init__(self, *args, place: Place, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean() returns cleaned_data
        photos = data.get("photos") or []
        existing = self.place.photos.count()
        if photos and existing + len(photos) > MAX_PHOTOS_PER_PLACE:
            self.add_error(
                "photos",
                _("A place can have at most %(max)s photos; it has %(count)s already.")
                % {"max": MAX_PHOTOS_PER_PLACE, "count": existing},
            )
        data["caption"] = (data.get("caption") or "").strip()
        return data

from __future__ import annotations

import datetime
import json
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.boundaries import _check_coordinates, features
from neighbourhoods.models import Neighbourhood, Role

from .models import CbsArea, Level

MAX_GEOJSON = 5 * 1024 * 1024


class AreaChoice(forms.ModelChoiceField):
    def label_from_instance(self, area: CbsArea) -> str:
        kind = _("wijk") if area.level == Level.WIJK else _("buurt")
        figures = ""
        if area.households:
            figures = " · " + _("%(n)s households") % {
                "n": f"{area.households:,}".replace(",", ".")
            }
        return f"{area.name} ({kind}, {area.code}){figures}"


class NeighbourhoodForm(forms.Form):
    area = AreaChoice(
        queryset=CbsArea.objects.none(),
        required=False,
        label=_("CBS buurt or wijk"),
        empty_label=_("— none: draw on a map elsewhere, upload, or no boundary —"),
        help_text=_("Name, codes, boundary, centre and the CBS figures come with it."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the CBS name."),
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=120, required=False)
    boundary_file = forms.FileField(
        label=_("Or a boundary (GeoJSON, WGS 84)"),
        required=False,
        help_text=_("Only when you picked no CBS area."),
    )
    streets = forms.CharField(
        label=_("Streets (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The coverage page lists them, also those nobody has talked to yet."),
    )
    coordinator = forms.BooleanField(
        label=_("Make me coordinator of this neighbourhood"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        area = cast(forms.ModelChoiceField, self.fields["area"])
        area.queryset = CbsArea.objects.defer("boundary").order_by(
            "gemeente_name", "wijk_code", "-level", "name"
        )

    def clean_boundary_file(self):
        upload = self.cleaned_data.get("boundary_file")
        if not upload:
            return None
        if upload.size > MAX_GEOJSON:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        try:
            value = json.loads(upload.read())
        except (ValueError, UnicodeDecodeError) as error:
            raise forms.ValidationError(_("This is not a GeoJSON file.")) from error
        polygons = [
            f
            for f in (features(value) if isinstance(value, dict) else [])
            if (f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
        ]
        if len(polygons) != 1:
            raise forms.ValidationError(_("The file must hold exactly one polygon."))
        problem = _check_coordinates(polygons[0])
        if problem:
            raise forms.ValidationError(problem)
        return polygons[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("area") and data.get("boundary_file"):
            self.add_error("boundary_file", _("Pick a CBS area or upload a boundary, not both."))
        if not data.get("area") and not data.get("name"):
            self.add_error("name", _("Give the neighbourhood a name, or pick a CBS area."))
        return data

    @property
    def street_list(self) -> list[str]:
        return [line for line in self.cleaned_data.get("streets", "").splitlines() if line.strip()]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.BUILDER)
    neighbourhoods = forms.ModelMultipleChoiceField(
        queryset=Neighbourhood.objects.none(),
        label=_("In these neighbourhoods"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, operator, **kwargs):
        super().__init__(*args, **kwargs)
        neighbourhoods = cast(forms.ModelMultipleChoiceField, self.fields["neighbourhoods"])
        neighbourhoods.queryset = Neighbourhood.objects.filter(
            operator_link__operator=operator
        ).defer("boundary")


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("Choose a username"), max_length=150)
    password1 = forms.CharField(label=_("Choose a password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("The password again"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"])
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end.replace(month=1, day=1)
        if start > end:
            start, end = end, start
        return start, end

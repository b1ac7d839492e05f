from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from neighbourhoods.forms import RecordForm
from neighbourhoods.models import Neighbourhood
from residents.models import Person

from .models import Organisation, OrganisationKind, OrganisationMember

if TYPE_CHECKING:
    from neighbourhoods.models import NeighbourhoodQuerySet

SORTS = {
    "name": (_("name A–Z"), ("name", "pk")),
    "-name": (_("name Z–A"), ("-name", "-pk")),
    "newest": (_("newest first"), ("-created_at", "-pk")),
    "kind": (_("kind"), ("kind", "name", "pk")),
    "members": (_("most members"), ("-member_count", "name", "pk")),
}


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or description contains"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all kinds")), *OrganisationKind.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def filter(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Apply the valid filters; invalid values (a bookmarked old kind) are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        q = (data.get("q") or "").strip()
        if q:
            queryset = queryset.filter(Q(name__icontains=q) | Q(description__icontains=q))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        order = SORTS.get(data.get("sort") or "name", SORTS["name"])[1]
        return queryset.order_by(*order)

    @property
    def active(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("q") or data.get("kind"))


class OrganisationForm(RecordForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "contact",
            "email",
            "phone",
            "website",
            "street",
            "house_number",
            "postcode",
            "meeting_times",
            "usual_place",
            "public",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "contact": _("Who to ask: a name or a role, for example “the secretary”."),
            "meeting_times": _("For example: every Tuesday 19:30–21:00."),
            "website": _("A full address starting with https://"),
        }
        error_messages = {
            "name": {"required": _("Give the organisation a name.")},
            "kind": {"required": _("Choose what kind of organisation this is.")},
            "website": {"invalid": _("Enter a full web address, such as https://example.org.")},
            "email": {"invalid": _("Enter an email address such as name@example.org.")},
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        usual_place = cast(forms.ModelChoiceField, self.fields["usual_place"])
        # places.Place (no import of that app): its manager is a NeighbourhoodQuerySet
        places = cast("NeighbourhoodQuerySet[Any]", usual_place.queryset)
        usual_place.queryset = places.in_neighbourhood(neighbourhood).order_by("name", "pk")
        usual_place.empty_label = _("— none —")
        self.fields["usual_place"].error_messages["invalid_choice"] = _(
            "Choose a place of this neighbourhood from the list."
        )
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("— choose —")),
            *OrganisationKind.choices,
        ]

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = value.strip()
        return data


class MemberForm(forms.ModelForm):
    """Add a person of the same neighbourhood to an organisation (or change their role)."""

    class Meta:
        model = OrganisationMember
        fields = ["person", "role", "since"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"})}
        error_messages = {
            "person": {
                "required": _("Choose a person."),
                "invalid_choice": _("Choose a person of this neighbourhood from the list."),
            }
        }

    def __init__(self, *args, neighbourhood: Neighbourhood, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # validation accepts anyone of this neighbourhood; the page renders its own short list
        cast(
            forms.ModelChoiceField, self.fields["person"]
        ).queryset = Person.objects.in_neighbourhood(neighbourhood)
        self.fields["person"].label = _("Person")
        self.fields["role"].widget.attrs["list"] = "member-roles"

    def validate_unique(self):
        """One row per person: adding an existing member changes their role instead."""

    def save(self, commit: bool = True) -> OrganisationMember:
        data = self.cleaned_data
        member, _created = OrganisationMember.objects.update_or_create(
            organisation=self.organisation,
            person=data["person"],
            defaults={"role": data["role"].strip(), "since": data["since"]},
        )
        return member


ROLE_SUGGESTIONS = [
    _("chair"),
    _("secretary"),
    _("treasurer"),
    _("volunteer"),
    _("member"),
    _("coordinator"),
    _("contact person"),
]

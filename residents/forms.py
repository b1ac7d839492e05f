"""Forms for people and their gifts; per-field visibility lives on the person form."""

from __future__ import annotations

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from neighbourhoods.images import SafeImageField

from .models import PERSON_FIELDS, Audience, Gift, GiftKind, Person, Tag, default_visibility

# Text inputs that are checked over HTMX as soon as they change.
INLINE_VALIDATED = {"name", "street", "house_number", "postcode", "phone", "email", "title"}

MAX_TAGS = 12

phone_validator = RegexValidator(
    r"^[0-9+()./\s-]*$", _("Use digits, spaces and + ( ) - only."), code="phone"
)
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


def visibility_field_name(field: str) -> str:
    return f"visible_{field}"


class PersonForm(forms.ModelForm):
    """A person and who may see each of their fields (builders only unless chosen)."""

    photo = SafeImageField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)

    class Meta:
        model = Person
        fields = [
            "name",
            "street",
            "house_number",
            "postcode",
            "phone",
            "email",
            "languages",
            "street_wish",
        ]
        widgets = {
            "street_wish": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, neighbourhood=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.fields["phone"].validators.append(phone_validator)
        self.fields["street"].widget.attrs["list"] = "street-options"
        current = {**default_visibility(), **(self.instance.visibility or {})}
        for field, label in PERSON_FIELDS.items():
            value = current.get(field)
            self.fields[visibility_field_name(field)] = forms.ChoiceField(
                label=capfirst(label),
                choices=Audience.choices,
                initial=value if value in Audience.values else Audience.BUILDERS,
            )
        if not self.instance.photo:
            del self.fields["remove_photo"]

    def detail_fields(self) -> list[forms.BoundField]:
        skip = {"photo", "remove_photo"}
        return [self[n] for n in self.Meta.fields if n not in skip]

    def photo_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("photo", "remove_photo") if n in self.fields]

    def visibility_fields(self) -> list[forms.BoundField]:
        return [self[visibility_field_name(f)] for f in PERSON_FIELDS]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_street(self) -> str:
        return " ".join(self.cleaned_data["street"].split())

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        match = _POSTCODE.match(value)
        if not match:
            raise forms.ValidationError(_("A Dutch postcode looks like 1181 AB."))
        return f"{match[1]} {match[2].upper()}"

    def clean_languages(self) -> str:
        parts = [" ".join(p.split()) for p in self.cleaned_data["languages"].split(",")]
        return ", ".join(p for p in parts if p)

    def save(self, *, user=None, commit: bool = True) -> Person:
        person = super().save(commit=False)
        if self.neighbourhood is not None and not person.neighbourhood_id:
            person.neighbourhood = self.neighbourhood
        person.visibility = {
            field: self.cleaned_data[visibility_field_name(field)] for field in PERSON_FIELDS
        }
        old_files = []
        photo = self.cleaned_data.get("photo")
        if photo or self.cleaned_data.get("remove_photo"):
            old_files = [f.name for f in (person.photo, person.photo_thumbnail) if f]
            person.photo = None
            person.photo_thumbnail = None
        if photo:
            person.photo.save(photo.name, photo, save=False)
            person.photo_thumbnail.save(photo.thumbnail.name, photo.thumbnail, save=False)
        if user is not None:
            if person.pk is None:
                person.created_by = user
            person.updated_by = user
        if commit:
            person.save()
        self.replaced_files = old_files
        return person


class GiftForm(forms.ModelForm):
    """A gift of head, hands or heart; tags typed freely, matched to the neighbourhood's."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=800,
        help_text=_("Separate with commas, for example: koken, taal."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Gift
        fields = ["kind", "title", "description", "share", "learn"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = ["kind", "title", "description", "tags", "share", "learn"]

    def __init__(self, *args, neighbourhood=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.fields["kind"].choices = GiftKind.choices
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("title", "description", "tags")]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_tags(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data["tags"].split(",")]
        names = [n for n in names if n]
        limit = Tag._meta.get_field("name").max_length
        too_long = [n for n in names if len(n) > limit]
        if too_long:
            raise forms.ValidationError(
                _("A tag has at most %(limit)d characters."), params={"limit": limit}
            )
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(
                _("At most %(count)d tags per gift."), params={"count": MAX_TAGS}
            )
        return names

    def save(self, *, person: Person, user=None) -> Gift:
        gift = super().save(commit=False)
        gift.person = person
        if gift.pk is None and user is not None:
            gift.created_by = user
        gift.save()
        gift.tags.set(Tag.objects.resolve(person.neighbourhood, self.cleaned_data["tags"]))
        return gift

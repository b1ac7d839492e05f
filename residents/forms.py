"""Forms for people and their gifts; per-field visibility lives on the person form."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, cast

from django import forms
from django.core import signing
from django.core.validators import RegexValidator
from django.db import transaction
from django.http import Http404
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from neighbourhoods.fields import is_id, max_length_of
from neighbourhoods.images import SafeImageField
from neighbourhoods.versions import UNKNOWN, Change, FieldConflict, who_changed

from .consent import CONSENT_TEXT, CONSENT_TEXT_VERSION, audience_of, give_at_table, widened
from .models import PERSON_FIELDS, Audience, Gift, GiftKind, Person, Tag, default_visibility

if TYPE_CHECKING:
    from django.http import QueryDict

# Text inputs that are checked over HTMX as soon as they change.
INLINE_VALIDATED = {"name", "street", "house_number", "postcode", "phone", "email", "title"}

MAX_TAGS = 12

phone_validator = RegexValidator(
    r"^[0-9+()./\s-]*$", _("Use digits, spaces and + ( ) - only."), code="phone"
)
_POSTCODE = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})\s*$")


BASE_SALT = "residents.person-form.base"
PHOTO_KEY = "_photo"


def visibility_field_name(field: str) -> str:
    return f"visible_{field}"


class PersonForm(forms.ModelForm):
    """A person and who may see each of their fields (builders only unless chosen).

    Saved over an existing person, the form is checked against the version it was opened
    at (see :func:`save_if_current`). Who sees what may only be widened for a person who
    has not claimed their profile, and then only with consent recorded at the kitchen table;
    once claimed, the resident alone widens it (builders may narrow).
    """

    photo = SafeImageField(label=_("Photo"), required=False)
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    base = forms.CharField(widget=forms.HiddenInput, required=False)
    consent_given = forms.BooleanField(
        label=_("They agreed, out loud, to the text above and to who may see what"),
        required=False,
    )

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
        self.conflicts: list[FieldConflict] = []
        self.widened: dict[str, list[str]] = {}
        self.consents: list = []
        self.fields["phone"].validators.append(phone_validator)
        self.fields["street"].widget.attrs["list"] = "street-options"
        # What is saved now, before validation copies the typed values onto the instance.
        self.saved = {name: getattr(self.instance, name) for name in self.Meta.fields}
        self.saved_visibility = {**default_visibility(), **(self.instance.visibility or {})}
        self.saved_photo = bool(self.instance.photo)
        self.saved_version = self.instance.version if self.instance.pk else None
        for field, label in PERSON_FIELDS.items():
            value = self.saved_visibility.get(field)
            self.fields[visibility_field_name(field)] = forms.ChoiceField(
                label=capfirst(label),
                choices=Audience.choices,
                initial=value if value in Audience.values else Audience.BUILDERS,
            )
        if not self.instance.photo:
            del self.fields["remove_photo"]
        if self.instance.pk:
            self.fields["version"].initial = self.saved_version
            self.fields["base"].initial = self._signed_base()
        else:
            del self.fields["version"]
            del self.fields["base"]
        if self.claimed:
            del self.fields["consent_given"]

    @property
    def claimed(self) -> bool:
        """The resident has taken charge of this profile (a login owns it)."""
        return self.instance.user_id is not None

    @property
    def consent_text(self):

        return CONSENT_TEXT

    @property
    def consent_version(self) -> str:

        return CONSENT_TEXT_VERSION

    def detail_fields(self) -> list[forms.BoundField]:
        skip = {"photo", "remove_photo"}
        return [self[n] for n in self.Meta.fields if n not in skip]

    def photo_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("photo", "remove_photo") if n in self.fields]

    def visibility_fields(self) -> list[forms.BoundField]:
        return [self[visibility_field_name(f)] for f in PERSON_FIELDS]

    def chosen_visibility(self) -> dict[str, str]:
        """Who sees what after saving: as chosen in the form, else as saved (normalised)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            field: cleaned.get(visibility_field_name(field))
            or audience_of(self.saved_visibility, field)
            for field in PERSON_FIELDS
        }

    def clean_version(self) -> int | None:
        """The version the form was opened at; anything else counts as unknown (stale)."""
        raw = self.cleaned_data["version"].strip()
        return int(raw) if is_id(raw) else None

    def clean_base(self) -> dict[str, str]:
        """The values the form was opened with (signed by us); anything else: unknown."""
        try:
            base = signing.loads(self.cleaned_data["base"], salt=BASE_SALT)
        except (signing.BadSignature, ValueError):
            return {}
        return base if isinstance(base, dict) else {}

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

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # ModelForm.clean returns cleaned_data
        self.conflicts = self.find_conflicts()
        if self.conflicts:
            return cleaned  # not saved now; the rules below apply when it is saved again
        self.widened = widened(self.saved_visibility, self.chosen_visibility())
        if not self.widened:
            return cleaned
        if self.claimed:
            for audience, fields in self.widened.items():
                for field in fields:
                    self.add_error(
                        visibility_field_name(field),
                        _(
                            "%(name)s has claimed this profile and chooses who sees it: only "
                            "they can show this to %(audience)s. You may choose fewer people."
                        )
                        % {"name": self.saved["name"], "audience": Audience(audience).label},
                    )
        elif not cleaned.get("consent_given"):
            shown = [str(PERSON_FIELDS[f]) for fields in self.widened.values() for f in fields]
            self.add_error(
                "consent_given",
                _(
                    "You chose to show %(fields)s to more people. Read the consent text out "
                    "loud and tick this box once they agree; otherwise keep who sees it as it "
                    "was."
                )
                % {"fields": get_text_list(shown, gettext("and"))},
            )
        return cleaned

    def _saved_values(self) -> dict[str, str]:
        """The saved value of every field the form compares, by form field name."""
        values = {name: self.saved[name] or "" for name in self.Meta.fields}
        for field in PERSON_FIELDS:
            if visibility_field_name(field) in self.fields:
                values[visibility_field_name(field)] = audience_of(self.saved_visibility, field)
        return values

    def _signed_base(self) -> str:
        """The values the form opens with (and the photo's name), for telling who changed
        what if someone else saves meanwhile."""
        base = {**self._saved_values(), PHOTO_KEY: self.instance.photo.name or ""}
        return signing.dumps(base, salt=BASE_SALT, compress=True)

    def _typed_values(self) -> dict[str, str]:
        """What was typed, cleaned, for the fields without an error."""
        chosen = self.chosen_visibility()
        typed = {n: self.cleaned_data[n] or "" for n in self.Meta.fields if n in self.cleaned_data}
        for field in PERSON_FIELDS:
            name = visibility_field_name(field)
            if name in self.fields and name in self.cleaned_data:
                typed[name] = chosen[field]
        return typed

    def _label(self, name: str) -> str:
        for field, label in PERSON_FIELDS.items():
            if name == visibility_field_name(field):
                return gettext("Who sees: %(field)s") % {"field": label}
        return str(capfirst(self.fields[name].label))

    def find_conflicts(self) -> list[FieldConflict]:
        """When the form is stale: each field saved meanwhile that differs from the form.

        A form is stale when it was opened at another version than the saved one (or sent
        without one). Per field, the values the form was opened with (``base``) tell who
        changed it: changed by them only, their value goes into the form (``taken``); changed
        by both, or unknown, the typed value stays in the form and both are shown. Nothing
        differing: nothing to lose, it may be saved. Fields with an error keep their message.
        """
        if self.saved_version is None or self.cleaned_data.get("version") == self.saved_version:
            return []
        base = self.cleaned_data.get("base") or {}
        saved = self._saved_values()
        conflicts = []
        for name, typed in self._typed_values().items():
            change = who_changed(typed, saved[name], base.get(name, UNKNOWN))
            if change in (Change.NONE, Change.MINE):
                continue
            taken = change is Change.THEIRS
            if name.startswith("visible_"):
                theirs, yours, long = _audience_label(saved[name]), _audience_label(typed), False
            else:
                theirs, yours = saved[name], typed
                long = isinstance(self.fields[name].widget, forms.Textarea)
            conflicts.append(FieldConflict(name, self._label(name), theirs, yours, long, taken))
        new_photo = self.cleaned_data.get("photo") or self.cleaned_data.get("remove_photo")
        if new_photo and base.get(PHOTO_KEY) != (self.instance.photo.name or ""):
            theirs = gettext("a photo") if self.saved_photo else gettext("no photo")
            yours = (
                gettext("a new photo (choose it again)")
                if self.cleaned_data.get("photo")
                else gettext("no photo (removed)")
            )
            conflicts.append(FieldConflict("photo", gettext("Photo"), theirs, yours))
        return conflicts

    def move_version_on(self) -> None:
        """After showing the conflicts: the form holds their value where only they changed
        it, and is current, so saving it again saves what is in the form (unless a field has
        an error: that one was not compared, so the form stays stale)."""
        saved = self._saved_values()
        data = cast("QueryDict", self.data).copy()  # a bound form's data: a QueryDict
        self.data = data
        for conflict in self.conflicts:
            if conflict.taken:
                data[self.add_prefix(conflict.field)] = saved[conflict.field]
        if any(self.has_error(name) for name in self.fields):
            return  # a field with an error was not compared: the form stays stale until it is
        data[self.add_prefix("version")] = str(self.saved_version)
        data[self.add_prefix("base")] = self._signed_base()

    @transaction.atomic
    def save(self, *, user=None, commit: bool = True) -> Person:  # type: ignore[override]  # keyword-only: who saves
        person = super().save(commit=False)
        if self.neighbourhood is not None and not person.neighbourhood_id:
            person.neighbourhood = self.neighbourhood
        person.visibility = self.chosen_visibility()
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
            self.consents = self._record_consent(person, user)
        self.replaced_files = old_files
        return person

    def _record_consent(self, person: Person, user) -> list:
        """Widened fields of an unclaimed person: the consent given at the table, on record."""
        if self.claimed or not self.widened:
            return []
        records = []
        for audience, fields in self.widened.items():
            records.append(give_at_table(person, fields, audience, user))
        return [r for r in records if r is not None]


def _audience_label(value) -> str:
    return str(Audience(value).label) if value in Audience.values else str(Audience.BUILDERS.label)


def save_if_current(person: Person, make_form, user):
    """Build the form on the person's row, locked, and save it when valid and not stale.

    Returns ``(form, saved person or None)``. A stale form whose typed values differ from
    the saved ones is not saved: ``form.conflicts`` lists both values per field, and the
    form's version moves on, so saving it again keeps what is then in the form.
    """
    with transaction.atomic():
        locked = (
            Person.objects.select_for_update(of=("self",))
            .select_related("neighbourhood", "updated_by")
            .filter(pk=person.pk)
            .first()
        )
        if locked is None:  # deleted meanwhile
            raise Http404(gettext("This person no longer exists."))
        form = make_form(locked)
        valid = form.is_valid()
        if form.conflicts:
            form.move_version_on()
            return form, None
        if not valid:
            return form, None
        saved = form.save(user=user)
        storage = saved.photo.storage
        for name in form.replaced_files:
            if name:
                transaction.on_commit(functools.partial(storage.delete, name))
        return form, saved


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
        cast(forms.ChoiceField, self.fields["kind"]).choices = GiftKind.choices
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("title", "description", "tags")]

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())

    def clean_tags(self) -> list[str]:
        names = [" ".join(n.split()) for n in self.cleaned_data["tags"].split(",")]
        names = [n for n in names if n]
        limit = max_length_of(Tag, "name")
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

    def save(self, *, person: Person, user=None) -> Gift:  # type: ignore[override]  # keyword-only: whose gift
        gift = super().save(commit=False)
        gift.person = person
        if gift.pk is None and user is not None:
            gift.created_by = user
        gift.save()
        gift.tags.set(Tag.objects.resolve(person.neighbourhood, self.cleaned_data["tags"]))
        return gift

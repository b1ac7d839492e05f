"""Forms of the claim flow, the resident's own pages and the builders' invite page."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from residents.forms import PersonForm, visibility_field_name
from residents.models import PERSON_FIELDS, Audience, default_visibility

from .models import CODE_LENGTH, InviteKind, normalise_secret


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The 8 letters and digits your community builder gave you, e.g. ACDE-FGHJ."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_secret(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("A code has %(count)d letters and digits."), params={"count": CODE_LENGTH}
            )
        return code


class ConfirmForm(forms.Form):
    """The last step of a claim: confirm the data is about you (and set a login if new)."""

    confirm = forms.BooleanField(
        label=_("This is me. I have read what is recorded and I take charge of it."),
        error_messages={"required": _("Tick the box to confirm this is you.")},
    )


class NewAccountForm(ConfirmForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("You log in with this. Letters, digits and @ . + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "password1", "password2", "confirm"]

    def __init__(self, *args, person=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_username(self) -> str:
        User = get_user_model()
        username = User.normalize_username(self.cleaned_data["username"].strip())
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."))
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            User = get_user_model()
            name = self.person.name if self.person is not None else ""
            probe = User(username=cleaned.get("username", ""), first_name=name)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InviteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you give the invite?"),
        choices=InviteKind.choices,
        widget=forms.RadioSelect,
    )
    send_email = forms.BooleanField(
        label=_("Also send the link by email"),
        required=False,
    )

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if email:
            self.fields["send_email"].help_text = _("To %(email)s.") % {"email": email}
        else:
            del self.fields["send_email"]

    def clean(self) -> dict:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if cleaned.get("send_email") and cleaned.get("kind") != InviteKind.LINK:
            self.add_error("send_email", _("Only a link can be sent by email."))
        return cleaned


class DetailsForm(PersonForm):
    """The resident's own details and photo; who sees what is on its own page.

    Without visibility fields, PersonForm keeps who sees what as saved. The version check
    of PersonForm applies: a builder's save meanwhile is shown, never overwritten.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in PERSON_FIELDS:
            del self.fields[visibility_field_name(field)]
        self.fields.pop("consent_given", None)


class VisibilityForm(forms.Form):
    """Per field: builders only, residents of my neighbourhood, or public."""

    def __init__(self, *args, person, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = {**default_visibility(), **(person.visibility or {})}
        for field, label in PERSON_FIELDS.items():
            value = current.get(field)
            self.fields[field] = forms.ChoiceField(
                label=capfirst(label),
                choices=Audience.choices,
                initial=value if value in Audience.values else Audience.BUILDERS.value,
                widget=forms.Select(attrs={"data-preview": field}),
            )

    def visibility(self) -> dict[str, str]:
        return {field: self.cleaned_data[field] for field in PERSON_FIELDS}


class EraseForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the name to confirm"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    understood = forms.BooleanField(
        label=_("I understand this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args, name: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected_name = name

    def clean_confirm_name(self) -> str:
        typed = " ".join(self.cleaned_data["confirm_name"].split())
        if typed.casefold() != " ".join(self.expected_name.split()).casefold():
            raise forms.ValidationError(_("The name does not match; nothing was erased."))
        return typed

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Membership, Neighbourhood, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User as UserType

User = get_user_model()


class AddMemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.RESIDENT)
    create_new = forms.BooleanField(
        label=_("This is a new user: create the account"),
        required=False,
        help_text=_("They get an email with a link to choose their own password."),
    )
    email = forms.EmailField(
        label=_("Email address"), required=False, help_text=_("Needed for a new user.")
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.user: UserType | None = None

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        username = (data.get("username") or "").strip()
        if not username:
            return data
        existing = User.objects.filter(username__iexact=username).first()
        if data.get("create_new"):
            if existing is not None:
                self.add_error(
                    "username",
                    _("A user named “%(username)s” already exists; untick “new user” to add them.")
                    % {"username": existing.username},
                )
            elif not data.get("email"):
                self.add_error("email", _("Give an email address so the new user can log in."))
            else:
                username_field = User._meta.get_field("username")
                try:
                    username_field.run_validators(username)
                    for validator in username_field.validators:
                        validator(username)
                except forms.ValidationError as error:
                    self.add_error("username", error)
        elif existing is None:
            self.add_error(
                "username",
                _("There is no user named “%(username)s”. Tick “new user” to create one.")
                % {"username": username},
            )
        else:
            self.user = existing
            if Membership.objects.filter(user=existing, neighbourhood=self.neighbourhood).exists():
                self.add_error(
                    "username",
                    _("%(username)s is already a member of %(neighbourhood)s.")
                    % {"username": existing.username, "neighbourhood": self.neighbourhood},
                )
        data["username"] = username
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RecordForm(forms.ModelForm):
    """A form for a neighbourhood's record with who created and last changed it: ``save``
    puts it in ``self.neighbourhood`` and records ``user`` as creator (when new) and editor."""

    neighbourhood: Neighbourhood

    def save(self, commit: bool = True, *, user: Any = None) -> Any:
        record = super().save(commit=False)
        record.neighbourhood = self.neighbourhood
        if user is not None:
            if record.pk is None:
                record.created_by = user
            record.updated_by = user
        if commit:
            record.save()
        return record

"""Forms of the conversation pages. Every error is a sentence a builder understands."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neighbourhoods import dates
from neighbourhoods.fields import max_length_of
from organisations.models import Organisation
from residents.consent import CONSENT_DEFAULT, CONSENT_FIELDS, CONSENT_REQUIRED
from residents.models import Audience, GiftKind, Person

from .models import (
    TEXT_LIMIT,
    Conversation,
    DigestSetting,
    DraftGift,
    split_tags,
    team_members,
)
from .services import SAVED_FIELDS

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FIELD_LIMITS = {"cares_about": TEXT_LIMIT, "ideas": TEXT_LIMIT, "private_notes": TEXT_LIMIT}


def clean_text(value: str) -> str:
    """Browsers send CRLF in form posts and LF from scripts; keep one spelling."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


class Labels:
    """Labels without a trailing colon (they read as questions and headings here)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StartForm(Labels, forms.Form):
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=120)
    street = forms.CharField(
        label=gettext_lazy("Street"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "streets", "autocomplete": "off"}),
    )
    consent_given = forms.BooleanField(
        label=gettext_lazy("They agreed, out loud, to the text above"),
        error_messages={
            "required": gettext_lazy(
                "Read the text out loud and tick this box once they agree; without consent "
                "we record nothing."
            )
        },
    )
    consent_fields = forms.MultipleChoiceField(
        label=gettext_lazy("What we may record"),
        choices=list(CONSENT_FIELDS.items()),
        initial=CONSENT_DEFAULT,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_audience = forms.ChoiceField(
        label=gettext_lazy("Who may see it"),
        choices=Audience.choices,
        initial=Audience.BUILDERS,
    )

    def __init__(self, *args, person: Person | None = None, needs_consent: bool = True, **kw):
        super().__init__(*args, **kw)
        self.person = person
        self.needs_consent = needs_consent
        if person is not None:
            del self.fields["first_name"]
            del self.fields["street"]
        if not needs_consent:
            for name in ("consent_given", "consent_fields", "consent_audience"):
                del self.fields[name]

    def clean_first_name(self) -> str:
        name = " ".join(self.cleaned_data["first_name"].split())
        if not name:
            raise forms.ValidationError(_("Write their first name."))
        return name

    def clean_street(self) -> str:
        street = " ".join(self.cleaned_data["street"].split())
        if not street:
            raise forms.ValidationError(_("Write their street."))
        return street

    def clean_consent_fields(self) -> list[str]:
        chosen = self.cleaned_data["consent_fields"]
        missing = [key for key in CONSENT_REQUIRED if key not in chosen]
        if missing:
            raise forms.ValidationError(
                _(
                    "To log a conversation we must at least record %(fields)s. If they do "
                    "not agree to that, do not log this conversation."
                )
                % {"fields": ", ".join(str(CONSENT_FIELDS[key]) for key in CONSENT_REQUIRED)}
            )
        return chosen

    def consent(self) -> dict | None:
        if not self.needs_consent:
            return None
        return {
            "fields": self.cleaned_data["consent_fields"],
            "audience": self.cleaned_data["consent_audience"],
        }


class IntroducedForm(forms.Form):
    """The day an introduction was made: today unless told otherwise, never in the future,
    never before the neighbourhood's records start."""

    on = forms.DateField(
        required=False,
        error_messages={"invalid": gettext_lazy("Give the date they were introduced.")},
    )

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood

    def clean_on(self) -> datetime.date:
        day = self.cleaned_data.get("on") or timezone.localdate()
        dates.check(day, self.neighbourhood)
        return day


def parse_changes(post) -> tuple[dict, int | None, dict[str, str]]:
    """The autosaved fields of a POST: ``({field: (value, base)}, version, errors)``.

    Invalid fields are left out of the changes and explained in ``errors``.
    """
    changes: dict[str, tuple[object, str | None]] = {}
    errors: dict[str, str] = {}
    for name in SAVED_FIELDS:
        if name not in post:
            continue
        raw = clean_text(post.get(name, ""))
        base = post.get(f"base-{name}")
        base = clean_text(base) if base is not None else None
        if name == "held_on":
            day = _parse_day(raw)
            if day is None:
                errors[name] = _("Give the date of the conversation, for example 2026-03-14.")
            elif day > timezone.localdate():
                errors[name] = _("The conversation cannot take place in the future.")
            else:
                changes[name] = (day, base)
            continue
        limit = FIELD_LIMITS.get(name) or max_length_of(Conversation, name)
        if len(raw) > limit:
            errors[name] = _(
                "This text is %(length)s characters long; the limit is %(limit)s. Nothing "
                "was saved: shorten it (your text is still here, and kept on this device)."
            ) % {"length": f"{len(raw):,}", "limit": f"{limit:,}"}
            continue
        changes[name] = (raw, base)
    try:
        version = int(post.get("version", ""))
    except ValueError:
        version = None
    return changes, version, errors


def _parse_day(raw: str) -> datetime.date | None:
    try:
        return parse_date(raw.strip())
    except ValueError:
        return None


class GiftForm(Labels, forms.ModelForm):
    new_tags = forms.CharField(
        label=gettext_lazy("Other tags"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Separate with commas."),
        widget=forms.TextInput(attrs={"list": "tag-vocabulary", "autocomplete": "off"}),
    )
    client_token = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    class Meta:
        model = DraftGift
        fields = ["kind", "title", "share", "learn"]
        widgets = {"kind": forms.RadioSelect}
        labels = {"title": gettext_lazy("Gift")}
        help_texts = {"title": gettext_lazy("For example: repairing bikes, Turkish cooking.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = GiftKind.choices
        self.fields["kind"].error_messages["required"] = _("Choose head, hands or heart.")
        self.fields["title"].error_messages["required"] = _("Write the gift in a few words.")

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Write the gift in a few words."))
        return title

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        chosen = self.data.getlist("tags") if hasattr(self.data, "getlist") else []
        names = split_tags(",".join([*chosen, data.get("new_tags", "")]))
        tags = ", ".join(names)
        if len(tags) > max_length_of(DraftGift, "tags"):
            self.add_error("new_tags", _("That is too many tags; keep a few."))
        data["tags"] = tags
        return data

    def gift_data(self) -> dict:
        data = self.cleaned_data
        return {key: data[key] for key in ("kind", "title", "share", "learn", "tags")}


class TargetForm(Labels, forms.Form):
    """Someone the person knows or should meet: a person or an organisation."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why they should meet"), max_length=300, required=False
    )
    client_token = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        data["other_person"] = data["target_organisation"] = None
        if data.get("person"):
            data["other_person"] = (
                Person.objects.in_neighbourhood(self.neighbourhood)
                .filter(pk=data["person"])
                .first()
            )
            if data["other_person"] is None:
                raise forms.ValidationError(
                    _("That person is not in this neighbourhood; choose someone from the list.")
                )
        elif data.get("organisation"):
            data["target_organisation"] = (
                Organisation.objects.in_neighbourhood(self.neighbourhood)
                .filter(pk=data["organisation"])
                .first()
            )
            if data["target_organisation"] is None:
                raise forms.ValidationError(
                    _("That organisation is not in this neighbourhood; choose one from the list.")
                )
        else:
            raise forms.ValidationError(_("Search and choose a person or an organisation first."))
        return data


class TeamMemberField(forms.ModelChoiceField):
    """A member of the neighbourhood team, shown by full name (else username)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class FollowUpForm(Labels, forms.Form):
    what = forms.CharField(
        label=gettext_lazy("What"),
        max_length=300,
        error_messages={"required": gettext_lazy("Write what needs to happen.")},
    )
    assignee = TeamMemberField(
        label=gettext_lazy("By whom"),
        queryset=None,
        empty_label=None,
        error_messages={
            "invalid_choice": gettext_lazy("Choose someone of the neighbourhood team."),
            "required": gettext_lazy("Choose someone of the neighbourhood team."),
        },
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Give a due date."),
            "invalid": gettext_lazy("Give the due date as a date, for example 2026-03-14."),
        },
    )
    client_token = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def __init__(self, *args, neighbourhood, user, **kwargs):
        super().__init__(*args, **kwargs)
        team = team_members(neighbourhood)
        assignee = cast(TeamMemberField, self.fields["assignee"])
        assignee.queryset = team
        if not self.is_bound:
            self.initial.setdefault("assignee", user.pk)
            self.initial.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=7))

    def clean_due_on(self) -> datetime.date:
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(
                _("%(date)s is in the past; choose today or a later date.")
                % {"date": date_format(due, "DATE_FORMAT")}
            )
        return due


class ListFilterForm(Labels, forms.Form):
    builder = TeamMemberField(
        label=gettext_lazy("Community builder"), queryset=None, required=False
    )
    street = forms.CharField(label=gettext_lazy("Street"), max_length=120, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        builder = cast(TeamMemberField, self.fields["builder"])
        builder.queryset = team_members(neighbourhood)
        builder.empty_label = _("everyone")

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data


class DigestForm(Labels, forms.ModelForm):
    class Meta:
        model = DigestSetting
        fields = ["frequency", "weekday"]
        widgets = {"frequency": forms.RadioSelect}


MAX_OFFLINE_ITEMS = 50


class OfflineForm(StartForm):
    """A whole conversation typed without a connection: the start (first name, street,
    consent), the texts, and lists of gifts (``gift_kind``/``gift_title``) and people to meet
    (``meet_name``/``meet_reason``), in the order typed."""

    held_on = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = forms.CharField(label=gettext_lazy("where"), required=False, max_length=200)
    cares_about = forms.CharField(
        label=gettext_lazy("What they care about"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    ideas = forms.CharField(
        label=gettext_lazy("Ideas and dreams for the street"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_notes = forms.CharField(
        label=gettext_lazy("Private notes"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only community builders read these; never shown to residents."),
    )
    client_token = forms.RegexField(
        regex=r"^[A-Za-z0-9-]{8,40}$", max_length=40, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("needs_consent", True)
        super().__init__(*args, **kwargs)
        self.gifts: list[tuple[str, str]] = []
        self.meet: list[tuple[str, str]] = []

    def pairs(self, first: str, second: str) -> list[tuple[str, str]]:
        if not hasattr(self.data, "getlist"):
            return []
        a = [" ".join(clean_text(v).split()) for v in self.data.getlist(first)]
        b = [" ".join(clean_text(v).split()) for v in self.data.getlist(second)]
        b += [""] * (len(a) - len(b))
        return list(zip(a, b, strict=False))

    def clean_held_on(self):
        day = self.cleaned_data.get("held_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date lies in the future."))
        return day

    def clean(self):
        data = super().clean()
        assert data is not None
        gifts = [(kind, title) for kind, title in self.pairs("gift_kind", "gift_title") if title]
        meet = [(name, reason) for name, reason in self.pairs("meet_name", "meet_reason") if name]
        if len(gifts) > MAX_OFFLINE_ITEMS or len(meet) > MAX_OFFLINE_ITEMS:
            raise forms.ValidationError(_("That is too many gifts or people at once."))
        kinds = dict(GiftKind.choices)
        limit = max_length_of(DraftGift, "title")
        for kind, title in gifts:
            if kind not in kinds:
                raise forms.ValidationError(
                    _("Choose head, hands or heart for “%(title)s”.") % {"title": title[:60]}
                )
            if len(title) > limit:
                raise forms.ValidationError(
                    _("“%(title)s…” is too long for a gift.") % {"title": title[:40]}
                )
        for name, reason in meet:
            if len(name) > 120 or len(reason) > 300:
                raise forms.ValidationError(
                    _("“%(name)s…” is too long for someone to meet.") % {"name": name[:40]}
                )
        self.gifts, self.meet = gifts, meet
        return data

    def texts(self) -> dict[str, object]:
        data = self.cleaned_data
        texts: dict[str, object] = {
            name: clean_text(data.get(name) or "")
            for name in ("place", "cares_about", "ideas", "private_notes")
        }
        if data.get("held_on"):
            texts["held_on"] = data["held_on"]
        return texts

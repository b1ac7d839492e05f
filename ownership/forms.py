"""Forms: who carries it, who started it, a meeting in the activity log, a reflection."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conversations.models import Conversation, Introduction
from neighbourhoods import dates
from neighbourhoods.fields import IdsField, is_id
from network.models import Initiative
from organisations.models import Organisation
from residents.models import Person

from .models import MAX_PRESENT, NOTE_LIMIT, InitiativeStart, ReflectionKind, StartedBy

SUBJECT_CHOICES = 40  # recent conversations / introductions offered in the subject list


class NoColon:
    """Labels without a trailing colon, like the rest of the app."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_in_future(day, message: str):
    if day and day > timezone.localdate():
        raise forms.ValidationError(message)
    return day


class CarriersForm(NoColon, forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"),
        widget=DateInput(),
        help_text=gettext_lazy("The day this started. The next change ends it."),
    )
    people = IdsField(
        label=gettext_lazy("Residents who carry it"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Members of the initiative. Add someone as a member first."),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choose residents of this neighbourhood who take part in this initiative."
            ),
            "invalid_pk_value": gettext_lazy(
                "Choose residents of this neighbourhood who take part in this initiative."
            ),
        },
    )
    organisations = IdsField(
        label=gettext_lazy("Organisations (professionals) who carry it"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("Choose organisations of this neighbourhood."),
            "invalid_pk_value": gettext_lazy("Choose organisations of this neighbourhood."),
        },
    )
    nobody = forms.BooleanField(
        label=gettext_lazy("Nobody carries it any more"),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        nb = initiative.neighbourhood
        carried = Person.objects.filter(carried_initiatives__initiative=initiative)
        cast(forms.ModelChoiceField, self.fields["people"]).queryset = (
            Person.objects.in_neighbourhood(nb)
            .filter(Q(initiative_memberships__initiative=initiative) | Q(pk__in=carried))
            .distinct()
            .order_by("name", "pk")
        )
        cast(
            forms.ModelChoiceField, self.fields["organisations"]
        ).queryset = Organisation.objects.in_neighbourhood(nb).order_by("name", "pk")
        # A new period starts empty: who carries it from now on is ticked, not unticked
        # (the page lists who carries it now above the form).
        self.fields["since"].initial = timezone.localdate()

    def clean_since(self):
        since = _not_in_future(
            self.cleaned_data.get("since"),
            _("A change of who carries it cannot be in the future."),
        )
        return dates.check(since, self.initiative.neighbourhood)

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        someone = data.get("people") or data.get("organisations")
        if self.errors:
            return data
        if someone and data.get("nobody"):
            raise forms.ValidationError(
                _("You chose carriers and “Nobody carries it any more”: choose one of the two.")
            )
        if not someone and not data.get("nobody"):
            raise forms.ValidationError(
                _("Choose who carries it, or tick “Nobody carries it any more”.")
            )
        return data


class StartForm(NoColon, forms.ModelForm):
    class Meta:
        model = InitiativeStart
        fields = ["started_by", "organisation"]
        widgets = {"started_by": forms.RadioSelect}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ChoiceField, self.fields["started_by"]
        ).choices = StartedBy.choices  # no empty radio button
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = Organisation.objects.in_neighbourhood(initiative.neighbourhood).order_by(
            "name", "pk"
        )
        field.error_messages["invalid_choice"] = _("Choose an organisation of this neighbourhood.")

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("organisation") and data.get("started_by") != StartedBy.PROFESSIONAL:
            self.add_error(
                "organisation",
                _("Only a professional's project has an organisation that started it."),
            )
        return data


class ActivityForm(NoColon, forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date"), widget=DateInput())
    present = forms.IntegerField(
        label=gettext_lazy("People present"),
        min_value=0,
        max_value=MAX_PRESENT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        error_messages={
            "min_value": gettext_lazy("The number of people present cannot be negative."),
            "max_value": gettext_lazy(
                "That is more people than we can count: at most %(limit_value)s."
            ),
            "invalid": gettext_lazy("Give the number of people present as a whole number."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_LIMIT,
        required=False,
        help_text=gettext_lazy("What happened, in a few words. No names needed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()

    def clean_held_on(self):
        return _not_in_future(
            self.cleaned_data.get("held_on"),
            _("A meeting cannot be in the future: log it once it has happened."),
        )


class QuickReflectionForm(NoColon, forms.Form):
    """What a reflection says; the subject comes with it (a hidden field on subject pages)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("For the people involved, this was"),
        choices=ReflectionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose strengthening, harmful or neutral."),
            "invalid_choice": gettext_lazy("Choose strengthening, harmful or neutral."),
        },
    )
    why = forms.CharField(
        label=gettext_lazy("Why, in a sentence"),
        max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Say why, in a sentence.")},
    )


class ReflectionForm(QuickReflectionForm):
    """A reflection on one subject, chosen as ``conversation:12``, ``introduction:3`` or
    ``initiative:7``; the choices are this builder's recent work and the initiatives."""

    field_order = ["subject", "kind", "why"]
    subject = forms.ChoiceField(
        label=gettext_lazy("About"),
        error_messages={
            "required": gettext_lazy("Choose what this reflection is about."),
            "invalid_choice": gettext_lazy(
                "Choose a conversation, introduction or initiative of this neighbourhood."
            ),
        },
    )

    def __init__(self, *args, membership, chosen: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.neighbourhood = membership.neighbourhood
        cast(forms.ChoiceField, self.fields["subject"]).choices = self._choices(chosen)
        if chosen:
            self.fields["subject"].initial = chosen

    # the objects a builder may reflect on ------------------------------------------------

    def conversations(self):
        return (
            Conversation.objects.in_neighbourhood(self.neighbourhood)
            .visible_to(self.membership)
            .select_related("person")
        )

    def introductions(self):
        return (
            Introduction.objects.in_neighbourhood(self.neighbourhood)
            .proposed()
            .select_related("person", "to_person", "to_organisation")
        )

    def initiatives(self):
        return Initiative.objects.in_neighbourhood(self.neighbourhood)

    def _choices(self, chosen: str) -> list:
        user = self.membership.user
        conversations = list(
            self.conversations().filter(builder=user).order_by("-held_on", "-pk")[:SUBJECT_CHOICES]
        )
        introductions = list(
            self.introductions()
            .filter(Q(proposed_by=user) | Q(introduced_by=user) | Q(conversation__builder=user))
            .order_by("-pk")[:SUBJECT_CHOICES]
        )
        initiatives = list(self.initiatives().order_by("name", "pk")[:200])
        extra = self.resolve(chosen)
        if extra is not None:
            kind, obj = extra
            pool = {"conversation": conversations, "introduction": introductions}.get(
                kind, initiatives
            )
            if obj not in pool:
                pool.insert(0, obj)
        choices: list[tuple[str, Any]] = [("", "—")]
        if conversations:
            choices.append(
                (
                    _("Conversations"),
                    [(f"conversation:{c.pk}", conversation_label(c)) for c in conversations],
                )
            )
        if introductions:
            choices.append(
                (
                    _("Introductions"),
                    [(f"introduction:{i.pk}", introduction_label(i)) for i in introductions],
                )
            )
        if initiatives:
            choices.append(
                (_("Initiatives"), [(f"initiative:{i.pk}", i.name) for i in initiatives])
            )
        return choices

    def resolve(self, value: str):
        """("conversation", obj) for a subject value this builder may use, else None."""
        kind, _sep, pk = (value or "").partition(":")
        if not is_id(pk):
            return None
        source = {
            "conversation": self.conversations,
            "introduction": self.introductions,
            "initiative": self.initiatives,
        }.get(kind)
        if source is None:
            return None
        obj = source().filter(pk=int(pk)).first()
        return (kind, obj) if obj is not None else None

    def clean_subject(self):
        found = self.resolve(self.cleaned_data["subject"])
        if found is None:
            raise forms.ValidationError(
                _("Choose a conversation, introduction or initiative of this neighbourhood.")
            )
        return found


def conversation_label(conversation: Conversation) -> str:
    return _("Conversation with %(name)s, %(date)s") % {
        "name": conversation.person.name,
        "date": date_format(conversation.held_on, "j M Y"),
    }


def introduction_label(introduction: Introduction) -> str:
    return _("%(person)s → %(other)s") % {
        "person": introduction.person.name,
        "other": str(introduction.target),
    }

"""Forms of the network pages. Every refusal is a sentence a builder understands."""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from neighbourhoods import dates
from neighbourhoods.fields import DayField, IdField, IdsField, is_id, max_length_of
from neighbourhoods.models import Neighbourhood
from organisations.models import Organisation
from places.models import Place
from residents.models import Gift, Person

from .models import (
    Connection,
    Initiative,
    InitiativeMember,
    Origin,
    Street,
    ordered_pair,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _gift_label(obj: Gift) -> str:
    return f"{obj.person.name}: {obj.title}"


class NoColon:
    """Labels without a trailing colon, like the rest of the app."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _in_range(day: datetime.date | None, neighbourhood) -> None:
    """Never in the future, never before the neighbourhood's records start (``dates``)."""
    dates.check(day, neighbourhood)


def parse_target(value: str) -> tuple[str, int] | None:
    """ "p:12" → ("p", 12); "o:3" → ("o", 3); anything else → None."""
    kind, _sep, pk = (value or "").partition(":")
    if kind in {"p", "o"} and is_id(pk):
        return kind, int(pk)
    return None


class ConnectionForm(NoColon, forms.Form):
    """Connect ``person`` to another person or an organisation of the same neighbourhood."""

    target = forms.CharField(
        label=gettext_lazy("Connected with"),
        error_messages={"required": gettext_lazy("Choose a person or an organisation.")},
    )
    origin = forms.ChoiceField(label=gettext_lazy("How it came about"), choices=Origin.choices)
    since = forms.DateField(
        label=gettext_lazy("Since"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("Leave empty when nobody knows."),
    )
    origin_note = forms.CharField(
        label=gettext_lazy("Note (optional)"), max_length=200, required=False
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.target_object: Person | Organisation | None = None

    def clean_target(self) -> str:
        value = self.cleaned_data["target"]
        parsed = parse_target(value)
        if parsed is None:
            raise forms.ValidationError(_("Choose a person or an organisation."))
        kind, pk = parsed
        model = Person if kind == "p" else Organisation
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise forms.ValidationError(_("That person or organisation no longer exists."))
        if found.neighbourhood_id != self.person.neighbourhood_id:
            raise forms.ValidationError(
                _("Only people and organisations of this neighbourhood can be connected here.")
            )
        if kind == "p" and found.pk == self.person.pk:
            raise forms.ValidationError(_("A person cannot be connected to themselves."))
        existing = _existing(
            self.person,
            found if isinstance(found, Person) else None,  # kind "p"
            found if isinstance(found, Organisation) else None,  # kind "o"
        )
        if existing is not None:
            if existing.ended:
                raise forms.ValidationError(
                    _("They were connected until %(date)s; that connection is on record.")
                    % {"date": date_format(existing.ended)}
                )
            raise forms.ValidationError(_("They are connected already."))
        self.target_object = found
        return value

    def clean_since(self) -> datetime.date | None:
        since = self.cleaned_data.get("since")
        _in_range(since, self.person.neighbourhood)
        return since


def _existing(person: Person, other: Person | None, organisation: Organisation | None):
    if other is not None:
        low, high = ordered_pair(person.pk, other.pk)
        return Connection.objects.filter(person_id=low, other_person_id=high).first()
    return Connection.objects.filter(person=person, organisation=organisation).first()


class EndConnectionForm(NoColon, forms.Form):
    ended = forms.DateField(
        label=gettext_lazy("Ended on"),
        widget=DATE,
        error_messages={"required": gettext_lazy("Give the date the connection ended.")},
    )

    def __init__(self, *args, connection: Connection, **kwargs):
        super().__init__(*args, **kwargs)
        self.connection = connection
        if not self.is_bound:
            self.initial["ended"] = timezone.localdate()

    def clean_ended(self) -> datetime.date:
        ended = self.cleaned_data["ended"]
        _in_range(ended, self.connection.neighbourhood)
        if self.connection.since and ended < self.connection.since:
            raise forms.ValidationError(
                _("A connection cannot end before it started (%(date)s).")
                % {"date": date_format(self.connection.since)}
            )
        return ended


# ------------------------------------------------------------------------------ initiatives


class InitiativeForm(NoColon, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["name", "description", "status", "started_on", "meeting_place", "gifts", "public"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "started_on": DATE,
            "gifts": forms.CheckboxSelectMultiple,
        }
        field_classes = {"gifts": IdsField}

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["meeting_place"]
        ).queryset = Place.objects.in_neighbourhood(neighbourhood).order_by("name")
        cast(forms.ModelChoiceField, self.fields["meeting_place"]).empty_label = _(
            "— no fixed place —"
        )
        # The gifts it uses are gifts of its members (chosen once people have joined).
        gifts = Gift.objects.none()
        if self.instance.pk:
            gifts = (
                Gift.objects.in_neighbourhood(neighbourhood)
                .filter(
                    Q(person__initiative_memberships__initiative=self.instance)
                    | Q(pk__in=self.instance.gifts.values("pk"))
                )
                .select_related("person")
                .distinct()
                .order_by("person__name", "title")
            )
        gifts_field = cast(forms.ModelMultipleChoiceField, self.fields["gifts"])
        gifts_field.queryset = gifts
        # An instance's own label function, as Django's docs show (mypy sees a method).
        gifts_field.label_from_instance = _gift_label  # type: ignore[method-assign]
        self.fields["gifts"].help_text = _("Gifts of its members that this initiative uses.")
        if not self.instance.pk or not gifts.exists():
            del self.fields["gifts"]


class MemberForm(NoColon, forms.ModelForm):
    person = IdField(
        label=gettext_lazy("Person"),
        error_messages={
            "required": gettext_lazy("Choose a person."),
            "invalid": gettext_lazy("Choose a person of this neighbourhood."),
        },
    )

    class Meta:
        model = InitiativeMember
        fields = ["joined", "left", "initiator"]
        widgets = {"joined": DATE, "left": DATE}
        error_messages = {"joined": {"required": gettext_lazy("Give the date they joined.")}}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative = initiative
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("joined", timezone.localdate())
        if self.instance.pk:
            del self.fields["person"]
        self.person_object: Person | None = None

    def clean_person(self) -> int:
        pk = self.cleaned_data["person"]
        person = Person.objects.filter(pk=pk).first()
        if person is None or person.neighbourhood_id != self.initiative.neighbourhood_id:
            raise forms.ValidationError(_("Choose a person of this neighbourhood."))
        if self.initiative.members.filter(person=person).exists():
            raise forms.ValidationError(_("%(name)s is a member already.") % {"name": person.name})
        self.person_object = person
        return pk

    def clean_joined(self):
        joined = self.cleaned_data.get("joined")
        _in_range(joined, self.initiative.neighbourhood)
        return joined

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        joined, left = data.get("joined"), data.get("left")
        if joined and left and left < joined:
            self.add_error("left", _("Someone cannot leave before they joined."))
        return data

    def save(self, commit: bool = True) -> InitiativeMember:
        member = super().save(commit=False)
        member.initiative = self.initiative
        if self.person_object is not None:
            member.person = self.person_object
        if commit:
            member.save()
        return member


class ConfirmForm(NoColon, forms.Form):
    """Who among the members knows whom: ``person`` knows each of ``others``."""

    person = forms.TypedChoiceField(label=gettext_lazy("Member"), coerce=int)
    others = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Knows"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one member they know.")},
    )
    since = forms.DateField(
        label=gettext_lazy("Know each other since"),
        widget=DATE,
        error_messages={"required": gettext_lazy("Give the date they got to know each other.")},
    )

    def __init__(self, *args, members: list[Person], neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        choices = [(p.pk, p.name) for p in members]
        cast(forms.ChoiceField, self.fields["person"]).choices = choices
        cast(forms.ChoiceField, self.fields["others"]).choices = choices
        self.members = {p.pk: p for p in members}
        if not self.is_bound:
            self.initial.setdefault("since", timezone.localdate())

    def clean_since(self):
        since = self.cleaned_data["since"]
        _in_range(since, self.neighbourhood)
        return since

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        person, others = data.get("person"), data.get("others") or []
        if person is not None and person in others:
            self.add_error("others", _("A person cannot be connected to themselves."))
        return data


class GroupForm(NoColon, forms.Form):
    """ "These members know each other since <date>": every pair among the ticked members."""

    people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("These members know each other"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least two members.")},
    )
    since = forms.DateField(
        label=gettext_lazy("since"),
        widget=DATE,
        error_messages={"required": gettext_lazy("Give the date they got to know each other.")},
    )

    def __init__(self, *args, members: list[Person], neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        cast(forms.ChoiceField, self.fields["people"]).choices = [(p.pk, p.name) for p in members]
        self.members = {p.pk: p for p in members}
        if not self.is_bound:  # everyone ticked: the usual case is the whole group
            self.initial.setdefault("people", list(self.members))
            self.initial.setdefault("since", timezone.localdate())

    @property
    def ticked_count(self) -> int:
        ticked = self["people"].value() or []  # what was sent, or everyone at first
        return len({str(pk) for pk in ticked} & {str(pk) for pk in self.members})

    @property
    def ticked_pairs(self) -> int:
        n = self.ticked_count
        return n * (n - 1) // 2

    def clean_people(self) -> list[int]:
        chosen = self.cleaned_data["people"]
        if len(chosen) < 2:
            raise forms.ValidationError(_("Tick at least two members."))
        return chosen

    def clean_since(self):
        since = self.cleaned_data["since"]
        _in_range(since, self.neighbourhood)
        return since


# ------------------------------------------------------------------------------ coverage


class StreetForm(NoColon, forms.Form):
    names = forms.CharField(
        label=gettext_lazy("Streets"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=gettext_lazy("One street per line; streets already on the list are kept."),
        error_messages={"required": gettext_lazy("Type at least one street.")},
    )

    def clean_names(self) -> list[str]:
        names = []
        for line in self.cleaned_data["names"].splitlines():
            name = " ".join(line.split())
            if not name:
                continue
            if len(name) > max_length_of(Street, "name"):
                raise forms.ValidationError(
                    _("“%(name)s…” is too long for a street name.") % {"name": name[:40]}
                )
            names.append(name)
        if not names:
            raise forms.ValidationError(_("Type at least one street."))
        return names


class StreetFileForm(NoColon, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Street list file"),
        help_text=gettext_lazy(
            "A CSV with a column “street” (or one street per line), or an OpenStreetMap "
            "GeoJSON export: its named streets inside the neighbourhood's boundary are added."
        ),
        error_messages={"required": gettext_lazy("Choose a file.")},
    )

    MAX_BYTES = 5 * 1024 * 1024
    EXTENSIONS = (".csv", ".txt", ".json", ".geojson")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not (upload.name or "").lower().endswith(self.EXTENSIONS):
            raise forms.ValidationError(
                _("Choose a CSV file (.csv, .txt) or a GeoJSON file (.geojson, .json).")
            )
        start = upload.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        upload.seek(0)
        if start[:1] == b"<":
            raise forms.ValidationError(_("This is a web page or XML, not a CSV or GeoJSON file."))
        return upload


# ------------------------------------------------------------------------------ suggestions


class SuggestionForm(NoColon, forms.Form):
    person = IdField(widget=forms.HiddenInput)
    other = IdField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Why they should meet"), max_length=300, required=False
    )

    def __init__(self, *args, neighbourhood: Neighbourhood, **kwargs):
        super().__init__(*args, **kwargs)
        self.neighbourhood = neighbourhood
        self.people: tuple[Person, Person] | None = None

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        a, b = data.get("person"), data.get("other")
        if a is None or b is None:
            raise forms.ValidationError(_("This suggestion is incomplete; reload the page."))
        if a == b:
            raise forms.ValidationError(_("A person cannot be connected to themselves."))
        found = Person.objects.in_neighbourhood(self.neighbourhood).in_bulk([a, b])
        if len(found) != 2:
            raise forms.ValidationError(
                _("Only people of this neighbourhood can be introduced here.")
            )
        self.people = (found[a], found[b])
        return data


# ------------------------------------------------------------------------------ network page


class NetworkFilterForm(NoColon, forms.Form):
    """Filters of the network page. Ids of initiatives and tags are looked up within the
    neighbourhood by the queries themselves, so a foreign or stale id simply finds nothing;
    ``choices`` (for the page's selects) offer only what the viewer may use."""

    street = forms.CharField(
        label=gettext_lazy("Street"), required=False, max_length=120, widget=forms.Select
    )
    initiative = IdField(label=gettext_lazy("Initiative"), required=False, widget=forms.Select)
    tag = IdField(label=gettext_lazy("Tag"), required=False, widget=forms.Select)
    origin = forms.ChoiceField(label=gettext_lazy("How connections came about"), required=False)
    then = DayField(label=gettext_lazy("Then"), required=False, widget=DATE)
    now = DayField(label=gettext_lazy("Now"), required=False, widget=DATE)
    q = forms.CharField(
        label=gettext_lazy("Find a name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, choices: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("all"))]
        cast(forms.ChoiceField, self.fields["origin"]).choices = every + list(Origin.choices)
        if choices is not None:
            self.fields["street"].widget.choices = every + [(s, s) for s in choices["streets"]]
            self.fields["initiative"].widget.choices = every + list(choices["initiatives"])
            self.fields["tag"].widget.choices = every + list(choices["tags"])

    def initiative_choices(self) -> list[tuple[int, str]]:
        """The initiatives offered in the select (read once for the page)."""
        choices = getattr(self.fields["initiative"].widget, "choices", [])
        return [(pk, name) for pk, name in choices if pk != ""]

    def filters(self):
        """The valid filters as :class:`network.graph.Filters`; invalid values are ignored."""
        from .graph import Filters, default_then

        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        today = timezone.localdate()
        now = data.get("now") or today
        if now > today:
            now = today
        then = data.get("then") or default_then(now)
        if then > now:
            then, now = now, then
        return Filters(
            street=data.get("street") or "",
            initiative=data.get("initiative"),
            tag=data.get("tag"),
            origin=data.get("origin") or "",
            now=now,
            then=then,
        )

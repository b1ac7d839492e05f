"""Filters of the change log and the access log (GET forms; bad values are ignored)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AccessAction, Action
from .readable import model_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Filters(forms.Form):
    who = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def __init__(self, data, *, users: QuerySet, **kwargs):
        super().__init__(data, label_suffix="", **kwargs)
        who = self.fields["who"]
        assert isinstance(who, forms.ChoiceField)
        who.choices = [("", _("everyone"))] + [
            (u.pk, u.get_full_name() or u.get_username()) for u in users
        ]

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_valid() else None

    def _when(self, queryset: QuerySet) -> QuerySet:
        since, until = self.value("since"), self.value("until")
        if since:
            queryset = queryset.filter(created_at__date__gte=since)
        if until:
            queryset = queryset.filter(created_at__date__lte=until)
        return queryset

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid():
            return queryset
        if self.value("who"):
            queryset = queryset.filter(actor_id=self.value("who"))
        return self._when(queryset)

    def clean(self):
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, datetime.date) and isinstance(until, datetime.date) and since > until:
            self.add_error("until", _("The end comes before the start."))
        return data


def _users(ids) -> QuerySet:
    return get_user_model().objects.filter(pk__in=ids).order_by("first_name", "username")


class ChangeFilters(_Filters):
    kind = forms.ChoiceField(label=_("What kind"), required=False)
    action = forms.ChoiceField(label=_("Kind of change"), required=False)
    # One record's history (with ``kind``), e.g. an initiative's from its page.
    record = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    field_order = ["who", "kind", "action", "since", "until", "record"]

    def __init__(self, data, *, actor_ids, labels, **kwargs):
        super().__init__(data, users=_users(actor_ids), **kwargs)
        kinds: list[tuple[str, str]] = []
        for label in labels:
            model = model_for(label)
            kinds.append((label, str(model._meta.verbose_name_plural) if model else label))
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [("", _("everything")), *sorted(kinds, key=lambda k: k[1])]
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("every change")), *Action.choices]

    def apply(self, queryset: QuerySet) -> QuerySet:
        queryset = super().apply(queryset)
        if self.value("kind"):
            queryset = queryset.filter(model_label=self.value("kind"))
            if self.value("record"):
                queryset = queryset.filter(object_id=str(self.value("record")))
        if self.value("action"):
            queryset = queryset.filter(action=self.value("action"))
        return queryset


class AccessFilters(_Filters):
    action = forms.ChoiceField(label=_("What"), required=False)
    field_order = ["who", "action", "since", "until"]

    def __init__(self, data, *, actor_ids, **kwargs):
        super().__init__(data, users=_users(actor_ids), **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("everything")), *AccessAction.choices]

    def apply(self, queryset: QuerySet) -> QuerySet:
        queryset = super().apply(queryset)
        if self.value("action"):
            queryset = queryset.filter(action=self.value("action"))
        return queryset

"""Fields for ids and dates as any URL or post may send them (used by every app's forms)."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy

# What any form takes as an id or a date, whatever a URL or a post says: an id fits the
# database's 64-bit key (a bigger number overflows the driver before the query runs), and
# a date lies in 1900..2100 (figures step months and years around it; year 1 or 9999 runs
# off the calendar).
MAX_ID = 2**63 - 1
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def is_id(value) -> bool:
    """A plain whole number that can be an object's id (1 up to ``MAX_ID``)."""
    text = str(value)
    return text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID


class IdField(forms.IntegerField):
    """An object id; a number out of range is refused with the field's "invalid" message."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)
        for code in ("min_value", "max_value"):
            self.error_messages[code] = self.error_messages["invalid"]


class IdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by id. Values that cannot be an id are refused before the query:
    ``pk IN (…)``, unlike ``pk = …``, overflows on a number beyond the database's range."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if not is_id(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


class DayField(forms.DateField):
    """A date from 1900 to 2100; anything earlier or later gets a clear message."""

    default_error_messages = {
        "out_of_range": gettext_lazy("Choose a date between 1900 and 2100."),
    }

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")


def model_field(model: type[models.Model], name: str) -> models.Field:
    """The model's own field ``name`` (not a reverse relation), e.g. for its label."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a field"
    return field


def max_length_of(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of the model's text field ``name``, for limits in forms."""
    length = model_field(model, name).max_length
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return length

"""Dates where things happened: an introduction made, a tie confirmed, a membership, a carrier
period. Each takes a date that defaults to today, is never in the future, and never before
the neighbourhood's data starts.

When does a neighbourhood's data start? Its ``data_starts_on`` when a coordinator set it (the
admin, or the organisation's setup); otherwise ten years before the neighbourhood was added to
the app: work logged afterwards may be dated back to when it happened (a club that met for
years before anyone recorded it), while a slip of the keyboard (1926, 2062) is refused.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import Neighbourhood

YEARS_BACK = 10


def first_day(neighbourhood: Neighbourhood) -> datetime.date:
    """The earliest date anything of this neighbourhood may carry."""
    if neighbourhood.data_starts_on:
        return neighbourhood.data_starts_on
    added = timezone.localdate(neighbourhood.created_at) if neighbourhood.created_at else None
    added = added or timezone.localdate()
    return added.replace(year=added.year - YEARS_BACK, month=1, day=1)


def check(day: datetime.date | None, neighbourhood: Neighbourhood) -> datetime.date | None:
    """``day`` when it lies between the neighbourhood's first day and today, else a form
    error that says which bound it crossed."""
    if day is None:
        return None
    if day > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future; choose today or earlier."))
    earliest = first_day(neighbourhood)
    if day < earliest:
        raise forms.ValidationError(
            _("The records of this neighbourhood start on %(date)s; choose that day or later.")
            % {"date": date_format(earliest, "j F Y")}
        )
    return day

"""``{{ value|readable }}``: any stored value as a person reads it (dates as dates, yes/no in
words, lists joined), in the page's language."""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def readable(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_filter(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_filter(value, "DATE_FORMAT")
    if isinstance(value, list | tuple):
        return ", ".join(readable(v) for v in value)
    return str(value)

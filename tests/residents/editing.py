"""Helpers for tests of the person forms: post what a browser would, from the opened form."""

from __future__ import annotations


def opened(response) -> dict:
    """The values a browser would send from the form on this page, as they were rendered."""
    form = response.context["form"]
    data = {}
    for field in form:
        if field.widget_type in {"file", "clearablefile"}:
            continue
        value = field.value()
        if field.widget_type == "checkbox":
            if value:
                data[field.html_name] = "on"
            continue
        if value is not None:
            data[field.html_name] = value
    return data

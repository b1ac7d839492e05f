"""Labels for audit entries: the kind of record and the changed fields, in the reader's words."""

import contextlib

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from audit import access, readable

register = template.Library()


def _model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@register.filter
def record_kind(entry) -> str:
    model = _model(entry.model_label)
    return str(model._meta.verbose_name) if model else entry.model_label


@register.filter
def changed_labels(entry) -> str:
    model = _model(entry.model_label)
    labels = []
    for name in sorted(entry.changes or {}):
        label = name
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                label = str(model._meta.get_field(name).verbose_name)
        labels.append(label)
    return ", ".join(labels)


@register.filter
def change_rows(entry) -> list[tuple[str, str | None, str | None]]:
    """(field label, old value, new value) per changed field as the forms show them
    (``audit.readable``); values None when not kept."""
    found = getattr(entry, "readable", None)  # attached by the view (readable.attach)
    return found if found is not None else readable.rows(entry.model_label, entry.changes)


@register.filter
def access_role(entry) -> str:
    return access.role_label(entry.role)

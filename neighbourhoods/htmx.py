"""Small helpers for list pages and forms that work with and without HTMX.

- :func:`render_page`: the full page, or one partial of the same template for an HTMX
  request (never for a history restore, which needs the whole page); always ``Vary:
  HX-Request``.
- :func:`paginate`: one page of a queryset from ``?page=``.
- Live validation: :func:`enable_live_validation` gives each field of a form ``hx-post``
  attributes that post the whole form with ``_validate=1`` when the field changes and swap
  only that field's feedback element (``#<id>_feedback``, rendered by
  ``includes/live_field.html``). The view checks :func:`is_validation_request`, runs the
  form's validation and re-renders without saving.
"""

from __future__ import annotations

import json

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

VALIDATE_FLAG = "_validate"


def is_partial_request(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only ``template#partial`` for an HTMX request."""
    name = f"{template}#{partial}" if partial and is_partial_request(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 25) -> Page:
    """The requested page; out-of-range or junk page numbers give the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def is_validation_request(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and is_partial_request(request)
        and request.POST.get(VALIDATE_FLAG) == "1"
    )


def feedback_id(bound_field: forms.BoundField) -> str:
    return f"{bound_field.auto_id}_feedback"


def enable_live_validation(
    form: forms.BaseForm, url: str, targets: dict[str, str] | None = None
) -> forms.BaseForm:
    """Let every field validate itself over HTMX when it changes.

    ``targets`` maps a field name to the id of a shared feedback element (e.g. latitude and
    longitude share one). File inputs are left alone.
    """
    targets = targets or {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, (forms.FileInput, forms.HiddenInput)):
            continue
        bound = form[name]
        target = targets.get(name) or feedback_id(bound)
        described = [target]
        if field.help_text:
            described.append(f"{bound.auto_id}_helptext")
        widget.attrs.update(
            {
                "hx-post": url,
                "hx-trigger": "change",
                "hx-target": f"#{target}",
                "hx-select": f"#{target}",
                "hx-swap": "outerHTML",
                "hx-include": "closest form",
                "hx-vals": json.dumps({VALIDATE_FLAG: "1"}),
                "aria-describedby": " ".join(described),
            }
        )
    return form

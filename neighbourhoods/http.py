"""Requests and responses of pages: the typed request, and the ONE way to render a page,
paginate a list and read where to go next. Every view uses these; no app keeps its own.

- :class:`NeighbourhoodRequest`: what :func:`neighbourhoods.access.require` guarantees to a
  view under ``/n/<slug>/`` (user, membership, neighbourhood, htmx); :class:`HtmxRequest`
  for the other pages (``/me/``, ``/claim/``, the public page).
- :func:`render_page`: the full page, or one partial of the same template for an HTMX
  request aimed at it (never for a history restore, which needs the whole page); always
  ``Vary: HX-Request, HX-Target``.
- :func:`paginate`: one page of a queryset from ``?page=``, shown by the one pagination
  template ``includes/pagination.html`` (it keeps the list's filters in its links).
- :func:`next_url`: the ``next`` parameter when it is a path on this site, else a fallback.
- :func:`announce`: what an HTMX answer did, read out by the polite live region of every page
  (``static/js/a11y.js``; a fragment may say it with ``data-announce`` instead).
- Live validation: :func:`enable_live_validation` gives each field of a form ``hx-post``
  attributes that post the whole form with ``_validate=1`` when the field changes and swap
  only that field's feedback element (``#<id>_feedback``, rendered by
  ``includes/live_field.html``). The view checks :func:`is_validation_request`, runs the
  form's validation and re-renders without saving.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeGuard

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_urlconf, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import Membership, Neighbourhood

VALIDATE_FLAG = "_validate"


class HtmxRequest(HttpRequest):
    """Any request of this site: django-htmx's middleware sets ``htmx`` on every one."""

    htmx: HtmxDetails


class NeighbourhoodRequest(HtmxRequest):
    """A request to a page under ``/n/<slug>/``, as ``access.require(role)`` hands it over:
    a signed-in user with a role in the neighbourhood (mypy checks every use)."""

    user: User  # narrower than HttpRequest's: signed in
    membership: Membership
    neighbourhood: Neighbourhood


def is_partial_request(request: HttpRequest) -> TypeGuard[HtmxRequest]:
    """An HTMX request that swaps part of a page (not a history restore: that needs it all)."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    only_for: Sequence[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render ``template``, or only ``template#partial`` for an HTMX request that swaps part
    of the page (never for a history restore: that needs the whole page).

    ``only_for``: the ids of the elements whose swaps get the partial (for pages where other
    HTMX requests to the same URL aim elsewhere); by default every swap gets it. When the view
    rendered the partial already (``context[partial]`` holds its HTML, e.g. from the cache),
    that HTML is the answer.
    """
    name = template
    if partial and is_partial_request(request):
        target = request.htmx.target
        if only_for is None or target is None or target in only_for:
            prerendered = context.get(partial)
            if isinstance(prerendered, str):
                response = HttpResponse(prerendered, status=status)
                patch_vary_headers(response, ["HX-Request", "HX-Target"])
                return response
            name = f"{template}#{partial}"
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def paginate(
    request: HttpRequest, queryset: Any, per_page: int = 25, *, count: int | None = None
) -> Page:
    """The requested page; out-of-range or junk page numbers give the nearest valid page.

    ``count``: the number of rows when the caller knows it already (kept in a cache), so the
    paginator does not count them again."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(request.GET.get("page"))


_MARK = 987654321


@functools.lru_cache(maxsize=256)
def _url_template(urlconf, name: str, slug: str, ids: int) -> str:
    marks = [_MARK + n for n in range(ids)]
    url = reverse(name, args=[slug, *marks], urlconf=urlconf)
    for n, mark in enumerate(marks):
        url = url.replace(str(mark), f"{{{n}}}")
    return url


def row_url(name: str, slug: str, *pks: int) -> str:
    """``reverse(name, args=[slug, *pks])``, without resolving the pattern for every row of
    a list (``{% url %}`` costs tens of microseconds a time)."""
    return _url_template(get_urlconf(), name, slug, len(pks)).format(*map(int, pks))


def posted(request: HttpRequest) -> Any:
    """The posted data for a form (also when empty, so an empty post shows its errors), or
    None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def next_url(request: HttpRequest, fallback: str) -> str:
    """``next`` from the post or query string when it is a path on this site, else
    ``fallback`` (``redirect()`` would read any other word as a URL name)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return fallback


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


def announce(response: HttpResponse, message: str) -> HttpResponse:
    """Have the page read `message` out after this HTMX answer is swapped in ("Gift added:
    Baking cakes"): an ``announce`` event in ``HX-Trigger``, heard by ``static/js/a11y.js``."""
    return trigger_client_event(response, "announce", {"message": str(message)})

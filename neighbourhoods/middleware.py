"""Requests whose parameters carry a NUL character are refused in one place.

PostgreSQL text cannot hold NUL (U+0000); form fields refuse it, but a search box or a filter
read straight from the query string would reach the database with it and fail there. No
person types NUL, so the answer is a plain 400 page that says what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _has_nul(request: HttpRequest, *, post: bool) -> bool:
    if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
        return True
    if post and request.method == "POST":
        return any("\x00" in key or "\x00" in value for key, value in _pairs(request.POST))
    return False


def _pairs(data):
    for key, values in data.lists():
        for value in values:
            yield key, value


class RefuseNulMiddleware:
    """After the CSRF check, which has parsed the post already. A view exempt from that check
    parses its own body (the import: upload handlers with a size limit), so its post is left
    to the view's forms, which refuse NUL themselves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if _has_nul(request, post=not getattr(view_func, "csrf_exempt", False)):
            body = render_to_string("400.html", {"nul": True}, request=request)
            return HttpResponse(body, status=400)
        return None

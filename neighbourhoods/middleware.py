"""Two rules for every request in one place each.

- :class:`PrivateResponseMiddleware`: every answer the app makes carries personal data or
  may, so none is kept by a browser or a proxy, and no page may use a camera, microphone,
  location and the like.
- :class:`RefuseNulMiddleware`: requests whose parameters carry a NUL character are refused.

PostgreSQL text cannot hold NUL (U+0000); form fields refuse it, but a search box or a filter
read straight from the query string would reach the database with it and fail there. No
person types NUL, so the answer is a plain 400 page that says what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from whitenoise.middleware import WhiteNoiseFileResponse

# Overrides whatever a view set: a page, fragment, JSON, export or photo is personal.
PRIVATE = "private, no-store"


class PrivateResponseMiddleware:
    """``Cache-Control: private, no-store`` and ``Permissions-Policy`` on every response.

    Only WhiteNoise's static files (the same for everyone, with their own long caching) keep
    their caching. Placed before WhiteNoise so it sees those too, and after the CSP
    middleware. ``no-store`` also keeps a signed-out page out of the back/forward cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}={allow}" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if not isinstance(response, WhiteNoiseFileResponse):
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response


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

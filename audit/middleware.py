"""Remember the request's user for the audit trail (set after AuthenticationMiddleware)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .trail import _actor


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The request, not the user: `request.user` stays lazy until something is saved.
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)

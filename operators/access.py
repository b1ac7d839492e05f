"""Who may open an organisation's pages (``/o/<slug>/``): its admins and staff; 404 for
everybody else, so nobody learns which organisations exist."""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404

from neighbourhoods.access import View
from neighbourhoods.http import HtmxRequest

from .models import Operator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OPERATOR_ADMIN = "operator-admin"


class OperatorRequest(HtmxRequest):
    """A request to a page under ``/o/<slug>/``, as :func:`require_operator_admin` hands it
    over: a signed-in admin (or staff member) and the organisation (mypy checks every use)."""

    user: User  # narrower than HttpRequest's: signed in
    operator: Operator


def operators_for(user) -> list[Operator]:
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_staff:
        return list(Operator.objects.all())
    return list(Operator.objects.filter(admins__user=user))


def operator_or_404(request: HttpRequest, slug: str) -> Operator:
    user = request.user
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such organisation.")
    if user.is_staff:
        return get_object_or_404(Operator, slug=slug)
    operator = Operator.objects.filter(slug=slug, admins__user=user).first()
    if operator is None:
        raise Http404("No such organisation.")
    return operator


def require_operator_admin(view: View) -> View:
    """View decorator: login, admin of the operator ``slug`` (or staff), else 404.

    Sets ``request.operator`` for the view.
    """

    @wraps(view)
    def wrapped(request: OperatorRequest, slug: str, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.operator = operator_or_404(request, slug)
        return view(request, slug, *args, **kwargs)

    # A function attribute, read by the URL-walk test and the docs.
    wrapped.required_role = OPERATOR_ADMIN  # type: ignore[attr-defined]
    return wrapped

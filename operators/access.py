"""Who may open an organisation's pages (``/o/<slug>/``): its admins and staff; 404 for
everybody else, so nobody learns which organisations exist."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from neighbourhoods.access import View

from .models import Operator

OPERATOR_ADMIN = "operator-admin"


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
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.operator = operator_or_404(request, slug)
        return view(request, slug, *args, **kwargs)

    wrapped.required_role = OPERATOR_ADMIN
    return wrapped

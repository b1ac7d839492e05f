from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from neighbourhoods.http import NeighbourhoodRequest

from .access import get_in_neighbourhood, require
from .dashboard import panels_for
from .forms import AddMemberForm, RoleForm
from .mail import send_welcome_email
from .models import (
    LastCoordinatorError,
    Membership,
    Role,
    change_role,
    neighbourhoods_for,
    remove_member,
)

User = get_user_model()


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    neighbourhoods = list(neighbourhoods_for(request.user))
    if len(neighbourhoods) == 1:
        return redirect(neighbourhoods[0])
    return render(request, "neighbourhoods/home.html", {"neighbourhoods": neighbourhoods})


@require(Role.RESIDENT)
def dashboard(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    context = {"panels": panels_for(request)}
    return render(request, "neighbourhoods/dashboard.html", context)


def _members_context(request: NeighbourhoodRequest, form: AddMemberForm) -> dict:
    members = Membership.objects.in_neighbourhood(request.neighbourhood).select_related("user")
    return {"members": members, "form": form, "roles": Role.choices}


@require(Role.COORDINATOR)
def members(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = AddMemberForm(request.POST or None, neighbourhood=request.neighbourhood)
    if request.method == "POST":
        if form.is_valid():
            _add_member(request, form)
            return redirect("neighbourhoods:members", slug)
        response = render(request, "neighbourhoods/members.html", _members_context(request, form))
        response.status_code = 422
        return response
    return render(request, "neighbourhoods/members.html", _members_context(request, form))


@transaction.atomic
def _add_member(request: NeighbourhoodRequest, form: AddMemberForm) -> None:
    data = form.cleaned_data
    user = form.user
    if user is None:
        user = User(username=data["username"], email=data["email"])
        user.set_unusable_password()
        user.save()
        transaction.on_commit(lambda: send_welcome_email(request, user))
        messages.success(
            request,
            _("Account %(username)s created; an email to choose a password went to %(email)s.")
            % {"username": user.username, "email": user.email},
        )
    Membership.objects.create(user=user, neighbourhood=request.neighbourhood, role=data["role"])
    messages.success(
        request,
        _("%(username)s is now %(role)s of %(neighbourhood)s.")
        % {
            "username": user.username,
            "role": Role(data["role"]).label,
            "neighbourhood": request.neighbourhood,
        },
    )


@require(Role.COORDINATOR)
@require_POST
def member_role(request: NeighbourhoodRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = get_in_neighbourhood(
        Membership.objects.select_related("user"), request.neighbourhood, pk=membership_id
    )
    form = RoleForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose one of the roles in the list.")
    else:
        try:
            membership = change_role(membership, Role(form.cleaned_data["role"]))
        except LastCoordinatorError as exc:
            error = exc.messages[0]
    if request.htmx:
        response = render(
            request,
            "neighbourhoods/members.html#member-row",
            {"member": membership, "roles": Role.choices, "row_error": error},
            status=422 if error else 200,
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(username)s is now %(role)s.")
            % {"username": membership.user.username, "role": membership.get_role_display()},
        )
    return redirect("neighbourhoods:members", slug)


@require(Role.COORDINATOR)
def member_remove(request: NeighbourhoodRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = get_in_neighbourhood(
        Membership.objects.select_related("user"), request.neighbourhood, pk=membership_id
    )
    if request.method == "POST":
        try:
            remove_member(membership)
        except LastCoordinatorError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("%(username)s is no longer a member of %(neighbourhood)s.")
                % {"username": membership.user.username, "neighbourhood": request.neighbourhood},
            )
        return redirect("neighbourhoods:members", slug)
    return render(request, "neighbourhoods/member_remove.html", {"member": membership})

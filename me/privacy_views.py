"""Builders' and coordinators' side of residents' data: invites, erasure on request, retention.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import Action, AuditEntry
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, paginate
from neighbourhoods.models import Role
from residents.models import Person

from .erasure import ErasureBlocked, erase_person
from .forms import EraseForm, InviteForm
from .models import Invite, InviteKind, RetentionKeep, format_code
from .retention import consent_withdrawn, due_for_review

logger = logging.getLogger(__name__)

SESSION_SECRET = "me_invite_secret"  # noqa: S105  (a session key, not a secret)
RETENTION_PAGE = 50


def _person(request: NeighbourhoodRequest, person_id: int) -> Person:
    return get_in_neighbourhood(Person, request.neighbourhood, pk=person_id)


def _send_invite(request: HttpRequest, person: Person, link: str, invite: Invite) -> None:
    context = {
        "person": person,
        "link": link,
        "invite": invite,
        "neighbourhood": person.neighbourhood,
    }
    subject = "".join(render_to_string("me/invite_subject.txt", context).splitlines())
    body = render_to_string("me/invite_email.txt", context)
    send_mail(subject, body, None, [person.email])
    invite.emailed_at = timezone.now()
    invite.save(update_fields=["emailed_at"])


@require(Role.BUILDER)
@never_cache
def invite(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    """Make a single-use invite (link or code); the secret is shown once, then forgotten."""
    person = _person(request, person_id)
    form = InviteForm(request.POST if request.method == "POST" else None, email=person.email)
    status = 200
    if request.method == "POST":
        if person.user_id is not None:
            messages.error(request, _("This profile has already been claimed; no invite needed."))
            status = 409
        elif form.is_valid():
            made, secret = Invite.make(person, form.cleaned_data["kind"], request.user)
            shown = {"kind": made.kind, "expires_at": made.expires_at.isoformat()}
            if made.kind == InviteKind.CODE:
                shown["code"] = format_code(secret)
            else:
                link = request.build_absolute_uri(reverse("claim:link", args=[secret]))
                shown["link"] = link
                if form.cleaned_data.get("send_email"):
                    try:
                        _send_invite(request, person, link, made)
                    except Exception:  # any mail failure: the link is still shown to give by hand
                        logger.exception("Sending invite #%s failed", made.pk)
                        messages.warning(
                            request,
                            _("The email could not be sent. Give the link below by hand."),
                        )
                    else:
                        shown["emailed_to"] = person.email
            request.session[SESSION_SECRET] = {"person": person.pk, **shown}
            return redirect("privacy:invite", slug, person.pk)
        else:
            status = 422
    fresh = request.session.get(SESSION_SECRET)
    if fresh and fresh.get("person") == person.pk and request.method == "GET":
        request.session.pop(SESSION_SECRET)
    else:
        fresh = None
    context = {
        "subject": person,
        "form": form,
        "fresh": fresh,
        "invites": person.invites.select_related("created_by").order_by("-created_at")[:20],
        "claim_code_url": request.build_absolute_uri(reverse("claim:code")),
    }
    return render(request, "me/invite.html", context, status=status)


@require(Role.BUILDER)
@require_POST
def invite_revoke(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    count = Invite.objects.filter(person=person).open().update(revoked_at=timezone.now())
    if count:
        messages.success(request, _("Open invites were withdrawn."))
    return redirect("privacy:invite", slug, person.pk)


@require(Role.COORDINATOR)
def erase(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    """Erase a person on their request (GDPR art. 17), after typing their name."""
    person = _person(request, person_id)
    form = EraseForm(request.POST if request.method == "POST" else None, name=person.name)
    if request.method == "POST":
        if form.is_valid():
            try:
                report = erase_person(person, request.user)
            except ErasureBlocked as blocked:
                messages.error(
                    request,
                    _("This cannot be erased yet: %(kinds)s still point at it. Ask a coordinator.")
                    % {"kinds": blocked},
                )
                return redirect(request.path)
            messages.success(
                request,
                _("Person #%(id)s and everything about them were erased.")
                % {"id": report.person_id},
            )
            return redirect("privacy:retention", slug)
        return render(
            request, "me/erase_person.html", {"subject": person, "form": form}, status=422
        )
    return render(request, "me/erase_person.html", {"subject": person, "form": form})


@require(Role.COORDINATOR)
def retention(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    people = due_for_review(
        Person.objects.in_neighbourhood(request.neighbourhood).select_related("user")
    )
    page = paginate(request, people, RETENTION_PAGE)
    erasures = (
        AuditEntry.objects.in_neighbourhood(request.neighbourhood)
        .filter(action=Action.ERASE)
        .select_related("actor")[:10]
    )
    withdrawn = consent_withdrawn(
        Person.objects.in_neighbourhood(request.neighbourhood).select_related("user")
    )[:RETENTION_PAGE]
    context = {
        "page": page,
        "withdrawn": withdrawn,
        "settings_months": settings.RETENTION_MONTHS,
        "erasures": erasures,
    }
    return render(request, "me/retention.html", context)


@require(Role.COORDINATOR)
@require_POST
def retention_keep(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    RetentionKeep.objects.create(person=person, kept_by=request.user)
    messages.success(
        request, _("%(name)s is kept; the clock starts again.") % {"name": person.name}
    )
    return redirect("privacy:retention", slug)

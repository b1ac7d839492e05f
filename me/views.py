"""The signed-in resident's own pages under /me/ and the public claim pages under /claim/.

/me/ pages are for any signed-in user and show only the caller's own profiles: a profile is
found by (signed-in user, neighbourhood slug), never by an id from the URL. Gifts and
consent records named in a form or query string are looked up among the caller's own, so
guessing ids of someone else's answers 404 with an explanation.

The /claim/ pages are public by design: a resident without a login opens them. Without a
valid invite they show nothing but the code form; the invite is checked on every step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.models import AccessEntry, AuditEntry
from neighbourhoods.fields import is_id
from neighbourhoods.http import paginate
from neighbourhoods.models import Membership, Role
from residents.consent import give_online, withdraw
from residents.disclosure import VisiblePerson, see_person, shown_items, street_names, subject_items
from residents.forms import GiftForm, save_if_current
from residents.models import PERSON_FIELDS, Audience, ConsentRecord, Gift, Person

from . import claim as claiming
from .erasure import ErasureBlocked, erase_person
from .export import build_zip, subject_viewer
from .forms import CodeForm, ConfirmForm, DetailsForm, EraseForm, NewAccountForm, VisibilityForm
from .records import own_records

SESSION_INVITE = "me_claim_invite"
HISTORY_PAGE = 50

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# --- helpers ---------------------------------------------------------------------------


def _signed_in(request: HttpRequest) -> User:
    """The user of a ``/me/`` page (``login_required`` lets no one else in)."""
    assert request.user.is_authenticated, "behind login_required"
    return request.user


def _profile(request: HttpRequest, slug: str) -> Person | None:
    return (
        Person.objects.select_related("neighbourhood")
        .filter(neighbourhood__slug=slug, user=_signed_in(request))
        .first()
    )


def _no_profile(request: HttpRequest) -> HttpResponse:
    """The same answer for every slug the caller has no profile in (existing or not)."""
    return render(request, "me/no_profile.html", {}, status=200)


def _context(request: HttpRequest, person: Person, tab: str, **extra) -> dict:
    return {"person": person, "tab": tab, "nb": person.neighbourhood, **extra}


def _not_yours(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "me/not_yours.html", {"message": message}, status=404)


# Shown in sections of their own on the overview page.
PAGE_OWN_SECTIONS = {"residents.person", "residents.gift", "residents.consentrecord"}


def _record_row(record, person: Person, viewer: Membership) -> dict:
    """One record about the person as the page shows it: labelled items, and whether
    builders' notes exist that only the download carries."""
    items = subject_items(record, person, viewer)
    shown = shown_items(items)
    return {"items": shown, "has_notes": len(shown) < len(items)}


def _field_rows(person: Person) -> list[dict]:
    rows = []
    values = {
        "name": person.name,
        "street": person.street,
        "address": " ".join(p for p in (person.house_number, person.postcode) if p),
        "phone": person.phone,
        "email": person.email,
        "languages": person.languages,
        "street_wish": person.street_wish,
        "photo": bool(person.photo),
        "gifts": None,
        "ties": None,
    }
    chosen = person.visibility or {}
    for field, label in PERSON_FIELDS.items():
        audience = chosen.get(field)
        audience = Audience(audience) if audience in Audience.values else Audience.BUILDERS
        rows.append(
            {"field": field, "label": label, "value": values[field], "audience": audience.label}
        )
    return rows


# --- /me/ ------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    profiles = list(
        Person.objects.filter(user=_signed_in(request))
        .select_related("neighbourhood")
        .order_by("neighbourhood__name")
    )
    if len(profiles) == 1:
        return redirect("me:profile", profiles[0].neighbourhood.slug)
    return render(request, "me/home.html", {"profiles": profiles})


@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    viewer = subject_viewer(person)
    other = [
        {
            "label": section.label,
            "rows": [_record_row(record, person, viewer) for record in section.records],
        }
        for section in own_records(person)
        if section.table not in PAGE_OWN_SECTIONS
    ]
    context = _context(
        request,
        person,
        "overview",
        fields=_field_rows(person),
        gifts=person.gifts.prefetch_related("tags").order_by("kind", "title", "pk"),
        consents=person.consents.filter(withdrawn_at__isnull=True).count(),
        other=other,
        history=AuditEntry.objects.about_person(person.pk).select_related("actor")[:5],
    )
    return render(request, "me/profile.html", context)


@login_required
def details(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)

    def make_form(current: Person) -> DetailsForm:
        data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        return DetailsForm(*data, instance=current, neighbourhood=current.neighbourhood)

    status = 200
    if request.method == "POST":
        # Checked against the version it was opened at: a builder's save is never lost.
        form, saved = save_if_current(person, make_form, request.user)
        if saved is not None:
            messages.success(request, _("Your details were saved."))
            return redirect("me:profile", slug)
        status = 409 if form.conflicts else 422
        person = form.instance
    else:
        form = make_form(person)
    streets = street_names(person.neighbourhood, subject_viewer(person))
    context = _context(request, person, "details", form=form, streets=streets)
    return render(request, "me/details.html", context, status=status)


def _own_gift(person: Person, raw: str | None) -> Gift | None:
    try:
        pk = int(raw or "")
    except ValueError:
        return None
    return Gift.objects.filter(person=person, pk=pk).first()


@login_required
def gifts(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    editing = None
    raw = request.POST.get("gift") if request.method == "POST" else request.GET.get("edit")
    if raw:
        editing = _own_gift(person, raw)
        if editing is None:
            return _not_yours(request, _("This gift is not one of yours, or it no longer exists."))
    if request.method == "POST" and request.POST.get("action") == "delete" and editing:
        title = editing.title
        editing.delete()
        messages.success(request, _("Gift “%(title)s” was removed.") % {"title": title})
        return redirect("me:gifts", slug)
    form = GiftForm(
        request.POST if request.method == "POST" else None,
        instance=editing,
        neighbourhood=person.neighbourhood,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = form.save(person=person, user=request.user)
            text = _("Gift “%(title)s” was saved.") if editing else _("Gift “%(title)s” was added.")
            messages.success(request, text % {"title": saved.title})
            return redirect("me:gifts", slug)
        status = 422
    context = _context(
        request,
        person,
        "gifts",
        form=form,
        editing=editing,
        gifts=person.gifts.prefetch_related("tags").order_by("kind", "title", "pk"),
    )
    return render(request, "me/gifts.html", context, status=status)


def _preview(person: Person, visibility: dict) -> dict:
    """How a resident of the neighbourhood and the public see the person with ``visibility``."""
    candidate = Person(
        **{f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields}
    )
    candidate.visibility = visibility
    candidate.neighbourhood = person.neighbourhood
    candidate._state.adding = False
    gifts = list(person.gifts.order_by("kind", "title", "pk"))
    neighbour = Membership(neighbourhood=person.neighbourhood, role=Role.RESIDENT)
    views = []
    for key, viewer in (("residents", neighbour), ("public", None)):
        shown = see_person(candidate, viewer) if viewer else _see_public(candidate)
        views.append(
            {
                "key": key,
                "person": shown,
                "listed": shown.shows("name"),
                "gifts": gifts if shown.shows("gifts") and shown.shows("name") else [],
            }
        )
    return {"views": views}


def _see_public(person: Person):

    return VisiblePerson(person, None, person.neighbourhood.slug)


@login_required
def visibility(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    form = VisibilityForm(request.POST if request.method == "POST" else None, person=person)
    status = 200
    current = {f: _audience(person, f) for f in PERSON_FIELDS}
    shown = current
    if request.method == "POST":
        if form.is_valid():
            chosen = form.visibility()
            if "_preview" in request.POST:
                shown = chosen
            else:
                _save_visibility(person, current, chosen, request.user)
                messages.success(request, _("Who sees what was saved."))
                return redirect("me:visibility", slug)
        else:
            status = 422
    context = _context(request, person, "visibility", form=form, preview=_preview(person, shown))
    template = "me/visibility.html"
    if getattr(request, "htmx", None) and "_preview" in request.POST:
        template += "#preview"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _audience(person: Person, field: str) -> str:
    value = (person.visibility or {}).get(field)
    return value if value in Audience.values else Audience.BUILDERS.value


_RANK = {Audience.BUILDERS.value: 0, Audience.RESIDENTS.value: 1, Audience.PUBLIC.value: 2}


@transaction.atomic
def _save_visibility(person: Person, current: dict, chosen: dict, user) -> None:
    """Save the choice; widening a field is consent given online, recorded as such."""
    widened: dict[str, list[str]] = {}
    for field, audience in chosen.items():
        if _RANK[audience] > _RANK[current[field]]:
            widened.setdefault(audience, []).append(field)
    person.visibility = chosen
    person.updated_by = user
    person.save(update_fields=["visibility", "updated_by", "updated_at"])
    for audience, fields in widened.items():
        give_online(person, fields, audience, user)


@login_required
def consent(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    if request.method == "POST":
        raw = request.POST.get("withdraw", "")
        record = (
            ConsentRecord.objects.filter(person=person, pk=int(raw)).first() if is_id(raw) else None
        )
        if record is None:
            if raw:
                return _not_yours(
                    request, _("This consent is not one of yours, or it no longer exists.")
                )
            messages.error(request, _("Choose the consent to withdraw."))
            return redirect("me:consent", slug)
        withdraw(record, by=request.user)
        if record.audience == Audience.BUILDERS:  # consent to record at all
            messages.success(
                request,
                _(
                    "Consent withdrawn. What was recorded stays with the community builders "
                    "until it is erased: erase it yourself under “Erase my data”, or your "
                    "coordinator will review it soon."
                ),
            )
        else:
            messages.success(
                request,
                _("Consent withdrawn. From now on only community builders see these details."),
            )
        return redirect("me:consent", slug)
    records = person.consents.select_related("recorded_by").order_by("-given_at", "-pk")
    rows = [
        {
            "record": r,
            "fields": [PERSON_FIELDS.get(f, f) for f in (r.fields or [])],
        }
        for r in records
    ]
    return render(request, "me/consent.html", _context(request, person, "consent", rows=rows))


@login_required
def history(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    entries = AuditEntry.objects.about_person(person.pk).select_related("actor")
    page = paginate(request, entries, HISTORY_PAGE)
    # Who downloaded or opened data that included them (the access log; staff by name).
    downloads = (
        AccessEntry.objects.filter(subjects__person_id=person.pk)
        .exclude(actor_id=request.user.pk)
        .select_related("actor")[:HISTORY_PAGE]
    )
    context = _context(request, person, "history", page=page, downloads=downloads)
    return render(request, "me/history.html", context)


@login_required
def export(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
    if request.method == "POST":
        response = HttpResponse(build_zip(person), content_type="application/zip")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="assetmap-{person.neighbourhood.slug}-{stamp}.zip"'
        )
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "me/export.html", _context(request, person, "export"))


@login_required
def erase(request: HttpRequest, slug: str) -> HttpResponse:
    person = _profile(request, slug)
    if person is None:
        return _no_profile(request)
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
            if report.account == "removed":
                logout(request)
                return render(request, "me/erased.html", {"report": report})
            messages.success(request, _("Your profile and everything about it were erased."))
            return redirect("me:home")
        return render(
            request, "me/erase.html", _context(request, person, "erase", form=form), status=422
        )
    return render(request, "me/erase.html", _context(request, person, "erase", form=form))


# --- /claim/ (public) ------------------------------------------------------------------


def _problem(request: HttpRequest, error: claiming.InviteProblem) -> HttpResponse:
    title, explanation, status = claiming.REASONS[error.reason]
    context = {"title": title, "explanation": explanation, "reason": error.reason}
    return render(request, "me/claim_problem.html", context, status=status)


def _client_address(request: HttpRequest) -> str:
    """The address the login lockout uses too (axes' helper: the same proxy settings)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _helper_page(request: HttpRequest, invite) -> HttpResponse:
    """A builder, coordinator or staff member is signed in: the resident claims on their own."""
    context = {"person": invite.person, "neighbourhood_name": invite.person.neighbourhood.name}
    return render(request, "me/claim_helper.html", context, status=403)


@never_cache
def claim_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invite = claiming.find_by_code(form.cleaned_data["code"], _client_address(request))
        except claiming.InviteProblem as error:
            if error.reason != "unknown":
                return _problem(request, error)
            form.add_error("code", _("We do not know this code. Check it and try again."))
        else:
            request.session[SESSION_INVITE] = invite.pk
            return redirect("claim:confirm")
    status = 422 if request.method == "POST" else 200
    return render(request, "me/claim_code.html", {"form": form}, status=status)


@never_cache
def claim_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invite = claiming.find(token)
    except claiming.InviteProblem as error:
        return _problem(request, error)
    request.session[SESSION_INVITE] = invite.pk
    return redirect("claim:confirm")  # the token leaves the address bar


@never_cache
def claim_confirm(request: HttpRequest) -> HttpResponse:
    invite_id = request.session.get(SESSION_INVITE)
    if invite_id is None:
        messages.info(request, _("Open the link from your invite, or enter your code here."))
        return redirect("claim:code")
    from .models import Invite

    try:
        invite = claiming.check(
            Invite.objects.select_related("person", "person__neighbourhood")
            .filter(pk=invite_id)
            .first()
        )
    except claiming.InviteProblem as error:
        request.session.pop(SESSION_INVITE, None)
        return _problem(request, error)
    person = invite.person
    signed_in = request.user.is_authenticated
    if signed_in and claiming.is_helper(request.user, person.neighbourhood):
        return _helper_page(request, invite)  # the invite stays open for the resident
    data = request.POST if request.method == "POST" else None
    form = ConfirmForm(data) if signed_in else NewAccountForm(data, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            if signed_in:
                done = claiming.claim(invite.pk, user=request.user)
            else:
                done = claiming.claim(
                    invite.pk,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
        except claiming.InviteProblem as error:
            if error.reason == "helper":
                return _helper_page(request, invite)
            return _problem(request, error)
        request.session.pop(SESSION_INVITE, None)
        if done.created_user:
            login(request, done.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome! This profile is yours now. Check who may see what."),
        )
        return redirect("me:profile", person.neighbourhood.slug)
    context = {
        "invite": invite,
        "person": person,
        "fields": _field_rows(person),
        "gifts": person.gifts.order_by("kind", "title", "pk"),
        "consents": person.consents.select_related("recorded_by").order_by("-given_at"),
        "notes_exist": _private_notes_exist(person),
        "form": form,
        "signed_in": signed_in,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "me/claim_confirm.html", context, status=status)


def _private_notes_exist(person: Person) -> bool:
    conversations = getattr(person, "conversations", None)
    if conversations is None:
        return False
    return conversations.exclude(private_notes="").exists()


@require_POST
def claim_sign_out(request: HttpRequest) -> HttpResponse:
    """Log the builder out and keep the invite, so the resident claims it on their own account."""
    invite_id = request.session.get(SESSION_INVITE)
    logout(request)
    if invite_id is None:
        return redirect("claim:code")
    request.session[SESSION_INVITE] = invite_id
    messages.info(request, _("You are logged out. The resident can claim the profile now."))
    return redirect("claim:confirm")


@require_POST
def claim_forget(request: HttpRequest) -> HttpResponse:
    """ "This is not me": drop the invite from the session."""
    request.session.pop(SESSION_INVITE, None)
    return redirect("claim:code")


def claim_url(token: str) -> str:
    return reverse("claim:link", args=[token])

"""Views of conversations; every view is wrapped in neighbourhoods.access.require.

Who sees what: conversations are for community builders and coordinators only (residents
get 403 everywhere here). A draft belongs to its builder: another builder gets 404 (as if it
did not exist); coordinators may open drafts older than 14 days to rescue them. See
`Conversation.objects.visible_to`.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.fields import is_id, model_field
from neighbourhoods.http import (
    HtmxRequest,
    NeighbourhoodRequest,
    announce,
    next_url,
    paginate,
    render_page,
    row_url,
)
from neighbourhoods.models import Role
from neighbourhoods.text import day
from organisations.models import Organisation
from residents import disclosure, matching
from residents.consent import CONSENT_TEXT, CONSENT_TEXT_VERSION, needs_consent
from residents.models import GiftKind, Person, Tag, normalise

from . import services
from .forms import (
    FIELD_LIMITS,
    DigestForm,
    FollowUpForm,
    GiftForm,
    IntroducedForm,
    ListFilterForm,
    OfflineForm,
    StartForm,
    TargetForm,
    parse_changes,
)
from .models import (
    DRAFT_RESCUE_AFTER,
    Conversation,
    DigestSetting,
    DraftGift,
    FollowUp,
    Introduction,
    IntroductionStatus,
)

PAGE_SIZE = 25


def _conversations(request: NeighbourhoodRequest):
    return Conversation.objects.in_neighbourhood(request.neighbourhood).visible_to(
        request.membership
    )


def _conversation(request: NeighbourhoodRequest, conversation_id: int) -> Conversation:
    """A conversation the caller may open, or 404 (also for someone else's fresh draft)."""
    return get_in_neighbourhood(
        _conversations(request).select_related("person", "builder", "updated_by"),
        request.neighbourhood,
        pk=conversation_id,
    )


def _token() -> str:
    return uuid.uuid4().hex


# ---------------------------------------------------------------------------- lists


@require(Role.BUILDER)
def conversation_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    nb = request.neighbourhood
    filters = ListFilterForm(request.GET or None, neighbourhood=nb)
    rows = (
        _conversations(request)
        .select_related("person", "builder")
        # counted for the rows of the page only (a subquery each), not by joining all three
        # tables to every conversation, also for the paginator's count (issue #19)
        .annotate(
            gift_count=_count_of(DraftGift),
            introduction_count=_count_of(Introduction),
            follow_up_count=_count_of(FollowUp),
        )
        .order_by("-held_on", "-pk")
    )
    if filters.is_valid():
        data = filters.cleaned_data
        if data["builder"]:
            rows = rows.filter(builder=data["builder"])
        if data["street"]:
            rows = rows.filter(person__street__icontains=data["street"].strip())
        if data["date_from"]:
            rows = rows.filter(held_on__gte=data["date_from"])
        if data["date_to"]:
            rows = rows.filter(held_on__lte=data["date_to"])

    def shown() -> dict:
        page = paginate(request, rows, PAGE_SIZE)
        page.object_list = list(page.object_list)
        conversation: Any  # annotated with its counts; its link, tally, day and builder here
        for conversation in page.object_list:
            conversation.link = row_url("conversations:detail", nb.slug, conversation.pk)
            conversation.tally = _tally(conversation)
            conversation.day = day(conversation.held_on)
            builder = conversation.builder  # None: the builder's account is gone
            conversation.builder_name = (
                (builder.get_full_name() or builder.username) if builder else ""
            )
        return {"page": page}

    # Kept per builder (a draft is its own builder's), day (a coordinator sees drafts older
    # than 14 days) and the builders' work (conversations, their items, follow-ups).
    rows_html = freshness.partial(
        request,
        "conversations",
        "conversations/list.html#rows",
        shown,
        per_user=True,
        per_day=True,
        work=True,
    )
    context = {"filters": filters, "rows": rows_html}
    return render_page(request, "conversations/list.html", context, partial="rows")


def _tally(conversation: Any) -> str:
    """The row's counts, "2 gifts · 1 introduction · 0 follow-ups": written here rather
    than by three ``{% blocktranslate count %}`` a row (a fifth of the list's time, #19)."""
    counts = (
        (
            ngettext("%(counter)s gift", "%(counter)s gifts", conversation.gift_count),
            conversation.gift_count,
        ),
        (
            ngettext(
                "%(counter)s introduction",
                "%(counter)s introductions",
                conversation.introduction_count,
            ),
            conversation.introduction_count,
        ),
        (
            ngettext(
                "%(counter)s follow-up", "%(counter)s follow-ups", conversation.follow_up_count
            ),
            conversation.follow_up_count,
        ),
    )
    return " · ".join(text % {"counter": count} for text, count in counts)


def _count_of(model) -> Coalesce:
    """The number of ``model`` rows of each conversation (a correlated subquery)."""
    rows = (
        model.objects.filter(conversation=OuterRef("pk"))
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


@require(Role.BUILDER)
def drafts(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    base = _conversations(request).drafts().select_related("person", "builder")
    mine = base.filter(builder=request.user).order_by("-updated_at")
    stale = (
        base.exclude(builder=request.user)
        .filter(started_at__lte=timezone.now() - DRAFT_RESCUE_AFTER)
        .order_by("started_at")
        if request.membership.is_coordinator
        else base.none()
    )
    return render_page(request, "conversations/drafts.html", {"mine": mine, "stale": stale})


def _follow_up_rows(request: NeighbourhoodRequest, show_all: bool):
    rows = (
        FollowUp.objects.in_neighbourhood(request.neighbourhood)
        .open()
        .select_related("assignee", "conversation__person", "person")
        .order_by("due_on", "pk")
    )
    return rows if show_all else rows.filter(assignee=request.user)


@require(Role.BUILDER)
def follow_ups(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    show_all = request.GET.get("who") == "all"
    rows = _follow_up_rows(request, show_all)
    done = (
        FollowUp.objects.in_neighbourhood(request.neighbourhood)
        .listed()
        .filter(done_at__isnull=False)
        .select_related("assignee", "conversation__person", "person")
        .order_by("-done_at")
    )
    if not show_all:
        done = done.filter(assignee=request.user)
    context = {
        "rows": paginate(request, rows, 50),
        "done": done[:10],
        "show_all": show_all,
        "today": timezone.localdate(),
        "next": request.get_full_path(),
    }
    return render_page(request, "conversations/follow_ups.html", context)


@require(Role.BUILDER)
@require_POST
def follow_up_done(request: NeighbourhoodRequest, slug: str, follow_up_id: int) -> HttpResponse:
    follow_up = get_in_neighbourhood(
        FollowUp.objects.listed().select_related("assignee", "conversation__person", "person"),
        request.neighbourhood,
        pk=follow_up_id,
    )
    done = request.POST.get("done", "1") != "0"
    services.set_follow_up_done(follow_up, done, request.user)
    if request.htmx:
        context = {
            "item": follow_up,
            "today": timezone.localdate(),
            "next": request.POST.get("next"),
        }
        return render_page(request, "conversations/follow_ups.html#follow-up", context)
    messages.success(
        request,
        _("Marked as done: %(what)s") % {"what": follow_up.what}
        if done
        else _("Open again: %(what)s") % {"what": follow_up.what},
    )
    return redirect(next_url(request, reverse("conversations:follow_ups", args=[slug])))


@require(Role.BUILDER)
def reminders(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """The signed-in team member's choice of e-mail reminders of their follow-ups."""
    current = DigestSetting.objects.filter(user=request.user).first()
    form = DigestForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_bound and form.is_valid():
        services.set_digest(
            request.user,
            frequency=form.cleaned_data["frequency"],
            weekday=form.cleaned_data["weekday"],
            language=translation.get_language() or "",
        )
        messages.success(request, _("Your reminder choice is saved."))
        return redirect("conversations:follow_ups", slug)
    context = {"form": form, "has_email": bool(request.user.email)}
    status = 422 if form.is_bound else 200
    return render_page(request, "conversations/reminders.html", context, status=status)


@require(Role.BUILDER)
def person_follow_up_add(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    """A follow-up for a person, from their page (no conversation needed). GET shows the form
    on its own page; a refused POST shows it again with everything typed."""
    person = get_in_neighbourhood(Person, request.neighbourhood, pk=person_id)
    back = f"{person.get_absolute_url()}#follow-ups"
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        neighbourhood=request.neighbourhood,
        user=request.user,
        initial={"client_token": _token()},
        prefix="follow_up",
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        follow_up = services.add_follow_up(
            person=person,
            what=data["what"],
            assignee=data["assignee"],
            due_on=data["due_on"],
            client_token=data["client_token"],
        )
        messages.success(request, _("Follow-up added: %(what)s") % {"what": follow_up.what})
        return redirect(back)
    context = {"person": person, "form": form, "back": back}
    status = 422 if form.is_bound else 200
    return render_page(request, "conversations/person_follow_up.html", context, status=status)


def _introductions_page(
    request: NeighbourhoodRequest, refused: dict | None = None, status: int = 200
) -> HttpResponse:
    """The open and the recent introductions; ``refused`` is the introduction whose date was
    refused, shown first with what was typed and why (and left out of the list below)."""
    base = Introduction.objects.in_neighbourhood(request.neighbourhood).proposed()
    related = ("person", "to_person", "to_organisation", "conversation", "introduced_by")
    open_rows = base.filter(status=IntroductionStatus.OPEN).select_related(*related)
    if refused is not None:
        open_rows = open_rows.exclude(pk=refused["introduction"].pk)
    made = (
        base.filter(status=IntroductionStatus.INTRODUCED)
        .select_related(*related)
        .order_by("-introduced_at")
    )
    context = {
        "open_rows": paginate(request, open_rows.order_by("created_at", "pk"), 50),
        "made": made[:20],
        "refused": refused,
    }
    return render_page(request, "conversations/introductions.html", context, status=status)


@require(Role.BUILDER)
def introductions(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    return _introductions_page(request)


@require(Role.BUILDER)
@require_POST
def introduction_made(
    request: NeighbourhoodRequest, slug: str, introduction_id: int
) -> HttpResponse:
    """Mark an introduction as made on the day given. A refused day (in the future, before
    the neighbourhood's records start, no date at all) answers with the introductions page:
    the introduction first, the typed day kept in its field and the reason beside it."""
    introduction = get_in_neighbourhood(
        Introduction.objects.proposed().select_related("person", "to_person", "to_organisation"),
        request.neighbourhood,
        pk=introduction_id,
    )
    default = reverse("conversations:introductions", args=[slug])
    form = IntroducedForm(request.POST, neighbourhood=request.neighbourhood)
    problems: list[str] = []
    if form.is_valid():
        try:
            introduction = services.mark_introduced(
                introduction.pk, request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            problems = list(error.messages)
    else:
        problems = [str(e) for e in form.errors.get("on", [])] or [
            str(e) for e in form.non_field_errors()
        ]
    if problems:
        refused = {
            "introduction": introduction,
            "typed": request.POST.get("on", "")[:40],
            "error": " ".join(problems),
            "next": next_url(request, default),
        }
        response = _introductions_page(request, refused, status=422)
        if request.htmx:
            response["HX-Retarget"] = "body"
            response["HX-Push-Url"] = default
        return response
    messages.success(
        request,
        _("Introduction made: %(person)s and %(other)s are now connected.")
        % {"person": introduction.person, "other": introduction.target},
    )
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = next_url(request, default)
        return response
    return redirect(next_url(request, default))


# ---------------------------------------------------------------------------- start


def _matches(request: NeighbourhoodRequest, name: str, street: str, *, duplicates=False):
    return matching.shown(request.neighbourhood, request.membership, name, street, duplicates)


@require(Role.BUILDER)
def conversation_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Start a draft: with someone already known (picked from what the typed name and street
    find), or with someone new; a new person who closely matches a known one asks first."""
    nb = request.neighbourhood
    data = request.POST if request.method == "POST" else request.GET
    picked = data.get("pick") if request.method == "POST" else None
    person_id = picked or data.get("person")
    person = None
    if person_id:
        person = get_in_neighbourhood(Person, nb, pk=person_id if is_id(person_id) else 0)
        draft = (
            _conversations(request)
            .drafts()
            .filter(person=person, builder=request.user)
            .order_by("-updated_at")
            .first()
        )
        if draft is not None:
            messages.info(
                request,
                _("You already have a draft conversation with %(name)s; carry on here.")
                % {"name": person},
            )
            return redirect(draft)
    consent_needed = needs_consent(person)
    typed_name = " ".join(data.get("first_name", "").split())[:120]
    typed_street = " ".join(data.get("street", "").split())[:120]
    looking = request.method == "POST" and "find" in request.POST
    # "Start a conversation" on a person page posts only the person, and a person picked from
    # the matches comes without their own consent: ask for consent first (unless ticked).
    just_chosen = (
        person is not None
        and consent_needed
        and ("consent_audience" not in request.POST or (picked and "consent_given" not in data))
    )
    initial: dict[str, Any] = {"first_name": typed_name, "street": typed_street}
    if looking:  # "Look up" without JavaScript: what was typed stays, no errors yet
        initial |= {
            "consent_fields": request.POST.getlist("consent_fields"),
            "consent_audience": request.POST.get("consent_audience"),
            "consent_given": "consent_given" in request.POST,
        }
    form = StartForm(
        request.POST if request.method == "POST" and not just_chosen and not looking else None,
        person=person,
        needs_consent=consent_needed,
        initial=initial,
    )
    duplicates: list = []
    status = 200
    if form.is_bound:
        if form.is_valid():
            cleaned = form.cleaned_data
            if person is None and "create_anyway" not in request.POST:
                duplicates = _matches(
                    request, cleaned["first_name"], cleaned["street"], duplicates=True
                )
            if not duplicates:
                conversation = services.start_conversation(
                    neighbourhood=nb,
                    builder=request.user,
                    person=person,
                    first_name=cleaned.get("first_name", ""),
                    street=cleaned.get("street", ""),
                    consent=form.consent(),
                )
                return redirect(conversation)
        else:
            status = 422
    matches = []
    if person is None and not duplicates and (typed_name or typed_street):
        matches = _matches(request, typed_name, typed_street)
    context = {
        "form": form,
        "person": person,
        "consent_text": CONSENT_TEXT,
        "consent_version": CONSENT_TEXT_VERSION,
        "streets": disclosure.street_names(nb, request.membership)[:500],
        "matches": matches,
        "duplicates": duplicates,
        "searched": bool(typed_name or typed_street),
    }
    return render_page(
        request,
        "conversations/new.html",
        context,
        partial="matches",
        only_for=["matches"],
        status=status,
    )


# ------------------------------------------------------------------ offline start


@require(Role.BUILDER)
def conversation_offline(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Start a conversation with no connection: the page a phone keeps (service worker) and
    shows for "new conversation" when offline, and where it sends what was typed.

    The page holds nothing about anyone (no names, no streets). Its script keeps everything
    typed on the device and posts it here once the connection is back; the client token
    makes a resend harmless. A script's post (``X-Offline-Sync``) gets JSON: 200/201 with
    the draft's address, 422 with the messages; a plain post gets the page or a redirect.
    """
    form = OfflineForm(
        request.POST if request.method == "POST" else None,
        initial={"client_token": _token(), "held_on": timezone.localdate()},
    )
    by_script = request.headers.get("X-Offline-Sync") == "1"
    if form.is_bound:
        if form.is_valid():
            offline = services.OfflineConversation(
                client_token=form.cleaned_data["client_token"],
                first_name=form.cleaned_data["first_name"],
                street=form.cleaned_data["street"],
                consent=form.consent(),
                texts=form.texts(),
                gifts=[services.OfflineGift(kind, title) for kind, title in form.gifts],
                meet=[services.OfflineMeet(name, reason) for name, reason in form.meet],
            )
            conversation, created = services.start_offline(
                neighbourhood=request.neighbourhood,
                builder=request.user,
                offline=offline,
                not_found_label=_("Should meet (pick them on this page):"),
            )
            if by_script:
                return JsonResponse(
                    {"url": conversation.get_absolute_url(), "created": created},
                    status=201 if created else 200,
                )
            return redirect(conversation)
        if by_script:
            errors = {name: [str(m) for m in messages_] for name, messages_ in form.errors.items()}
            return JsonResponse({"errors": errors}, status=422)
    status = 422 if form.is_bound else 200
    gift_rows = [pair for pair in form.pairs("gift_kind", "gift_title") if pair[1]]
    meet_rows = [pair for pair in form.pairs("meet_name", "meet_reason") if pair[0]]
    context = {
        "form": form,
        "kinds": GiftKind.choices,
        "consent_text": CONSENT_TEXT,
        "gift_rows": gift_rows + [("", "")] * max(1, 2 - len(gift_rows)),
        "meet_rows": [*meet_rows, ("", "")],
    }
    return render_page(request, "conversations/offline.html", context, status=status)


SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "js" / "sw.js"


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so its scope covers the conversation pages."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


# --------------------------------------------------------------------------- detail


def _tag_suggestions(request: NeighbourhoodRequest, title: str, chosen: list[str]) -> list[dict]:
    """Tags of the neighbourhood's vocabulary that fit the gift's title (or the most used)."""
    tags = Tag.objects.in_neighbourhood(request.neighbourhood)
    chosen_keys = {normalise(name) for name in chosen}
    words = [word for word in normalise(title).replace(",", " ").split() if len(word) >= 3]
    if words:
        rule = Q()
        for word in words[:8]:
            rule |= Q(normalised__contains=word[:6])
        matches = list(tags.filter(rule).order_by("normalised")[:8])
    else:
        matches = list(tags.annotate(uses=Count("gifts")).order_by("-uses", "normalised")[:6])
    suggestions = [{"name": name, "checked": True} for name in chosen]
    suggestions += [
        {"name": tag.name, "checked": False} for tag in matches if tag.normalised not in chosen_keys
    ]
    return suggestions


def _draft_context(request: NeighbourhoodRequest, conversation: Conversation, **overrides) -> dict:
    nb = request.neighbourhood
    context: dict[str, Any] = {
        "conversation": conversation,
        "person": conversation.person,
        "gifts": conversation.draft_gifts.all(),
        "known": conversation.known_relations.select_related("other_person", "organisation"),
        "introductions": conversation.introductions.select_related("to_person", "to_organisation"),
        "follow_ups": conversation.follow_ups.select_related("assignee"),
        "gift_form": GiftForm(initial={"client_token": _token()}),
        "known_form": TargetForm(neighbourhood=nb),
        "introduce_form": TargetForm(neighbourhood=nb),
        "follow_up_form": FollowUpForm(
            neighbourhood=nb, user=request.user, initial={"client_token": _token()}
        ),
        "tag_vocabulary": Tag.objects.in_neighbourhood(nb).values_list("name", flat=True)[:300],
        "today": timezone.localdate(),
        "field_errors": {},
        "conflicts": {},
    }
    context.update(overrides)
    context["autosave"] = _autosave_fields(
        conversation, context.pop("typed", {}), context["field_errors"], context["conflicts"]
    )
    if "tag_suggestions" not in context:
        context["tag_suggestions"] = _tag_suggestions(request, "", [])
    return context


AUTOSAVE_WIDGETS: dict[str, dict[str, Any]] = {
    "held_on": {"kind": "date"},
    "place": {"kind": "text"},
    "cares_about": {"kind": "textarea", "rows": 5},
    "ideas": {"kind": "textarea", "rows": 4},
    "private_notes": {"kind": "textarea", "rows": 4},
}


def _autosave_fields(conversation, typed: dict, errors: dict, conflicts: dict) -> dict:
    """What each autosaved field shows: the server's text, or what was typed when refused."""
    fields = {}
    for name, widget in AUTOSAVE_WIDGETS.items():
        field = model_field(Conversation, name)
        current = services.current_value(conversation, name)
        fields[name] = {
            **widget,
            "name": name,
            "label": field.verbose_name,
            "help": field.help_text,
            "value": typed.get(name, current),
            "base": current,
            # the page checks this before sending (characters, as parse_changes counts them)
            "limit": FIELD_LIMITS.get(name) or field.max_length,
            "error": errors.get(name),
            "conflict": conflicts.get(name),
        }
    return fields


def _summary_context(conversation: Conversation) -> dict:
    return {
        "conversation": conversation,
        "person": conversation.person,
        "gifts": conversation.draft_gifts.select_related("gift"),
        "known": conversation.known_relations.select_related(
            "other_person", "organisation", "connection"
        ),
        "introductions": conversation.introductions.select_related(
            "to_person", "to_organisation", "introduced_by"
        ),
        "follow_ups": conversation.follow_ups.select_related("assignee"),
        "today": timezone.localdate(),
    }


@require(Role.BUILDER)
def conversation_detail(
    request: NeighbourhoodRequest, slug: str, conversation_id: int
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if conversation.is_draft:
        return render_page(
            request, "conversations/draft.html", _draft_context(request, conversation)
        )
    return render_page(request, "conversations/summary.html", _summary_context(conversation))


def _finished_response(request: HtmxRequest, conversation: Conversation, message: str):
    if request.htmx:
        return render_page(
            request,
            "conversations/draft.html#finished-note",
            {"message": message, "conversation": conversation},
            status=409,
        )
    messages.error(request, message)
    return redirect(conversation)


@require(Role.BUILDER)
@require_POST
def conversation_save(
    request: NeighbourhoodRequest, slug: str, conversation_id: int
) -> HttpResponse:
    """Autosave of the text fields (one per HTMX request, or all of them from the form).

    HTMX answers: 200 saved (header ``HX-Trigger: conversation-saved``), 409 with both texts
    when someone else changed the field meanwhile (or the conversation was finished), 422
    when the value is refused. Nothing the builder typed is dropped in any of these.
    """
    conversation = _conversation(request, conversation_id)
    changes, version, errors = parse_changes(request.POST)
    try:
        result = services.save_fields(conversation.pk, changes, version, request.user)
    except services.AlreadyFinished as exc:
        return _finished_response(request, conversation, exc.messages[0])
    conversation = result.conversation
    conflicts = {c.field: c for c in result.conflicts}
    if request.htmx:
        if conflicts:
            status, template = 409, "conversations/draft.html#conflict"
        elif errors:
            status, template = 422, "conversations/draft.html#field-error"
        else:
            status, template = 200, "conversations/draft.html#saved"
        context = {
            "conversation": conversation,
            "conflict": next(iter(conflicts.values()), None),
            "error": next(iter(errors.values()), None),
            "saved_fields": result.saved,
        }
        response = render_page(request, template, context, status=status)
        response["HX-Trigger"] = json.dumps(
            {"conversation-version": {"version": conversation.version}}
        )
        return response
    if conflicts or errors:
        # Without JavaScript: show the page again with what they typed and both texts.
        typed = {name: request.POST.get(name, "") for name in changes} | {
            name: request.POST.get(name, "") for name in errors
        }
        context = _draft_context(
            request, conversation, field_errors=errors, conflicts=conflicts, typed=typed
        )
        return render_page(
            request, "conversations/draft.html", context, status=409 if conflicts else 422
        )
    if result.saved:
        messages.success(request, _("Saved."))
    return redirect(conversation)


# ------------------------------------------------------------------------ quick add


def _section(
    request, conversation, section: str, status: int = 200, message: str = "", **overrides: Any
):
    """The section again; over HTMX with `message` read out (static/js/a11y.js puts focus
    on the item marked by `added`, else the section's heading)."""
    context = _draft_context(request, conversation, **overrides)
    if request.htmx:
        response = render_page(
            request, f"conversations/draft.html#{section}", context, status=status
        )
        return announce(response, message) if message else response
    if status >= 400:
        return render_page(request, "conversations/draft.html", context, status=status)
    return redirect(f"{conversation.get_absolute_url()}#{section}")


@require(Role.BUILDER)
@require_POST
def gift_add(request: NeighbourhoodRequest, slug: str, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if not conversation.is_draft:
        return _finished_response(request, conversation, _("This conversation was finished."))
    form = GiftForm(request.POST)
    if not form.is_valid():
        suggestions = _tag_suggestions(
            request, request.POST.get("title", ""), request.POST.getlist("tags")
        )
        return _section(
            request, conversation, "gifts", 422, gift_form=form, tag_suggestions=suggestions
        )
    gift = services.add_gift(
        conversation, client_token=form.cleaned_data["client_token"], **form.gift_data()
    )
    message = _("Gift added: %(title)s") % {"title": gift.title}
    return _section(request, conversation, "gifts", message=message, added=gift.pk)


@require(Role.BUILDER)
@require_POST
def known_add(request: NeighbourhoodRequest, slug: str, conversation_id: int) -> HttpResponse:
    def add(conversation, data: dict):
        return services.add_known(
            conversation,
            other_person=data["other_person"],
            organisation=data["target_organisation"],
            client_token=data["client_token"],
        )

    return _add_target(request, conversation_id, "known", "known_form", add)


@require(Role.BUILDER)
@require_POST
def introduction_add(
    request: NeighbourhoodRequest, slug: str, conversation_id: int
) -> HttpResponse:
    def add(conversation, data: dict):
        return services.propose_introduction(
            conversation.person,
            to_person=data["other_person"],
            to_organisation=data["target_organisation"],
            conversation=conversation,
            reason=data["reason"].strip(),
            by=request.user,
            client_token=data["client_token"],
        )

    return _add_target(request, conversation_id, "introductions", "introduce_form", add)


def _add_target(request, conversation_id: int, section: str, form_name: str, add) -> HttpResponse:
    """A person or organisation picked in a draft (someone they know, someone to meet):
    the section again, or at 422 with the form's error (the service's refusal included)."""
    conversation = _conversation(request, conversation_id)
    if not conversation.is_draft:
        return _finished_response(request, conversation, _("This conversation was finished."))
    form = TargetForm(request.POST, neighbourhood=request.neighbourhood)
    item = None
    if form.is_valid():
        try:
            item = add(conversation, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
    if form.errors or item is None:
        with_form: dict[str, Any] = {form_name: form}
        return _section(request, conversation, section, 422, **with_form)
    message = _("Added: %(name)s") % {"name": item.target}
    return _section(request, conversation, section, message=message, added=item.pk)


@require(Role.BUILDER)
@require_POST
def follow_up_add(request: NeighbourhoodRequest, slug: str, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if not conversation.is_draft:
        return _finished_response(request, conversation, _("This conversation was finished."))
    form = FollowUpForm(request.POST, neighbourhood=request.neighbourhood, user=request.user)
    if not form.is_valid():
        return _section(request, conversation, "follow-ups", 422, follow_up_form=form)
    data = form.cleaned_data
    follow_up = services.add_follow_up(
        conversation,
        what=data["what"],
        assignee=data["assignee"],
        due_on=data["due_on"],
        client_token=data["client_token"],
    )
    message = _("Follow-up added: %(what)s") % {"what": follow_up.what}
    return _section(request, conversation, "follow-ups", message=message, added=follow_up.pk)


ITEM_SECTIONS = {
    "gift": ("draft_gifts", "gifts"),
    "known": ("known_relations", "known"),
    "introduction": ("introductions", "introductions"),
    "follow_up": ("follow_ups", "follow-ups"),
}


@require(Role.BUILDER)
@require_POST
def item_remove(
    request: NeighbourhoodRequest, slug: str, conversation_id: int, kind: str, item_id: int
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    relation, section = ITEM_SECTIONS[kind]
    if not conversation.is_draft:
        return _finished_response(request, conversation, _("This conversation was finished."))
    item = getattr(conversation, relation).filter(pk=item_id).first()
    message = ""
    if item is not None:  # already gone (removed twice, or on another device): fine
        message = _("Removed: %(name)s") % {"name": _item_name(item)}
        services.remove_item(conversation, item)
    return _section(request, conversation, section, message=message)


def _item_name(item) -> str:
    """How an item of a draft's section is called when read out."""
    for attribute in ("title", "what", "target"):
        if hasattr(item, attribute):
            return str(getattr(item, attribute))
    return str(item)


# --------------------------------------------------------------------------- search


@require(Role.BUILDER)
def search(request: NeighbourhoodRequest, slug: str, conversation_id: int) -> HttpResponse:
    """People and organisations of the neighbourhood, to add as known or to introduce."""
    conversation = _conversation(request, conversation_id)
    purpose = "introduce" if request.GET.get("purpose") == "introduce" else "known"
    q = " ".join(request.GET.get("q", "").split())[:80]
    people = organisations = []
    if len(q) >= 2:
        nb = request.neighbourhood
        people = list(
            Person.objects.in_neighbourhood(nb)
            .filter(Q(name__icontains=q) | Q(street__icontains=q))
            .exclude(pk=conversation.person_id)
            .order_by("name", "pk")[:8]
        )
        organisations = list(
            Organisation.objects.in_neighbourhood(nb).filter(name__icontains=q).order_by("name")[:5]
        )
    context = {
        "conversation": conversation,
        "purpose": purpose,
        "q": q,
        "reason": request.GET.get("reason", "")[:300],
        "people": people,
        "organisations": organisations,
        "searched": len(q) >= 2,
        "token": _token(),
    }
    return render_page(request, "conversations/search.html", context, partial="results")


@require(Role.BUILDER)
def tag_suggestions(request: NeighbourhoodRequest, slug: str, conversation_id: int) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    suggestions = _tag_suggestions(
        request, request.GET.get("title", "")[:120], request.GET.getlist("tags")[:20]
    )
    context = {"conversation": conversation, "tag_suggestions": suggestions}
    return render_page(request, "conversations/draft.html#tag-suggestions", context)


# --------------------------------------------------------------------------- finish


@require(Role.BUILDER)
@require_POST
def conversation_finish(
    request: NeighbourhoodRequest, slug: str, conversation_id: int
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if not conversation.is_draft:
        messages.info(request, _("This conversation was already finished."))
        return _redirect(request, conversation.get_absolute_url())
    # Text typed but not yet autosaved travels with the finish button; save it first.
    changes, version, errors = parse_changes(request.POST)
    error = next(iter(errors.values()), None)
    conflicts = []
    if not error and changes:
        conflicts = services.save_fields(conversation.pk, changes, version, request.user).conflicts
        if conflicts:
            error = _(
                "Someone else changed “%(field)s” meanwhile; look at both texts before finishing."
            ) % {"field": conflicts[0].label}
    if not error:
        try:
            services.finish(conversation.pk, request.user)
        except ValidationError as exc:
            error = exc.messages[0]
    if error:
        if request.htmx:
            return render_page(
                request, "conversations/draft.html#finish-error", {"error": error}, status=422
            )
        conversation.refresh_from_db()
        context = _draft_context(
            request,
            conversation,
            finish_error=error,
            conflicts={c.field: c for c in conflicts},
        )
        return render_page(request, "conversations/draft.html", context, status=422)
    messages.success(
        request,
        _("Conversation with %(name)s logged. Thank you!") % {"name": conversation.person},
    )
    return _redirect(request, conversation.get_absolute_url())


def _redirect(request: HtmxRequest, url: str) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require(Role.BUILDER)
def conversation_discard(
    request: NeighbourhoodRequest, slug: str, conversation_id: int
) -> HttpResponse:
    conversation = _conversation(request, conversation_id)
    if not conversation.is_draft:
        messages.error(request, _("A finished conversation cannot be discarded."))
        return redirect(conversation)
    if request.method == "POST":
        result = services.discard(conversation)
        if result.person_removed:
            messages.success(
                request,
                _(
                    "The draft conversation with %(name)s was discarded, and %(name)s with it: "
                    "nothing else was recorded about them."
                )
                % {"name": result.name},
            )
        elif result.kept_because:
            messages.success(
                request,
                _(
                    "The draft conversation with %(name)s was discarded. %(name)s stays: "
                    "other records refer to them (%(kinds)s)."
                )
                % {"name": result.name, "kinds": ", ".join(result.kept_because)},
            )
        else:
            messages.success(
                request,
                _(
                    "The draft conversation with %(name)s was discarded. %(name)s stays: they "
                    "were known before this conversation."
                )
                % {"name": result.name},
            )
        return redirect("conversations:drafts", slug)
    context: dict[str, Any] = {"conversation": conversation}
    if conversation.started_with_new_person:
        # what refers to the person besides this draft (its own items go with it)
        context["kept_because"] = services.referring_kinds(conversation.person, conversation)
    return render_page(request, "conversations/discard.html", context)

"""Views of people, gifts and tags; every view is wrapped in neighbourhoods.access.require.

What a viewer sees of a person is decided in `residents.disclosure`; views hand templates
the wrappers from there, never model instances of people.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import cast

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.dashboard import panels_for
from neighbourhoods.http import NeighbourhoodRequest, paginate, render_page
from neighbourhoods.images import serve_image
from neighbourhoods.models import Membership, Role

from . import disclosure as visibility
from . import matching
from .disclosure import street_names, tag_q, tags_offered
from .forms import INLINE_VALIDATED, GiftForm, PersonForm, save_if_current
from .models import PERSON_FIELDS, Gift, GiftKind, Person, Tag, normalise
from .signals import person_viewed

PAGE_SIZE = 25
SUGGESTIONS = 8

PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-hidden="true">'
    '<rect width="64" height="64" fill="#e3f1ec"/><circle cx="32" cy="24" r="12" fill="#1f6f5c"/>'
    '<path d="M10 60c2-14 12-20 22-20s20 6 22 20z" fill="#1f6f5c"/></svg>'
)


@dataclass
class QuickPage:
    """A page that knows whether another follows without counting every row (big lists)."""

    object_list: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _quick_page(request: HttpRequest, queryset) -> QuickPage:
    try:
        number = max(1, min(int(request.GET.get("page", 1)), 100_000))
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE + 1])
    return QuickPage(rows[:PAGE_SIZE], number, len(rows) > PAGE_SIZE)


def _delete_files(names: list[str | None], storage) -> None:
    for name in names:
        if name:
            transaction.on_commit(functools.partial(storage.delete, name))


# --- filters ---------------------------------------------------------------------------

PEOPLE_SORTS = {
    "name": gettext_lazy("name"),
    "street": gettext_lazy("street"),
    "newest": gettext_lazy("newest first"),
}
GIFT_SORTS = {
    "title": gettext_lazy("title"),
    "kind": gettext_lazy("kind"),
    "street": gettext_lazy("street"),
    "newest": gettext_lazy("newest first"),
}
YES_NO = [("", gettext_lazy("any")), ("yes", gettext_lazy("yes"))]


class ListFilter(forms.Form):
    """Filters shared by the people and gift lists; invalid values are simply ignored."""

    street = forms.ChoiceField(label=gettext_lazy("Street"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Tag"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of gift"), required=False)
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), required=False)

    def __init__(self, data, *, streets, tags, sorts) -> None:
        super().__init__(data)
        anything = [("", _("any"))]
        street_choices = [(s, s) for s in streets]
        tag_choices = list(tags)
        # A bookmarked value that is not (or no longer) offered still filters, and shows.
        for name, choices in (("street", street_choices), ("tag", tag_choices)):
            current = self.raw(name)
            if current and current not in {value for value, _label in choices}:
                choices.append((current, current))
        for name, options in (
            ("street", anything + street_choices),
            ("tag", anything + tag_choices),
            ("kind", anything + list(GiftKind.choices)),
            ("sort", list(sorts.items())),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def raw(self, name: str) -> str:
        return (self.data.get(name) or "").strip()[:120] if self.is_bound else ""

    def value(self, name: str) -> str:
        if not self.is_bound:
            return ""
        field = self.fields[name]
        raw = self.data.get(name, "")
        try:
            return field.clean(raw) or ""
        except forms.ValidationError:
            return ""


class GiftFilter(ListFilter):
    share = forms.ChoiceField(
        label=gettext_lazy("Would share or teach"), required=False, choices=YES_NO
    )
    learn = forms.ChoiceField(label=gettext_lazy("Wants to learn"), required=False, choices=YES_NO)


def _street_names(membership) -> list[str]:
    """The streets offered in the filters and the person form (``disclosure.street_names``).

    Residents are offered the streets of people who show their street to residents (their
    own hidden street is not offered as a filter).
    """
    nb = membership.neighbourhood
    viewer = (
        membership
        if visibility.sees_everything(membership)
        else Membership(neighbourhood=nb, role=Role.RESIDENT)
    )
    return street_names(nb, viewer)


def _streets(request: NeighbourhoodRequest) -> list[str]:
    """:func:`_street_names`, kept until the neighbourhood's data changes (freshness)."""
    membership = request.membership
    return freshness.value(request, "streets", lambda: _street_names(membership), per_query=False)


def _tags(membership):
    """The tags a viewer is offered: for residents, only those on gifts they may see."""
    tags = Tag.objects.in_neighbourhood(membership.neighbourhood).filter(tag_q(membership))
    return tags.only("name", "normalised")


def _list_filter(request, cls, sorts):
    membership = request.membership
    data = request.GET if request.GET else None
    offered = tags_offered(membership.neighbourhood, membership)
    tags = [(normalised, name) for _pk, name, normalised in offered]
    return cls(data, streets=_streets(request), tags=tags, sorts=sorts)


# --- people ----------------------------------------------------------------------------


def person_cards(people: list[visibility.VisiblePerson]) -> SafeString:
    """The people list's cards, written here: a template loop cost about 400 Python calls a
    card (issue #19). Only what the viewer may see is on the wrapper (``see_people``)."""
    gifts_label = _("Gifts")
    cards = []
    for person in people:
        thumb = getattr(person, "thumb_url", "")
        street = getattr(person, "street", "")
        gifts = getattr(person, "gift_list", [])
        chips = format_html_join(
            "", '<li class="chip kind-{}">{}</li>', ((g.kind, g.title) for g in gifts[:3])
        )
        if len(gifts) > 3:
            chips += format_html('<li class="chip muted">+{}</li>', len(gifts) - 3)
        cards.append(
            format_html(
                '<li class="card person-card">{}<div><h2 class="card-title"><a href="{}">{}</a>'
                "</h2>{}{}</div></li>",
                format_html(
                    '<img src="{}" alt="" class="avatar" width="48" height="48" loading="lazy">',
                    thumb,
                )
                if thumb
                else "",
                person.url,
                person.name,
                format_html('<p class="muted">{}</p>', street) if street else "",
                format_html('<ul class="chips" aria-label="{}">{}</ul>', gifts_label, chips)
                if gifts
                else "",
            )
        )
    return format_html_join("\n", "{}", ((card,) for card in cards))


@require(Role.RESIDENT)
@require_GET
def people(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    membership = request.membership
    filters = _list_filter(request, ListFilter, PEOPLE_SORTS)
    rows = Person.objects.in_neighbourhood(request.neighbourhood).visible_to(membership)
    if street := filters.value("street"):
        rows = rows.filter(Q(street=street) & visibility.field_q(membership, "street"))
    tag, kind = filters.value("tag"), filters.value("kind")
    if tag or kind:
        gifts = Gift.objects.filter(person=OuterRef("pk"))
        if tag:
            gifts = gifts.filter(tags__normalised=tag)
        if kind:
            gifts = gifts.filter(kind=kind)
        rows = rows.filter(Exists(gifts)).filter(visibility.field_q(membership, "gifts"))
    sort = filters.value("sort") or "name"
    if sort == "street":
        street_key = visibility.visible_column(membership, "street", "street")
        rows = rows.order_by(street_key.asc(nulls_last=True), "name", "pk")
    elif sort == "newest":
        rows = rows.order_by("-created_at", "-pk")
    else:
        rows = rows.order_by("name", "pk")

    def results() -> dict:
        # counting 100,000 people took 10 ms: kept per data version, viewer kind and the
        # filters that decide the rows (not the page or sort), as the network table's (#19)
        count = freshness.kept(
            request.neighbourhood,
            membership,
            "people-count:" + json.dumps([street, tag, kind]),  # "a:b" can be typed
            rows.count,
        )
        page = paginate(request, rows, count=count)
        gifts_in_list = Prefetch("gifts", queryset=Gift.objects.order_by("kind", "title", "pk"))
        on_page = cast("QuerySet[Person]", page.object_list)  # a slice of ``rows``
        people_on_page = list(on_page.prefetch_related(gifts_in_list))
        shown = visibility.see_people(people_on_page, membership)
        return {"page": page, "people": shown, "cards": person_cards(shown)}

    context = {
        "filters": filters,
        "can_manage": membership.is_builder,
        "results": freshness.partial(request, "people", "residents/people.html#results", results),
    }
    return render_page(
        request, "residents/people.html", context, partial="results", only_for=["results"]
    )


def _person_form_response(request, form, template: str, context: dict) -> HttpResponse:
    """Answer an inline check of one field (HTMX), or re-render the whole form at 422."""
    field = request.POST.get("_validate", "")
    if request.htmx and field in INLINE_VALIDATED and field in form.fields:
        form.is_valid()
        return render(request, f"{template}#field", {**context, "field": form[field]})
    return render(request, template, context, status=422)


def _matches(request: NeighbourhoodRequest, name: str, street: str, *, duplicates=False):
    return matching.shown(request.neighbourhood, request.membership, name, street, duplicates)


@require(Role.BUILDER)
def person_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = PersonForm(*data, neighbourhood=request.neighbourhood)
    context: dict[str, object] = {
        "form": form,
        "person": None,
        "streets": _streets(request),
        "inline_fields": INLINE_VALIDATED,
    }
    if request.method == "GET":
        typed_name = " ".join(request.GET.get("name", "").split())[:120]
        typed_street = " ".join(request.GET.get("street", "").split())[:120]
        if typed_name or typed_street:
            context["matches"] = _matches(request, typed_name, typed_street)
            context["searched"] = True
        return render_page(
            request, "residents/person_form.html", context, partial="matches", only_for=["matches"]
        )
    if "_validate" not in request.POST and form.is_valid():
        typed = form.cleaned_data
        if "create_anyway" not in request.POST:
            duplicates = _matches(request, typed["name"], typed["street"], duplicates=True)
            if duplicates:  # ask first: "Did you mean …?"; what was typed stays
                context["duplicates"] = duplicates
                return render(request, "residents/person_form.html", context)
        person = form.save(user=request.user)
        messages.success(request, _("%(name)s was added.") % {"name": person.name})
        _consent_message(request, form)
        return redirect(person)
    return _person_form_response(request, form, "residents/person_form.html", context)


def _consent_message(request: HttpRequest, form: PersonForm) -> None:
    """Say which consent was put on record, so it never happens unnoticed."""
    for record in form.consents:
        fields = ", ".join(str(PERSON_FIELDS[f]) for f in record.fields if f in PERSON_FIELDS)
        messages.info(
            request,
            _(
                "Consent given at the kitchen table is on record: %(fields)s may be shown to "
                "%(audience)s."
            )
            % {"fields": fields, "audience": record.get_audience_display()},
        )


@require(Role.RESIDENT)
@require_GET
def person(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    membership = request.membership
    record = get_in_neighbourhood(
        Person.objects.visible_to(membership).select_related("created_by", "updated_by"),
        request.neighbourhood,
        pk=person_id,
    )
    shown = visibility.see_person(record, membership)
    if (
        Role(membership.role).at_least(Role.BUILDER)
        and record.created_by_id != request.user.pk
        and record.user_id != request.user.pk
        and not request.htmx
    ):
        person_viewed.send(sender=Person, person=record, user=request.user, role=membership.role)
    gifts = []
    if shown.shows("gifts"):
        own_gifts = record.gifts.prefetch_related("tags").order_by("kind", "title", "pk")
        gifts = [visibility.VisibleGift(g, shown, slug) for g in own_gifts]
    context = {
        "person": shown,
        "gifts": gifts,
        "show_gifts": shown.shows("gifts"),
        "panels": panels_for(request, "person", person=record),
    }
    return render(request, "residents/person.html", context)


def _managed_person(request: NeighbourhoodRequest, person_id: int) -> Person:
    return get_in_neighbourhood(Person, request.neighbourhood, pk=person_id)


@require(Role.BUILDER)
def person_edit(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    """Edit a person; a form opened before someone else saved is never saved over them."""
    record = _managed_person(request, person_id)

    def make_form(person: Person) -> PersonForm:
        data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
        return PersonForm(*data, instance=person, neighbourhood=request.neighbourhood)

    if request.method == "POST" and "_validate" not in request.POST:
        form, saved = save_if_current(record, make_form, request.user)
        if saved is not None:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            _consent_message(request, form)
            return redirect(saved)
        record = form.instance
    else:
        form = make_form(record)
    context = {
        "form": form,
        "person": visibility.see_person(record, request.membership),
        "saved_person": record,
        "streets": _streets(request),
        "inline_fields": INLINE_VALIDATED,
    }
    if form.conflicts:
        return render(request, "residents/person_form.html", context, status=409)
    if request.method == "POST":
        return _person_form_response(request, form, "residents/person_form.html", context)
    return render(request, "residents/person_form.html", context)


@require(Role.BUILDER)
def person_delete(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    record = _managed_person(request, person_id)
    if request.method == "POST":
        name = record.name
        with transaction.atomic(), freshness.batch(record.neighbourhood_id):
            files = [f.name for f in (record.photo, record.photo_thumbnail) if f]
            storage = record.photo.storage
            record.delete()  # with their gifts and consent records: one touch for all
            _delete_files(files, storage)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("residents:people", slug)
    context = {
        "person": visibility.see_person(record, request.membership),
        "gift_count": record.gifts.count(),
    }
    return render(request, "residents/person_delete.html", context)


def _photo(
    request: NeighbourhoodRequest, person_id: int, attribute: str
) -> HttpResponse | FileResponse:
    membership = request.membership
    record = get_in_neighbourhood(
        Person.objects.visible_to(membership), request.neighbourhood, pk=person_id
    )
    file = getattr(record, attribute)
    if not visibility.can_see(record, membership, "photo") or not file:
        response = HttpResponse(PLACEHOLDER_SVG, content_type="image/svg+xml")
        response["Cache-Control"] = "private, max-age=300"
        return response
    return serve_image(file)


@require(Role.RESIDENT)
@require_GET
def person_photo(
    request: NeighbourhoodRequest, slug: str, person_id: int
) -> HttpResponse | FileResponse:
    return _photo(request, person_id, "photo")


@require(Role.RESIDENT)
@require_GET
def person_thumb(
    request: NeighbourhoodRequest, slug: str, person_id: int
) -> HttpResponse | FileResponse:
    return _photo(request, person_id, "photo_thumbnail")


# --- gifts -----------------------------------------------------------------------------


@require(Role.RESIDENT)
@require_GET
def gifts(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    membership = request.membership
    filters = _list_filter(request, GiftFilter, GIFT_SORTS)
    rows = Gift.objects.in_neighbourhood(request.neighbourhood).visible_to(membership)
    if kind := filters.value("kind"):
        rows = rows.filter(kind=kind)
    if tag := filters.value("tag"):
        rows = rows.filter(tags__normalised=tag)
    if street := filters.value("street"):
        rows = rows.filter(
            Q(person__street=street) & visibility.field_q(membership, "street", "person__")
        )
    if filters.value("share"):
        rows = rows.filter(share=True)
    if filters.value("learn"):
        rows = rows.filter(learn=True)
    sort = filters.value("sort") or "title"
    if sort == "kind":
        rows = rows.order_by("kind", "title", "pk")
    elif sort == "street":
        street_key = visibility.visible_column(membership, "street", "street", "person__")
        rows = rows.order_by(street_key.asc(nulls_last=True), "title", "pk")
    elif sort == "newest":
        rows = rows.order_by("-created_at", "-pk")
    else:
        rows = rows.order_by("title", "pk")

    def results() -> dict:
        page = _quick_page(request, rows.select_related("person"))
        prefetch_related_objects(page.object_list, "tags")
        return {"page": page, "gifts": visibility.see_gifts(page.object_list, membership)}

    context = {
        "filters": filters,
        "can_manage": membership.is_builder,
        "results": freshness.partial(request, "gifts", "residents/gifts.html#results", results),
    }
    return render_page(
        request, "residents/gifts.html", context, partial="results", only_for=["results"]
    )


@require(Role.RESIDENT)
@require_GET
def gift(request: NeighbourhoodRequest, slug: str, gift_id: int) -> HttpResponse:
    record = get_in_neighbourhood(
        Gift.objects.visible_to(request.membership)
        .select_related("person", "created_by")
        .prefetch_related("tags"),
        request.neighbourhood,
        pk=gift_id,
    )
    context = {"gift": visibility.see_gift(record, request.membership), "record": record}
    return render(request, "residents/gift.html", context)


def _gift_form_response(request, form, context: dict) -> HttpResponse:
    field = request.POST.get("_validate", "")
    if request.htmx and field in INLINE_VALIDATED and field in form.fields:
        form.is_valid()
        return render(request, "residents/gift_form.html#field", {**context, "field": form[field]})
    return render(request, "residents/gift_form.html", context, status=422)


@require(Role.BUILDER)
def gift_new(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    owner = _managed_person(request, person_id)
    form = GiftForm(
        request.POST if request.method == "POST" else None, neighbourhood=request.neighbourhood
    )
    context = {
        "form": form,
        "owner": visibility.see_person(owner, request.membership),
        "inline_fields": INLINE_VALIDATED,
    }
    if request.method == "POST":
        if "_validate" not in request.POST and form.is_valid():
            saved = form.save(person=owner, user=request.user)
            messages.success(request, _("Gift “%(title)s” was added.") % {"title": saved.title})
            if "add_another" in request.POST:
                return redirect("residents:gift_new", slug, owner.pk)
            return redirect(owner)
        return _gift_form_response(request, form, context)
    return render(request, "residents/gift_form.html", context)


def _managed_gift(request: NeighbourhoodRequest, person_id: int, gift_id: int) -> Gift:
    return get_in_neighbourhood(
        Gift.objects.select_related("person").filter(person_id=person_id),
        request.neighbourhood,
        pk=gift_id,
    )


@require(Role.BUILDER)
def gift_edit(
    request: NeighbourhoodRequest, slug: str, person_id: int, gift_id: int
) -> HttpResponse:
    record = _managed_gift(request, person_id, gift_id)
    form = GiftForm(
        request.POST if request.method == "POST" else None,
        instance=record,
        neighbourhood=request.neighbourhood,
    )
    context = {
        "form": form,
        "owner": visibility.see_person(record.person, request.membership),
        "gift": record,
        "inline_fields": INLINE_VALIDATED,
    }
    if request.method == "POST":
        if "_validate" not in request.POST and form.is_valid():
            saved = form.save(person=record.person, user=request.user)
            messages.success(request, _("Gift “%(title)s” was saved.") % {"title": saved.title})
            return redirect(saved.person)
        return _gift_form_response(request, form, context)
    return render(request, "residents/gift_form.html", context)


@require(Role.BUILDER)
def gift_delete(
    request: NeighbourhoodRequest, slug: str, person_id: int, gift_id: int
) -> HttpResponse:
    record = _managed_gift(request, person_id, gift_id)
    if request.method == "POST":
        record.delete()
        messages.success(request, _("Gift “%(title)s” was deleted.") % {"title": record.title})
        return redirect(record.person)
    context = {
        "gift": visibility.see_gift(record, request.membership),
        "owner": visibility.see_person(record.person, request.membership),
    }
    return render(request, "residents/gift_delete.html", context)


# --- tags ------------------------------------------------------------------------------


@require(Role.RESIDENT)
@require_GET
def tag_suggest(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Tags of the neighbourhood matching what is typed after the last comma."""
    typed = request.GET.get("q", request.GET.get("tags", ""))[:800]
    chosen = [normalise(t) for t in typed.split(",")[:-1]]
    term = normalise(typed.split(",")[-1])[:60]
    suggestions: list[Tag] = []
    exact = False
    if term:
        tags = _tags(request.membership).exclude(normalised__in=chosen)
        suggestions = list(tags.filter(normalised__startswith=term)[:SUGGESTIONS])
        if len(suggestions) < SUGGESTIONS:
            more = tags.filter(normalised__contains=term).exclude(
                pk__in=[t.pk for t in suggestions]
            )
            suggestions += list(more[: SUGGESTIONS - len(suggestions)])
        exact = any(t.normalised == term for t in suggestions)
    context = {
        "suggestions": suggestions,
        "term": typed.split(",")[-1].strip()[:60],
        "is_new": bool(term) and not exact,
    }
    response = render(request, "residents/tag_suggestions.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- dashboard -------------------------------------------------------------------------


def dashboard_panel(request: HttpRequest, **kwargs) -> dict | None:
    membership = getattr(request, "membership", None)
    if membership is None:
        return None
    nb = membership.neighbourhood
    people_qs = Person.objects.in_neighbourhood(nb).visible_to(membership)
    gifts_qs = Gift.objects.in_neighbourhood(nb).visible_to(membership)
    latest = list(people_qs.order_by("-created_at", "-pk")[:5])
    by_kind = dict(gifts_qs.order_by().values_list("kind").annotate(n=Count("pk")))
    return {
        "people_count": people_qs.count(),
        "gift_count": sum(by_kind.values()),
        "gift_kinds": [(value, label, by_kind.get(value, 0)) for value, label in GiftKind.choices],
        "latest": visibility.see_people(latest, membership),
        "people_url": reverse("residents:people", args=[nb.slug]),
        "gifts_url": reverse("residents:gifts", args=[nb.slug]),
        "can_manage": membership.is_builder,
    }

"""A person's ties: the list on their page, adding one, ending one, and the people to pick from.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.fields import is_id
from neighbourhoods.http import (
    NeighbourhoodRequest,
    is_partial_request,
    next_url,
    posted,
    render_page,
)
from neighbourhoods.models import Role
from organisations.models import Organisation
from residents.disclosure import sees_everything, sees_ties_of, tie_q, user_name
from residents.models import Person

from ..forms import (
    ConnectionForm,
    EndConnectionForm,
)
from ..models import (
    Connection,
    InitiativeMember,
    connect,
    end_connection,
)

CANDIDATES = 50  # people and organisations offered at once in a search select


def connection_rows(request: NeighbourhoodRequest, person: Person) -> list[dict]:
    """The person's connections as this viewer may see them (hidden people left out).

    Builders and coordinators also get the builder's note and who recorded the connection,
    and when (``record``); for residents the row has no such key, so no template can show it.
    """
    membership = request.membership
    builder = sees_everything(membership)
    connections = (
        Connection.objects.in_neighbourhood(request.neighbourhood)
        .involving(person)
        .select_related("person", "other_person", "organisation", "initiative")
        .order_by("ended", F("since").desc(nulls_last=True), "-pk")
    )
    if builder:
        connections = connections.select_related("recorded_by", "conversation")
    else:
        connections = connections.defer("origin_note").filter(tie_q(membership))
    slug = request.neighbourhood.slug
    rows = []
    for c in connections:
        other = c.other_end(person)
        if c.organisation_id:
            url = reverse("organisations:detail", args=[slug, other.pk])
        else:
            url = reverse("residents:person", args=[slug, other.pk])
        row = {
            "connection": c,
            "other": other,
            "is_organisation": bool(c.organisation_id),
            "url": url,
        }
        if builder:
            recorder = c.recorded_by
            row["record"] = {
                "note": c.origin_note,
                "conversation": (
                    {
                        "url": reverse("conversations:detail", args=[slug, c.conversation_id]),
                        "held_on": c.conversation.held_on,
                    }
                    if c.conversation is not None
                    else None
                ),
                "by": user_name(recorder),
                "at": c.created_at,
            }
        rows.append(row)
    return rows


def candidates(
    request: NeighbourhoodRequest,
    person: Person | None,
    query: str,
    what: str = "any",
    exclude=None,
):
    """People (and organisations) of this neighbourhood to pick in a search select:
    ``{"groups": [(label, [(value, text), ...])], "more": bool}``; values are ``p:<id>`` and
    ``o:<id>``, or plain person ids when ``what`` is "people"."""
    nb = request.neighbourhood
    people = Person.objects.in_neighbourhood(nb).only("pk", "name", "street").order_by("name", "pk")
    if person is not None:  # not themselves, nor anyone they are connected with already
        known = Connection.objects.filter(other_person__isnull=False).involving(person)
        people = (
            people.exclude(pk=person.pk)
            .exclude(pk__in=known.values("person_id"))
            .exclude(pk__in=known.values("other_person_id"))
        )
    if exclude is not None:
        people = people.exclude(pk__in=exclude)
    if query:
        people = people.filter(Q(name__icontains=query) | Q(street__icontains=query))
    found = list(people[:CANDIDATES])
    prefix = "" if what == "people" else "p:"
    groups = [
        (
            _("People"),
            [(f"{prefix}{p.pk}", f"{p.name} · {p.street}" if p.street else p.name) for p in found],
        )
    ]
    if what == "any":
        organisations = (
            Organisation.objects.in_neighbourhood(nb).only("pk", "name").order_by("name")
        )
        if query:
            organisations = organisations.filter(name__icontains=query)
        groups.append(
            (_("Organisations"), [(f"o:{o.pk}", o.name) for o in organisations[:CANDIDATES]])
        )
    return {
        "groups": groups,
        "empty": not any(items for _label, items in groups),
        "more": len(found) >= CANDIDATES,
    }


def connections_context(
    request: NeighbourhoodRequest, person: Person, form: ConnectionForm | None = None
) -> dict:
    can_edit = request.membership.is_builder
    query = request.GET.get("q", "").strip()[:100]
    context = {
        "person": person,
        "rows": connection_rows(request, person),
        "can_edit": can_edit,
        "initiative_memberships": _initiatives_of(request, person),
    }
    if can_edit:
        context["form"] = form or ConnectionForm(person=person)
        context["q"] = query
        context["candidates"] = candidates(request, person, query)
        context["options_url"] = reverse("network:options", args=[request.neighbourhood.slug])
    return context


def _initiatives_of(request: NeighbourhoodRequest, person: Person) -> list[InitiativeMember]:
    if not sees_ties_of(person, request.membership):
        return []
    return list(
        InitiativeMember.objects.in_neighbourhood(request.neighbourhood)
        .filter(person=person)
        .select_related("initiative")
        .order_by("-joined")
    )


def _visible_person(request: NeighbourhoodRequest, person_id: int) -> Person:
    people = Person.objects.visible_to(request.membership)
    return get_in_neighbourhood(people, request.neighbourhood, pk=person_id)


@require(Role.RESIDENT)
@require_GET
def person_connections(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    person = _visible_person(request, person_id)
    context = {"panel": connections_context(request, person)}
    return render_page(request, "network/person_connections.html", context, partial="panel")


@require(Role.BUILDER)
def connection_new(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:
    person = get_in_neighbourhood(Person, request.neighbourhood, pk=person_id)
    if request.method != "POST":
        context = {"panel": connections_context(request, person)}
        return render_page(request, "network/person_connections.html", context, partial="panel")
    form = ConnectionForm(request.POST, person=person)
    if form.is_valid():
        target = form.target_object
        assert target is not None  # a valid form found it
        data = form.cleaned_data
        try:
            with transaction.atomic():
                connect(
                    person,
                    target if isinstance(target, Person) else None,
                    organisation=target if isinstance(target, Organisation) else None,
                    origin=data["origin"],
                    since=data["since"],
                    origin_note=data["origin_note"],
                    recorded_by=request.user,
                )
        except (ValidationError, IntegrityError) as error:
            form.add_error(
                "target", getattr(error, "messages", [_("They are connected already.")])[0]
            )
        else:
            notice = _("%(person)s is now connected with %(other)s.") % {
                "person": person.name,
                "other": target.name,
            }
            if is_partial_request(request):
                context = {"panel": {**connections_context(request, person), "notice": notice}}
                return render_page(
                    request, "network/person_connections.html", context, partial="panel"
                )
            messages.success(request, notice)
            return redirect(person.get_absolute_url() + "#connections")
    context = {"panel": connections_context(request, person, form)}
    return render_page(
        request, "network/person_connections.html", context, partial="panel", status=422
    )


@require(Role.BUILDER)
def connection_end(request: NeighbourhoodRequest, slug: str, connection_id: int) -> HttpResponse:
    connection = get_in_neighbourhood(
        Connection.objects.select_related("person", "other_person", "organisation"),
        request.neighbourhood,
        pk=connection_id,
    )
    form = EndConnectionForm(posted(request), connection=connection)
    person = connection.person
    if request.method == "POST":
        if form.is_valid():
            end_connection(connection, form.cleaned_data["ended"])
            messages.success(request, _("The connection was marked as ended."))
            return redirect(next_url(request, person.get_absolute_url() + "#connections"))
        status = 422
    else:
        status = 200
    context = {
        "connection": connection,
        "other": connection.other_person or connection.organisation,
        "form": form,
        "next": next_url(request, ""),
    }
    return render_page(request, "network/connection_end.html", context, status=status)


@require(Role.BUILDER)
@require_GET
def options(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """``<option>``s for the search selects (people, or people and organisations)."""
    query = request.GET.get("q", "").strip()[:100]
    what = "people" if request.GET.get("what") == "people" else "any"
    exclude = request.GET.get("exclude", "")
    person = None
    if is_id(exclude):
        person = Person.objects.in_neighbourhood(request.neighbourhood).filter(pk=exclude).first()
    context = {"candidates": candidates(request, person, query, what), "what": what}
    return render_page(request, "network/options.html", context)

"""Views of network; every view is wrapped in neighbourhoods.access.require."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from conversations.services import propose_introduction
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.dashboard import panels_for
from neighbourhoods.fields import is_id
from neighbourhoods.http import (
    NeighbourhoodRequest,
    is_partial_request,
    next_url,
    paginate,
    render_page,
)
from neighbourhoods.models import Role
from organisations.models import Organisation
from residents.disclosure import sees_everything, sees_ties_of, tie_q
from residents.models import Gift, Person

from . import coverage as cov
from . import graph
from . import initiatives as ini
from . import suggestions as sug
from .charts import line_chart
from .forms import (
    ConfirmForm,
    ConnectionForm,
    EndConnectionForm,
    InitiativeForm,
    MemberForm,
    NetworkFilterForm,
    StreetForm,
    SuggestionForm,
)
from .models import (
    Connection,
    Dismissal,
    Initiative,
    InitiativeMember,
    InitiativeStatus,
    Street,
    connect,
    end_connection,
    ordered_pair,
)

CANDIDATES = 50  # people and organisations offered at once in a search select
TABLE_ROWS = 50


def _posted(request: HttpRequest):
    """The posted data for a form (also when empty, so an empty post shows its errors)."""
    return request.POST if request.method == "POST" else None


# ------------------------------------------------------------------------------ connections


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
        .order_by("ended", "-since", "-pk")
    )
    if builder:
        connections = connections.select_related("recorded_by")
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
                "by": (recorder.get_full_name() or recorder.get_username()) if recorder else "",
                "at": c.created_at,
            }
        rows.append(row)
    return rows


def _candidates(
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
        context["candidates"] = _candidates(request, person, query)
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
    form = EndConnectionForm(_posted(request), connection=connection)
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
    context = {"candidates": _candidates(request, person, query, what), "what": what}
    return render_page(request, "network/options.html", context)


# ------------------------------------------------------------------------------ initiatives


@require(Role.RESIDENT)
@require_GET
def initiative_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    status = request.GET.get("status", "")
    initiatives = (
        Initiative.objects.in_neighbourhood(request.neighbourhood)
        .select_related("meeting_place")
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__joined__lte=today)
                & (Q(members__left__isnull=True) | Q(members__left__gt=today)),
            )
        )
        .order_by("name", "pk")
    )
    if status in InitiativeStatus.values:
        initiatives = initiatives.filter(status=status)
    page = paginate(request, initiatives, 25)
    for initiative in page:
        initiative.potential = ini.fig.potential_relations(initiative.member_count)
    context = {"page": page, "status": status, "statuses": InitiativeStatus.choices}
    return render_page(request, "network/initiatives.html", context, partial="results")


def _initiative(request: NeighbourhoodRequest, initiative_id: int) -> Initiative:
    return get_in_neighbourhood(
        Initiative.objects.select_related("meeting_place"), request.neighbourhood, pk=initiative_id
    )


@require(Role.RESIDENT)
@require_GET
def initiative_detail(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    membership = request.membership
    points = ini.growth(initiative)
    chart = line_chart(
        _("Relations in %(name)s by month") % {"name": initiative.name},
        [p.month.strftime("%m/%y") for p in points],
        [
            (_("potential"), "potential", [p.potential for p in points]),
            (_("confirmed"), "confirmed", [p.confirmed for p in points]),
        ],
    )
    gifts = (
        initiative.gifts.filter(pk__in=Gift.objects.visible_to(membership).values("pk"))
        .select_related("person")
        .order_by("title", "person__name")
    )
    context = {
        "initiative": initiative,
        "relations": ini.relations(initiative),
        "members": ini.member_rows(initiative, membership),
        "points": points,
        "chart": chart,
        "gifts": gifts,
        "can_edit": membership.is_builder,
        "panels": panels_for(request, "initiative", initiative=initiative),
    }
    if membership.is_builder:
        context["member_form"] = MemberForm(initiative=initiative)
        context["q"] = ""
        members = initiative.members.values("person_id")
        context["candidates"] = _candidates(request, None, "", "people", members)
    return render_page(request, "network/initiative.html", context)


def _initiative_form(request: HttpRequest, form: InitiativeForm, initiative) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render_page(
        request,
        "network/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=status,
    )


@require(Role.BUILDER)
def initiative_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = InitiativeForm(_posted(request), neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        initiative = form.save(commit=False)
        initiative.neighbourhood = request.neighbourhood
        initiative.created_by = initiative.updated_by = request.user
        initiative.save()
        form.save_m2m()
        messages.success(
            request, _("%(name)s was added. Now add its members.") % {"name": initiative.name}
        )
        return redirect(initiative.get_absolute_url() + "#members")
    return _initiative_form(request, form, None)


@require(Role.BUILDER)
def initiative_edit(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    form = InitiativeForm(
        _posted(request), instance=initiative, neighbourhood=request.neighbourhood
    )
    if request.method == "POST" and form.is_valid():
        initiative = form.save(commit=False)
        initiative.updated_by = request.user
        initiative.save()
        form.save_m2m()
        messages.success(request, _("Your changes were saved."))
        return redirect(initiative.get_absolute_url())
    return _initiative_form(request, form, initiative)


@require(Role.BUILDER)
def initiative_delete(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    if request.method == "POST":
        name = initiative.name
        initiative.delete()
        messages.success(
            request,
            _("%(name)s was deleted; the connections made in it are kept.") % {"name": name},
        )
        return redirect("network:initiatives", slug)
    return render_page(request, "network/initiative_delete.html", {"initiative": initiative})


@require(Role.BUILDER)
def member_add(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    query = request.GET.get("q", "").strip()[:100]
    form = MemberForm(_posted(request), initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                member = form.save()
        except IntegrityError:
            form.add_error(None, _("This person is a member already."))
        else:
            messages.success(
                request,
                _("%(person)s joined %(initiative)s.")
                % {"person": member.person.name, "initiative": initiative.name},
            )
            return redirect(initiative.get_absolute_url() + "#members")
    context = {
        "initiative": initiative,
        "member_form": form,
        "q": query,
        "candidates": _candidates(
            request, None, query, "people", initiative.members.values("person_id")
        ),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/member_form.html", context, status=status)


def _member(
    request: NeighbourhoodRequest, initiative_id: int, initiative_member_id: int
) -> InitiativeMember:
    return get_in_neighbourhood(
        InitiativeMember.objects.select_related("initiative", "person").filter(
            initiative_id=initiative_id
        ),
        request.neighbourhood,
        pk=initiative_member_id,
    )


@require(Role.BUILDER)
def member_edit(
    request: NeighbourhoodRequest, slug: str, initiative_id: int, initiative_member_id: int
) -> HttpResponse:
    member = _member(request, initiative_id, initiative_member_id)
    form = MemberForm(_posted(request), instance=member, initiative=member.initiative)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes were saved."))
        return redirect(member.initiative.get_absolute_url() + "#members")
    context = {"initiative": member.initiative, "member": member, "member_form": form}
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/member_form.html", context, status=status)


@require(Role.BUILDER)
def member_remove(
    request: NeighbourhoodRequest, slug: str, initiative_id: int, initiative_member_id: int
) -> HttpResponse:
    member = _member(request, initiative_id, initiative_member_id)
    if request.method == "POST":
        member.delete()
        messages.success(
            request,
            _("%(person)s is no longer listed in %(initiative)s; their connections are kept.")
            % {"person": member.person.name, "initiative": member.initiative.name},
        )
        return redirect(member.initiative.get_absolute_url() + "#members")
    return render_page(request, "network/member_remove.html", {"member": member})


@require(Role.BUILDER)
def confirm_relations(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    """A builder ticks which fellow members one member knows: "met in an initiative"."""
    initiative = _initiative(request, initiative_id)
    today = timezone.localdate()
    members = [
        m.person
        for m in initiative.members.current_on(today)
        .select_related("person")
        .order_by("person__name", "pk")
    ]
    chosen = request.POST.get("person") or request.GET.get("person") or ""
    form = ConfirmForm(_posted(request), members=members, initial={"person": chosen})
    by_pk = {p.pk: p for p in members}
    person = by_pk.get(int(chosen)) if is_id(chosen) else None
    if request.method == "POST" and form.is_valid():
        person = by_pk[form.cleaned_data["person"]]
        others = [by_pk[pk] for pk in form.cleaned_data["others"]]
        try:
            made, skipped = ini.confirm(
                initiative, person, others, form.cleaned_data["since"], request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            if made:
                messages.success(
                    request,
                    _("Recorded: %(person)s knows %(names)s.")
                    % {
                        "person": person.name,
                        "names": ", ".join(p.name for p in made_others(made, person)),
                    },
                )
            if skipped:
                messages.info(
                    request,
                    _("Already connected, left as they were: %(names)s.")
                    % {"names": ", ".join(p.name for p in skipped)},
                )
            url = reverse("network:confirm", args=[slug, initiative.pk])
            return redirect(f"{url}?person={person.pk}")
    context = {
        "initiative": initiative,
        "form": form,
        "members": members,
        "person": person,
        "pairs": ini.pairs_for(initiative, person) if person else [],
        "checked": request.POST.getlist("others"),
        "relations": ini.relations(initiative),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/confirm.html", context, status=status)


def made_others(made: list[Connection], person: Person) -> list[Person]:
    return [c.other_end(person) for c in made]


# ------------------------------------------------------------------------------ network page


def _filter_form(request: NeighbourhoodRequest, *, page: bool = False) -> NetworkFilterForm:
    """The filters; the choices of the selects are only read for the page itself."""
    choices = graph.filter_choices(request.neighbourhood, request.membership) if page else None
    return NetworkFilterForm(request.GET or None, choices=choices)


def _figures_pair(request: NeighbourhoodRequest, filters: graph.Filters, *, bridges: bool) -> dict:
    """Figures then and now; the bridges when cached, cheap, or asked for (``bridges``)."""
    nb, membership = request.neighbourhood, request.membership
    version = graph.fingerprint(nb)
    pair = graph.figures_then_now(nb, membership, filters, version=version)
    found = (
        graph.bridges(nb, membership, filters, version=version)
        if bridges
        else graph.cached_bridges(nb, membership, filters, version=version)
    )
    people = None
    if found is not None:
        people = [
            {
                "name": name,
                "score": score,
                "url": reverse("residents:person", args=[nb.slug, pk]),
            }
            for pk, name, score in found.people
        ]
    return {"now": pair.now, "then": pair.then, "bridges": people, "bridge_info": found}


@require(Role.RESIDENT)
@require_GET
def network(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = _filter_form(request, page=True)
    filters = form.filters()
    if not form.is_bound:
        form.initial.update({"then": filters.then, "now": filters.now})
    figures = _figures_pair(request, filters, bridges=request.GET.get("bridges") == "1")
    query = (form.cleaned_data.get("q") or "").strip() if hasattr(form, "cleaned_data") else ""
    table = _connection_table(request, filters, query)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "figures": figures,
        "page": paginate(request, table, TABLE_ROWS),
        "query": query,
        "data_url": reverse("network:data", args=[slug])
        + (f"?{params.urlencode()}" if params else ""),
        "params": params.urlencode(),
        "kept_filters": [(k, v) for k, v in params.items() if k != "q"],
        "max_nodes": graph.MAX_NODES,
    }
    return render_page(request, "network/network.html", context, partial="table")


def _connection_table(request: NeighbourhoodRequest, filters: graph.Filters, query: str):
    """Connections active on ``filters.now`` among the filtered people, for the table."""
    nb, membership = request.neighbourhood, request.membership
    rows = (
        Connection.objects.in_neighbourhood(nb)
        .active_on(filters.now)
        .select_related("person", "other_person", "organisation", "initiative")
        .order_by("-since", "-pk")
    )
    if filters.active() or not sees_everything(membership):
        people = graph.filtered_people(nb, membership, filters).values("pk")
        rows = rows.filter(person__in=people).filter(
            Q(other_person__isnull=True) | Q(other_person__in=people)
        )
        rows = rows.filter(tie_q(membership))
    if filters.origin:
        rows = rows.filter(origin=filters.origin)
    if query:
        rows = rows.filter(
            Q(person__name__icontains=query)
            | Q(other_person__name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    return rows


@require(Role.RESIDENT)
@require_GET
def network_data(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = _filter_form(request).filters()
    data = graph.graph_data(request.neighbourhood, request.membership, filters)
    data["labels"] = {
        "person": _("person"),
        "organisation": _("organisation"),
        "initiative": _("initiative"),
        "member": _("member of"),
        "not_found": _("Nobody by that name in this graph."),
    }
    response = JsonResponse(data)
    patch_vary_headers(response, ["Cookie"])
    return response


@require(Role.RESIDENT)
@require_GET
def network_figures(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Figures then and now. ``bridges`` is null while not computed yet for a large
    network; ask again with ``?bridges=1`` to compute them (a request of their own)."""
    filters = _filter_form(request).filters()
    figures = _figures_pair(request, filters, bridges=request.GET.get("bridges") == "1")
    info = figures["bridge_info"]
    bridges = None
    if figures["bridges"] is not None:
        bridges = {
            "people": [
                {"name": b["name"], "score": round(b["score"], 4), "url": b["url"]}
                for b in figures["bridges"]
            ],
            "approximate": info.approximate,
            "samples": info.samples,
        }
    return JsonResponse(
        {
            "now": {"date": filters.now.isoformat(), **figures["now"].as_dict()},
            "then": {"date": filters.then.isoformat(), **figures["then"].as_dict()},
            "bridges": bridges,
        }
    )


# ------------------------------------------------------------------------------ coverage


@require(Role.BUILDER)
@require_GET
def coverage(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    report = cov.coverage(request.neighbourhood)
    context = {
        "report": report,
        "street_form": StreetForm(),
        "can_manage_streets": request.membership.is_coordinator,
        "streets": Street.objects.in_neighbourhood(request.neighbourhood),
    }
    return render_page(request, "network/coverage.html", context)


@require(Role.COORDINATOR)
def street_add(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = StreetForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        added = 0
        for name in form.cleaned_data["names"]:
            street = Street(neighbourhood=request.neighbourhood, name=name)
            try:
                with transaction.atomic():
                    street.save()
                    added += 1
            except IntegrityError:
                continue
        messages.success(request, _("%(count)s street(s) added to the list.") % {"count": added})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    context = {
        "report": cov.coverage(request.neighbourhood),
        "street_form": form,
        "can_manage_streets": True,
        "streets": Street.objects.in_neighbourhood(request.neighbourhood),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/coverage.html", context, status=status)


@require(Role.COORDINATOR)
def street_delete(request: NeighbourhoodRequest, slug: str, street_id: int) -> HttpResponse:
    street = get_in_neighbourhood(Street, request.neighbourhood, pk=street_id)
    if request.method == "POST":
        street.delete()
        messages.success(request, _("%(name)s was taken off the list.") % {"name": street.name})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    return render_page(request, "network/street_delete.html", {"street": street})


# ------------------------------------------------------------------------------ suggestions


@require(Role.BUILDER)
@require_GET
def suggestion_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    context = {"suggestions": sug.for_neighbourhood(request.neighbourhood, limit=20)}
    return render_page(request, "network/suggestions.html", context)


def _suggestion_error(request: NeighbourhoodRequest, form: SuggestionForm) -> HttpResponse:
    context = {
        "suggestions": sug.for_neighbourhood(request.neighbourhood, limit=20),
        "error": " ".join(str(e) for e in form.non_field_errors() or form.errors.values()),
    }
    return render_page(request, "network/suggestions.html", context, status=422)


@require(Role.BUILDER)
@require_POST
def suggestion_introduce(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Turn a suggestion into a proposed introduction (conversations' open introductions)."""
    form = SuggestionForm(request.POST, neighbourhood=request.neighbourhood)
    if not form.is_valid():
        return _suggestion_error(request, form)
    assert form.people is not None  # a valid form found both
    person, other = form.people

    reason = form.cleaned_data["reason"] or ", ".join(
        sug.reasons_for(person, other, list(person.gifts.all()), list(other.gifts.all()))
    )
    propose_introduction(person, to_person=other, reason=reason[:300], by=request.user)
    messages.success(
        request,
        _(
            "Introduction proposed: %(person)s should meet %(other)s. It is on the list of "
            "introductions to make."
        )
        % {"person": person.name, "other": other.name},
    )
    return _after_suggestion(request, slug)


@require(Role.BUILDER)
@require_POST
def suggestion_dismiss(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = SuggestionForm(request.POST, neighbourhood=request.neighbourhood)
    if not form.is_valid():
        return _suggestion_error(request, form)
    assert form.people is not None  # a valid form found both
    person, other = form.people
    low, high = ordered_pair(person.pk, other.pk)
    Dismissal.objects.get_or_create(
        neighbourhood=request.neighbourhood,
        person_id=low,
        other_person_id=high,
        defaults={"dismissed_by": request.user},
    )
    messages.success(
        request,
        _("%(person)s and %(other)s will not be suggested again.")
        % {"person": person.name, "other": other.name},
    )
    return _after_suggestion(request, slug)


def _after_suggestion(request: HttpRequest, slug: str) -> HttpResponse:
    return redirect(next_url(request, reverse("network:suggestions", args=[slug])))

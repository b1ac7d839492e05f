"""Panels other pages show: the dashboard's outcomes, and "contributed to" on person, gift
and initiative pages (builders and coordinators only: stories are the builders' words)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from neighbourhoods.http import NeighbourhoodRequest

from . import charts
from .chain import chain_text, quantity_text, with_chains
from .figures import by_domain, totals
from .models import Outcome
from .prices import indexer as current_indexer

PANEL_LIMIT = 5


def dashboard_panel(request: NeighbourhoodRequest, **kwargs) -> dict | None:
    membership = request.membership
    substantiated = Outcome.objects.in_neighbourhood(request.neighbourhood).substantiated()
    domains = [row for row in by_domain(substantiated) if row.count]
    context = {
        "totals": totals(substantiated, current_indexer()),
        "chart": charts.hbar_chart(
            [(row.label, row.count, str(row.count)) for row in domains],
            title=_("Substantiated outcomes per policy domain"),
            width=300,
            label_width=130,
        ),
        "domains": domains,
        "is_builder": membership.is_builder,
    }
    if membership.is_builder:
        context["latest"] = [
            {"outcome": outcome, "quantity": quantity_text(outcome)}
            for outcome in substantiated.select_related("neighbourhood")
            .defer("neighbourhood__boundary")
            .order_by("-happened_on", "-pk")[:3]
        ]
        context["dashboard_url"] = reverse("outcomes:dashboard", args=[request.neighbourhood.slug])
    return context


def _contributed(request: NeighbourhoodRequest, condition: Q, filter_query: str, heading: str):
    if not request.membership.is_builder:
        return None
    outcomes = (
        Outcome.objects.in_neighbourhood(request.neighbourhood)
        .filter(condition)
        .distinct()
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
        .order_by("-happened_on", "-pk")
    )
    rows = list(outcomes[: PANEL_LIMIT + 1])
    return {
        "heading": heading,
        "outcomes": [{"outcome": o, "quantity": quantity_text(o)} for o in rows[:PANEL_LIMIT]],
        "more": len(rows) > PANEL_LIMIT,
        "list_url": reverse("outcomes:list", args=[request.neighbourhood.slug]) + filter_query,
    }


def person_panel(request: NeighbourhoodRequest, person=None, **kwargs) -> dict | None:
    if person is None:
        return None
    condition = (
        Q(for_whom_people=person)
        | Q(contributions__gift__person=person)
        | Q(contributions__connection__person=person)
        | Q(contributions__connection__other_person=person)
        | Q(contributions__conversation__person=person)
    )
    return _contributed(request, condition, f"?person={person.pk}", _("Outcomes"))


def gift_panel(request: NeighbourhoodRequest, gift=None, **kwargs) -> dict | None:
    if gift is None:
        return None
    return _contributed(
        request,
        Q(contributions__gift=gift),
        f"?gift={gift.pk}",
        _("Outcomes this gift contributed to"),
    )


def initiative_panel(request: NeighbourhoodRequest, initiative=None, **kwargs) -> dict | None:
    """The outcomes an initiative contributed to, and what its substantiated ones yielded by
    domain and in total (a range in the latest index year's euros), with their chains."""
    if initiative is None:
        return None
    panel = _contributed(
        request,
        Q(contributions__initiative=initiative),
        f"?initiative={initiative.pk}",
        _("Outcomes this initiative contributed to"),
    )
    if panel is None:
        return None
    from .report import yield_of, yield_summary

    substantiated = list(
        with_chains(
            Outcome.objects.in_neighbourhood(request.neighbourhood)
            .substantiated()
            .filter(contributions__initiative=initiative)
            .distinct()
            .select_related("neighbourhood")
            .defer("neighbourhood__boundary")
            .order_by("-happened_on", "-pk")
        )
    )
    if substantiated:
        indexer = current_indexer()
        result = yield_of(substantiated, indexer)
        panel["yield"] = result
        panel["yield_summary"] = yield_summary(initiative.name, result)
        panel["price_year"] = indexer.year
        panel["chains"] = [chain_text(o, request.membership) for o in substantiated[:PANEL_LIMIT]]
    return panel

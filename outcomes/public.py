"""What the published page shows: only what the neighbourhood chose, and no personal data.

Places, organisations and initiatives only when each is marked for it (``public``, off by
default: a resident's garden or an informal group does not appear unless someone chose it),
and places and organisations without the people who manage or run them (no contact person,
email or phone); outcomes only when substantiated, marked for publication and given a
summary, and then only that summary with domains and figures — never names or stories.
"""

from __future__ import annotations

from django.db.models import Prefetch

from neighbourhoods.models import Neighbourhood
from network.models import Initiative
from organisations.models import Organisation
from places.models import Place

from .chain import quantity_text
from .figures import by_domain, totals
from .models import Outcome, OutcomeDomain, PublicationSettings
from .money import euro_range
from .prices import indexer as current_indexer

PUBLIC_LIMIT = 200


def published_places(neighbourhood: Neighbourhood, settings_row: PublicationSettings):
    """The places the published page (and the HSDS API) may show; none when it shows none."""
    if not settings_row.show_places:
        return Place.objects.none()
    return Place.objects.in_neighbourhood(neighbourhood).filter(public=True).order_by("name", "pk")


def published_organisations(neighbourhood: Neighbourhood, settings_row: PublicationSettings):
    if not settings_row.show_organisations:
        return Organisation.objects.none()
    return (
        Organisation.objects.in_neighbourhood(neighbourhood)
        .filter(public=True)
        .order_by("name", "pk")
    )


def published_initiatives(neighbourhood: Neighbourhood, settings_row: PublicationSettings):
    """Initiatives that chose to be public: name, description and status, never members."""
    if not settings_row.show_initiatives:
        return Initiative.objects.none()
    return (
        Initiative.objects.in_neighbourhood(neighbourhood)
        .filter(public=True)
        .order_by("name", "pk")
    )


def public_context(neighbourhood: Neighbourhood, settings_row: PublicationSettings) -> dict:
    context: dict = {"neighbourhood": neighbourhood, "publication": settings_row}
    if settings_row.show_places:
        context["places"] = list(
            published_places(neighbourhood, settings_row).only(
                "name", "kind", "street", "description", "neighbourhood"
            )[:PUBLIC_LIMIT]
        )
    if settings_row.show_organisations:
        context["organisations"] = list(
            published_organisations(neighbourhood, settings_row).only(
                "name", "kind", "description", "website", "meeting_times", "neighbourhood"
            )[:PUBLIC_LIMIT]
        )
    if settings_row.show_initiatives:
        context["initiatives"] = list(
            published_initiatives(neighbourhood, settings_row).only(
                "name", "description", "status", "neighbourhood"
            )[:PUBLIC_LIMIT]
        )
    if settings_row.show_outcomes:
        shareable = Outcome.objects.in_neighbourhood(neighbourhood).shareable()
        outcomes = shareable.prefetch_related(
            Prefetch("domain_rows", queryset=OutcomeDomain.objects.all())
        ).only(
            "public_summary",
            "happened_on",
            "quantity",
            "unit",
            "value_low",
            "value_high",
            "value_year",
            "neighbourhood",
        )
        indexer = current_indexer()
        context["outcomes"] = [
            {
                "summary": outcome.public_summary,
                "month": outcome.happened_on.replace(day=1),
                "domains": outcome.domain_labels,
                "quantity": quantity_text(outcome),
                "value": euro_range(
                    indexer(outcome.value_low, outcome.value_year),
                    indexer(outcome.value_high, outcome.value_year),
                ),
            }
            for outcome in outcomes[:PUBLIC_LIMIT]
        ]
        context["outcome_totals"] = totals(shareable, indexer)
        context["outcome_domains"] = [row for row in by_domain(shareable, indexer) if row.count]
        context["price_year"] = indexer.year
    return context

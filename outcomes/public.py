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


def _initiatives(neighbourhood: Neighbourhood) -> list[Initiative]:
    """Initiatives that chose to be public: name, description and status, never members."""
    return list(
        Initiative.objects.in_neighbourhood(neighbourhood)
        .filter(public=True)
        .only("name", "description", "status", "neighbourhood")[:PUBLIC_LIMIT]
    )


def public_context(neighbourhood: Neighbourhood, settings_row: PublicationSettings) -> dict:
    context: dict = {"neighbourhood": neighbourhood, "publication": settings_row}
    if settings_row.show_places:
        context["places"] = list(
            Place.objects.in_neighbourhood(neighbourhood)
            .filter(public=True)
            .only("name", "kind", "street", "description", "neighbourhood")
            .order_by("name", "pk")[:PUBLIC_LIMIT]
        )
    if settings_row.show_organisations:
        context["organisations"] = list(
            Organisation.objects.in_neighbourhood(neighbourhood)
            .filter(public=True)
            .only("name", "kind", "description", "website", "meeting_times", "neighbourhood")
            .order_by("name", "pk")[:PUBLIC_LIMIT]
        )
    if settings_row.show_initiatives:
        context["initiatives"] = _initiatives(neighbourhood)
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

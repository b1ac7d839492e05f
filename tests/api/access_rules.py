"""The HSDS API: public by design, for a published neighbourhood only (side A publishes)."""

from exchange.hsds import TAXONOMY_ID, stable_id, term_id

from ..access_table import PUBLIC
from ..organisations.factories import make_organisation
from ..outcomes.factories import make_initiative
from ..places.factories import make_place

EXPECTED_ROLE = {
    f"api:{name}": PUBLIC
    for name in (
        "index",
        "openapi",
        "services",
        "service",
        "organizations",
        "organization",
        "locations",
        "location",
        "service_at_locations",
        "service_at_location",
        "taxonomies",
        "taxonomy",
        "taxonomy_terms",
        "taxonomy_term",
    )
}

KWARGS = {
    "hsds_service": lambda side: stable_id(side.neighbourhood, "initiative", side.objects["api_initiative"].pk),
    "hsds_organization": lambda side: stable_id(side.neighbourhood, "organisation", side.objects["api_organisation"].pk),
    "hsds_location": lambda side: stable_id(side.neighbourhood, "place", side.objects["api_place"].pk),
    "hsds_service_at_location": lambda side: stable_id(side.neighbourhood, "initiative-place", side.objects["api_initiative"].pk),
    "hsds_taxonomy": lambda side: TAXONOMY_ID,
    "hsds_taxonomy_term": lambda side: term_id("place", "park"),
}  # fmt: skip


def populate(side) -> None:
    nb = side.neighbourhood
    place = make_place(nb, "API plek", public=True)
    side.objects["api_place"] = place
    side.objects["api_organisation"] = make_organisation(nb, "API club", public=True)
    side.objects["api_initiative"] = make_initiative(
        nb, "API initiatief", public=True, meeting_place=place
    )

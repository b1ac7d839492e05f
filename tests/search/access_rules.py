"""Access rules of the search page."""

from neighbourhoods.models import Role

EXPECTED_ROLE = {
    "search:search": Role.RESIDENT,
}

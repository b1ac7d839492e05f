"""Who may open the map (see tests/access_table.py)."""

from neighbourhoods.models import Role

EXPECTED_ROLE = {
    "maps:map": Role.RESIDENT,
    "maps:map_data": Role.RESIDENT,
    "maps:boundary": Role.RESIDENT,
}

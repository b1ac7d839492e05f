"""Access rules of ownership: everything for community builders and coordinators.

Residents see only the history sentence and the meeting summary, inside the initiative page
(network's rules); reflections never reach them.
"""

import datetime

from neighbourhoods.models import Role
from tests.network import factories as nf

from . import factories as f

EXPECTED_ROLE = {
    "ownership:overview": Role.BUILDER,
    "ownership:carriers": Role.BUILDER,
    "ownership:start": Role.BUILDER,
    "ownership:period_delete": Role.BUILDER,
    "ownership:activities": Role.BUILDER,
    "ownership:activity_delete": Role.BUILDER,
    "ownership:reflections": Role.BUILDER,
    "ownership:reflection_new": Role.BUILDER,
    "ownership:reflection_delete": Role.BUILDER,
}

KWARGS = {
    # initiative_id is network's sample initiative (its rules are always loaded)
    "period_id": lambda side: side.objects["own_period"].pk,
    "activity_id": lambda side: side.objects["own_activity"].pk,
    "reflection_id": lambda side: side.objects["own_reflection"].pk,
}


def populate(side) -> None:
    nb = side.neighbourhood
    initiative = side.objects.get("nw_initiative") or nf.initiative(nb, "Walk eigenaarschap")
    side.objects.setdefault("nw_initiative", initiative)
    carrier = nf.person(nb, "Walk Drager")
    side.objects["own_period"] = f.period(initiative, datetime.date(2025, 2, 1), [carrier])
    side.objects["own_activity"] = f.meeting(initiative, datetime.date(2025, 3, 5), note="Walk")
    side.objects["own_reflection"] = f.reflection(
        nb, side.builder, "Walk reflection sentence", initiative=initiative
    )

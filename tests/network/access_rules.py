"""Access rules of the network pages (connections, initiatives, network, suggestions)."""

import datetime

from neighbourhoods.models import Role
from network.models import Origin, connect
from residents.models import Audience

from . import factories as f

EXPECTED_ROLE = {
    "network:initiatives": Role.RESIDENT,
    "network:initiative_new": Role.BUILDER,
    "network:initiative": Role.RESIDENT,
    "network:initiative_edit": Role.BUILDER,
    "network:initiative_delete": Role.BUILDER,
    "network:member_add": Role.BUILDER,
    "network:member_edit": Role.BUILDER,
    "network:member_remove": Role.BUILDER,
    "network:confirm": Role.BUILDER,
    "network:confirm_group": Role.BUILDER,
    "network:network": Role.RESIDENT,
    "network:data": Role.RESIDENT,
    "network:figures": Role.RESIDENT,
    "network:measures": Role.RESIDENT,
    "network:coverage": Role.BUILDER,
    "network:street_add": Role.COORDINATOR,
    "network:street_delete": Role.COORDINATOR,
    "network:street_import": Role.COORDINATOR,
    "network:street_people": Role.BUILDER,
    "network:suggestions": Role.BUILDER,
    "network:introduce": Role.BUILDER,
    "network:dismiss": Role.BUILDER,
    "network:options": Role.BUILDER,
    "network:person_connections": Role.RESIDENT,
    "network:connection_new": Role.BUILDER,
    "network:connection_end": Role.BUILDER,
}

KWARGS = {
    # residents' walk person (shown to residents) when that app's rules are loaded
    "person_id": lambda side: side.objects.get("residents_person", side.objects["nw_person"]).pk,
    "initiative_id": lambda side: side.objects["nw_initiative"].pk,
    "initiative_member_id": lambda side: side.objects["nw_member"].pk,
    "connection_id": lambda side: side.objects["nw_connection"].pk,
    "street_id": lambda side: side.objects["nw_street"].pk,
}


def populate(side) -> None:
    nb = side.neighbourhood
    person = f.person(nb, "Walk Netwerk", shown=Audience.RESIDENTS)
    other = f.person(nb, "Walk Ander", shown=Audience.RESIDENTS)
    side.objects["nw_person"] = person
    side.objects["nw_connection"] = connect(
        person, other, origin=Origin.KNEW, since=datetime.date(2025, 3, 1)
    )
    initiative = f.initiative(nb, "Walk koffieclub")
    side.objects["nw_initiative"] = initiative
    side.objects["nw_member"] = f.member(initiative, person)
    f.member(initiative, other)
    side.objects["nw_street"] = f.street(nb, "Walkstraat")

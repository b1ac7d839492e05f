"""Access rules of the residents pages (people, gifts, tags)."""

from neighbourhoods.models import Role
from residents.models import Audience

from .factories import make_gift, make_person

EXPECTED_ROLE = {
    "residents:people": Role.RESIDENT,
    "residents:person_new": Role.BUILDER,
    "residents:person": Role.RESIDENT,
    "residents:person_edit": Role.BUILDER,
    "residents:person_delete": Role.BUILDER,
    "residents:person_photo": Role.RESIDENT,
    "residents:person_thumb": Role.RESIDENT,
    "residents:gift_new": Role.BUILDER,
    "residents:gift_edit": Role.BUILDER,
    "residents:gift_delete": Role.BUILDER,
    "residents:gifts": Role.RESIDENT,
    "residents:gift": Role.RESIDENT,
    "residents:tag_suggest": Role.RESIDENT,
}

KWARGS = {
    "person_id": lambda side: side.objects["residents_person"].pk,
    "gift_id": lambda side: side.objects["residents_gift"].pk,
}


def populate(side) -> None:
    person = make_person(side.neighbourhood, "Walk Person", shown=Audience.RESIDENTS)
    side.objects["residents_person"] = person
    side.objects["residents_gift"] = make_gift(person, "Walk gift", tags=["koken"])

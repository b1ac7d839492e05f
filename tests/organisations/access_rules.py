"""Access rules of the organisation pages."""

from neighbourhoods.models import Role

from .factories import make_member, make_organisation, make_plain_person

EXPECTED_ROLE = {
    "organisations:list": Role.RESIDENT,
    "organisations:new": Role.BUILDER,
    "organisations:detail": Role.RESIDENT,
    "organisations:edit": Role.BUILDER,
    "organisations:delete": Role.BUILDER,
    "organisations:member_add": Role.BUILDER,
    "organisations:member_remove": Role.BUILDER,
    "organisations:person_options": Role.BUILDER,
}

KWARGS = {
    "organisation_id": lambda side: side.objects["org_organisation"].pk,
    "member_id": lambda side: side.objects["org_member"].pk,
}


def populate(side) -> None:
    organisation = make_organisation(side.neighbourhood, "Walk club")
    person = make_plain_person(side.neighbourhood, "Walk member")
    side.objects["org_organisation"] = organisation
    side.objects["org_member"] = make_member(organisation, person, "chair")

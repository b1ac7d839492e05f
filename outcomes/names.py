"""How people appear in outcomes, chains and reports: only what the reader may see.

Every name in this app goes through here, and this asks `residents.disclosure`. A *reader* is
a Membership (a member looking at a page), or an unsaved one standing for a report's audience
(:func:`reader_for`), or None for partners and the public.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Membership, Neighbourhood, Role
from residents.disclosure import can_see
from residents.models import Audience

ANONYMOUS = _("a resident")


class ReportAudience(models.TextChoices):
    """Who a report is for; decides which names it may show."""

    INTERNAL = "internal", _("internal: coordinators and community builders")
    RESIDENTS = "residents", _("the neighbourhood's residents")
    PARTNERS = "partners", _("partners and the public (municipality, housing, care insurer)")


_AUDIENCE_FIELD_LEVEL = {
    ReportAudience.INTERNAL: Audience.BUILDERS,
    ReportAudience.RESIDENTS: Audience.RESIDENTS,
    ReportAudience.PARTNERS: Audience.PUBLIC,
}


def reader_for(neighbourhood: Neighbourhood, audience: str) -> Membership | None:
    """A stand-in viewer for a report's audience: builders, a resident, or the public."""
    level = _AUDIENCE_FIELD_LEVEL[ReportAudience(audience)]
    if level == Audience.PUBLIC:
        return None
    role = Role.BUILDER if level == Audience.BUILDERS else Role.RESIDENT
    return Membership(neighbourhood=neighbourhood, role=role)


def shown_to(obj, reader: Membership | None) -> bool:
    """A place's or an organisation's name: members read every one; the public (reader None)
    only those marked for the published page."""
    return reader is not None or obj.public


def name_of(person, reader: Membership | None) -> str:
    """The person's name when the reader may see it, otherwise "a resident"."""
    if person is None:
        return str(ANONYMOUS)
    if can_see(person, reader, "name"):
        return person.name
    return str(ANONYMOUS)


def shows_name(person, reader: Membership | None) -> bool:
    return person is not None and can_see(person, reader, "name")


def shows_gifts(person, reader: Membership | None) -> bool:
    return person is not None and can_see(person, reader, "gifts")

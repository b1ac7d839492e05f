"""Plain factories for organisations and their members."""

from __future__ import annotations

import itertools

from organisations.models import Organisation, OrganisationKind, OrganisationMember
from residents.models import PERSON_FIELDS, Audience, Person

_seq = itertools.count(1)


def make_organisation(neighbourhood, name: str | None = None, **extra) -> Organisation:
    extra.setdefault("kind", OrganisationKind.ASSOCIATION)
    return Organisation.objects.create(
        neighbourhood=neighbourhood, name=name or f"Vereniging {next(_seq)}", **extra
    )


def make_organisations(neighbourhood, count: int) -> list[Organisation]:
    return Organisation.objects.bulk_create(
        Organisation(neighbourhood=neighbourhood, name=f"Club {next(_seq)}", kind="informal")
        for _ in range(count)
    )


def make_plain_person(neighbourhood, name: str | None = None, shown=Audience.BUILDERS, **extra):
    """A person whose every field is shown to ``shown`` (builders only by default)."""
    extra.setdefault("street", "Lindenlaan")
    return Person.objects.create(
        neighbourhood=neighbourhood,
        name=name or f"Buur {next(_seq)}",
        visibility=dict.fromkeys(PERSON_FIELDS, Audience(shown).value),
        **extra,
    )


def make_member(organisation: Organisation, person: Person, role: str = "vrijwilliger"):
    return OrganisationMember.objects.create(organisation=organisation, person=person, role=role)

"""Plain factories for people, gifts and tags."""

from __future__ import annotations

import itertools

from django.db import transaction

from neighbourhoods import freshness
from residents.models import PERSON_FIELDS, Audience, Gift, GiftKind, Person, Tag

_seq = itertools.count(1)


def visibility(default: Audience = Audience.BUILDERS, **fields: Audience) -> dict[str, str]:
    values = dict.fromkeys(PERSON_FIELDS, Audience(default).value)
    values.update({name: Audience(audience).value for name, audience in fields.items()})
    return values


def make_person(neighbourhood, name: str | None = None, *, shown=None, **extra) -> Person:
    """A person; ``shown`` is the audience of every field (builders only by default)."""
    extra.setdefault("street", "Lindenlaan")
    vis = extra.pop("visibility", None) or visibility(shown or Audience.BUILDERS)
    return Person.objects.create(
        neighbourhood=neighbourhood,
        name=name or f"Persoon {next(_seq)}",
        visibility=vis,
        **extra,
    )


def make_gift(person: Person, title: str | None = None, *, tags=(), **extra) -> Gift:
    extra.setdefault("kind", GiftKind.HANDS)
    gift = Gift.objects.create(person=person, title=title or f"Gave {next(_seq)}", **extra)
    if tags:
        gift.tags.set(Tag.objects.resolve(person.neighbourhood, list(tags)))
    return gift


def make_people(neighbourhood, count: int, *, shown=Audience.RESIDENTS, gifts: int = 1):
    """``count`` people with ``gifts`` gifts each, as one batch: one touch of the data version
    at the end, as an import does (outside a test transaction, a touch per row would queue and
    run the precomputed figures once per row)."""
    people = []
    with transaction.atomic(), freshness.batch(neighbourhood.pk):
        for _ in range(count):
            person = make_person(neighbourhood, shown=shown)
            for _ in range(gifts):
                make_gift(person, tags=["koken", "taal"])
            people.append(person)
    return people

"""Consent given online and consent withdrawn: the two things a resident does with consent.

Withdrawing narrows the person's visibility of the withdrawn fields to builders only in the
same transaction. Every page, search, export and map reads visibility through
`residents.visibility`, so the fields disappear there in the next request at the latest.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from residents.models import PERSON_FIELDS, Audience, ConsentHow, ConsentRecord, Person

ONLINE_TEXT_VERSION = "online-2026-1"


def online_text(fields: list[str], audience: str) -> str:
    """The words the resident agreed to, kept with the record in the language they read."""
    labels = ", ".join(str(PERSON_FIELDS[f]) for f in fields if f in PERSON_FIELDS)
    return _(
        "I agree that my neighbourhood's Assetmap records these details about me and shows "
        "them to %(audience)s: %(fields)s. I can change or withdraw this at any time on my "
        "own page."
    ) % {"audience": Audience(audience).label, "fields": labels}


def give_online(person: Person, fields: list[str], audience: str, by) -> ConsentRecord | None:
    """Record consent the resident gave on their own page (how = online)."""
    fields = [f for f in PERSON_FIELDS if f in set(fields)]
    if not fields:
        return None
    return ConsentRecord.objects.create(
        person=person,
        fields=fields,
        audience=audience,
        text=online_text(fields, audience),
        text_version=ONLINE_TEXT_VERSION,
        how=ConsentHow.ONLINE,
        given_at=timezone.now(),
        recorded_by=by,
    )


def give_online_for_visibility(person: Person, visibility: dict[str, str], by) -> list:
    """One online consent record per audience, for the fields shown to that audience."""
    by_audience: dict[str, list[str]] = {}
    for field in PERSON_FIELDS:
        audience = visibility.get(field, Audience.BUILDERS.value)
        by_audience.setdefault(audience, []).append(field)
    records = []
    for audience in Audience.values:
        if audience in by_audience:
            records.append(give_online(person, by_audience[audience], audience, by))
    return records


RANK = {Audience.BUILDERS.value: 0, Audience.RESIDENTS.value: 1, Audience.PUBLIC.value: 2}


def audience_of(visibility: dict | None, field: str) -> str:
    """The audience of a field; anything unknown counts as builders only (the narrowest)."""
    value = (visibility or {}).get(field)
    return value if value in RANK else Audience.BUILDERS.value


def widened(current: dict | None, chosen: dict | None) -> dict[str, list[str]]:
    """Per audience, the fields ``chosen`` shows to more people than ``current`` does."""
    wider: dict[str, list[str]] = {}
    for field in PERSON_FIELDS:
        audience = audience_of(chosen, field)
        if RANK[audience] > RANK[audience_of(current, field)]:
            wider.setdefault(audience, []).append(field)
    return wider


def give_at_table(person: Person, fields: list[str], audience: str, by) -> ConsentRecord | None:
    """Record consent given out loud at the kitchen table, recorded by builder ``by``.

    The same record (text and version read out) as when a conversation starts.
    """
    from conversations.services import record_consent

    fields = [f for f in PERSON_FIELDS if f in set(fields)]
    if not fields:
        return None
    return record_consent(person, fields, audience, by)


def withdrawn_fields(record: ConsentRecord) -> list[str]:
    """The person's fields a consent record covers (unknown names are ignored)."""
    fields = record.fields if isinstance(record.fields, list) else []
    return [f for f in fields if f in PERSON_FIELDS]


@transaction.atomic
def withdraw(record: ConsentRecord, by=None) -> ConsentRecord:
    """Withdraw at once: mark the record and narrow visibility of its fields to builders."""
    record = ConsentRecord.objects.select_for_update().get(pk=record.pk)
    if record.withdrawn_at is not None:
        return record
    person = Person.objects.select_for_update().get(pk=record.person_id)
    record.withdrawn_at = timezone.now()
    record.save(update_fields=["withdrawn_at"])
    visibility = dict(person.visibility or {})
    for field in withdrawn_fields(record):
        visibility[field] = Audience.BUILDERS.value
    if visibility != person.visibility:
        person.visibility = visibility
        person.updated_by = by
        person.save(update_fields=["visibility", "updated_by", "updated_at"])
    return record

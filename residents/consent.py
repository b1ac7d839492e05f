"""Consent: its one home. What a builder reads out at the kitchen table (versioned), what a
resident gives online, and withdrawing it.

Withdrawing narrows the person's visibility of the withdrawn fields to builders only in the
same transaction. Every page, search, export and map reads visibility through
``residents.disclosure``, so the fields disappear there in the
next request at the latest.

Change the kitchen-table wording → raise ``CONSENT_TEXT_VERSION`` so every record says which
words the resident agreed to. The record keeps the text in the language it was read out in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import PERSON_FIELDS, Audience, ConsentHow, ConsentRecord, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONSENT_TEXT_VERSION = "2026-1"

CONSENT_TEXT = gettext_lazy(
    "We would like to write down what you told us: what you care about, what you are good "
    "at, what you would like to learn and who you know, so that we can bring neighbours "
    "together. You choose what we record and who may see it. You may look at it, change it "
    "or have it removed at any time, by asking us or by logging in yourself. We do not share "
    "it with anyone outside the neighbourhood team."
)

# What may be recorded: the person's fields plus the conversation itself.
CONSENT_FIELDS: dict[str, StrOrPromise] = {
    "name": gettext_lazy("first name"),
    "street": gettext_lazy("street"),
    "gifts": gettext_lazy("gifts"),
    "street_wish": gettext_lazy("what they would like to see happen in the street"),
    "conversations": gettext_lazy("notes of our conversations"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "languages": gettext_lazy("languages"),
    "ties": gettext_lazy("who they know and the groups they are part of"),
}
CONSENT_DEFAULT = ["name", "street", "gifts", "street_wish", "conversations"]
# Without these we cannot log a conversation at all.
CONSENT_REQUIRED = ["name", "street", "conversations"]


def record_consent(person: Person, fields: list[str], audience: str, builder) -> ConsentRecord:
    """The consent read out at the kitchen table (this text and version), as given."""
    return ConsentRecord.objects.create(
        person=person,
        fields=list(fields),
        audience=Audience(audience),
        text=str(CONSENT_TEXT),
        text_version=CONSENT_TEXT_VERSION,
        how=ConsentHow.KITCHEN_TABLE,
        given_at=timezone.now(),
        recorded_by=builder,
    )


def needs_consent(person: Person | None) -> bool:
    """A new person always; a known one when no consent of theirs is on record."""
    if person is None:
        return True
    return not person.consents.filter(withdrawn_at__isnull=True).exists()


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

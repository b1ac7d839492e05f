"""Plain factories for carriers, starts, meetings and reflections."""

from __future__ import annotations

import datetime

from ownership.models import Activity, CarrierPeriod, InitiativeStart, Reflection, ReflectionKind


def period(initiative, since: datetime.date, people=(), organisations=(), **extra) -> CarrierPeriod:
    made = CarrierPeriod.objects.create(initiative=initiative, since=since, **extra)
    made.people.set(people)
    made.organisations.set(organisations)
    return made


def start(initiative, started_by: str, organisation=None) -> InitiativeStart:
    return InitiativeStart.objects.create(
        initiative=initiative, started_by=started_by, organisation=organisation
    )


def meeting(initiative, held_on: datetime.date, present: int = 6, note: str = "") -> Activity:
    return Activity.objects.create(
        initiative=initiative, held_on=held_on, present=present, note=note
    )


def meetings(initiative, first: datetime.date, last: datetime.date, every_days: int = 7):
    rows, day = [], first
    while day <= last:
        rows.append(Activity(initiative=initiative, held_on=day, present=5))
        day += datetime.timedelta(days=every_days)
    return Activity.objects.bulk_create(rows)


def reflection(
    neighbourhood,
    author,
    why: str = "Ze pakte het zelf op.",
    kind=ReflectionKind.STRENGTHENING,
    **subject,
) -> Reflection:
    return Reflection.objects.create(
        neighbourhood=neighbourhood, author=author, kind=kind, why=why, **subject
    )

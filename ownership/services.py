"""Reading and writing ownership data: timelines for the rules, history, and the writes.

Reads take a queryset of initiatives and cost the same few queries for 5 or 500 of them.
Writes check that every carrier belongs to the initiative's neighbourhood and that nothing
is dated in the future; they raise ``ValidationError`` (forms check the same first).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Initiative, InitiativeMember
from organisations.models import Organisation
from residents.models import Person

from . import history, rules
from .models import Activity, CarrierPeriod, InitiativeStart

DEFAULT_STALL_WEEKS = 8


def stall_weeks() -> int:
    return max(1, int(getattr(settings, "OWNERSHIP_STALL_WEEKS", DEFAULT_STALL_WEEKS)))


@dataclass
class Ownership:
    initiative: Initiative
    start: InitiativeStart | None
    periods: list[CarrierPeriod]
    judgement: rules.Judgement
    history: str
    activity_count: int  # meetings logged in the last stall weeks
    last_meeting: datetime.date | None


GROUPS = {
    rules.Verdict.CAROUSEL: "flagged",
    rules.Verdict.STOPPED: "flagged",
    rules.Verdict.LASTED: "lasted",
    rules.Verdict.TOO_EARLY: "too_early",
    rules.Verdict.RESIDENTS: "residents",
    rules.Verdict.PROFESSIONALS: "professionals",
    rules.Verdict.UNKNOWN: "unknown",
}


def grouped(items: list[Ownership]) -> dict[str, list[Ownership]]:
    """Initiatives by what the rules say: flagged, lasted, too_early, residents, ..."""
    groups: dict[str, list[Ownership]] = {name: [] for name in GROUPS.values()}
    for item in items:
        groups[GROUPS[item.judgement.verdict]].append(item)
    return groups


def periods_queryset() -> QuerySet[CarrierPeriod]:
    return CarrierPeriod.objects.prefetch_related(
        Prefetch("people", queryset=Person.objects.order_by("name", "pk")),
        Prefetch(
            "organisations",
            queryset=Organisation.objects.only("pk", "name", "neighbourhood_id").order_by(
                "name", "pk"
            ),
        ),
    )


def _facts(periods: list[CarrierPeriod]) -> list[history.PeriodFacts]:
    return [
        history.PeriodFacts(
            since=p.since,
            residents=len(p.people.all()),
            organisations=tuple(o.name for o in p.organisations.all()),
        )
        for p in periods
    ]


def overview(
    initiatives: QuerySet[Initiative], today: datetime.date | None = None
) -> list[Ownership]:
    """Ownership of each initiative: judgement, history sentence, recent activity."""
    today = today or timezone.localdate()
    weeks = stall_weeks()
    items = list(initiatives.select_related("neighbourhood").defer("neighbourhood__boundary"))
    ids = [i.pk for i in items]
    periods: dict[int, list[CarrierPeriod]] = defaultdict(list)
    for period in periods_queryset().filter(initiative_id__in=ids).order_by("since", "pk"):
        periods[period.initiative_id].append(period)
    starts = {
        s.initiative_id: s
        for s in InitiativeStart.objects.filter(initiative_id__in=ids).select_related(
            "organisation"
        )
    }
    meetings: dict[int, list[datetime.date]] = defaultdict(list)
    for initiative_id, day in (
        Activity.objects.filter(initiative_id__in=ids, held_on__lte=today)
        .values_list("initiative_id", "held_on")
        .distinct()
    ):
        meetings[initiative_id].append(day)
    joins: dict[int, list[datetime.date]] = defaultdict(list)
    for initiative_id, day in (
        InitiativeMember.objects.filter(initiative_id__in=ids, joined__lte=today)
        .values_list("initiative_id", "joined")
        .distinct()
    ):
        joins[initiative_id].append(day)
    recent_from = today - datetime.timedelta(weeks=weeks)
    result = []
    for initiative in items:
        own = periods.get(initiative.pk, [])
        facts = _facts(own)
        timeline = rules.Timeline.of(
            [rules.Period(f.since, f.residents, len(f.organisations)) for f in facts],
            meetings.get(initiative.pk, []) + joins.get(initiative.pk, []),
        )
        start = starts.get(initiative.pk)
        days = sorted(meetings.get(initiative.pk, []))
        result.append(
            Ownership(
                initiative=initiative,
                start=start,
                periods=own,
                judgement=rules.judge(timeline, today, weeks),
                history=history.sentence(
                    start.started_by if start else None,
                    start.organisation.name if start and start.organisation else None,
                    [f for f in facts if f.since <= today],
                ),
                activity_count=sum(1 for day in days if day > recent_from),
                last_meeting=days[-1] if days else None,
            )
        )
    return result


def of_initiative(initiative: Initiative, today: datetime.date | None = None) -> Ownership:
    return overview(Initiative.objects.filter(pk=initiative.pk), today)[0]


# -- writes ---------------------------------------------------------------------------------


def _check_today(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(message)


def _check_neighbourhood(initiative: Initiative, people, organisations) -> None:
    for item in [*people, *organisations]:
        if item.neighbourhood_id != initiative.neighbourhood_id:
            raise ValidationError(
                _("%(name)s is not part of this neighbourhood, so cannot carry this initiative.")
                % {"name": item.name}
            )


@transaction.atomic
def record_carriers(
    initiative: Initiative,
    since: datetime.date,
    people=(),
    organisations=(),
    *,
    note: str = "",
    by=None,
) -> CarrierPeriod:
    """From ``since`` on, these carry it (replaces what was recorded for that same day)."""
    people, organisations = list(people), list(organisations)
    _check_today(since, _("A change of who carries it cannot be in the future."))
    _check_neighbourhood(initiative, people, organisations)
    period, _created = CarrierPeriod.objects.update_or_create(
        initiative=initiative, since=since, defaults={"note": note, "recorded_by": by}
    )
    period.people.set(people)
    period.organisations.set(organisations)
    return period


def set_start(initiative: Initiative, started_by: str, organisation=None, *, by=None):
    if organisation is not None:
        _check_neighbourhood(initiative, [], [organisation])
    start, _created = InitiativeStart.objects.update_or_create(
        initiative=initiative,
        defaults={"started_by": started_by, "organisation": organisation, "recorded_by": by},
    )
    return start


def log_activity(
    initiative: Initiative, held_on: datetime.date, present: int, note: str = "", *, by=None
) -> Activity:
    _check_today(held_on, _("A meeting cannot be in the future: log it once it has happened."))
    if present < 0:
        raise ValidationError(_("The number of people present cannot be negative."))
    return Activity.objects.create(
        initiative=initiative, held_on=held_on, present=present, note=note, recorded_by=by
    )

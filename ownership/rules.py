"""Does it run without us? The flagging rules, as pure functions on plain dated data.

An initiative's :class:`Timeline` holds its carrier periods (from a date on: how many
residents and how many organisations carry it; the next period ends the previous one) and
the dates of its activity (meetings logged, members joining). :func:`judge` decides, on a
given day and with a stall of ``stall_weeks`` weeks (setting ``OWNERSHIP_STALL_WEEKS``):

- ``PROFESSIONALS``: professionals carry it today (alone or with residents);
- ``RESIDENTS``: residents carry it and no professional ever stopped carrying it;
- ``TOO_EARLY``: a professional stopped carrying it less than ``stall_weeks`` ago;
- ``LASTED``: a professional stopped carrying it and there was activity ``stall_weeks``
  or more after that day: it kept going after the hand-over (the success to highlight);
- ``CAROUSEL``: only professionals carried it before they stopped, and no activity came
  ``stall_weeks`` or more after that day: the "projectencarrousel", the pattern to avoid;
- ``STOPPED``: as CAROUSEL, but residents carried it together with the professionals;
- ``UNKNOWN``: nobody recorded who carries it (or nobody ever did).

Only the latest stop counts (the start of the current run of periods without professionals);
periods and activity after ``today`` are ignored. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Carriers(StrEnum):
    RESIDENTS = "residents"
    PROFESSIONALS = "professionals"
    BOTH = "both"
    NOBODY = "nobody"


class Verdict(StrEnum):
    CAROUSEL = "carousel"
    STOPPED = "stopped"
    LASTED = "lasted"
    TOO_EARLY = "too_early"
    PROFESSIONALS = "professionals"
    RESIDENTS = "residents"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Period:
    since: datetime.date
    residents: int = 0
    professionals: int = 0

    @property
    def carriers(self) -> Carriers:
        if self.residents and self.professionals:
            return Carriers.BOTH
        if self.professionals:
            return Carriers.PROFESSIONALS
        if self.residents:
            return Carriers.RESIDENTS
        return Carriers.NOBODY


@dataclass(frozen=True)
class Timeline:
    periods: tuple[Period, ...] = ()
    activity: tuple[datetime.date, ...] = ()

    @classmethod
    def of(cls, periods: Iterable[Period], activity: Iterable[datetime.date]) -> Timeline:
        return cls(tuple(sorted(periods, key=lambda p: p.since)), tuple(sorted(set(activity))))


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    carriers: Carriers | None = None  # who carries it today (None: nothing recorded)
    stopped_on: datetime.date | None = None  # the day the professional stopped carrying it
    judged_from: datetime.date | None = None  # stopped_on + stall weeks
    last_activity: datetime.date | None = None

    @property
    def flagged(self) -> bool:
        """The pattern to avoid: it stopped when the professional left."""
        return self.verdict in (Verdict.CAROUSEL, Verdict.STOPPED)

    @property
    def residents_carry(self) -> bool:
        return self.carriers == Carriers.RESIDENTS


def periods_until(timeline: Timeline, today: datetime.date) -> list[Period]:
    return [p for p in timeline.periods if p.since <= today]


def carriers_on(timeline: Timeline, day: datetime.date) -> Period | None:
    """The period in force on ``day`` (None before the first one)."""
    current = None
    for period in timeline.periods:
        if period.since > day:
            break
        current = period
    return current


def latest_stop(periods: list[Period]) -> tuple[Period, Period] | None:
    """(last period with professionals, first period after it without), when no professional
    carries it now; None when professionals carry it now or never did."""
    if not periods or periods[-1].professionals:
        return None
    for index in range(len(periods) - 1, 0, -1):
        if periods[index - 1].professionals:
            return periods[index - 1], periods[index]
    return None


def judge(timeline: Timeline, today: datetime.date, stall_weeks: int) -> Judgement:
    periods = periods_until(timeline, today)
    activity = [day for day in timeline.activity if day <= today]
    last = activity[-1] if activity else None
    if not periods:
        return Judgement(Verdict.UNKNOWN, last_activity=last)
    now = periods[-1].carriers
    if now in (Carriers.PROFESSIONALS, Carriers.BOTH):
        return Judgement(Verdict.PROFESSIONALS, now, last_activity=last)
    stop = latest_stop(periods)
    if stop is None:
        verdict = Verdict.RESIDENTS if now == Carriers.RESIDENTS else Verdict.UNKNOWN
        return Judgement(verdict, now, last_activity=last)
    before, after = stop
    stopped_on = after.since
    judged_from = stopped_on + datetime.timedelta(weeks=stall_weeks)
    common: dict[str, Any] = {"carriers": now, "stopped_on": stopped_on, "judged_from": judged_from}
    if any(day >= judged_from for day in activity):
        return Judgement(Verdict.LASTED, last_activity=last, **common)
    if today < judged_from:
        return Judgement(Verdict.TOO_EARLY, last_activity=last, **common)
    verdict = Verdict.CAROUSEL if before.carriers == Carriers.PROFESSIONALS else Verdict.STOPPED
    return Judgement(verdict, last_activity=last, **common)

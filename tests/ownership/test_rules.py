"""The flagging rules on crafted timelines (pure functions: no database)."""

import datetime

import pytest

from ownership.rules import Carriers, Period, Timeline, Verdict, carriers_on, judge, latest_stop

D = datetime.date
TODAY = D(2026, 6, 1)
WEEKS = 8


def weekly(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days, day = [], first
    while day <= last:
        days.append(day)
        day += datetime.timedelta(days=7)
    return days


def test_hand_over_that_lasted():
    """A builder and a welfare organisation start it with four residents; after three months
    the residents carry it alone and keep meeting every week."""
    timeline = Timeline.of(
        [Period(D(2025, 6, 4), residents=4, professionals=1), Period(D(2025, 9, 3), residents=4)],
        weekly(D(2025, 6, 4), D(2026, 5, 27)),
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.LASTED
    assert judgement.stopped_on == D(2025, 9, 3)
    assert judgement.judged_from == D(2025, 10, 29)
    assert judgement.carriers == Carriers.RESIDENTS
    assert judgement.residents_carry and not judgement.flagged
    assert judgement.last_activity == D(2026, 5, 27)


def test_project_that_died_when_the_professional_left():
    """Only a welfare organisation carried it; meetings stopped two weeks after it left."""
    timeline = Timeline.of(
        [Period(D(2025, 7, 1), professionals=1), Period(D(2026, 1, 1))],
        weekly(D(2025, 7, 1), D(2026, 1, 13)),
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.CAROUSEL
    assert judgement.flagged
    assert judgement.stopped_on == D(2026, 1, 1)
    assert judgement.last_activity == D(2026, 1, 13)


def test_project_handed_to_residents_that_still_died_is_the_carousel_too():
    timeline = Timeline.of(
        [Period(D(2025, 7, 1), professionals=2), Period(D(2026, 1, 1), residents=3)],
        weekly(D(2025, 7, 1), D(2026, 2, 10)),  # six more weeks, then nothing
    )
    assert judge(timeline, TODAY, WEEKS).verdict == Verdict.CAROUSEL


def test_residents_carried_it_with_professionals_and_it_stopped():
    timeline = Timeline.of(
        [Period(D(2025, 7, 1), residents=2, professionals=1), Period(D(2026, 1, 1), residents=2)],
        weekly(D(2025, 7, 1), D(2026, 1, 20)),
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.STOPPED
    assert judgement.flagged


def test_resident_started_group_is_neither_flagged_nor_a_hand_over():
    timeline = Timeline.of([Period(D(2025, 3, 1), residents=5)], [])
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.RESIDENTS
    assert judgement.residents_carry and not judgement.flagged
    assert judgement.stopped_on is None


def test_too_early_to_tell_until_the_stall_weeks_have_passed():
    timeline = Timeline.of(
        [Period(D(2026, 1, 1), professionals=1), Period(D(2026, 5, 1))],
        weekly(D(2026, 1, 6), D(2026, 5, 5)),
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.TOO_EARLY
    assert judgement.judged_from == D(2026, 6, 26)
    # On the day the weeks are over, with no activity since: flagged.
    assert judge(timeline, D(2026, 6, 26), WEEKS).verdict == Verdict.CAROUSEL


@pytest.mark.parametrize(
    ("last_meeting", "verdict"),
    [
        (D(2026, 2, 25), Verdict.CAROUSEL),  # one day short of eight weeks
        (D(2026, 2, 26), Verdict.LASTED),  # exactly eight weeks after the stop
    ],
)
def test_the_stall_boundary_is_n_weeks_after_the_stop(last_meeting, verdict):
    timeline = Timeline.of(
        [Period(D(2025, 9, 1), professionals=1), Period(D(2026, 1, 1))],
        [D(2025, 9, 2), last_meeting],
    )
    assert judge(timeline, TODAY, WEEKS).verdict == verdict


def test_the_number_of_weeks_is_a_parameter():
    timeline = Timeline.of(
        [Period(D(2025, 9, 1), professionals=1), Period(D(2026, 1, 1))],
        [D(2026, 1, 20)],
    )
    assert judge(timeline, TODAY, 2).verdict == Verdict.LASTED
    assert judge(timeline, TODAY, 4).verdict == Verdict.CAROUSEL


def test_members_joining_count_as_activity():
    """Activity is any date given: meetings logged and members joining alike."""
    joined = [D(2026, 4, 1)]
    timeline = Timeline.of([Period(D(2025, 9, 1), professionals=1), Period(D(2026, 1, 1))], joined)
    assert judge(timeline, TODAY, WEEKS).verdict == Verdict.LASTED


def test_still_carried_by_professionals_is_not_judged():
    timeline = Timeline.of(
        [
            Period(D(2025, 1, 1), professionals=1),
            Period(D(2025, 6, 1), residents=2, professionals=1),
        ],
        [],
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.PROFESSIONALS
    assert judgement.carriers == Carriers.BOTH and not judgement.flagged


def test_only_the_latest_stop_counts():
    """A professional left, came back and left again: judged from the second departure."""
    timeline = Timeline.of(
        [
            Period(D(2025, 1, 1), professionals=1),
            Period(D(2025, 3, 1), residents=3),
            Period(D(2025, 6, 1), residents=3, professionals=1),
            Period(D(2026, 2, 1), residents=3),
        ],
        weekly(D(2025, 1, 1), D(2026, 5, 20)),
    )
    judgement = judge(timeline, TODAY, WEEKS)
    assert judgement.verdict == Verdict.LASTED
    assert judgement.stopped_on == D(2026, 2, 1)


def test_nothing_recorded_and_future_changes_are_ignored():
    assert judge(Timeline(), TODAY, WEEKS).verdict == Verdict.UNKNOWN
    planned = Timeline.of(
        [Period(D(2025, 1, 1), professionals=1), Period(D(2026, 9, 1), residents=2)],
        [D(2026, 10, 1)],
    )
    judgement = judge(planned, TODAY, WEEKS)
    assert judgement.verdict == Verdict.PROFESSIONALS
    assert judgement.last_activity is None
    nobody = Timeline.of([Period(D(2025, 1, 1))], [])
    assert judge(nobody, TODAY, WEEKS).verdict == Verdict.UNKNOWN


def test_carriers_on_a_day_and_the_latest_stop():
    periods = [Period(D(2025, 1, 1), professionals=1), Period(D(2025, 4, 1), residents=2)]
    timeline = Timeline.of(reversed(periods), [])
    assert carriers_on(timeline, D(2024, 12, 31)) is None
    assert carriers_on(timeline, D(2025, 3, 31)).carriers == Carriers.PROFESSIONALS
    assert carriers_on(timeline, D(2025, 4, 1)).carriers == Carriers.RESIDENTS
    assert latest_stop(list(timeline.periods)) == (periods[0], periods[1])
    assert latest_stop(periods[:1]) is None

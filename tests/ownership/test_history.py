"""The history sentence: who started it and who carried it since when (residents counted)."""

import datetime

from django.utils import translation

from ownership.history import PeriodFacts, sentence
from ownership.models import StartedBy

D = datetime.date


def test_started_by_a_builder_then_carried_by_residents_alone():
    with translation.override("en"):
        text = sentence(
            StartedBy.BUILDER,
            None,
            [
                PeriodFacts(D(2026, 3, 4), 4, ()),
                PeriodFacts(D(2025, 12, 3), 4, ("Participe Amstelland",)),
            ],
        )
    assert text == (
        "Started by a community builder who brought 4 residents together; carried by 4 "
        "residents together with Participe Amstelland from December 2025; carried by 4 "
        "residents alone since March 2026."
    )


def test_professional_project_that_nobody_carries_any_more():
    with translation.override("en"):
        text = sentence(
            StartedBy.PROFESSIONAL,
            "Participe",
            [PeriodFacts(D(2025, 1, 7), 0, ("Participe",)), PeriodFacts(D(2025, 6, 1), 0, ())],
        )
    assert text == (
        "Started as a project of Participe; carried by Participe alone from January 2025; "
        "carried by nobody since June 2025."
    )


def test_same_carriers_again_are_one_step_and_nothing_recorded_is_empty():
    with translation.override("en"):
        text = sentence(
            StartedBy.RESIDENTS,
            None,
            [PeriodFacts(D(2025, 1, 1), 1, ()), PeriodFacts(D(2025, 5, 1), 1, ())],
        )
        assert (
            text
            == "Started as residents' own idea; carried by 1 resident alone since January 2025."
        )
        assert sentence(None, None, []) == ""
        assert sentence(None, None, [PeriodFacts(D(2025, 1, 1), 2, ())]) == (
            "Carried by 2 residents alone since January 2025."
        )


def test_the_sentence_is_dutch_for_dutch_readers():
    with translation.override("nl"):
        text = sentence(StartedBy.RESIDENTS, None, [PeriodFacts(D(2025, 3, 1), 2, ())])
    assert "maart 2025" in text

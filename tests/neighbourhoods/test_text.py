"""neighbourhoods.text.shorten gives what the truncatechars filter gives."""

import pytest
from django.template.defaultfilters import truncatechars
from django.utils import translation

from neighbourhoods.text import shorten

TEXTS = [
    "",
    "Kort.",
    "x" * 160,
    "x" * 161,
    "Wekelijkse inloop voor buurtbewoners met koffie, een krant en tijd voor een praatje; "
    "iedereen is welkom, ook met kinderen, en de vrijwilligers helpen met formulieren.",
    "Cafe\u0301 de Zon " * 20,  # decomposed: NFC makes it one character
    "q\u0301" * 200,  # a combining mark that NFC keeps (no q with an accent): no length
    "Ελληνικά και русский текст " * 10,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [1, 2, 20, 120, 160])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_shorten_is_truncatechars(text, length, language):
    with translation.override(language):
        assert shorten(text, length) == truncatechars(text, length)


def test_choice_labels_are_djangos_in_each_language(world):
    from places.models import Place, PlaceKind
    from tests.places.factories import make_place

    place = make_place(world.a.neighbourhood, "De Buurtkamer")
    for kind in PlaceKind.values:
        place.kind = kind
        for language in ("en", "nl"):
            with translation.override(language):
                assert place.get_kind_display() == str(PlaceKind(kind).label)
    labels = {}
    for language in ("en", "nl"):
        with translation.override(language):
            labels[language] = [Place(kind=kind).get_kind_display() for kind in PlaceKind.values]
    assert labels["en"] != labels["nl"]  # each language its own table
    place.kind = "unknown"
    assert place.get_kind_display() == "unknown"


def test_day_is_date_format_in_each_language():
    import datetime

    from django.utils.formats import date_format

    from neighbourhoods.text import day

    when = datetime.date(2026, 3, 2)
    for language in ("en", "nl", "en"):  # a kept day is per language
        with translation.override(language):
            assert day(when) == date_format(when, "DATE_FORMAT")
            assert day(when, "j M Y") == date_format(when, "j M Y")
    assert day(None) == ""


@pytest.mark.parametrize("language", ["en", "nl"])
def test_decimals_is_floatformat_without_grouping(language):
    from django.template.defaultfilters import floatformat

    from neighbourhoods.text import decimals

    with translation.override(language):
        for value in (0, 0.0, 1, 0.1234, 0.98765, 12345.678, 1 / 3, 2 / 3, 0.00049, 7.25):
            for places in (2, 3, 4):
                assert decimals(value, places) == floatformat(value, places), (value, places)

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

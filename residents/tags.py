"""The tag vocabulary every neighbourhood starts with (Dutch, as residents type them)."""

from __future__ import annotations

from neighbourhoods import freshness

from .models import Tag, normalise

DEFAULT_TAGS = [
    "koken",
    "taal",
    "techniek",
    "tuin",
    "muziek",
    "zorg",
    "kinderen",
    "sport",
    "administratie",
    "fietsen",
    "naaien",
    "computers",
    "klussen",
    "ouderen",
    "gezelschap",
    "kunst",
    "vervoer",
    "dieren",
    "lezen en schrijven",
    "geldzaken",
    "natuur",
    "energie",
]


def seed_default_tags(neighbourhood) -> None:
    """Add the default tags a neighbourhood lacks; existing spellings are kept."""
    Tag.objects.bulk_create(
        [
            Tag(neighbourhood=neighbourhood, name=name, normalised=normalise(name))
            for name in DEFAULT_TAGS
        ],
        ignore_conflicts=True,
    )
    freshness.touch(neighbourhood.pk)

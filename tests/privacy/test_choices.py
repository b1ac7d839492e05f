"""Every list of choices offered to a resident shows only what they may see (issue #16).

A tag that exists only on the gifts of a hidden neighbour (every field builders-only) is
never offered: not in the network page's tag filter, not in the people / gifts / map /
initiative filters, not in the tag suggestions. A tag of a visible neighbour's gift is
fine (and is checked to be offered somewhere, so the test reads real choice lists).
"""

from __future__ import annotations

import html
import re

from django.urls import reverse

from residents.models import Audience
from tests.residents.factories import make_gift, make_person

HIDDEN_TAG = "geheimtag-onzichtbaar"
VISIBLE_TAG = "zichtbaartag-buurt"
_OPTION = re.compile(r"<option\b[^>]*>(.*?)</option>", re.I | re.S)

PAGES = (
    "network:network",
    "residents:people",
    "residents:gifts",
    "maps:map",
    "network:initiatives",
    "organisations:list",
    "places:list",
    "search:search",
)


def _options(text: str) -> list[str]:
    return [" ".join(html.unescape(o).split()).lower() for o in _OPTION.findall(text)]


def test_tag_choices_offered_to_a_resident_hide_tags_of_hidden_gifts(world, client_for):
    nb = world.a.neighbourhood
    hidden = make_person(nb, "Verborgen Buur", shown=Audience.BUILDERS)
    make_gift(hidden, "Geheime gave", tags=[HIDDEN_TAG])
    visible = make_person(nb, "Zichtbare Buur", shown=Audience.RESIDENTS)
    make_gift(visible, "Open gave", tags=[VISIBLE_TAG])
    client = client_for(world.a.resident)
    offered, leaks = [], []
    for name in PAGES:
        url = reverse(name, args=[world.a.slug])
        response = client.get(url)
        assert response.status_code == 200, url
        options = _options(response.content.decode())
        offered += options
        leaks += [f"{url}: <option>{o}</option>" for o in options if HIDDEN_TAG in o]
    for term in ("geheim", "onzichtbaar", "tag"):
        url = reverse("residents:tag_suggest", args=[world.a.slug]) + f"?q={term}"
        text = client.get(url).content.decode().lower()
        if HIDDEN_TAG in text:
            leaks.append(f"{url}: suggests {HIDDEN_TAG}")
    assert any(VISIBLE_TAG in o for o in offered), "no page offered the visible tag"
    assert not leaks, "tags of hidden gifts offered to a resident:\n" + "\n".join(leaks)

"""The leak hunt through the HSDS API: a marker in every text field of every record
(tests/privacy/markers.py), plus a published place, organisation and initiative whose every
field carries one; only what the published page shows may come out."""

from __future__ import annotations

import json

from django.core.cache import cache
from django.test import Client

from tests.outcomes.factories import make_initiative
from tests.privacy.markers import HIDDEN, MARKER_RE, PUBLIC, SHARED, build_hunt

from ..organisations.factories import make_organisation
from ..places.factories import make_place

LISTS = ("services", "organizations", "locations", "service_at_locations", "taxonomies",
         "taxonomy_terms")  # fmt: skip


def _crawl(client: Client, base: str) -> dict[str, str]:
    """Every list and every item of every list: URL → answer text."""
    answers: dict[str, str] = {}
    for name in ("", *LISTS):
        url = f"{base}/{name}" + ("?per_page=200" if name else "")
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.content.decode()
        for item in json.loads(response.content).get("contents", []):
            item_url = f"{base}/{name}/{item['id']}"
            one = client.get(item_url)
            assert one.status_code == 200, item_url
            answers[item_url] = one.content.decode()
    for query in ("search=LEAKqq", "search=leakqq0001", "modified_after=2000-01-01"):
        url = f"{base}/locations?{query}"
        answers[url] = client.get(url).content.decode()
    return answers


def test_the_api_shows_only_what_the_published_page_shows(world):
    hunt = build_hunt(world)  # publishes A's page; its own records are not public
    nb = world.a.neighbourhood
    place = make_place(nb, "x", public=True, managed_by_person=hunt.objects["H"])
    hunt.fill("published place", place, HIDDEN, name=PUBLIC, description=PUBLIC, street=PUBLIC)
    org = make_organisation(nb, "y", public=True, usual_place=place)
    hunt.fill("published organisation", org, HIDDEN, name=PUBLIC, description=PUBLIC,
              website=PUBLIC, meeting_times=PUBLIC)  # fmt: skip
    initiative = make_initiative(nb, "z", public=True, meeting_place=place)
    hunt.fill("published initiative", initiative, HIDDEN, name=PUBLIC, description=PUBLIC)
    cache.clear()
    answers = _crawl(Client(), f"/api/hsds/{nb.slug}")
    forbidden = hunt.of(HIDDEN, SHARED) | (set(hunt.markers) - hunt.of(PUBLIC))
    findings = [
        (url, marker, hunt.where(marker))
        for url, text in answers.items()
        for marker in set(MARKER_RE.findall(text))
        if marker.upper().replace("LEAKQQ", "LEAKqq") in forbidden
    ]
    assert findings == []
    seen = {
        m.upper().replace("LEAKQQ", "LEAKqq")
        for t in answers.values()
        for m in MARKER_RE.findall(t)
    }
    published = {m for m in hunt.of(PUBLIC) if "published" in hunt.where(m)}
    # name, description, street of the place; name, description, website of the
    # organisation; name and description of the initiative (meeting times: no HSDS field)
    assert len(seen & published) >= 7, sorted(hunt.where(m) for m in seen & published)

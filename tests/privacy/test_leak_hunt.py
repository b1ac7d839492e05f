"""The leak hunt (issue #16): every text field carries a marker; no hidden marker gets out.

``markers.build_hunt`` walks the project's models and gives every text field of every record
it made a distinct marker ``LEAKqq0001``…, each with a category. The people:

- **R**: ``world.a.resident``'s own profile (``Person.user == world.a.resident``; name shown
  to residents, the rest builders-only). The walk then signs in as ``world.a.resident``.
- **V**: a visible neighbour: name, street and gifts for residents, every other field
  (phone, email, address, languages, street wish, external id) builders-only.
- **H**, **H2**: hidden neighbours, every field builders-only.

Who may read which marker (what each category means, field by field):

``OWN`` (R reads it; resident B and anonymous never)
    R's person row, gifts, tags that only her gifts carry, consent records, her
    organisation membership role; the conversation held with her *including* builders' notes
    (place, cares_about, ideas, private_notes), its draft gifts and follow-ups; audit rows
    about her; the **title** of the outcome that links her (for_whom_people + a gift step).
``NEIGHBOUR`` (R reads it)
    V's name and street, V's gift and the tag only V's gift carries.
``SHARED`` (R reads it; not personal, so not checked for R)
    Places, place photos, organisations, initiatives, coverage streets, unit values; the
    ``where`` and ``unit`` of the outcome linking R (neither in the allowed list nor in the
    forbidden list of the rule, so neutral). These objects are not public, so the
    anonymous visitor must not see them.
``PUBLIC`` (anyone on A's published page)
    The publication intro and the public_summary of the (published) outcome linking R.
``HIDDEN`` (R never, nobody but builders)
    Every field of H and H2 (their gifts, the tag only H's gift carries, consent, org
    membership role, conversations with H and their items, audit rows about H); V's
    builders-only fields; every connection's origin_note (R–H, R–V, H–H2); every
    introduction's reason (also R → H from R's own conversation); reflections (also the one
    on R's conversation: a builder's note, not hers); carrier period and meeting notes; the
    linked outcome's story, significance, for_whom_group, evidence_text, evidence_links,
    value_note, its steps' notes and its evidence files' caption/name/type; every field of
    an outcome that does NOT link R although its story contains her name; import jobs;
    claim code attempts; names of H/H2 even inside another record's text (e.g. a
    connection written as "R – H", for_whom_people listed by name).

Resident B (``world.b.resident``, own profile "Walk Resident" in B) may read no marker at
all; anonymous may read only ``PUBLIC`` markers (and ``SHARED`` ones are not public here).

The walk (``walk.py``): every route under /n/<slug>/ and /me/ whose lowest role in
``tests/access_table.py`` is resident, signed-in or public, once per candidate value of its
arguments (R, V, H, H2 and their gifts, the hunt's place, organisation, initiative, plus the
access table's sample objects), as a page and as an htmx request, plus ``?q=LEAKqq`` on
pages without ids; each page's links, hx-get URLs and GET forms' <select> options are
followed (up to ``MAX_PAGES``); the /me/ export is POSTed and its ZIP unpacked (every file,
PDFs through pypdf). Then the resident is renamed "LEAKqq" (a substring of every marker)
and it all runs again. Every finding names the URL (and part), the marker's model.field,
whose it is, and the text around it.
"""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse

from residents.models import Person

from .markers import HIDDEN, NEIGHBOUR, OWN, PREFIX, PUBLIC, SHARED
from .walk import Result, report, route_urls, walk


def _candidates(hunt) -> dict[str, list]:
    o = hunt.objects
    return {
        "person_id": [o["R"].pk, o["V"].pk, o["H"].pk, o["H2"].pk],
        "beneficiary_id": [o["R"].pk, o["H"].pk],
        "gift_id": [o["r_gift"].pk, o["v_gift"].pk, o["h_gift"].pk],
        "place_id": [o["place"].pk, o["public_place"].pk],
        "organisation_id": [o["organisation"].pk, o["public_organisation"].pk],
        "initiative_id": [o["initiative"].pk, o["public_initiative"].pk],
        "outcome_id": [o["linked_outcome"].pk],
        "connection_id": [o["connection"].pk],
    }


def _seeds(hunt, side, own_side: bool) -> list[str]:
    candidates = _candidates(hunt) if own_side else {}
    return route_urls(side, candidates, query={"q": PREFIX})


def _merge(total: Result, part: Result, label: str) -> None:
    for (url, marker), context in part.findings.items():
        total.findings[(f"{label}: {url}", marker)] = context
    total.seen |= part.seen
    total.statuses.update({f"{label}: {k}": v for k, v in part.statuses.items()})


def _rename(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(name=PREFIX)
    cache.clear()


def test_every_text_field_of_every_model_carries_a_marker(hunt):
    """A new model (or field) with text must be added to build_hunt, with its rule."""
    assert hunt.uncovered() == [], (
        "text fields no record of the leak hunt fills: add a record of that kind to "
        "tests/privacy/markers.build_hunt with the category its rule gives it"
    )
    for category in (HIDDEN, OWN, NEIGHBOUR, SHARED, PUBLIC):
        assert hunt.of(category), category


def test_resident_sees_nothing_hidden_anywhere(hunt, world):
    a = world.a
    prefixes = (f"/n/{a.slug}/", "/me/")
    forbidden = hunt.of(HIDDEN)
    total = Result()
    exports = [reverse("me:export", args=[a.slug])]
    for label in ("as named", f"renamed {PREFIX}"):
        if label != "as named":
            _rename(hunt.objects["R"])
        seeds = [*_seeds(hunt, a, own_side=True), "/me/"]
        part = walk(hunt, a.resident, seeds, forbidden, prefixes=prefixes, exports=exports)
        _merge(total, part, label)
    # The walk did reach her pages and read her own data (else it proves nothing).
    assert total.statuses[f"as named: /me/{a.slug}/"] == 200
    assert total.statuses[f"as named: POST /me/{a.slug}/export/"] == 200
    own_seen = total.seen & hunt.of(OWN)
    assert own_seen, "the walk read none of the resident's own data"
    assert total.seen & hunt.of(NEIGHBOUR), "the walk read nothing of the visible neighbour"
    assert not total.findings, report(hunt, total)


def test_resident_sees_nothing_hidden_after_the_team_warmed_every_cache(hunt, world):
    """The pages keep results, panels, counts and the report (``neighbourhoods.freshness``).
    A builder and the coordinator walk every page first, so each of those caches holds what
    *they* may see; the resident's walk right after must still read nothing hidden."""
    a = world.a
    prefixes = (f"/n/{a.slug}/", "/me/")
    seeds = _seeds(hunt, a, own_side=True)
    for member in (a.builder, a.coordinator):
        warmed = walk(hunt, member, seeds, set(), prefixes=prefixes)
        assert warmed.seen & hunt.of(HIDDEN), "the team's walk read nothing hidden to keep"
    part = walk(hunt, a.resident, seeds, hunt.of(HIDDEN), prefixes=prefixes)
    assert part.seen & hunt.of(NEIGHBOUR), "the walk read nothing of the visible neighbour"
    assert not part.findings, report(hunt, part)


def test_resident_of_another_neighbourhood_sees_nothing_of_it(hunt, world):
    a, b = world.a, world.b
    prefixes = (f"/n/{b.slug}/", f"/n/{a.slug}/", "/me/")
    forbidden = set(hunt.markers) - hunt.of(PUBLIC)  # nothing of A but its published page
    total = Result()
    exports = [reverse("me:export", args=[b.slug]), reverse("me:export", args=[a.slug])]
    b_profile = Person.objects.get(neighbourhood=b.neighbourhood, user=b.resident)
    for label in ("as named", f"renamed {PREFIX}"):
        if label != "as named":
            _rename(b_profile)
        seeds = [*_seeds(hunt, b, own_side=False), *_seeds(hunt, a, own_side=True), "/me/"]
        part = walk(hunt, b.resident, seeds, forbidden, prefixes=prefixes, exports=exports)
        _merge(total, part, label)
    assert total.statuses[f"as named: /me/{b.slug}/"] == 200
    assert not total.findings, report(hunt, total)
    public = reverse("publication:page", args=[a.slug])
    reached = [
        u
        for u, s in total.statuses.items()
        if f"/n/{a.slug}/" in u and public not in u and s == 200
    ]
    assert reached == [], f"resident B opened pages of neighbourhood A: {reached[:10]}"


def test_anonymous_sees_only_the_published_page(hunt, world):
    a = world.a
    forbidden = hunt.of(HIDDEN, OWN, NEIGHBOUR, SHARED)
    public = reverse("publication:page", args=[a.slug])
    seeds = [
        "/",
        public,
        reverse("publication:page", args=[world.b.slug]),
        "/claim/",
        *_seeds(hunt, a, own_side=True),
    ]
    result = walk(hunt, None, seeds, forbidden, prefixes=(public,), crawl=True)
    assert result.statuses[public] == 200
    assert result.seen & hunt.of(PUBLIC), "the published page showed none of its public text"
    assert not result.findings, report(hunt, result)

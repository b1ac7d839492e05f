"""Cached lists and search: served again while nothing changed, never after a change.

Every test asks the same page twice or more with the same client and never clears the
cache in between, as a busy neighbourhood would: what a change does must show at once.
"""

import threading
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchange import importing
from me.erasure import erase_person
from neighbourhoods import freshness
from neighbourhoods.models import Neighbourhood
from residents.consent import withdraw
from residents.models import Audience, ConsentRecord, Gift, Person, Tag
from tests.conversations.factories import make_finished
from tests.organisations.factories import make_organisation
from tests.places.factories import make_place
from tests.residents.factories import make_gift, make_person

R = Audience.RESIDENTS


def _text(client, name, world, **params) -> str:
    response = client.get(reverse(name, args=[world.a.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def _version(world) -> int:
    return Neighbourhood.objects.get(pk=world.a.neighbourhood.pk).data_version


def test_a_repeated_list_is_served_from_the_cache_with_fewer_queries(world, client_for):
    for n in range(30):
        make_gift(make_person(world.a.neighbourhood, f"Buur {n:02}", shown=R), f"Gave {n}")
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).content
    with CaptureQueriesContext(connection) as warm:
        second = client.get(url).content
    assert first.count(b"Buur ") == second.count(b"Buur ") > 0
    # the rows, their gifts and the count are not asked again
    sql = " ".join(q["sql"] for q in warm.captured_queries)
    assert "residents_gift" not in sql and "COUNT(" not in sql
    assert len(warm) < len(cold)


def test_every_tracked_change_shows_at_once(world, client_for):
    nb = world.a.neighbourhood
    client = client_for(world.a.builder)
    ans = make_person(nb, "Ans Kok", shown=R)
    assert "Ans Kok" in _text(client, "residents:people", world)

    ans.name = "Ans de Kok"
    ans.save()
    assert "Ans de Kok" in _text(client, "residents:people", world)

    gift = make_gift(ans, "Soep koken")
    assert "Soep koken" in _text(client, "residents:gifts", world)
    assert "Soep koken" in _text(client, "search:search", world, q="soep")

    gift.tags.add(*Tag.objects.resolve(nb, ["erwtensoep"]))  # many-to-many, no save()
    assert "erwtensoep" in _text(client, "residents:gifts", world)
    assert "erwtensoep" in _text(client, "residents:gifts", world, kind="hands")

    make_organisation(nb, "Soepclub")
    make_place(nb, "Soepkeuken")
    found = _text(client, "search:search", world, q="soep")
    assert "Soepclub" in found and "Soepkeuken" in found

    gift.delete()
    assert "Soep koken" not in _text(client, "residents:gifts", world)
    ans.delete()
    assert "Ans de Kok" not in _text(client, "residents:people", world)


def test_withdrawn_consent_hides_a_person_from_a_resident_at_once(world, client_for):
    nb = world.a.neighbourhood
    person = make_person(nb, "Bea Zichtbaar", shown=R)
    record = ConsentRecord.objects.create(
        person=person,
        fields=["name"],
        audience=R,
        text="t",
        text_version="1",
        how="online",
        given_at=timezone.now(),
    )
    client = client_for(world.a.resident)
    assert "Bea Zichtbaar" in _text(client, "residents:people", world)
    assert "Bea Zichtbaar" in _text(client, "search:search", world, q="bea")
    withdraw(record)
    assert "Bea Zichtbaar" not in _text(client, "residents:people", world)
    assert "Bea Zichtbaar" not in _text(client, "search:search", world, q="bea")


def test_bulk_writers_touch_the_version(world, client_for):
    client = client_for(world.a.builder)
    assert "Henk de Boer" not in _text(client, "residents:people", world)
    plan = importing.build_plan(
        "people.csv",
        b"naam;straat;gaven\nHenk de Boer;Populierenlaan;handen: fietsen repareren\n",
        world.a.neighbourhood,
    )
    importing.apply_plan(plan, world.a.neighbourhood, user=world.a.coordinator)
    assert Person.objects.filter(name="Henk de Boer").exists()
    assert "Henk de Boer" in _text(client, "residents:people", world)

    henk = Person.objects.get(name="Henk de Boer")
    before = _version(world)
    erase_person(henk, world.a.coordinator)
    assert _version(world) > before
    assert "Henk de Boer" not in _text(client, "residents:people", world)


def test_cached_results_are_per_viewer_and_language(world, client_for):
    nb = world.a.neighbourhood
    make_person(nb, "Cor Verborgen")  # builders only
    own = make_person(nb, "Dirk Zelf", user=world.a.resident)  # builders only, but his own
    assert own.visibility["name"] == Audience.BUILDERS
    builder = _text(client_for(world.a.builder), "residents:people", world)
    resident = _text(client_for(world.a.resident), "residents:people", world)
    assert "Cor Verborgen" in builder and "Cor Verborgen" not in resident
    assert "Dirk Zelf" in resident
    make_person(nb, "Els Open", shown=R)
    neighbour = get_user_model().objects.create_user("neighbour", password="x")
    nb.memberships.create(user=neighbour, role="resident")
    theirs = _text(client_for(neighbour), "residents:people", world)
    assert "Dirk Zelf" not in theirs and "Cor Verborgen" not in theirs
    dutch = _text(client_for(world.a.builder, language="nl"), "residents:people", world)
    english = _text(client_for(world.a.builder), "residents:people", world)
    assert "3 personen" in dutch and "3 people" in english


def test_unrelated_writes_leave_the_version_alone(world):
    before = _version(world)
    make_person(world.b.neighbourhood, "Elders")
    assert _version(world) == before
    freshness.touch(world.a.neighbourhood.pk)
    assert _version(world) == before + 1


def test_saving_a_stale_copy_of_the_neighbourhood_keeps_the_version(world):
    stale = Neighbourhood.objects.get(pk=world.a.neighbourhood.pk)
    make_person(world.a.neighbourhood, "Fleur Nieuw")
    touched = _version(world)
    assert touched > stale.data_version
    stale.name = "Populierenbuurt-Oost"
    stale.save()
    assert _version(world) == touched
    assert Neighbourhood.objects.get(pk=stale.pk).name == "Populierenbuurt-Oost"


def test_deleting_a_person_with_gifts_touches_once_at_the_end(world, client_for):
    person = make_person(world.a.neighbourhood, "Gerrit Veel", shown=R)
    for n in range(5):
        make_gift(person, f"Gave {n}", tags=["koken"])
    client = client_for(world.a.builder)
    assert "Gerrit Veel" in _text(client, "residents:people", world)
    before = _version(world)
    url = reverse("residents:person_delete", args=[world.a.slug, person.pk])
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url).status_code == 302
    touches = [q for q in captured if q["sql"].startswith('UPDATE "neighbourhoods_neighbourhood"')]
    assert len(touches) == 1
    # the one touch comes after the rows went: the neighbourhood's row is locked last
    assert captured.captured_queries.index(touches[0]) > max(
        i for i, q in enumerate(captured) if q["sql"].startswith("DELETE")
    )
    assert _version(world) == before + 1
    listed = _text(client, "residents:people", world)
    assert "Gerrit Veel was deleted." in listed  # the message, and no longer a row
    assert f"/people/{person.pk}/" not in listed


def test_a_batch_inside_a_batch_touches_once(world):
    before = _version(world)
    with freshness.batch(world.a.neighbourhood.pk):
        with freshness.batch(world.a.neighbourhood.pk):
            make_person(world.a.neighbourhood, "Binnen")
        make_person(world.a.neighbourhood, "Buiten")
        assert _version(world) == before
    assert _version(world) == before + 1


def test_the_key_names_the_slug_and_the_neighbourhoods_creation(world, rf):
    request = rf.get("/")
    request.neighbourhood = Neighbourhood.objects.get(pk=world.a.neighbourhood.pk)
    request.membership = world.a.neighbourhood.memberships.get(user=world.a.builder)
    first = freshness.key(request, "people")
    request.neighbourhood.slug = "hernoemd"
    renamed = freshness.key(request, "people")
    request.neighbourhood.created_at = timezone.now()
    recreated = freshness.key(request, "people")
    assert len({first, renamed, recreated}) == 3


def test_a_new_street_is_offered_in_the_filter_at_once(world, client_for):
    client = client_for(world.a.resident)
    make_person(world.a.neighbourhood, "Hanna", street="Berkenlaan", shown=R)
    assert '<option value="Berkenlaan"' in _text(client, "residents:people", world)
    make_person(world.a.neighbourhood, "Ivo", street="Wilgenhof", shown=R)
    assert '<option value="Wilgenhof"' in _text(client, "residents:people", world)


def test_a_builders_new_name_shows_at_once_and_a_login_moves_nothing(world, client_for):
    builder = world.a.builder
    make_finished(world.a.neighbourhood, builder, make_person(world.a.neighbourhood, "Ans Kok"))
    client = client_for(world.a.coordinator)
    row = "· Bea Bouwer</span>"  # the row's builder (the filter's choices are never kept)
    assert row not in _text(client, "conversations:list", world)

    def elsewhere() -> int:
        return Neighbourhood.objects.get(pk=world.b.neighbourhood.pk).data_version

    before, before_b = _version(world), elsewhere()
    client_for(builder)  # logs in: last_login is saved
    assert _version(world) == before

    builder.first_name, builder.last_name = "Bea", "Bouwer"
    builder.save()
    assert row in _text(client, "conversations:list", world)
    assert elsewhere() == before_b  # only where the builder is a member


def test_a_get_view_reads_the_version_it_arrived_with(world, client_for):
    """Kept values of code without a request (the network page's count, street names, the
    size) take the version loaded with the neighbourhood: no query of their own in a GET."""
    client = client_for(world.a.coordinator)
    url = reverse("network:network", args=[world.a.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": "nobody"}).status_code == 200
    version = '"neighbourhoods_neighbourhood"."data_version" AS'
    reads = [q["sql"] for q in queries if version in q["sql"]]
    assert reads == []
    # outside a request it is read from the database, as it is now
    make_person(world.a.neighbourhood, "Nieuw")
    assert freshness.version(world.a.neighbourhood).endswith(f":{_version(world)}")


def test_threads_missing_the_same_key_compute_it_once():
    """A new data version (or a fresh process) meets several requests at once: one computes,
    the others wait for what it kept instead of doing the same work beside it."""
    calls = []
    started = threading.Event()

    def compute():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return {"rows": len(calls)}

    results = []

    def ask():
        results.append(freshness._remembered("kept:test-single-flight", compute))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    threads[0].start()
    started.wait(2)
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(5)
    assert len(calls) == 1
    assert results == [{"rows": 1}] * 4
    assert freshness._computing == {}  # nothing left behind


def test_the_people_count_is_kept_for_every_page_and_sort_until_a_change(world, client_for):
    nb = world.a.neighbourhood
    for n in range(3):
        make_person(nb, f"Teller {n}", street="Telstraat", shown=R)
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    counted = lambda sql: "COUNT(" in " ".join(q["sql"] for q in sql.captured_queries)  # noqa: E731
    with CaptureQueriesContext(connection) as first:
        assert "3 people" in client.get(url, {"street": "Telstraat"}).content.decode()
    with CaptureQueriesContext(connection) as other_page:  # another query string, same rows
        page = client.get(url, {"street": "Telstraat", "sort": "newest", "x": "1"})
    assert "3 people" in page.content.decode()
    assert counted(first) and not counted(other_page)
    # another filter is counted on its own, and a new person is counted at once
    assert "0 people" in client.get(url, {"street": "Nergensstraat"}).content.decode()
    make_person(nb, "Teller 4", street="Telstraat", shown=R)
    assert "4 people" in client.get(url, {"street": "Telstraat"}).content.decode()


def test_a_typed_colon_does_not_make_two_filters_share_a_count(world, client_for):
    nb = world.a.neighbourhood
    fiets = Tag.objects.resolve(nb, ["fiets"])
    for n in range(3):
        make_gift(make_person(nb, f"Dubbel {n}", street="Kerk:pad", shown=R), "Band plakken")
        make_gift(make_person(nb, f"Ander {n}", street="Kerk", shown=R), "Soep")
    for gift in Gift.objects.filter(title="Band plakken"):
        gift.tags.add(*fiets)
    client = client_for(world.a.builder)
    url = reverse("residents:people", args=[world.a.slug])
    # street "Kerk" with tag "pad:fiets", and street "Kerk:pad" with tag "fiets": the same
    # words between colons, two different sets of people
    assert "0 people" in client.get(url, {"street": "Kerk", "tag": "pad:fiets"}).content.decode()
    page = client.get(url, {"street": "Kerk:pad", "tag": "fiets"}).content.decode()
    assert "3 people" in page and page.count("Dubbel ") == 3

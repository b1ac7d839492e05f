"""The access log: an entry (who, what, when, how many; ids only) for every export, report
download, person-page view outside one's own records and erasure; the pages that show it to
coordinators, organisation admins and the resident it was about; and its retention."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from audit import access
from audit.models import AccessAction, AccessEntry, AccessSubject
from me.erasure import erase_person
from neighbourhoods.models import Role

from ..operators.factories import operator_sides
from ..places.factories import make_place
from ..residents.factories import make_person


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(world):
    nb = world.a.neighbourhood
    own = make_person(nb, "Ans Eigen", created_by=world.a.builder)
    other = make_person(nb, "Bert Ander", created_by=world.a.coordinator)
    mine = make_person(nb, "Resident Zelf", user=world.a.resident)
    make_place(nb, "Buurthuis")
    return own, other, mine


def _only_entry(**filters) -> AccessEntry:
    [entry] = AccessEntry.objects.filter(**filters)
    return entry


def test_an_export_of_people_is_logged_with_the_people_it_included(world, people):
    url = reverse("exchange:export_download", args=[world.a.slug, "csv-nl"]) + "?what=people"
    response = client_for(world.a.coordinator).get(url)
    assert response.status_code == 200
    entry = _only_entry(action=AccessAction.EXPORT)
    assert (entry.actor, entry.role, entry.count) == (world.a.coordinator, Role.COORDINATOR, 3)
    assert entry.neighbourhood == world.a.neighbourhood
    assert entry.what == "people (csv-nl)"
    assert set(entry.subjects.values_list("person_id", flat=True)) == {p.pk for p in people}
    # ids and counts only: no name of anyone it is about
    stored = " ".join(str(v) for v in AccessEntry.objects.values().first().values())
    assert not any(p.name in stored or p.name.split()[0] in stored for p in people)


def test_exports_without_people_are_logged_without_subjects(world, people):
    client = client_for(world.a.coordinator)
    for fmt, what in (("xlsx", "places"), ("geojson", ""), ("hsds", ""), ("kumu-json", "")):
        url = reverse("exchange:export_download", args=[world.a.slug, fmt])
        assert client.get(url + (f"?what={what}" if what else "")).status_code == 200
    entries = AccessEntry.objects.filter(action=AccessAction.EXPORT)
    assert entries.count() == 4
    kumu = entries.get(what="kumu-json")
    assert kumu.subjects.count() == 3  # the network names people
    assert not AccessSubject.objects.exclude(entry=kumu).exists()


def test_the_export_command_is_logged(world, people, tmp_path):
    call_command("export_assets", str(tmp_path), neighbourhood=world.a.slug, format="csv",
                 what="people", stdout=None)  # fmt: skip
    entry = _only_entry(action=AccessAction.EXPORT)
    assert entry.actor is None and entry.role == access.COMMAND_LINE and entry.count == 3


def test_a_report_download_is_logged(world, people):
    url = reverse("outcomes:report_pdf", args=[world.a.slug])
    response = client_for(world.a.coordinator).get(url)
    assert response.status_code == 200
    entry = _only_entry(action=AccessAction.REPORT)
    assert entry.what.startswith("outcomes report (pdf")


def test_person_pages_outside_ones_own_records_are_logged(world, people):
    own, other, _mine = people
    builder = client_for(world.a.builder)
    assert builder.get(reverse("residents:person", args=[world.a.slug, own.pk])).status_code == 200
    assert not AccessEntry.objects.exists()  # recorded by this builder: their own record
    assert (
        builder.get(reverse("residents:person", args=[world.a.slug, other.pk])).status_code == 200
    )
    entry = _only_entry(action=AccessAction.PERSON_VIEW)
    assert (entry.actor, entry.role, entry.count) == (world.a.builder, Role.BUILDER, 1)
    assert list(entry.subjects.values_list("person_id", flat=True)) == [other.pk]
    resident = client_for(world.a.resident)
    resident.get(reverse("residents:person", args=[world.a.slug, other.pk]))
    assert AccessEntry.objects.count() == 1  # residents browsing are not logged


def test_erasure_is_logged_and_forgets_the_person(world, people):
    own, other, _mine = people
    access.record(world.a.coordinator, AccessAction.EXPORT, world.a.neighbourhood, 2,
                  subjects=[own.pk, other.pk], what="people (csv)")  # fmt: skip
    erase_person(own, world.a.coordinator)
    entry = _only_entry(action=AccessAction.ERASE)
    assert (entry.actor, entry.count, entry.subjects.count()) == (world.a.coordinator, 1, 0)
    assert not AccessSubject.objects.filter(person_id=own.pk).exists()
    assert AccessSubject.objects.filter(person_id=other.pk).exists()
    export = AccessEntry.objects.get(action=AccessAction.EXPORT)
    assert export.count == 2  # how many it included stays


def test_a_merge_signal_logs_the_merge_and_moves_the_mentions(world, people):
    from residents.models import Person
    from residents.signals import people_merged

    own, other, _mine = people
    first = access.record(None, AccessAction.EXPORT, world.a.neighbourhood, 2,
                          subjects=[own.pk, other.pk])  # fmt: skip
    second = access.record(None, AccessAction.EXPORT, world.a.neighbourhood, 1, subjects=[other.pk])
    people_merged.send(sender=Person, keep=own, drop_id=other.pk, user=world.a.coordinator,
                       role=Role.COORDINATOR)  # fmt: skip
    merge = _only_entry(action=AccessAction.MERGE)
    assert (merge.actor, merge.count) == (world.a.coordinator, 2)
    assert not AccessSubject.objects.filter(person_id=other.pk).exists()
    assert list(first.subjects.values_list("person_id", flat=True)) == [own.pk]
    assert list(second.subjects.values_list("person_id", flat=True)) == [own.pk]


def test_merges_are_logged_through_the_same_function(world, people):
    own, _other, _mine = people
    entry = access.record(world.a.coordinator, AccessAction.MERGE, world.a.neighbourhood, 2,
                          subjects=[own.pk])  # fmt: skip
    assert entry.role == Role.COORDINATOR  # looked up when not given
    with pytest.raises(ValueError):
        access.record(world.a.coordinator, "peek", world.a.neighbourhood, 1)


def test_the_resident_sees_who_took_out_data_that_included_them(world, people):
    _own, _other, _mine = people
    world.a.coordinator.first_name = "Carla"
    world.a.coordinator.save()
    url = reverse("exchange:export_download", args=[world.a.slug, "csv"]) + "?what=people"
    client_for(world.a.coordinator).get(url)
    page = client_for(world.a.resident).get(reverse("me:history", args=[world.a.slug]))
    text = page.content.decode()
    assert "Carla" in text and "people (csv)" in text


def test_coordinators_read_the_access_log_with_filters(world, people):
    _own, other, _mine = people
    client_for(world.a.builder).get(reverse("residents:person", args=[world.a.slug, other.pk]))
    client_for(world.a.coordinator).get(
        reverse("exchange:export_download", args=[world.a.slug, "geojson"])
    )
    url = reverse("audit:access_log", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)
    page = coordinator.get(url).content.decode()
    assert "geojson" in page and world.a.builder.get_username() in page
    assert "Bert" not in page  # the person viewed is not named
    only_views = coordinator.get(url, {"action": "person_view"}).content.decode()
    assert "geojson" not in only_views and world.a.builder.get_username() in only_views
    by_coordinator = coordinator.get(url, {"who": world.a.coordinator.pk}).content.decode()
    assert "geojson" in by_coordinator and by_coordinator.count("<tr>") == 2  # head + 1
    assert "<table" not in coordinator.get(url, {"since": "2099-01-01"}).content.decode()
    assert coordinator.get(url, {"who": "x", "since": "nonsense"}).status_code == 200
    assert client_for(world.a.builder).get(url).status_code == 403


def test_organisation_admins_read_the_log_of_their_neighbourhoods(world, people):
    x, y = operator_sides(world)
    access.record(world.a.coordinator, AccessAction.EXPORT, world.a.neighbourhood, 5, what="in A")
    access.record(world.b.coordinator, AccessAction.EXPORT, world.b.neighbourhood, 5, what="in B")
    client = client_for(x.admin)
    export = client.get(reverse("operators:export", args=[x.slug, "csv"]))
    assert export.status_code == 200
    page = client.get(reverse("operators:access_log", args=[x.slug])).content.decode()
    assert "in A" in page and "in B" not in page and "organisation report (csv)" in page
    assert client.get(reverse("operators:access_log", args=[y.slug])).status_code == 404


@override_settings(ACCESS_LOG_DAYS=30)
def test_entries_older_than_the_retention_period_are_pruned(world):
    old = access.record(None, AccessAction.EXPORT, world.a.neighbourhood, 1, subjects=[1])
    new = access.record(None, AccessAction.EXPORT, world.a.neighbourhood, 1)
    AccessEntry.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    call_command("prune_access_log", stdout=None)
    assert list(AccessEntry.objects.values_list("pk", flat=True)) == [new.pk]
    assert not AccessSubject.objects.exists()


@pytest.mark.parametrize("fmt", ["geojson", "hsds", "hsds-json", "kumu", "kumu-json"])
def test_text_in_the_address_never_reaches_the_access_log(world, people, fmt):
    """Formats without a choice of inventory ignore ``what``: the access log keeps the fixed
    description only, never what was typed (here a name), which its readers (organisation
    admins, every resident the export included) must not see."""
    own, _other, mine = people
    url = reverse("exchange:export_download", args=[world.a.slug, fmt])
    response = client_for(world.a.coordinator).get(url, {"what": own.name})
    assert response.status_code == 200
    entry = _only_entry(action=AccessAction.EXPORT)
    assert entry.what == fmt
    history = client_for(world.a.resident).get(reverse("me:history", args=[world.a.slug]))
    if mine.pk in entry.subjects.values_list("person_id", flat=True):
        assert fmt in history.content.decode()  # the resident does see the entry
    assert own.name not in history.content.decode()

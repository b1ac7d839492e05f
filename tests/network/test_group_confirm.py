"""A group at once: "these members know each other since <date>" confirms every pair among
the chosen members in one action, leaves existing pairs alone, audited once."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from network import initiatives as ini
from network.models import Connection, Origin

from .factories import initiative, link, member, person


def _club(world, size=14):
    club = initiative(world.a.neighbourhood, "Koffieclub")
    people = [person(world.a.neighbourhood, f"Lid {i:02d}") for i in range(size)]
    for p in people:
        member(club, p, joined=datetime.date(2025, 1, 6))
    return club, people


def test_fourteen_members_make_91_relations_and_a_rerun_adds_none(world):
    club, people = _club(world)
    link(people[0], people[1], origin=Origin.KNEW)  # known already: left alone
    since = datetime.date(2025, 3, 1)
    result = ini.confirm_group(club, people, since, world.a.builder)
    assert (result.members, result.pairs, result.made, result.existing) == (14, 91, 90, 1)
    assert Connection.objects.filter(initiative=club, since=since).count() == 90
    assert Connection.objects.get(person=people[0], other_person=people[1]).origin == Origin.KNEW
    again = ini.confirm_group(club, people, since, world.a.builder)
    assert (again.pairs, again.made, again.existing) == (91, 0, 91)
    assert Connection.objects.count() == 91
    assert AuditEntry.objects.filter(action=Action.TIES).count() == 2  # once per action


def test_the_query_count_does_not_grow_with_the_group(world):
    small_club, small = _club(world, 4)
    with CaptureQueriesContext(connection) as few:
        ini.confirm_group(small_club, small, datetime.date(2025, 3, 1), world.a.builder)
    big_club, big = _club(world, 20)
    with CaptureQueriesContext(connection) as many:
        ini.confirm_group(big_club, big, datetime.date(2025, 3, 1), world.a.builder)
    assert len(many) == len(few)


def test_the_page_confirms_all_ticked_members_with_the_date(world, client_for):
    club, people = _club(world)
    client = client_for(world.a.builder)
    page = client.get(club.get_absolute_url()).content.decode()
    assert "14 members ticked: 91 relations" in page
    assert page.count('name="people"') == 14 and page.count("checked") >= 14
    url = reverse("network:confirm_group", args=[world.a.slug, club.pk])
    response = client.post(
        url, {"people": [p.pk for p in people], "since": "2025-03-01"}, follow=True
    )
    body = response.content.decode()
    assert "14 members know each other since 1 March 2025: 91 relations, 91 of them new" in body
    assert Connection.objects.filter(since=datetime.date(2025, 3, 1)).count() == 91


def test_dates_in_the_future_or_before_the_records_start_are_refused(world, client_for):
    club, people = _club(world, 3)
    url = reverse("network:confirm_group", args=[world.a.slug, club.pk])
    client = client_for(world.a.builder)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future = client.post(url, {"people": [p.pk for p in people], "since": tomorrow.isoformat()})
    assert future.status_code == 422 and b"in the future" in future.content
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2020, 1, 1)
    nb.save()
    early = client.post(url, {"people": [p.pk for p in people], "since": "2019-12-31"})
    assert early.status_code == 422 and b"start on 1 January 2020" in early.content
    one = client.post(url, {"people": [people[0].pk], "since": "2025-03-01"})
    assert one.status_code == 422 and b"at least two members" in one.content
    assert not Connection.objects.exists()

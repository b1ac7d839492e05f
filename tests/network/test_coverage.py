"""Coverage per street and the street list."""

import datetime

from django.urls import reverse

from conversations.models import Conversation, Status
from network import coverage as cov
from network.models import Street

from . import factories as f


def _talk(world, person, status=Status.FINISHED):
    return Conversation.objects.create(
        neighbourhood=person.neighbourhood, person=person, builder=world.a.builder, status=status
    )


def test_per_street_known_talked_and_alone(world):
    nb = world.a.neighbourhood
    a = f.person(nb, "A", street="Lindenlaan")
    b = f.person(nb, "B", street="lindenlaan ")  # same street, other spelling
    f.person(nb, "C", street="Sportlaan")
    ended = f.person(nb, "D", street="Sportlaan")
    f.link(a, b)
    f.link(a, ended, datetime.date(2020, 1, 1), ended=datetime.date(2021, 1, 1))
    _talk(world, a)
    _talk(world, b, Status.DRAFT)  # drafts do not count
    f.street(nb, "Lindenlaan")
    f.street(nb, "Sportlaan")
    f.street(nb, "Kastanjelaan")  # on the list, nobody known
    report = cov.coverage(nb)
    rows = {row.street.strip().lower(): row for row in report.rows}
    linden = rows["lindenlaan"]
    assert (linden.people, linden.conversations, linden.without_connection) == (2, 1, 0)
    sport = rows["sportlaan"]
    assert (sport.people, sport.conversations, sport.without_connection) == (2, 0, 2)
    assert report.has_street_list
    assert report.not_talked_to == ["Kastanjelaan", "Sportlaan"]
    assert report.totals.people == 4


def test_coverage_page_and_street_list(world, client_for):
    nb = world.a.neighbourhood
    f.person(nb, "A", street="Lindenlaan")
    url = reverse("network:coverage", args=[world.a.slug])
    builder_page = client_for(world.a.builder).get(url).content.decode()
    assert "Lindenlaan" in builder_page
    assert "There is no street list yet" in builder_page
    assert "Add streets" not in builder_page  # coordinators keep the list
    add = reverse("network:street_add", args=[world.a.slug])
    client = client_for(world.a.coordinator)
    response = client.post(add, {"names": "Lindenlaan\n\n  Keizer   Karelweg \nlindenlaan"})
    assert response.status_code == 302
    assert sorted(Street.objects.values_list("name", flat=True)) == [
        "Keizer Karelweg",
        "Lindenlaan",
    ]
    page = client.get(url).content.decode()
    assert "Streets nobody has talked to yet" in page and "Keizer Karelweg" in page
    assert client_for(world.a.builder).post(add, {"names": "X"}).status_code == 403


def test_bad_street_input(world, client_for):
    add = reverse("network:street_add", args=[world.a.slug])
    client = client_for(world.a.coordinator)
    response = client.post(add, {"names": "   \n  "})
    assert response.status_code == 422
    assert "Type at least one street." in response.content.decode()
    response = client.post(add, {"names": "Lange " + "x" * 200})
    assert response.status_code == 422
    assert "too long for a street name" in response.content.decode()
    assert not Street.objects.exists()


def test_remove_a_street(world, client_for):
    street = f.street(world.a.neighbourhood, "Lindenlaan")
    other = f.street(world.b.neighbourhood, "Elders")
    client = client_for(world.a.coordinator)
    url = reverse("network:street_delete", args=[world.a.slug, street.pk])
    assert client.post(url).status_code == 302
    assert not Street.objects.filter(pk=street.pk).exists()
    foreign = reverse("network:street_delete", args=[world.a.slug, other.pk])
    assert client.post(foreign).status_code == 404


def test_cached_street_counts_follow_new_people_and_connections(world, monkeypatch):
    """The per-street counts are kept between views until the data or the day changes."""
    from django.utils import timezone

    nb = world.a.neighbourhood
    a = f.person(nb, "A", street="Lindenlaan")
    b = f.person(nb, "B", street="Lindenlaan")

    def linden():
        row = next(r for r in cov.coverage(nb).rows if r.street == "Lindenlaan")
        return row.people, row.without_connection

    assert linden() == (2, 2)
    assert linden() == (2, 2)  # from the cache
    f.link(a, b, datetime.date(2026, 1, 1), ended=datetime.date(2026, 6, 1))
    assert linden() == (2, 2)  # the tie has ended: both are still alone today
    c = f.person(nb, "C", street="Lindenlaan")
    assert linden() == (3, 3)
    f.link(a, c, datetime.date(2026, 11, 1))
    assert linden() == (3, 1)
    # the same data on a day before either tie: counted again for that day
    monkeypatch.setattr(cov.timezone, "localdate", lambda: datetime.date(2025, 6, 1))
    assert timezone.localdate() == datetime.date(2025, 6, 1)
    assert linden() == (3, 3)

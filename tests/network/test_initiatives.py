"""Initiatives: pages, members over time, confirmed relations and their growth."""

import datetime

from django.urls import reverse
from django.utils import timezone

from network import initiatives as ini
from network.models import Connection, Initiative, InitiativeMember, Origin
from places.models import Place
from residents.models import Audience

from . import factories as f


def test_builder_creates_edits_and_deletes_an_initiative(world, client_for):
    nb = world.a.neighbourhood
    place = Place.objects.create(neighbourhood=nb, name="Buurthuis", kind="community_centre")
    client = client_for(world.a.builder)
    response = client.post(
        reverse("network:initiative_new", args=[world.a.slug]),
        {
            "name": "Koffieclub",
            "description": "Woensdag koffie",
            "status": "active",
            "meeting_place": place.pk,
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert (initiative.neighbourhood, initiative.meeting_place, initiative.created_by) == (
        nb,
        place,
        world.a.builder,
    )
    ans = f.person(nb, "Ans")
    baking = f.gift(ans, "Taarten bakken", kind="hands")
    f.member(initiative, ans)
    edit = reverse("network:initiative_edit", args=[world.a.slug, initiative.pk])
    assert "Taarten bakken" in client.get(edit).content.decode()
    response = client.post(edit, {"name": "Koffieclub", "status": "paused", "gifts": [baking.pk]})
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "paused"
    assert list(initiative.gifts.all()) == [baking]
    delete = reverse("network:initiative_delete", args=[world.a.slug, initiative.pk])
    assert client.post(delete).status_code == 302
    assert not Initiative.objects.exists()


def test_bad_initiative_input(world, client_for):
    nb_b_place = Place.objects.create(
        neighbourhood=world.b.neighbourhood, name="Elders", kind="park"
    )
    response = client_for(world.a.builder).post(
        reverse("network:initiative_new", args=[world.a.slug]),
        {
            "name": "",
            "description": "behouden tekst",
            "status": "sometimes",
            "meeting_place": nb_b_place.pk,
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "behouden tekst" in text
    assert "This field is required." in text
    assert "Select a valid choice." in text
    assert not Initiative.objects.exists()


def test_add_a_member_and_refuse_bad_ones(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb, "Koffieclub")
    ans = f.person(nb, "Ans")
    elsewhere = f.person(world.b.neighbourhood, "Elders")
    url = reverse("network:member_add", args=[world.a.slug, initiative.pk])
    client = client_for(world.a.builder)
    response = client.post(url, {"person": ans.pk, "joined": "2025-03-01", "initiator": "on"})
    assert response.status_code == 302
    member = InitiativeMember.objects.get()
    assert member.initiator and member.joined == datetime.date(2025, 3, 1)
    assert list(initiative.initiators) == [ans]
    # Joining connects nobody.
    assert not Connection.objects.exists()
    for data, message in [
        ({"person": ans.pk, "joined": "2025-03-01"}, "is a member already"),
        (
            {"person": elsewhere.pk, "joined": "2025-03-01"},
            "Choose a person of this neighbourhood.",
        ),
        ({"person": "", "joined": ""}, "Choose a person."),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422
        assert message in response.content.decode()


def test_member_cannot_leave_before_joining(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    member = f.member(initiative, f.person(nb, "Ans"), datetime.date(2025, 3, 1))
    url = reverse("network:member_edit", args=[world.a.slug, initiative.pk, member.pk])
    response = client_for(world.a.builder).post(url, {"joined": "2025-03-01", "left": "2025-02-01"})
    assert response.status_code == 422
    assert "Someone cannot leave before they joined." in response.content.decode()
    response = client_for(world.a.builder).post(url, {"joined": "2025-03-01", "left": "2025-09-01"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left == datetime.date(2025, 9, 1)


def test_potential_and_confirmed_relations(world):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    people = [f.person(nb, f"Lid {i}") for i in range(14)]
    for person in people:
        f.member(initiative, person, datetime.date(2025, 1, 1))
    outsider = f.person(nb, "Buiten")
    f.link(people[0], people[1], datetime.date(2024, 1, 1))  # knew each other already
    f.link(people[0], outsider)  # not a member: does not count
    relations = ini.relations(initiative)
    assert (relations.members, relations.potential, relations.confirmed) == (14, 91, 1)


def test_confirm_who_knows_whom(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    ans, bert, cor, dini = (f.person(nb, n) for n in ("Ans", "Bert", "Cor", "Dini"))
    for person in (ans, bert, cor, dini):
        f.member(initiative, person, datetime.date(2025, 1, 1))
    f.link(ans, dini, datetime.date(2020, 1, 1))
    url = reverse("network:confirm", args=[world.a.slug, initiative.pk])
    client = client_for(world.a.builder)
    page = client.get(url, {"person": ans.pk}).content.decode()
    assert f'name="others" value="{bert.pk}"' in page
    assert f'name="others" value="{dini.pk}"' not in page  # Dini: known already
    response = client.post(
        url, {"person": ans.pk, "others": [bert.pk, cor.pk], "since": "2025-04-01"}
    )
    assert response.status_code == 302
    made = Connection.objects.filter(origin=Origin.INITIATIVE)
    assert made.count() == 2
    assert all(c.initiative == initiative and c.since == datetime.date(2025, 4, 1) for c in made)
    assert ini.relations(initiative).confirmed == 3
    # Again: nothing is duplicated.
    client.post(url, {"person": bert.pk, "others": [ans.pk], "since": "2025-04-01"})
    assert Connection.objects.count() == 3


def test_confirm_refuses_bad_input(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    outsider = f.person(nb, "Buiten")
    for person in (ans, bert):
        f.member(initiative, person, datetime.date(2025, 1, 1))
    url = reverse("network:confirm", args=[world.a.slug, initiative.pk])
    client = client_for(world.a.builder)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    cases = [
        (
            {"person": ans.pk, "others": [ans.pk], "since": "2025-04-01"},
            "cannot be connected to themselves",
        ),
        (
            {"person": ans.pk, "others": [outsider.pk], "since": "2025-04-01"},
            "Select a valid choice",
        ),
        ({"person": ans.pk, "others": [bert.pk], "since": future}, "in the future"),
        ({"person": ans.pk, "since": "2025-04-01"}, "Tick at least one member"),
        ({}, "This field is required"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert message in response.content.decode(), data
    assert not Connection.objects.exists()


def test_growth_by_month(world, monkeypatch):
    nb = world.a.neighbourhood
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2025, 4, 15))
    initiative = f.initiative(nb)
    a, b, c = (f.person(nb, n) for n in ("A", "B", "C"))
    f.member(initiative, a, datetime.date(2025, 1, 10))
    f.member(initiative, b, datetime.date(2025, 1, 20))
    f.member(initiative, c, datetime.date(2025, 3, 5), left=datetime.date(2025, 4, 1))
    f.link(a, b, datetime.date(2025, 2, 14), origin=Origin.INITIATIVE, initiative=initiative)
    f.link(a, c, datetime.date(2025, 3, 20), origin=Origin.INITIATIVE, initiative=initiative)
    points = ini.growth(initiative)
    assert [(p.month.month, p.members, p.potential, p.confirmed) for p in points] == [
        (1, 2, 1, 0),
        (2, 2, 1, 1),
        (3, 3, 3, 2),
        (4, 2, 1, 1),  # C left on 1 April
    ]


def test_initiative_page_shows_91_potential_relations(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb, "Koffieclub Populierenbuurt")
    for i in range(14):
        f.member(initiative, f.person(nb, f"Lid {i}"), datetime.date(2025, 1, 1))
    url = reverse("network:initiative", args=[world.a.slug, initiative.pk])
    text = client_for(world.a.resident).get(url).content.decode()
    assert "14 members: 91 potential relations." in text
    assert "<svg" in text


def test_residents_see_hidden_members_counted_not_named(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb)
    f.member(initiative, f.person(nb, "Open Olga", shown=Audience.RESIDENTS))
    f.member(initiative, f.person(nb, "Stille Sien", shown=Audience.BUILDERS))
    url = reverse("network:initiative", args=[world.a.slug, initiative.pk])
    resident = client_for(world.a.resident).get(url).content.decode()
    assert "Open Olga" in resident and "Stille Sien" not in resident
    assert "And 1 member who does not show this membership to residents." in resident
    builder = client_for(world.a.builder).get(url).content.decode()
    assert "Stille Sien" in builder


def test_other_neighbourhoods_initiative_is_404(world, client_for):
    initiative = f.initiative(world.b.neighbourhood)
    url = reverse("network:initiative", args=[world.a.slug, initiative.pk])
    assert client_for(world.a.builder).get(url).status_code == 404


def test_kept_list_counts_members_of_today(world, client_for, monkeypatch):
    """The list's rows are kept per day: who is a member depends on the day."""
    nb = world.a.neighbourhood
    today = timezone.localdate()
    club = f.initiative(nb, "Koffieclub")
    f.member(club, f.person(nb, "Ans"), left=today + datetime.timedelta(days=1))
    client = client_for(world.a.resident)
    list_url = reverse("network:initiatives", args=[world.a.slug])
    assert "1 member " in client.get(list_url).content.decode()
    f.member(club, f.person(nb, "Bob"))
    assert "2 members" in client.get(list_url).content.decode()  # a change shows at once
    later = today + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert "1 member " in client.get(list_url).content.decode()  # Ans left yesterday

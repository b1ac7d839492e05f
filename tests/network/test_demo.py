"""The demo seeder: a coffee club of 14 whose relations grow; idempotent."""

import datetime

from django.utils import timezone

from network import demo
from network import initiatives as ini
from network.models import Connection, Initiative, Origin

from . import factories as f


def test_seeder_builds_a_growing_coffee_club_and_runs_twice_unchanged(world):
    nb = world.a.neighbourhood
    for i in range(60):
        f.person(nb, f"Buur {i}", street=["Lindenlaan", "Sportlaan", "Startbaan"][i % 3])
    today = timezone.localdate()
    demo.seed_neighbourhood(nb, demo.PLANS[0], today)
    counts = (Initiative.objects.count(), Connection.objects.count())
    demo.seed_neighbourhood(nb, demo.PLANS[0], today)
    assert (Initiative.objects.count(), Connection.objects.count()) == counts

    club = Initiative.objects.get(name=demo.COFFEE_CLUB)
    relations = ini.relations(club)
    assert (relations.members, relations.potential) == (14, 91)
    points = ini.growth(club)
    assert len(points) >= 11
    assert points[0].confirmed <= 3  # few at first
    assert points[-1].confirmed >= 30  # many later
    assert [p.confirmed for p in points] == sorted(p.confirmed for p in points)
    assert club.connections.filter(origin=Origin.INITIATIVE).exists()
    assert set(Initiative.objects.values_list("name", flat=True)) >= {
        "Koffieclub Populierenbuurt",
        "Repair Café Keizer Karelpark",
        "Buurtmoestuin Lindenlaan",
        "Wandelgroep Park De Poel",
    }
    # Connections spread over the past year, and some people still alone.
    recent = Connection.objects.filter(since__gte=today - datetime.timedelta(days=366))
    assert recent.filter(since__lte=today - datetime.timedelta(days=180)).exists()
    assert recent.filter(since__gte=today - datetime.timedelta(days=60)).exists()
    assert any(not Connection.objects.involving(p).exists() for p in nb.person_set.all())

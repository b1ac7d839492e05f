"""The demo: a coffee club handed over to residents, a professional project that died."""

import datetime

from django.utils import timezone

from network import demo as network_demo
from network.models import Initiative
from organisations.models import Organisation
from ownership import demo, services
from ownership.models import Activity, CarrierPeriod, InitiativeStart, Reflection, StartedBy
from ownership.rules import Verdict
from tests.conversations.factories import make_finished
from tests.network import factories as nf


def test_demo_tells_both_stories_and_runs_twice_unchanged(world):
    nb = world.a.neighbourhood
    today = timezone.localdate()
    for i in range(60):
        nf.person(nb, f"Buur {i}", street=["Lindenlaan", "Sportlaan"][i % 2])
    Organisation.objects.create(
        neighbourhood=nb, name="Participe Amstelland", kind="institution", external_id=demo.WELFARE
    )
    network_demo.seed_neighbourhood(nb, network_demo.PLANS[0], today)
    for days in (200, 100, 40, 10):
        make_finished(nb, world.a.builder, held_on=today - datetime.timedelta(days=days))

    demo.seed_neighbourhood(nb, 0, today)
    counts = [
        m.objects.count()
        for m in (Initiative, InitiativeStart, CarrierPeriod, Activity, Reflection)
    ]
    demo.seed_neighbourhood(nb, 0, today)
    assert [
        m.objects.count()
        for m in (Initiative, InitiativeStart, CarrierPeriod, Activity, Reflection)
    ] == counts

    found = {
        o.initiative.name: o for o in services.overview(Initiative.objects.in_neighbourhood(nb))
    }
    club = found[demo.COFFEE_CLUB]
    assert club.start.started_by == StartedBy.BUILDER
    assert club.judgement.verdict == Verdict.LASTED
    assert club.history.startswith(
        "Started by a community builder who brought 4 residents together; carried by 4 "
        "residents together with Participe Amstelland from"
    )
    assert "carried by 4 residents alone since" in club.history
    first, second = club.periods
    assert 85 <= (second.since - first.since).days <= 95  # about three months
    meetings = list(
        Activity.objects.filter(initiative=club.initiative).values_list("held_on", flat=True)
    )
    assert len(meetings) >= 35 and all(day.weekday() == 2 for day in meetings)  # Wednesdays

    taal = found[demo.TAALCAFE]
    assert taal.start.started_by == StartedBy.PROFESSIONAL
    assert taal.judgement.verdict == Verdict.CAROUSEL
    assert taal.judgement.flagged
    assert found["Repair Café Keizer Karelpark"].judgement.verdict == Verdict.RESIDENTS

    kinds = set(Reflection.objects.in_neighbourhood(nb).values_list("kind", flat=True))
    assert kinds == {"strengthening", "harmful", "neutral"}
    for reflection in Reflection.objects.filter(conversation__isnull=False):
        assert reflection.conversation.held_on <= reflection.written_on


def test_demo_skips_what_is_not_there(world):
    """No people, no coffee club, no welfare organisation: nothing to do, no error."""
    demo.seed_neighbourhood(world.b.neighbourhood, 1, timezone.localdate())
    assert not InitiativeStart.objects.exists()
    assert not Reflection.objects.exists()

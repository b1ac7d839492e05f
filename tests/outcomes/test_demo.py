"""The demo tells the coffee club's story in outcomes, and publishes one neighbourhood."""

from django.core.management import call_command
from django.urls import reverse

from neighbourhoods.models import Neighbourhood
from outcomes.chain import chain_text
from outcomes.models import Contribution, Outcome, PublicationSettings, Status, UnitValue
from outcomes.names import ReportAudience, reader_for


def test_demo_outcomes_are_seeded_once_with_chains(db, client_for):
    call_command("seed_demo", password="pw-demo-1234", people=60)
    first, second = Neighbourhood.objects.order_by("pk")[:2]
    outcomes = Outcome.objects.in_neighbourhood(first)
    assert outcomes.count() == 8
    assert outcomes.filter(status=Status.DRAFT).count() == 1
    assert set(outcomes.values_list("domain_rows__domain", flat=True)) >= {
        "care",
        "energy",
        "climate",
        "housing",
        "cohesion",
        "work",
        "safety",
        "youth",
    }
    care = outcomes.get(unit="vermeden zorgbezoeken")
    assert (care.quantity, care.value) == (28, 1260)
    internal = chain_text(care, reader_for(first, ReportAudience.INTERNAL))
    assert "Koffieclub Populierenbuurt" in internal and "Taarten bakken" in internal
    assert "kitchen-table conversation with" in internal
    assert care.for_whom_people.count() == 1
    assert outcomes.get(unit="jaar later naar het verpleeghuis").value == 38000
    assert outcomes.get(unit="geïsoleerde woningen").quantity == 9
    assert UnitValue.objects.in_neighbourhood(first).count() == 4
    assert PublicationSettings.objects.get(neighbourhood=first).published
    assert not PublicationSettings.objects.get(neighbourhood=second).published
    assert client_for(None).get(reverse("publication:page", args=[first.slug])).status_code == 200
    assert client_for(None).get(reverse("publication:page", args=[second.slug])).status_code == 404

    counts = (Outcome.objects.count(), Contribution.objects.count(), UnitValue.objects.count())
    call_command("seed_demo", password="pw-demo-1234", people=60)
    assert (
        Outcome.objects.count(),
        Contribution.objects.count(),
        UnitValue.objects.count(),
    ) == counts

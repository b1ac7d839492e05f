"""The demo tells the coffee club's story in outcomes, and publishes one neighbourhood."""

from decimal import Decimal

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
    care = outcomes.get(unit="vermeden huisbezoeken wijkverpleging")
    # 28 visits × € 30.64 travel per visit (2022); deadweight 25–50 %, attribution 50–75 %
    assert care.reference_price.key == "homecare_travel"
    assert (care.quantity, care.value_low, care.value_high) == (
        28,
        Decimal("214.48"),  # 857.92 × 0.5 × 0.5
        Decimal("482.58"),  # 857.92 × 0.75 × 0.75
    )
    internal = chain_text(care, reader_for(first, ReportAudience.INTERNAL))
    assert "Koffieclub Populierenbuurt" in internal and "Taarten bakken" in internal
    assert "kitchen-table conversation with" in internal
    assert care.for_whom_people.count() == 1
    home = outcomes.get(reference_price__key="nursingcare_day")
    # 1 × € 290 a day × 12 months (365 days) = 105,850; × 0.5 × 0.25 and × 0.75 × 0.5
    assert (home.duration, home.value_year) == (12, 2022)
    assert (home.value_low, home.value_high) == (Decimal("13231.25"), Decimal("39693.75"))
    homes = outcomes.get(unit="geïsoleerde woningen")
    # 9 × € 350 a year × (1 + 0.8 + 0.64) years = 7,686; × 0.75 × 0.5 and × 0.9 × 0.75
    assert (homes.value_low, homes.value_high) == (Decimal("2882.25"), Decimal("5188.05"))
    assert outcomes.get(title__startswith="Wadi").value_high is None  # a story, not euros
    assert UnitValue.objects.in_neighbourhood(first).count() == 2
    assert not UnitValue.objects.filter(source="").exists()
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

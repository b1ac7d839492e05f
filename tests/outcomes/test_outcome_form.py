"""Harvesting an outcome: values from prices and assumptions, clear messages for bad input."""

from decimal import Decimal

from django.urls import reverse

from outcomes.models import Outcome, ReferencePrice, Status

from .factories import make_outcome, make_unit


def _post(client, side, **data):
    form = {
        "title": "Mr Jansen eats with others three times a week",
        "happened_on": "2025-03-14",
        "domains": ["care", "cohesion"],
        **data,
    }
    return client.post(reverse("outcomes:new", args=[side.slug]), form)


def test_builder_harvests_a_draft_with_domains(world, client_for):
    response = _post(client_for(world.a.builder), world.a, story="He joins the coffee club.")
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == outcome.get_absolute_url()
    assert outcome.status == Status.DRAFT
    assert outcome.harvested_by == world.a.builder
    assert outcome.domains == ["care", "cohesion"]
    assert outcome.neighbourhood == world.a.neighbourhood


def test_own_unit_price_gives_a_range_with_the_suggested_assumptions(world, client_for):
    unit = make_unit(world.a.neighbourhood, "care visit saved", "45.00")
    _post(
        client_for(world.a.builder),
        world.a,
        quantity="28",
        unit_value=str(unit.pk),
        unit="",
    )
    outcome = Outcome.objects.get()
    # 28 × 45 = 1260; low × (1 − 50 %) × 25 %, high × (1 − 25 %) × 50 %
    assert outcome.value_low == Decimal("157.5")
    assert outcome.value_high == Decimal("472.5")
    assert outcome.value_year == 2025
    assert outcome.unit == "care visit saved"
    assert (outcome.deadweight_low, outcome.deadweight_high) == (25, 50)


def test_reference_price_per_day_needs_a_duration_and_counts_months(
    world, client_for, reference_prices
):
    nursing_home = ReferencePrice.objects.get(key="nursingcare_day")
    client = client_for(world.a.builder)
    data = {"quantity": "1", "reference_price": str(nursing_home.pk), "unit": "postponed move"}
    response = _post(client, world.a, **data)
    assert response.status_code == 422
    assert "This price is per day: say how long the effect lasts" in response.content.decode()
    response = _post(
        client,
        world.a,
        **data,
        duration="9",
        duration_unit="months",
        deadweight_low="0",
        deadweight_high="0",
        attribution_low="100",
        attribution_high="100",
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    # 9 months = 0.75 × 365 = 273.75 days × € 290
    assert outcome.value_low == outcome.value_high == Decimal("79387.5")
    assert outcome.value_year == 2022


def test_two_prices_at_once_and_reversed_ranges_are_refused(world, client_for, reference_prices):
    unit = make_unit(world.a.neighbourhood, "care visit saved", "45.00")
    gp = ReferencePrice.objects.get(key="gp_consult_avg")
    response = _post(
        client_for(world.a.builder),
        world.a,
        quantity="3",
        unit_value=str(unit.pk),
        reference_price=str(gp.pk),
        deadweight_low="60",
        deadweight_high="20",
        attribution_low="101",
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Choose one price" in body
    assert "The deadweight range runs from the lower to the higher share" in body
    assert "Give a whole percentage, 0 to 100." in body
    assert not Outcome.objects.exists()


def test_standard_unit_of_another_neighbourhood_is_refused(world, client_for):
    unit = make_unit(world.b.neighbourhood, "care visit saved", "45.00")
    response = _post(client_for(world.a.builder), world.a, quantity="28", unit_value=str(unit.pk))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Outcome.objects.exists()


def test_negative_quantity_is_refused_with_the_input_kept(world, client_for):
    response = _post(client_for(world.a.builder), world.a, quantity="-3", unit="homes insulated")
    body = response.content.decode()
    assert response.status_code == 422
    assert "A quantity cannot be negative." in body
    assert "Mr Jansen eats with others three times a week" in body  # nothing typed is lost
    assert not Outcome.objects.exists()


def test_a_quantity_without_a_price_stays_unvalued(world, client_for):
    response = _post(client_for(world.a.builder), world.a, quantity="9")
    assert "Say what the quantity counts" in response.content.decode()
    response = _post(client_for(world.a.builder), world.a, quantity="45", unit="m³ water stored")
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.value_low, outcome.value_high, outcome.value_year) == (None, None, None)


def test_no_domain_future_date_and_bad_link(world, client_for):
    response = _post(
        client_for(world.a.builder),
        world.a,
        domains=[],
        happened_on="2999-01-01",
        evidence_links="https://example.org/ok\njavascript:alert(1)",
    )
    body = response.content.decode()
    assert "Choose at least one policy domain." in body
    assert "choose a date up to today" in body
    assert "Line 2 is not a web address" in body


def test_publishing_needs_a_summary(world, client_for):
    response = _post(client_for(world.a.builder), world.a, publish="on")
    assert response.status_code == 422
    assert "Write a summary without names" in response.content.decode()


def test_edit_keeps_domains_and_recomputes_the_value(world, client_for):
    unit = make_unit(world.a.neighbourhood, "care visit saved", "45.00")
    client = client_for(world.a.builder)
    _post(client, world.a, quantity="28", unit_value=str(unit.pk))
    outcome = Outcome.objects.get()
    page = client.get(reverse("outcomes:edit", args=[world.a.slug, outcome.pk])).content.decode()
    assert 'value="cohesion" id="id_domains_7" checked' in page or (
        'value="cohesion"' in page and "checked" in page
    )
    client.post(
        reverse("outcomes:edit", args=[world.a.slug, outcome.pk]),
        {
            "title": outcome.title,
            "happened_on": "2025-03-14",
            "domains": ["care"],
            "quantity": "30",
            "unit_value": str(unit.pk),
        },
    )
    outcome.refresh_from_db()
    assert outcome.value_high == Decimal("506.25")  # 30 × 45 × 75 % × 50 %
    assert outcome.domains == ["care"]


def test_a_value_given_by_hand_before_prices_had_sources_is_kept_on_edit(world, client_for):
    outcome = make_outcome(world.a.neighbourhood, "Old", value="500", value_note="a guess")
    client = client_for(world.a.builder)
    url = reverse("outcomes:edit", args=[world.a.slug, outcome.pk])
    response = client.post(
        url, {"title": "Old, renamed", "happened_on": "2025-03-14", "domains": ["care"]}
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.title, outcome.value_low, outcome.value_high) == (
        "Old, renamed",
        Decimal("500"),
        Decimal("500"),
    )

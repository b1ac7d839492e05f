"""Harvesting an outcome: values from standard units, and clear messages for bad input."""

from decimal import Decimal

from django.urls import reverse

from outcomes.models import Outcome, Status

from .factories import make_unit


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


def test_standard_unit_gives_quantity_times_unit_value(world, client_for):
    unit = make_unit(world.a.neighbourhood, "care visit saved", "45.00")
    _post(
        client_for(world.a.builder),
        world.a,
        quantity="28",
        unit_value=str(unit.pk),
        value="1",
        unit="typed over",
    )
    outcome = Outcome.objects.get()
    assert outcome.value == Decimal("1260.00")
    assert outcome.unit == "care visit saved"
    assert outcome.unit_value == unit
    assert "28 × € 45.00" in outcome.value_note


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


def test_value_without_unit_is_refused(world, client_for):
    response = _post(client_for(world.a.builder), world.a, value="500", value_note="a guess")
    assert response.status_code == 422
    assert "A value needs a unit" in response.content.decode()


def test_negative_value_and_quantity_without_unit(world, client_for):
    response = _post(client_for(world.a.builder), world.a, value="-5")
    assert "An estimated value cannot be negative." in response.content.decode()
    response = _post(client_for(world.a.builder), world.a, quantity="9")
    assert "Say what the quantity counts" in response.content.decode()


def test_typed_value_needs_a_note(world, client_for):
    response = _post(
        client_for(world.a.builder), world.a, quantity="9", unit="homes insulated", value="2700"
    )
    assert response.status_code == 422
    assert "Say how the value was estimated." in response.content.decode()
    response = _post(
        client_for(world.a.builder),
        world.a,
        quantity="9",
        unit="homes insulated",
        value="2700",
        value_note="9 × € 300 energy bill saved per year",
    )
    assert response.status_code == 302
    assert Outcome.objects.get().value == Decimal("2700.00")


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
    assert outcome.value == Decimal("1350.00")
    assert outcome.domains == ["care"]


def test_round_quantities_read_plainly_in_the_value_note(world, client_for):
    unit = make_unit(world.a.neighbourhood, "repairs", "25.00")
    _post(client_for(world.a.builder), world.a, quantity="100", unit_value=str(unit.pk))
    outcome = Outcome.objects.get()
    assert outcome.value == Decimal("2500.00")
    assert outcome.value_note.startswith("100 × € 25.00")

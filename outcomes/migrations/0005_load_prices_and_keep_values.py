"""Credible euros, step 2 of 3 (data): load the shipped reference prices and price index;
give every own unit a source and a price year; keep every outcome's value.

- An own unit without a source says so ("source not recorded …"); its price year is the year
  it was last changed.
- An outcome valued from an own unit keeps that value; its price year is the unit's.
- An outcome whose value was typed by hand gets an own unit made from it (value ÷ quantity,
  the value note as source, the outcome's year as price year), so every euro has a source;
  one without a quantity keeps its value and the outcome's year.
"""

from decimal import Decimal

from django.db import migrations

NO_SOURCE = "Source not recorded (entered before sources were required)"
TYPED = "Typed by hand on an outcome before sources were required"


def forwards(apps, schema_editor):
    from outcomes.prices import load_cpi, load_reference_prices
    from residents.models import normalise

    load_reference_prices(apps.get_model("outcomes", "ReferencePrice"))
    load_cpi(apps.get_model("outcomes", "PriceIndex"))
    UnitValue = apps.get_model("outcomes", "UnitValue")
    Outcome = apps.get_model("outcomes", "Outcome")
    for unit in UnitValue.objects.all():
        unit.source = unit.source.strip() or NO_SOURCE
        unit.price_year = unit.updated_at.year
        unit.save(update_fields=["source", "price_year"])
    for outcome in Outcome.objects.filter(value_high__isnull=False).select_related("unit_value"):
        outcome.value_low = outcome.value_high
        if outcome.unit_value_id:
            outcome.value_year = outcome.unit_value.price_year
        elif outcome.quantity:
            outcome.value_year = outcome.happened_on.year
            name = " ".join((outcome.unit or "unit").split())[:60]
            taken = set(
                UnitValue.objects.filter(neighbourhood_id=outcome.neighbourhood_id).values_list(
                    "normalised", flat=True
                )
            )
            if normalise(name) in taken:
                name = f"{name} (#{outcome.pk})"
            outcome.unit_value = UnitValue.objects.create(
                neighbourhood_id=outcome.neighbourhood_id,
                unit=name,
                normalised=normalise(name),
                value=(outcome.value_high / outcome.quantity).quantize(Decimal("0.01")),
                source=(outcome.value_note.strip() or TYPED)[:300],
                price_year=outcome.value_year,
            )
            outcome.unit = name
        else:
            outcome.value_year = outcome.happened_on.year
        outcome.save(update_fields=["value_low", "value_year", "unit_value", "unit"])


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0004_reference_prices_and_value_ranges")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

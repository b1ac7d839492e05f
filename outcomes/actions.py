"""Writes of outcomes and own unit prices: one function each, called by the views."""

from __future__ import annotations

from django.db import transaction

from .forms import OutcomeForm, UnitValueForm
from .models import Outcome, UnitValue


@transaction.atomic
def save_outcome(form: OutcomeForm, *, by) -> Outcome:
    """Save a valid outcome form: its fields, its domains and its value range worked out
    from the quantity, the price and the assumptions (`Outcome.revalue`)."""
    outcome: Outcome = form.save(commit=False)
    outcome.neighbourhood = form.neighbourhood
    outcome.unit = form.cleaned_data.get("unit", "")
    outcome.duration = form.cleaned_data.get("duration")
    if outcome.pk is None:
        outcome.harvested_by = by
    given_by_hand = (  # a value from before prices had sources: kept until a price is chosen
        outcome.pk is not None
        and outcome.value_high is not None
        and not form.initial.get("reference_price")
        and not form.initial.get("unit_value")
    )
    if not (given_by_hand and outcome.price is None):
        outcome.revalue()
    outcome.save()
    outcome.set_domains(form.cleaned_data["domains"])
    return outcome


@transaction.atomic
def save_unit(form: UnitValueForm, *, by) -> UnitValue:
    """Save a valid own unit price. Outcomes keep the value they were saved with until edited."""
    unit: UnitValue = form.save(commit=False)
    unit.neighbourhood = form.neighbourhood
    unit.updated_by = by
    unit.save()
    return unit

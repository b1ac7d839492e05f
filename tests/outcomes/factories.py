"""Plain factories for outcomes, unit values, contribution steps and evidence."""

from __future__ import annotations

import datetime
import io
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image

from outcomes.models import (
    Contribution,
    Evidence,
    EvidenceKind,
    Outcome,
    PublicationSettings,
    Status,
    StepKind,
    UnitValue,
)

_seq = itertools.count(1)

# The smallest file that starts like a PDF and says something we can look for.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 111, 92)).save(out, "PNG")
    return out.getvalue()


def make_unit(neighbourhood, unit: str = "care visit saved", value="45.00", **extra) -> UnitValue:
    extra.setdefault("price_year", 2025)
    extra.setdefault("source", "Test source, 2025")
    return UnitValue.objects.create(
        neighbourhood=neighbourhood, unit=unit, value=Decimal(str(value)), **extra
    )


def make_outcome(
    neighbourhood,
    title: str | None = None,
    *,
    domains=("care",),
    happened_on: datetime.date | None = None,
    status: str = Status.SUBSTANTIATED,
    quantity=None,
    unit: str = "",
    value=None,
    **extra,
) -> Outcome:
    """``value`` (optional) is a value given as is: both ends of the range, at 2025 prices
    (the latest year of the price index, so reports show it unchanged)."""
    if value is not None:
        extra.setdefault("value_low", Decimal(str(value)))
        extra.setdefault("value_high", Decimal(str(value)))
        extra.setdefault("value_year", 2025)
    outcome = Outcome.objects.create(
        neighbourhood=neighbourhood,
        title=title or f"Outcome {next(_seq)}",
        happened_on=happened_on or datetime.date(2025, 3, 14),
        status=status,
        quantity=None if quantity is None else Decimal(str(quantity)),
        unit=unit,
        **extra,
    )
    outcome.set_domains(domains)
    return outcome


def add_step(outcome: Outcome, kind: str = StepKind.NOTE, obj=None, note: str = "") -> Contribution:
    position = outcome.contributions.count()
    step = Contribution(outcome=outcome, kind=kind, note=note, position=position)
    if obj is not None:
        setattr(step, kind, obj)
    step.save()
    return step


def make_evidence(outcome: Outcome, kind: str = EvidenceKind.PDF, **extra) -> Evidence:
    content = PDF_BYTES if kind == EvidenceKind.PDF else png_bytes()
    evidence = Evidence(
        outcome=outcome,
        kind=kind,
        content_type="application/pdf" if kind == EvidenceKind.PDF else "image/png",
        original_name="proof.pdf" if kind == EvidenceKind.PDF else "proof.png",
        size=len(content),
        **extra,
    )
    evidence.file.save("x.pdf" if kind == EvidenceKind.PDF else "x.png", ContentFile(content))
    return evidence


def publish(neighbourhood, published: bool = True, **extra) -> PublicationSettings:
    row, _created = PublicationSettings.objects.update_or_create(
        neighbourhood=neighbourhood, defaults={"published": published, **extra}
    )
    return row


def make_initiative(neighbourhood, name: str = "Coffee club", **extra):
    from network.models import Initiative, InitiativeStatus

    extra.setdefault("status", InitiativeStatus.ACTIVE)
    return Initiative.objects.create(neighbourhood=neighbourhood, name=name, **extra)

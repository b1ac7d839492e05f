"""Euros as shown: whole euros, grouped, a range as "€ 1,234 – € 5,678" (rounded only here)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def whole(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def rounded(value: Decimal, places: int) -> str:
    """A number rounded half up to ``places`` and localised (Django's number_format alone
    cuts digits off rather than rounding)."""
    shown = Decimal(value).quantize(Decimal(10) ** -places, rounding=ROUND_HALF_UP)
    return number_format(shown, places, force_grouping=True)


def euro(value: Decimal | None, places: int = 0) -> str:
    if value is None:
        return ""
    return f"€ {rounded(value, places)}"


def euro_range(low: Decimal | None, high: Decimal | None) -> str:
    """ "€ 13,231 – € 39,694"; one amount when both ends round to the same euro."""
    if high is None:
        return ""
    low = high if low is None else low
    if whole(low) == whole(high):
        return euro(high)
    return f"{euro(low)} – {euro(high)}"

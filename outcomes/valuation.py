"""The method: what an outcome is worth, as a range, in one year's euros.

    value = quantity × unit price × duration × (1 − deadweight) × attribution

- *duration* counts only for a price per day, month or year (a nursing-home day, energy
  saved per year); a price per unit (a GP consultation, a repair) is counted once per unit.
  A month is 365 ÷ 12 days.
- *drop-off*: an effect that lasts more than a year is assumed to fade; year 2 counts for
  (1 − drop-off), year 3 for (1 − drop-off)², and so on.
- the *low* value takes the high deadweight and the low attribution; the *high* value the
  low deadweight and the high attribution. Nothing else varies.
- *indexation*: a value of price year Y is shown in year Z's euros as value × CPI(Z) ÷ CPI(Y)
  (CBS consumer price index). A year outside the index uses the nearest year that is in it.

Everything is Decimal and nothing is rounded here: rounding happens only where a value is
shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import overload

DAYS_PER_YEAR = Decimal(365)
MONTHS_PER_YEAR = Decimal(12)
HUNDRED = Decimal(100)
ONE = Decimal(1)


class PricePeriod:
    """What one price pays for (mirrors `models.Period`; kept free of Django here)."""

    UNIT = "unit"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def as_years(duration: Decimal, duration_unit: str) -> Decimal:
    """A duration in months or years, as years."""
    return duration / MONTHS_PER_YEAR if duration_unit == "months" else duration


def weighted_years(years: Decimal, drop_off_percent: Decimal | int = 0) -> Decimal:
    """Years of effect after drop-off: year k (from 0) counts (1 − drop-off)^k; a part of a
    year counts for its part. 2.5 years at 20 %: 1 + 0.8 + 0.5 × 0.64 = 2.12."""
    keep = ONE - Decimal(drop_off_percent) / HUNDRED
    whole = int(years)
    total = sum((keep**k for k in range(whole)), Decimal(0))
    return total + (years - whole) * keep**whole


def periods(
    period: str,
    duration: Decimal | None,
    duration_unit: str = "months",
    drop_off_percent: Decimal | int = 0,
) -> Decimal:
    """How many times the unit price counts for one unit of quantity."""
    if period == PricePeriod.UNIT:
        return ONE
    if duration is None:
        return Decimal(0)
    years = weighted_years(as_years(duration, duration_unit), drop_off_percent)
    if period == PricePeriod.DAY:
        return years * DAYS_PER_YEAR
    if period == PricePeriod.MONTH:
        return years * MONTHS_PER_YEAR
    return years


@dataclass(frozen=True)
class Assumptions:
    quantity: Decimal
    price: Decimal
    period: str = PricePeriod.UNIT
    duration: Decimal | None = None
    duration_unit: str = "months"
    deadweight_low: int = 0
    deadweight_high: int = 0
    attribution_low: int = 100
    attribution_high: int = 100
    drop_off: int = 0

    def gross(self) -> Decimal:
        """quantity × price × duration (after drop-off), before deadweight and attribution."""
        return (
            self.quantity
            * self.price
            * periods(self.period, self.duration, self.duration_unit, self.drop_off)
        )

    def value_range(self) -> tuple[Decimal, Decimal]:
        """(low, high) in the price's own year, unrounded."""
        gross = self.gross()
        low = gross * (ONE - Decimal(self.deadweight_high) / HUNDRED) * self.attribution_low
        high = gross * (ONE - Decimal(self.deadweight_low) / HUNDRED) * self.attribution_high
        return low / HUNDRED, high / HUNDRED


class Indexer:
    """Values of any price year expressed in one target year's euros (CBS CPI)."""

    def __init__(self, index: dict[int, Decimal], year: int | None = None):
        self.index = dict(index)
        self.years = sorted(self.index)
        self.year = year if year is not None else (self.years[-1] if self.years else None)

    def _nearest(self, year: int) -> int:
        if year in self.index:
            return year
        return min(self.years, key=lambda y: (abs(y - year), -y))

    def covers(self, year: int | None) -> bool:
        return year is None or year in self.index

    def factor(self, price_year: int | None) -> Decimal:
        """CPI(target) ÷ CPI(price year); 1 without an index or a price year."""
        if price_year is None or not self.years or self.year is None:
            return ONE
        return self.index[self._nearest(self.year)] / self.index[self._nearest(price_year)]

    @overload
    def __call__(self, value: Decimal, price_year: int | None) -> Decimal: ...
    @overload
    def __call__(self, value: None, price_year: int | None) -> None: ...
    def __call__(self, value: Decimal | None, price_year: int | None) -> Decimal | None:
        if value is None:
            return None
        return value * self.factor(price_year)

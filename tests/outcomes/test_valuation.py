"""The method's arithmetic on cases worked out by hand (no database)."""

from decimal import Decimal

from outcomes.money import euro_range
from outcomes.valuation import Assumptions, Indexer, periods, weighted_years

D = Decimal
CPI = {2022: D("90.29"), 2024: D("96.9"), 2025: D("100")}


def test_a_price_per_unit_ignores_duration_and_takes_the_assumptions_as_a_range():
    # 28 × 30.64 = 857.92; low 857.92 × (1 − 0.50) × 0.50 = 214.48; high × 0.75 × 0.75
    value = Assumptions(
        quantity=D(28),
        price=D("30.64"),
        duration=D(99),
        deadweight_low=25,
        deadweight_high=50,
        attribution_low=50,
        attribution_high=75,
    )
    assert value.gross() == D("857.92")
    assert value.value_range() == (D("214.48"), D("482.58"))


def test_a_price_per_day_counts_months_as_365_twelfths_of_a_year():
    assert periods("day", D(9), "months") == D("273.75")  # 0.75 × 365
    assert periods("day", D(1), "years") == D(365)
    assert periods("month", D(18), "months") == D(18)
    assert periods("day", None) == 0  # no duration, no value
    # a postponed nursing-home move of 9 months, no deadweight, full attribution
    value = Assumptions(quantity=D(1), price=D(290), period="day", duration=D(9))
    assert value.value_range() == (D("79387.50"), D("79387.50"))


def test_drop_off_fades_each_year_after_the_first_and_part_years_count_for_their_part():
    assert weighted_years(D(3), 20) == D("2.44")  # 1 + 0.8 + 0.64
    assert weighted_years(D("2.5"), 20) == D("2.12")  # 1 + 0.8 + 0.5 × 0.64
    assert weighted_years(D("0.5"), 20) == D("0.5")  # within the first year: no drop-off
    assert weighted_years(D(3), 0) == D(3)
    # 9 homes × € 350 a year for 3 years, drop-off 20 %: 9 × 350 × 2.44 = 7,686
    value = Assumptions(
        quantity=D(9),
        price=D(350),
        period="year",
        duration=D(36),
        duration_unit="months",
        drop_off=20,
        deadweight_low=10,
        deadweight_high=25,
        attribution_low=50,
        attribution_high=75,
    )
    assert value.gross() == D("7686.00")
    assert value.value_range() == (D("2882.25"), D("5188.05"))  # × .75 × .5 and × .9 × .75


def test_indexing_to_another_years_euros():
    to_2025 = Indexer(CPI, 2025)
    assert to_2025(D(290), 2022).quantize(D("0.01")) == D("321.19")  # 290 × 100 / 90.29
    assert to_2025(D(100), 2025) == D(100)
    to_2022 = Indexer(CPI, 2022)
    assert to_2022(D("96.90"), 2024).quantize(D("0.01")) == D("90.29")
    # years outside the index use the nearest one; no price year: unchanged
    assert to_2025.factor(2010) == to_2025.factor(2022)
    assert not to_2025.covers(2010)
    assert to_2025(D(5), None) == D(5)
    assert Indexer(CPI).year == 2025  # the latest year by default


def test_euros_are_rounded_only_when_shown():
    assert euro_range(D("13231.25"), D("39693.75")) == "€ 13,231 – € 39,694"
    assert euro_range(D("100.2"), D("100.4")) == "€ 100"
    assert euro_range(None, None) == ""

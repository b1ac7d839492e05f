"""Sums per domain, unit and period, checked against figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from outcomes.figures import by_domain, by_domain_and_period, by_period, by_unit, totals
from outcomes.models import Outcome, Status

from .factories import make_outcome


@pytest.fixture
def ledger(world):
    """Five outcomes in A (one a draft), one in B.

    | outcome | date       | domains          | quantity, unit          | value   |
    | care    | 2025-01-10 | care             | 28 care visit saved     | 1260.00 |
    | move    | 2025-02-03 | care, housing    | 1 year in care home ... | 30000.00|
    | homes   | 2025-02-20 | energy, housing  | 9 homes insulated       | 2700.00 |
    | wadi    | 2025-05-02 | climate          | -                       | -       |
    | repair  | 2025-05-30 | cohesion, climate| 40 repairs              | 800.50  |
    | draft   | 2025-03-01 | care (draft)     |                         | 999.00  |
    """
    nb = world.a.neighbourhood
    make_outcome(
        nb,
        "care",
        domains=["care"],
        happened_on=datetime.date(2025, 1, 10),
        quantity=28,
        unit="care visit saved",
        value="1260.00",
    )
    make_outcome(
        nb,
        "move",
        domains=["care", "housing"],
        happened_on=datetime.date(2025, 2, 3),
        quantity=1,
        unit="year in care home postponed",
        value="30000.00",
    )
    make_outcome(
        nb,
        "homes",
        domains=["energy", "housing"],
        happened_on=datetime.date(2025, 2, 20),
        quantity=9,
        unit="homes insulated",
        value="2700.00",
    )
    make_outcome(nb, "wadi", domains=["climate"], happened_on=datetime.date(2025, 5, 2))
    make_outcome(
        nb,
        "repair",
        domains=["cohesion", "climate"],
        happened_on=datetime.date(2025, 5, 30),
        quantity=40,
        unit="repairs",
        value="800.50",
    )
    make_outcome(
        nb,
        "draft",
        domains=["care"],
        happened_on=datetime.date(2025, 3, 1),
        status=Status.DRAFT,
        value="999.00",
        quantity=1,
        unit="care visit saved",
    )
    make_outcome(
        world.b.neighbourhood, "elsewhere", domains=["care"], value="5000.00", quantity=1, unit="x"
    )
    return Outcome.objects.in_neighbourhood(nb).substantiated()


def test_totals_count_each_outcome_once(ledger):
    total = totals(ledger)
    assert total.count == 5
    assert total.value == Decimal("34760.50")  # 1260 + 30000 + 2700 + 800.50


def test_domain_sums_count_an_outcome_in_each_of_its_domains(ledger):
    rows = {row.key: (row.count, row.value) for row in by_domain(ledger)}
    assert rows["care"] == (2, Decimal("31260.00"))
    assert rows["housing"] == (2, Decimal("32700.00"))
    assert rows["energy"] == (1, Decimal("2700.00"))
    assert rows["climate"] == (2, Decimal("800.50"))  # the wadi has no value
    assert rows["cohesion"] == (1, Decimal("800.50"))
    assert rows["safety"] == (0, Decimal("0"))
    assert len(rows) == 8  # every domain, in a fixed order


def test_unit_sums(ledger):
    rows = {row.unit: (row.quantity, row.value, row.count) for row in by_unit(ledger)}
    assert rows == {
        "care visit saved": (Decimal("28"), Decimal("1260.00"), 1),
        "homes insulated": (Decimal("9"), Decimal("2700.00"), 1),
        "repairs": (Decimal("40"), Decimal("800.50"), 1),
        "year in care home postponed": (Decimal("1"), Decimal("30000.00"), 1),
    }


def test_period_sums_include_empty_months(ledger):
    rows = by_period(ledger, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), "month")
    assert [(row.key, row.count, row.value) for row in rows] == [
        ("2025-01-01", 1, Decimal("1260.00")),
        ("2025-02-01", 2, Decimal("32700.00")),
        ("2025-03-01", 0, Decimal("0")),  # only the draft
        ("2025-04-01", 0, Decimal("0")),
        ("2025-05-01", 2, Decimal("800.50")),
        ("2025-06-01", 0, Decimal("0")),
    ]


def test_period_bounds_are_inclusive(ledger):
    rows = by_period(ledger, datetime.date(2025, 2, 3), datetime.date(2025, 5, 2), "month")
    assert sum(row.count for row in rows) == 3  # move, homes, wadi


def test_domain_by_quarter_table(ledger):
    table = by_domain_and_period(
        ledger, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), "quarter"
    )
    assert len(table.periods) == 4
    rows = {label: (cells, total) for label, cells, total in table.rows}
    care_cells, care_total = rows["care & wellbeing"]
    assert [(c.count, c.value) for c in care_cells] == [
        (2, Decimal("31260.00")),
        (0, Decimal("0")),
        (0, Decimal("0")),
        (0, Decimal("0")),
    ]
    assert care_total.count == 2
    climate_cells, _total = rows["climate adaptation & greenery"]
    assert [c.count for c in climate_cells] == [0, 2, 0, 0]
    assert [(c.count, c.value) for c in table.column_totals] == [
        (3, Decimal("33960.00")),
        (2, Decimal("800.50")),
        (0, Decimal("0")),
        (0, Decimal("0")),
    ]

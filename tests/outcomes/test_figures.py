"""Sums per domain, unit and period, checked against figures worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import InitiativeStatus, Origin, connect
from outcomes.figures import (
    by_domain,
    by_domain_and_period,
    by_period,
    by_unit,
    connection_growth,
    neighbourhood_figures,
    totals,
)
from outcomes.models import Outcome, Status
from outcomes.report import report_context

from ..conversations.factories import make_finished
from ..organisations.factories import make_organisation
from ..residents.factories import make_gift, make_person
from .factories import make_initiative, make_outcome


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
    assert total.high == total.low == Decimal("34760.50")  # 1260 + 30000 + 2700 + 800.50
    assert total.valued == 4  # the wadi has no value


def test_domain_sums_count_an_outcome_in_each_of_its_domains(ledger):
    rows = {row.key: (row.count, row.high) for row in by_domain(ledger)}
    assert rows["care"] == (2, Decimal("31260.00"))
    assert rows["housing"] == (2, Decimal("32700.00"))
    assert rows["energy"] == (1, Decimal("2700.00"))
    assert rows["climate"] == (2, Decimal("800.50"))  # the wadi has no value
    assert rows["cohesion"] == (1, Decimal("800.50"))
    assert rows["safety"] == (0, Decimal("0"))
    assert len(rows) == 8  # every domain, in a fixed order


def test_unit_sums(ledger):
    rows = {row.unit: (row.quantity, row.high, row.count) for row in by_unit(ledger)}
    assert rows == {
        "care visit saved": (Decimal("28"), Decimal("1260.00"), 1),
        "homes insulated": (Decimal("9"), Decimal("2700.00"), 1),
        "repairs": (Decimal("40"), Decimal("800.50"), 1),
        "year in care home postponed": (Decimal("1"), Decimal("30000.00"), 1),
    }


def test_period_sums_include_empty_months(ledger):
    rows = by_period(ledger, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30), "month")
    assert [(row.key, row.count, row.high) for row in rows] == [
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
    assert [(c.count, c.high) for c in care_cells] == [
        (2, Decimal("31260.00")),
        (0, Decimal("0")),
        (0, Decimal("0")),
        (0, Decimal("0")),
    ]
    assert care_total.count == 2
    climate_cells, _total = rows["climate adaptation & greenery"]
    assert [c.count for c in climate_cells] == [0, 2, 0, 0]
    assert [(c.count, c.high) for c in table.column_totals] == [
        (3, Decimal("33960.00")),
        (2, Decimal("800.50")),
        (0, Decimal("0")),
        (0, Decimal("0")),
    ]


def _entered(obj, *args) -> None:
    """Backdate when a row was entered (``created_at``), in local time."""
    moment = timezone.make_aware(datetime.datetime(*args))
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


@pytest.fixture
def history(world):
    """A neighbourhood's rows around the first half of 2024 (end: Sunday 30 June 2024).

    | what          | before 2024       | in the half year            | after 30 June          |
    | people        | old (2023-12-01)  | new (03-01), late evening   | after midnight (07-01  |
    |               |                   | of 06-30 (23:30)            | 00:30), later (08-01)  |
    | gifts         | old's (2023-12-15)| new's (02-01, shared)       | old's 2nd (07-15,      |
    |               |                   |                             | shared)                |
    | conversations | 2023-11-01        | 2024-05-05                  | 2024-10-10             |
    | connections   | since 2023-06-01; | since 02-01 ended 05-01;    | since 08-01            |
    |               | since none;       | since 04-01 ended 09-01;    |                        |
    |               | 2023-01-01 ended  | since 01-10 ended 06-30     |                        |
    |               | 2023-12-31        |                             |                        |
    | initiatives   | started 2023-05-01| started 03-01; an idea      | started 09-01; an idea |
    |               |                   | entered 02-01               | entered 10-01          |

    Each connection is a tie of Old with a partner entered in 2022; one person–organisation
    connection is no tie (not counted). At the end: 10 people (8 before, 2 new), 2 gifts (1 new), 2 conversations (1 new),
    3 connections active (2023-06-01, the one without a date, the one ending 09-01;
    3 started in the half year), 3 initiatives (2 new: started 03-01, the idea of 02-01).
    """
    nb = world.a.neighbourhood
    old = make_person(nb, "Old")
    new = make_person(nb, "New")
    evening = make_person(nb, "Evening")
    midnight = make_person(nb, "Midnight")
    later = make_person(nb, "Later")
    _entered(old, 2023, 12, 1, 12)
    _entered(new, 2024, 3, 1, 12)
    _entered(evening, 2024, 6, 30, 23, 30)
    _entered(midnight, 2024, 7, 1, 0, 30)
    _entered(later, 2024, 8, 1, 12)
    _entered(make_gift(old, "cooking"), 2023, 12, 15, 12)
    _entered(make_gift(new, "knitting", share=True), 2024, 2, 1, 12)
    _entered(make_gift(old, "baking", share=True), 2024, 7, 15, 12)
    for day in ("2023-11-01", "2024-05-05", "2024-10-10"):
        make_finished(nb, world.a.builder, old, held_on=datetime.date.fromisoformat(day))
    for since, ended in [
        ("2023-06-01", None),
        (None, None),
        ("2023-01-01", "2023-12-31"),
        ("2024-02-01", "2024-05-01"),
        ("2024-04-01", "2024-09-01"),
        ("2024-01-10", "2024-06-30"),
        ("2024-08-01", None),
    ]:
        partner = make_person(nb, f"Partner {since} {ended}")
        _entered(partner, 2022, 1, 1, 12)
        tie = connect(
            old,
            partner,
            origin=Origin.INTRODUCED,
            since=since and datetime.date.fromisoformat(since),
            ended=ended and datetime.date.fromisoformat(ended),
        )
        if since is None:  # without a start date: counted from when it was recorded
            _entered(tie, 2023, 2, 1, 12)
    connect(old, organisation=make_organisation(nb), origin=Origin.OTHER)  # not a tie
    for started in ("2023-05-01", "2024-03-01", "2024-09-01"):
        make_initiative(nb, f"Started {started}", started_on=datetime.date.fromisoformat(started))
    _entered(make_initiative(nb, "Idea of February", status=InitiativeStatus.IDEA), 2024, 2, 1, 12)
    _entered(make_initiative(nb, "Idea of October", status=InitiativeStatus.IDEA), 2024, 10, 1, 12)
    other = make_person(world.b.neighbourhood, "Elsewhere")  # never counted
    _entered(other, 2024, 3, 1, 12)
    return nb


HALF_YEAR = (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))


def test_figures_of_a_past_period_are_as_they_were_at_its_end(history):
    figures = {f.key: (f.total, f.new) for f in neighbourhood_figures(history, *HALF_YEAR)}
    assert figures == {
        "people": (10, 2),
        "gifts": (2, 1),
        "conversations": (2, 1),
        "connections": (3, 3),
        "initiatives": (3, 2),
    }


def test_figures_agree_with_the_growth_table(history):
    figures = {f.key: f for f in neighbourhood_figures(history, *HALF_YEAR)}
    growth = connection_growth(history, *HALF_YEAR)
    assert growth[-1].active == figures["connections"].total == 3
    assert sum(point.new for point in growth) == figures["connections"].new == 3


def test_figures_without_a_period_count_everything_up_to_today(history):
    figures = {f.key: (f.total, f.new) for f in neighbourhood_figures(history)}
    assert figures == {
        "people": (12, None),
        "gifts": (3, None),
        "conversations": (3, None),
        "connections": (3, None),  # 2023-06-01, the one without a date, 2024-08-01
        "initiatives": (5, None),
    }


def test_report_of_a_past_period_shows_the_figures_at_its_end(world, client_for, history):
    context = report_context(history, *HALF_YEAR, "partners")
    assert {f.key: f.total for f in context["figures"]}["connections"] == 3
    assert context["residents"]["shared_gifts"] == 1  # the gift shared in July came later
    assert context["residents"]["sharing_people"] == 1
    response = client_for(world.a.coordinator).get(
        reverse("outcomes:report", args=[world.a.slug]),
        {"from": "2024-01-01", "to": "2024-06-30", "audience": "partners"},
    )
    body = response.content.decode()
    assert "1 residents offer to share or teach 1 gifts." in body

"""Dashboard, report, PDF and published page: query counts do not grow with outcomes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Origin, connect
from outcomes.models import ReferencePrice, StepKind

from ..residents.factories import make_gift, make_person
from .factories import add_step, make_initiative, make_outcome, make_unit, publish

DAY = datetime.date(2025, 3, 14)
PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}


def _grow(nb, count: int) -> None:
    club = make_initiative(nb, f"Club {count}")
    own = make_unit(nb, f"unit {count}", "10.00")
    for index in range(count):
        person, other = make_person(nb), make_person(nb)
        outcome = make_outcome(
            nb,
            happened_on=DAY,
            domains=["care", "cohesion"],
            quantity=1,
            unit="x",
            public_summary="Summary.",
            publish=True,
            **(
                {"unit_value": own}
                if index % 2
                else {"reference_price": ReferencePrice.objects.get(key="gp_consult_avg")}
            ),
        )
        outcome.revalue()
        outcome.save()
        outcome.for_whom_people.add(person)
        add_step(outcome, StepKind.GIFT, make_gift(person))
        add_step(outcome, StepKind.CONNECTION, connect(person, other, origin=Origin.KNEW))
        add_step(outcome, StepKind.INITIATIVE, club)


@pytest.mark.parametrize(
    ("name", "user", "params"),
    [
        ("outcomes:dashboard", "builder", PERIOD),
        ("outcomes:report", "coordinator", {**PERIOD, "audience": "partners"}),
        ("outcomes:report_pdf", "coordinator", {**PERIOD, "audience": "internal"}),
        ("publication:page", None, {}),
        ("neighbourhoods:dashboard", "builder", {}),
    ],
)
def test_queries_do_not_grow_with_outcomes(world, client_for, name, user, params, reference_prices):
    nb = world.a.neighbourhood
    publish(nb)
    client = client_for(getattr(world.a, user) if user else None)
    url = reverse(name, args=[world.a.slug])
    # Precomputed figures are computed in a request only the very first time (jobs.figures)
    assert client.get(url, params).status_code == 200
    _grow(nb, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, params).status_code == 200
    _grow(nb, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url, params).status_code == 200
    assert len(large) == len(small), [q["sql"][:120] for q in large.captured_queries]

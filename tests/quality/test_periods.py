"""The outcomes period (?from=&to=) off the calendar: a message and the last twelve months,
never a crash (the audit found ?to=9999-12-31 giving a 500 on all three pages).

Here rather than in tests/outcomes: the form is outcomes/forms.py's, the bounds are the
shared DayField of network/forms.py that the network filters use too."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from outcomes.forms import PeriodForm, ReportForm, default_period

MESSAGE = "Choose a date between 1900 and 2100."
BAD = [
    {"to": "9999-12-31"},
    {"to": "0001-01-01"},
    {"from": "0001-01-01"},
    {"from": "0001-01-01", "to": "9999-12-31"},
    {"from": "2101-01-01"},
]


@pytest.mark.parametrize("data", BAD)
def test_a_period_off_the_calendar_falls_back_with_a_message(data):
    form = ReportForm(data)
    assert form.period() == default_period()
    with translation.override("en"):
        assert MESSAGE in str(form.errors)


def test_the_whole_range_is_a_period():
    form = PeriodForm({"from": "1900-01-01", "to": "2100-12-31"})
    assert form.period() == (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))


@pytest.mark.parametrize("name", ["outcomes:dashboard", "outcomes:report"])
@pytest.mark.parametrize("data", BAD)
def test_pages_show_the_message_and_the_last_twelve_months(world, client_for, name, data):
    response = client_for(world.a.coordinator).get(reverse(name, args=[world.a.slug]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert MESSAGE in page and 'role="alert"' in page


@pytest.mark.parametrize("data", BAD)
def test_the_pdf_is_of_the_last_twelve_months(world, client_for, data):
    url = reverse("outcomes:report_pdf", args=[world.a.slug])
    response = client_for(world.a.coordinator).get(url, data)
    assert response.status_code == 200
    start, end = default_period()
    assert f"{start:%Y%m%d}-{end:%Y%m%d}.pdf" in response["Content-Disposition"]

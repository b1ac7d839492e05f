"""Outcome list, filters, status, deletion, unit table, dashboard and panels."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import Origin, connect
from outcomes.models import Outcome, Status, StepKind, UnitValue

from ..residents.factories import make_gift, make_person
from .factories import add_step, make_evidence, make_outcome, make_unit


def _list(client, side, **params):
    return client.get(reverse("outcomes:list", args=[side.slug]), params)


def test_list_filters_by_domain_status_period_and_text(world, client_for):
    nb = world.a.neighbourhood
    make_outcome(nb, "Wadi built", domains=["climate"], happened_on=datetime.date(2025, 5, 2))
    make_outcome(
        nb,
        "Homes insulated",
        domains=["energy", "housing"],
        status=Status.DRAFT,
        happened_on=datetime.date(2025, 2, 20),
    )
    make_outcome(world.b.neighbourhood, "Other side outcome")
    client = client_for(world.a.builder)
    page = _list(client, world.a).content.decode()
    assert "Wadi built" in page and "Homes insulated" in page
    assert "Other side outcome" not in page
    assert "Homes" not in _list(client, world.a, domain="climate").content.decode()
    assert "Wadi" not in _list(client, world.a, status="draft").content.decode()
    assert "Wadi" not in _list(client, world.a, to="2025-03-01").content.decode()
    assert "Homes" not in _list(client, world.a, q="wadi").content.decode()


def test_list_htmx_returns_only_the_rows(world, client_for):
    make_outcome(world.a.neighbourhood, "Wadi built")
    response = _list(client_for(world.a.builder), world.a)
    response = client_for(world.a.builder).get(
        reverse("outcomes:list", args=[world.a.slug]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="outcome-rows"') and "Wadi built" in body
    assert "HX-Request" in response["Vary"]


def test_outcomes_a_gift_or_person_contributed_to(world, client_for):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Visser")
    gift = make_gift(ans, "cooking")
    helped = make_outcome(nb, "Mr Jansen eats with others")
    add_step(helped, StepKind.GIFT, gift)
    make_outcome(nb, "Unrelated outcome")
    client = client_for(world.a.builder)
    page = _list(client, world.a, gift=gift.pk).content.decode()
    assert "Mr Jansen eats with others" in page and "Unrelated outcome" not in page
    assert "cooking" in page
    page = _list(client, world.a, person=ans.pk).content.decode()
    assert "Mr Jansen eats with others" in page and "Unrelated outcome" not in page
    foreign = make_gift(make_person(world.b.neighbourhood), "baking")
    assert _list(client, world.a, gift=foreign.pk).status_code == 404


def test_list_queries_do_not_grow_with_rows(world, client_for):
    nb = world.a.neighbourhood
    client = client_for(world.a.builder)

    def make(count):
        for _ in range(count):
            make_outcome(nb, domains=["care", "energy"], quantity=1, unit="x", value=1)

    make(5)
    with CaptureQueriesContext(connection) as small:
        assert _list(client, world.a).status_code == 200
    make(45)
    with CaptureQueriesContext(connection) as large:
        assert _list(client, world.a).status_code == 200
    assert len(large) == len(small)


def test_kept_list_shows_a_new_status_at_once(world, client_for):
    """The list's rows are kept (``freshness.partial``): the same list again runs none of
    their queries, and a change shows at once."""
    outcome = make_outcome(world.a.neighbourhood, "Wadi built", status=Status.DRAFT)
    client = client_for(world.a.builder)
    with CaptureQueriesContext(connection) as first:
        assert "status-draft" in _list(client, world.a).content.decode()
    with CaptureQueriesContext(connection) as again:
        assert "Wadi built" in _list(client, world.a).content.decode()
    assert len(again) < len(first)
    outcome.status = Status.SUBSTANTIATED
    outcome.save()
    page = _list(client, world.a).content.decode()
    assert "status-substantiated" in page and "status-draft" not in page


def test_detail_queries_do_not_grow_with_steps(world, client_for):
    nb = world.a.neighbourhood
    outcome = make_outcome(nb)
    client = client_for(world.a.builder)

    def grow(count):
        for _ in range(count):
            person, other = make_person(nb), make_person(nb)
            add_step(outcome, StepKind.GIFT, make_gift(person))
            add_step(outcome, StepKind.CONNECTION, connect(person, other, origin=Origin.KNEW))
            outcome.for_whom_people.add(person)
            make_evidence(outcome)

    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(outcome.get_absolute_url()).status_code == 200
    grow(10)
    with CaptureQueriesContext(connection) as large:
        assert client.get(outcome.get_absolute_url()).status_code == 200
    assert len(large) == len(small)


def test_coordinator_substantiates_and_builder_cannot(world, client_for):
    outcome = make_outcome(world.a.neighbourhood, status=Status.DRAFT)
    url = reverse("outcomes:status", args=[world.a.slug, outcome.pk])
    assert client_for(world.a.builder).post(url, {"status": "substantiated"}).status_code == 403
    client_for(world.a.coordinator).post(url, {"status": "substantiated"})
    outcome.refresh_from_db()
    assert outcome.status == Status.SUBSTANTIATED
    assert outcome.substantiated_by == world.a.coordinator and outcome.substantiated_at
    client_for(world.a.coordinator).post(url, {"status": "draft"})
    outcome.refresh_from_db()
    assert outcome.status == Status.DRAFT and outcome.substantiated_by is None


def test_coordinator_deletes_an_outcome_with_its_files(
    world, client_for, django_capture_on_commit_callbacks
):
    evidence = make_evidence(make_outcome(world.a.neighbourhood))
    storage, name = evidence.file.storage, evidence.file.name
    url = reverse("outcomes:delete", args=[world.a.slug, evidence.outcome_id])
    assert "cannot be undone" in client_for(world.a.coordinator).get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.a.coordinator).post(url)
    assert not Outcome.objects.exists()
    assert not storage.exists(name)


def test_unit_table_add_edit_remove_and_clashes(world, client_for):
    client = client_for(world.a.coordinator)
    url = reverse("outcomes:units", args=[world.a.slug])
    given = {"period": "unit", "price_year": "2024", "source": "insurer's rate 2024"}
    response = client.post(url, {"unit": "care visit saved", "value": "45", **given})
    assert response.status_code == 302
    response = client.post(url, {"unit": "Care  visit saved", "value": "50", **given})
    assert response.status_code == 422
    assert "already in the table" in response.content.decode()
    response = client.post(url, {"unit": "home insulated", "value": "-1", **given})
    assert "cannot be negative" in response.content.decode()
    unit = UnitValue.objects.get()
    edit = reverse("outcomes:unit_edit", args=[world.a.slug, unit.pk])
    client.post(edit, {"unit": "care visit saved", "value": "47.50", **given, "price_year": "2026"})
    unit.refresh_from_db()
    assert (unit.value, unit.price_year) == (Decimal("47.50"), 2026)
    outcome = make_outcome(
        world.a.neighbourhood, quantity=2, unit=unit.unit, value=95, unit_value=unit
    )
    client.post(reverse("outcomes:unit_delete", args=[world.a.slug, unit.pk]))
    outcome.refresh_from_db()
    assert not UnitValue.objects.exists()
    assert (outcome.unit, outcome.value_high) == ("care visit saved", Decimal("95.00"))


def test_an_own_unit_price_without_a_source_or_year_is_refused(world, client_for):
    client = client_for(world.a.coordinator)
    url = reverse("outcomes:units", args=[world.a.slug])
    response = client.post(
        url, {"unit": "home insulated", "value": "350", "period": "year", "source": "  "}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Say where this price comes from" in body
    assert "Give the year whose euros this price is in." in body
    assert 'value="home insulated"' in body and 'value="350"' in body  # nothing typed is lost
    assert not UnitValue.objects.exists()


def test_unit_table_is_the_same_neighbourhoods_only(world, client_for):
    make_unit(world.b.neighbourhood, "b unit")
    page = client_for(world.a.coordinator).get(reverse("outcomes:units", args=[world.a.slug]))
    assert "b unit" not in page.content.decode()


def test_dashboard_page_has_svg_charts_and_no_style_attributes(world, client_for):
    nb = world.a.neighbourhood
    today = datetime.date.today()
    make_outcome(
        nb,
        "Wadi built",
        domains=["climate"],
        happened_on=today,
        quantity=1,
        unit="wadi",
        value="15000",
    )
    a, b = make_person(nb), make_person(nb)
    connect(a, b, origin=Origin.KNEW, since=today)
    response = client_for(world.a.builder).get(reverse("outcomes:dashboard", args=[world.a.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") == 3
    assert not re.search(r"\sstyle=", body)
    assert "Wadi built" in body
    assert "people known" in body.lower()


@pytest.mark.parametrize(
    "bad", [{"from": "2025-13-01"}, {"from": "2025-06-01", "to": "2025-01-01"}]
)
def test_dashboard_bad_period_says_so_and_still_shows(world, client_for, bad):
    response = client_for(world.a.builder).get(
        reverse("outcomes:dashboard", args=[world.a.slug]), bad
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a date such as" in body or "before its start" in body


def test_dashboard_panel_shows_stories_to_builders_only(world, client_for):
    make_outcome(world.a.neighbourhood, "Mr Jansen eats with others", domains=["care"])
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    builder_page = client_for(world.a.builder).get(url).content.decode()
    resident_page = client_for(world.a.resident).get(url).content.decode()
    assert "Mr Jansen eats with others" in builder_page
    assert "Mr Jansen" not in resident_page
    assert "Outcomes" in resident_page  # the figures are for everyone


def test_person_page_panel_lists_outcomes_for_builders(world, client_for):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Visser")
    outcome = make_outcome(nb, "Coffee club started")
    add_step(outcome, StepKind.GIFT, make_gift(ans, "cooking"))
    url = reverse("residents:person", args=[world.a.slug, ans.pk])
    assert "Coffee club started" in client_for(world.a.builder).get(url).content.decode()


def test_navigation_shows_outcomes_to_builders_and_report_to_coordinators(world, client_for):
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    report = reverse("outcomes:report", args=[world.a.slug])
    outcomes = reverse("outcomes:list", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator).get(url).content.decode()
    builder = client_for(world.a.builder).get(url).content.decode()
    resident = client_for(world.a.resident).get(url).content.decode()
    assert report in coordinator and outcomes in coordinator
    assert report not in builder and outcomes in builder
    assert outcomes not in resident

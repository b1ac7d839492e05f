"""The report's euros: one year's euros, totals that are the sum of their parts, per
initiative, and a methods page that lists every price used."""

import datetime
import io
from decimal import Decimal

from django.urls import reverse
from pypdf import PdfReader

from outcomes import report as reports
from outcomes.models import Outcome, ReferencePrice, StepKind
from outcomes.names import ReportAudience

from .factories import add_step, make_initiative, make_outcome, make_unit

DAY = datetime.date(2025, 3, 14)
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
CENT = Decimal("0.01")


def _valued(nb, title, domains, price, quantity, **extra) -> Outcome:
    field = "reference_price" if isinstance(price, ReferencePrice) else "unit_value"
    outcome = make_outcome(
        nb, title, domains=domains, happened_on=DAY, quantity=quantity, **{field: price}, **extra
    )
    outcome.unit = price.name
    outcome.revalue()
    outcome.save()
    return outcome


def _ledger(nb):
    """Three valued outcomes in two price years, one unvalued; two initiatives."""
    club = make_initiative(nb, "Coffee club", public=True)
    repair = make_initiative(nb, "Repair cafe", public=True)
    home = _valued(
        nb,
        "Move postponed",
        ["care", "housing"],
        ReferencePrice.objects.get(key="nursingcare_day"),
        1,
        duration=Decimal(9),
    )
    visits = _valued(
        nb,
        "Fewer visits",
        ["care", "cohesion"],
        ReferencePrice.objects.get(key="homecare_travel"),
        28,
        attribution_low=50,
        attribution_high=75,
    )
    repairs = _valued(
        nb,
        "Repairs",
        ["climate"],
        make_unit(nb, "repair", "25.00", price_year=2024, source="Own count 2024"),
        112,
    )
    wadi = make_outcome(nb, "Wadi", domains=["climate"], happened_on=DAY, quantity=45, unit="m³")
    for outcome in (home, visits, wadi):
        add_step(outcome, StepKind.INITIATIVE, club)
    for outcome in (repairs, visits):
        add_step(outcome, StepKind.INITIATIVE, repair)
    return home, visits, repairs, wadi


def test_values_are_shown_in_the_chosen_years_euros(world, reference_prices):
    home, *_rest = _ledger(world.a.neighbourhood)
    for year, factor in ((2025, Decimal(100) / Decimal("90.29")), (2022, Decimal(1))):
        context = reports.report_context(
            world.a.neighbourhood, START, END, ReportAudience.INTERNAL, year
        )
        entry = next(e for s in context["sections"] for e in s.entries if e.title == home.title)
        assert entry.high.quantize(CENT) == (home.value_high * factor).quantize(CENT)
        assert context["price_year"] == year


def test_totals_per_domain_and_per_initiative_are_the_sum_of_their_parts(world, reference_prices):
    _ledger(world.a.neighbourhood)
    context = reports.report_context(world.a.neighbourhood, START, END, "internal", 2025)
    entries = {e.title: e for s in context["sections"] for e in s.entries}
    assert entries["Wadi"].valuation is None

    def total(titles, end):
        return sum((getattr(entries[t], end) or 0 for t in titles), Decimal(0)).quantize(CENT)

    domains = {row.key: row for row in context["domain_totals"]}
    parts = {
        "care": ["Move postponed", "Fewer visits"],
        "housing": ["Move postponed"],
        "cohesion": ["Fewer visits"],
        "climate": ["Repairs", "Wadi"],
    }
    for code, titles in parts.items():
        assert domains[code].count == len(titles)
        assert domains[code].low.quantize(CENT) == total(titles, "low"), code
        assert domains[code].high.quantize(CENT) == total(titles, "high"), code
    everything = list(entries)
    assert context["totals"].low.quantize(CENT) == total(everything, "low")
    assert context["totals"].high.quantize(CENT) == total(everything, "high")

    yields = {item.name: item for item in context["initiative_yields"]}
    club, repair = yields["Coffee club"], yields["Repair cafe"]
    assert club.result.count == 3 and club.result.valued == 2
    assert club.result.high.quantize(CENT) == total(["Move postponed", "Fewer visits"], "high")
    assert club.result.low.quantize(CENT) == total(["Move postponed", "Fewer visits"], "low")
    assert [row.key for row in club.result.domains] == ["care", "climate", "housing", "cohesion"]
    assert repair.result.high.quantize(CENT) == total(["Repairs", "Fewer visits"], "high")
    for item in (club, repair):
        by_domain = {row.key: row for row in item.result.domains}
        for code, row in by_domain.items():
            titles = [e.title for e in item.entries if row.label in e.domains]
            assert row.high.quantize(CENT) == total(titles, "high"), (item.name, code)
    assert club.summary.startswith("Coffee club: 3 outcomes in 4 domains, € ")


def test_the_pdf_methods_page_lists_every_price_used(world, client_for, reference_prices):
    home, visits, repairs, _wadi = _ledger(world.a.neighbourhood)
    response = client_for(world.a.coordinator).get(
        reverse("outcomes:report_pdf", args=[world.a.slug]),
        {"from": "2025-01-01", "to": "2025-12-31", "audience": "internal", "year": "2025"},
    )
    pages = [
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    ]
    first = next(i for i, text in enumerate(pages) if "Methods: how the euros" in text)
    methods = " ".join(pages[first:])
    for outcome in (home, visits, repairs):
        price = outcome.price
        assert price.name in methods
        assert f"{price.price_year} prices" in methods
        assert " ".join(price.source.split())[:40] in methods
    assert "€ 290.00 per day" in methods and "€ 30.64 each" in methods
    assert "CPI" in methods and "Indexation" in methods
    assert "Wadi (45 m³)" in methods  # not valued: a story and a quantity


def test_the_html_report_shows_the_method_of_each_value_and_the_methods_page(
    world, client_for, reference_prices
):
    _ledger(world.a.neighbourhood)
    body = (
        client_for(world.a.coordinator)
        .get(
            reverse("outcomes:report", args=[world.a.slug]),
            {"from": "2025-01-01", "to": "2025-12-31", "audience": "partners", "year": "2024"},
        )
        .content.decode()
    )
    assert "in 2024 euros" in body
    assert (
        "1 × € 290.00 per day × 9 months × (1 − deadweight 25–50 %) × attribution 25–50 %" in body
    )
    assert "Methods: how the euros in this report were worked out" in body
    assert "What each initiative yielded" in body
    assert "Social Value Bank" in body

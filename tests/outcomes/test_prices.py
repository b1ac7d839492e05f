"""The shipped reference prices and price index load, idempotently, and newer files too."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from outcomes.models import PriceIndex, ReferencePrice
from outcomes.prices import CPI, REFERENCE_PRICES, load_reference_prices


def test_the_shipped_price_list_loads(reference_prices):
    assert ReferencePrice.objects.count() == 160
    nursing_home = ReferencePrice.objects.get(key="nursingcare_day")
    assert (nursing_home.price, nursing_home.price_year, nursing_home.period) == (
        Decimal("290.00"),
        2022,
        "day",
    )
    assert "Zorginstituut Nederland" in nursing_home.source
    known = dict(ReferencePrice.objects.values_list("key", "price"))
    assert known["homecare_nursing_hour"] == Decimal("75.00")
    assert known["homecare_travel"] == Decimal("30.64")
    assert known["gp_homevisit_avg"] == Decimal("43.31")
    assert known["mhc_socialwork"] == Decimal("127.00")
    assert known["timecost_informal_hour"] == Decimal("18.80")
    assert known["justice_vandalism"] == Decimal("8809.00")
    assert ReferencePrice.objects.get(key="gp_consult_avg").period == "unit"


def test_the_units_community_building_touches_come_first(reference_prices):
    first = list(ReferencePrice.objects.values_list("key", flat=True)[:3])
    assert first == ["nursingcare_day", "homecare_household", "homecare_personal"]


def test_loading_again_changes_nothing_and_the_commands_load_newer_files(
    reference_prices, tmp_path
):
    assert load_reference_prices() == 160
    assert ReferencePrice.objects.count() == 160
    newer = tmp_path / "cpi.csv"
    newer.write_text(CPI.read_text() + "2026,102.5,2.5\n")
    call_command("load_cpi", str(newer))
    assert PriceIndex.objects.get(year=2026).index == Decimal("102.5")
    assert PriceIndex.objects.count() == 12
    prices = tmp_path / "prices.csv"
    prices.write_text(REFERENCE_PRICES.read_text().replace("price_eur_2022", "price_eur_2024"))
    call_command("load_reference_prices", str(prices))
    assert ReferencePrice.objects.get(key="nursingcare_day").price_year == 2024


def test_a_bad_file_is_refused_with_its_line_and_changes_nothing(reference_prices, tmp_path):
    bad = tmp_path / "cpi.csv"
    bad.write_text("year,cpi_2025_100\n2026,102.5\n2027,lots\n")
    with pytest.raises(CommandError, match="line 3"):
        call_command("load_cpi", str(bad))
    assert not PriceIndex.objects.filter(year=2026).exists()
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_reference_prices", str(tmp_path / "missing.csv"))

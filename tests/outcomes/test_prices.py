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


def _price_options(html: str) -> tuple[list[str], list[str]]:
    """The reference-price dropdown's group labels and option texts."""
    import re

    select = re.search(r'<select name="reference_price".*?</select>', html, re.S)
    assert select is not None
    body = select.group(0)
    return re.findall(r'<optgroup label="([^"]*)"', body), re.findall(r">([^<]+)</option>", body)


def test_the_price_dropdown_speaks_the_viewers_language(world, client_for, reference_prices):
    """Every unit and category in the viewer's language: Dutch by default, English complete."""
    from django.urls import reverse

    url = reverse("outcomes:new", args=[world.a.slug])
    dutch = client_for(world.a.builder, "nl").get(url).content.decode()
    groups, options = _price_options(dutch)
    assert len(options) == 161  # the empty choice and every price
    assert "Diagnostiek" in groups and "Veiligheid en justitie" in groups
    assert "Diagnostics" not in groups
    assert any(o.startswith("Verpleegdag exclusief personeelskosten, ziekenhuis:") for o in options)
    assert any(o.startswith("Heling:") for o in options)
    assert not any("hospital" in o or "per session" in o for o in options)

    english = client_for(world.a.builder, "en").get(url).content.decode()
    groups, options = _price_options(english)
    assert len(options) == 161
    assert "Diagnostics" in groups and "Safety and Justice" in groups
    assert any(o.startswith("Handling stolen goods:") for o in options)
    assert any(o.startswith("Nursing day excluding personnel costs, hospital:") for o in options)


def test_every_shipped_price_has_words_in_both_languages():
    from django.utils import translation

    from outcomes.price_names import CATEGORIES, UNITS
    from outcomes.prices import FEATURED, read_reference_prices

    rows = read_reference_prices(REFERENCE_PRICES)
    assert {r["key"] for r in rows} <= set(UNITS) | set(FEATURED)
    assert {r["category"] for r in rows} <= set(CATEGORIES)
    with translation.override("nl"):
        untranslated = [str(UNITS[r["key"]]) for r in rows if str(UNITS[r["key"]]) == r["label"]]
    assert untranslated == []

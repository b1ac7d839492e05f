"""The national reference prices and the CBS price index the app ships (`outcomes/data/`).

`load_reference_prices` and `load_cpi` are idempotent: a key or year already there is updated,
nothing is deleted. The first migration of this feature loads the shipped files; the commands
`load_reference_prices` and `load_cpi` load newer ones. `ensure_loaded` loads the shipped
files when the tables are empty (a database flushed by tests, say).
"""

from __future__ import annotations

import csv
import hashlib
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data"
REFERENCE_PRICES = DATA / "nl_reference_prices_2022.csv"
CPI = DATA / "cpi_2025eq100_yearly.csv"

PRICE_SOURCE = (
    "Zorginstituut Nederland, Kostenhandleiding (Richtlijn economische evaluaties in de "
    "gezondheidszorg, 2024), referentieprijzen prijspeil 2022; via tatooheene (MIT)"
)
CPI_SOURCE = "CBS, StatLine 86141NED, CPI alle bestedingen, 2025 = 100"

# The units community building touches, offered first, in this order, with our own words.
FEATURED = {
    "nursingcare_day": _("nursing-home day (nursing & care incl. daytime activities)"),
    "homecare_household": _("home care: household help, per hour"),
    "homecare_personal": _("home care: personal care, per hour"),
    "homecare_guidance_hour": _("home care: guidance, per hour"),
    "homecare_nursing_hour": _("district nursing at home, per hour"),
    "homecare_travel": _("home-care visit: travel costs, per visit"),
    "gp_consult_avg": _("GP consultation (average)"),
    "gp_homevisit_avg": _("GP home visit (average)"),
    "mhc_socialwork": _("social-work contact"),
    "dayactivities_halfday": _("daytime activities, per half day"),
    "timecost_informal_hour": _("informal care, replacement cost per hour"),
    "justice_vandalism": _("incident: vandalism of property"),
    "justice_theft_simple": _("incident: simple theft"),
    "justice_disorder": _("incident: disorderly conduct or discrimination"),
    "justice_assault": _("incident: assault"),
    "justice_threat": _("incident: threatening behaviour"),
    "justice_arson": _("incident: arson"),
    "justice_robbery_violence": _("incident: robbery with violence"),
}

PER_DAY_WORDS = ("per day", "nursing day")


class PriceFileError(ValueError):
    """A row of a price or index file that cannot be read; says which line and why."""


def _decimal(text: str, line: int, column: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise PriceFileError(f"line {line}: {column} “{text}” is not a number") from None
    if value < 0 or not value.is_finite():
        raise PriceFileError(f"line {line}: {column} “{text}” must be zero or more")
    return value


def read_reference_prices(path: Path = REFERENCE_PRICES) -> list[dict]:
    """Rows of the costing manual's CSV (Domain, Category, Unit, key, price_eur_<year>)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c.startswith("price_eur_")]
        if not columns or not {"Category", "Unit", "key"} <= set(reader.fieldnames or []):
            raise PriceFileError("expected the columns Category, Unit, key and price_eur_<year>")
        column = columns[0]
        year = int(column.removeprefix("price_eur_"))
        rows = []
        for line, row in enumerate(reader, start=2):
            label = " ".join(row["Unit"].split())
            lowered = f"{row['key']} {label}".lower()
            rows.append(
                {
                    "key": row["key"].strip(),
                    "category": row["Category"].strip(),
                    "label": label,
                    "price": _decimal(row[column], line, column),
                    "price_year": year,
                    "period": "day" if any(w in lowered for w in PER_DAY_WORDS) else "unit",
                }
            )
    return rows


def read_cpi(path: Path = CPI) -> dict[int, Decimal]:
    """year → index from a CSV with the columns year and cpi_<base>."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [c for c in reader.fieldnames or [] if c.startswith("cpi")]
        if "year" not in (reader.fieldnames or []) or not columns:
            raise PriceFileError("expected the columns year and cpi_<base>")
        result = {}
        for line, row in enumerate(reader, start=2):
            try:
                year = int(row["year"])
            except ValueError:
                raise PriceFileError(f"line {line}: year “{row['year']}” is not a year") from None
            result[year] = _decimal(row[columns[0]], line, columns[0])
    return result


def load_reference_prices(
    model=None, path: Path = REFERENCE_PRICES, source: str = PRICE_SOURCE
) -> int:
    """Create or update every row (by key); returns how many rows the file had."""
    if model is None:
        from .models import ReferencePrice as model
    order = {key: position for position, key in enumerate(FEATURED)}
    rows = read_reference_prices(path)
    for row in rows:
        model.objects.update_or_create(
            key=row["key"],
            defaults={
                **{k: v for k, v in row.items() if k != "key"},
                "source": source,
                "featured": order.get(row["key"]),
            },
        )
    return len(rows)


def load_cpi(model=None, path: Path = CPI, source: str = CPI_SOURCE) -> int:
    if model is None:
        from .models import PriceIndex as model
    index = read_cpi(path)
    for year, value in index.items():
        model.objects.update_or_create(year=year, defaults={"index": value, "source": source})
    return len(index)


def ensure_loaded() -> None:
    """Load the shipped files when a table is empty (idempotent; one query each when not)."""
    from .models import PriceIndex, ReferencePrice

    if not ReferencePrice.objects.exists():
        load_reference_prices()
    if not PriceIndex.objects.exists():
        load_cpi()


def index_years() -> list[int]:
    from .models import PriceIndex

    return list(PriceIndex.objects.values_list("year", flat=True))


def stamp() -> str:
    """What the reference prices and the price index are now (two small queries): part of the
    key of what is kept from them (the report), as a command may load new ones any time."""
    from .models import PriceIndex, ReferencePrice

    rows = (
        list(ReferencePrice.objects.order_by("pk").values_list("pk", "price", "period")),
        list(PriceIndex.objects.order_by("year").values_list("year", "index")),
    )
    return hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()


def indexer(year: int | None = None):
    """An `Indexer` over the price index in the database (one query)."""
    from .models import PriceIndex
    from .valuation import Indexer

    return Indexer(dict(PriceIndex.objects.values_list("year", "index")), year)

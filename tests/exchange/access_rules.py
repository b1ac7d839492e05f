"""Who may open the import and export pages (see tests/access_table.py)."""

from neighbourhoods.models import Role

from .factories import make_job, make_place

EXPECTED_ROLE = {
    "exchange:import": Role.COORDINATOR,
    "exchange:import_job": Role.COORDINATOR,
    "exchange:import_progress": Role.COORDINATOR,
    "exchange:import_confirm": Role.COORDINATOR,
    "exchange:import_cancel": Role.COORDINATOR,
    "exchange:import_retry": Role.COORDINATOR,
    "exchange:export": Role.COORDINATOR,
    "exchange:export_download": Role.COORDINATOR,
}

KWARGS = {
    "token": lambda side: side.objects["exchange_job"].token,
    "fmt": lambda side: "geojson",
}


def populate(side) -> None:
    make_place(side.neighbourhood, "Exchange plek", latitude=52.3, longitude=4.86)
    side.objects["exchange_job"] = make_job(side.neighbourhood, side.coordinator)

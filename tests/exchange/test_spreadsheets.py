"""Spreadsheets that open right: the Dutch CSV (semicolons, BOM, decimal commas) read back by
Python's csv module and by the importer; XLSX with typed cells, a frozen header and column
widths; the Kumu blueprint; and, where LibreOffice is installed, Calc's own reading."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from exchange import exporting, importing
from exchange.columns import COLUMNS
from network.models import Connection, Initiative, InitiativeMember
from places.models import Place
from tests.factories import make_neighbourhood

from .factories import make_organisation, make_person, make_place


def coordinator(world):
    return world.a.membership(world.a.coordinator)


@pytest.fixture
def inventory(world):
    nb = world.a.neighbourhood
    hall = make_place(nb, "Buurthuis; De Populier", street="Populierenlaan", house_number="12",
                      postcode="1181 AB", latitude=52.3001, longitude=4.8601,
                      description="Koffie, thee en taart", external_id="bh-1")  # fmt: skip
    make_place(nb, "Speeltuin", kind="playground", street="Eikenlaan")
    club = make_organisation(nb, "Wijkvereniging", email="info@wijk.nl", usual_place=hall)
    ans = make_person(nb, "Ans Jansen", "Populierenlaan", gifts=[("hands", "fietsen repareren")])
    piet = make_person(nb, "Piet de Boer", "Eikenlaan")
    Connection.objects.create(neighbourhood=nb, person=ans, other_person=piet, origin="knew")
    Connection.objects.create(neighbourhood=nb, person=piet, organisation=club, origin="other")
    koffie = Initiative.objects.create(neighbourhood=nb, name="Koffieochtend", status="active")
    InitiativeMember.objects.create(initiative=koffie, person=ans, joined=date(2025, 1, 1),
                                    initiator=True)  # fmt: skip
    return world


def test_dutch_csv_has_semicolons_a_bom_and_decimal_commas(inventory):
    result = exporting.export(coordinator(inventory), "csv-nl", "places")
    assert result.content.startswith(b"\xef\xbb\xbf")
    assert result.file_name.endswith("-places-nl.csv")
    rows = list(csv.DictReader(io.StringIO(result.content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == [c.name for c in COLUMNS["places"]]
    hall = next(r for r in rows if r["name"] == "Buurthuis; De Populier")
    assert (hall["latitude"], hall["longitude"]) == ("52,3001", "4,8601")
    assert hall["description"] == "Koffie, thee en taart"


def test_dutch_csv_imports_back_unchanged(inventory):
    source = coordinator(inventory)
    empty = make_neighbourhood("Leeg")
    target = exporting.as_coordinator(empty)
    for what in ("places", "organisations", "people"):
        result = exporting.export(source, "csv-nl", what)
        plan = importing.build_plan(result.file_name, result.content, empty)
        assert plan.what == what and not plan.has_errors
        importing.apply_plan(plan, empty)
        assert exporting.rows_for(target, what) == exporting.rows_for(source, what), what
    copy = Place.objects.get(neighbourhood=empty, name="Buurthuis; De Populier")
    assert (copy.latitude, copy.longitude) == (52.3001, 4.8601)


def test_xlsx_has_typed_cells_a_frozen_header_and_widths(inventory):
    sheet = load_workbook(
        io.BytesIO(exporting.export(coordinator(inventory), "xlsx", "places").content)
    ).active
    assert sheet.freeze_panes == "A2"
    hall = next(r for r in sheet.iter_rows(min_row=2) if r[0].value.startswith("Buurthuis"))
    latitude = hall[[c.name for c in COLUMNS["places"]].index("latitude")]
    assert latitude.data_type == "n" and latitude.value == 52.3001
    assert sheet.column_dimensions["A"].width >= len("Buurthuis; De Populier")
    assert all(sheet.column_dimensions[c].width <= exporting.MAX_WIDTH + 2 for c in "ABCDEFGHI")


def test_kumu_blueprint_has_unique_ids_directions_and_measures(inventory):
    result = exporting.export(coordinator(inventory), "kumu-json")
    assert result.file_name.endswith("-kumu.json")
    blueprint = json.loads(result.content)
    assert set(blueprint) == {"elements", "connections"}
    ids = [e["id"] for e in blueprint["elements"]]
    assert len(ids) == len(set(ids)) == 4
    labels = {e["id"]: e["label"] for e in blueprint["elements"]}
    for connection in blueprint["connections"]:
        assert connection["from"] in labels and connection["to"] in labels
        assert connection["direction"] in ("directed", "undirected", "mutual")
    assert len({c["id"] for c in blueprint["connections"]}) == len(blueprint["connections"]) == 3
    ans = next(e for e in blueprint["elements"] if e["label"] == "Ans Jansen")
    assert ans["type"] == "Person" and ans["degree"] == 2  # Piet and the coffee morning
    knew = next(c for c in blueprint["connections"] if labels[c["to"]] == "Piet de Boer")
    assert knew["direction"] == "undirected"
    member = next(c for c in blueprint["connections"] if labels[c["to"]] == "Koffieochtend")
    assert member["direction"] == "directed" and labels[member["from"]] == "Ans Jansen"
    # the workbook carries the same measure
    book = load_workbook(io.BytesIO(exporting.export(coordinator(inventory), "kumu").content))
    header = [c.value for c in book["Elements"][1]]
    assert "Degree" in header


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice Calc is not installed")
def test_libreoffice_calc_reads_every_column_of_the_dutch_csv(inventory, tmp_path):
    """Calc converts the file headless as a Dutch user opens it (semicolon separated, UTF-8)
    and every column lands in its own column, the coordinates as numbers."""
    source = tmp_path / "places.csv"
    source.write_bytes(exporting.export(coordinator(inventory), "csv-nl", "places").content)
    # CSV filter options: separator 59 (;), text delimiter 34 ("), UTF-8 (76), first line 1,
    # then the language nl-NL so decimal commas are numbers.
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--infilter=CSV:59,34,76,1,,1043", "--convert-to", "xlsx", "--outdir", str(tmp_path),
         str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheet = load_workbook(tmp_path / "places.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    header = [c.name for c in COLUMNS["places"]]
    assert list(rows[0])[: len(header)] == header
    hall = next(r for r in rows if r[0] == "Buurthuis; De Populier")
    assert hall[header.index("latitude")] == pytest.approx(52.3001)
    assert hall[header.index("description")] == "Koffie, thee en taart"

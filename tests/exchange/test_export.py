"""Exports parsed back: CSV, XLSX, GeoJSON, HSDS (against its schema), Kumu; and round trips."""

import csv
import io
import json
import uuid
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from jsonschema import Draft7Validator, FormatChecker
from openpyxl import load_workbook
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from exchange import exporting, importing
from exchange.columns import COLUMNS
from network.models import Connection, Initiative, InitiativeMember
from residents.models import Audience, default_visibility
from tests.factories import make_neighbourhood

from .factories import DATA, make_organisation, make_person, make_place

SCHEMAS = DATA / "hsds" / "schema"


def coordinator(world):
    return world.a.membership(world.a.coordinator)


@pytest.fixture
def inventory(world):
    nb = world.a.neighbourhood
    hall = make_place(nb, "Buurthuis De Populier", street="Populierenlaan", house_number="12",
                      postcode="1181 AB", latitude=52.3001, longitude=4.8601,
                      description="Koffie op dinsdag", external_id="bh-1")  # fmt: skip
    make_place(nb, "Speeltuin", kind="playground", street="Eikenlaan")
    club = make_organisation(nb, "Wijkvereniging", email="info@wijk.nl", phone="+31 20 123",
                             website="https://wijk.nl", street="Populierenlaan",
                             usual_place=hall, description='=HYPERLINK("http://evil")')  # fmt: skip
    make_organisation(nb, "Moestuinclub", kind="informal")
    ans = make_person(nb, "Ans Jansen", "Populierenlaan", email="ans@example.org",
                      phone="06 1234", house_number="3",
                      gifts=[("hands", "fietsen repareren"), ("heart", "buurtmoestuin")])  # fmt: skip
    piet = make_person(
        nb, "Piet de Boer", "Eikenlaan", external_id="p-7", gifts=[("head", "@home")]
    )
    Connection.objects.create(neighbourhood=nb, person=ans, other_person=piet, origin="knew")
    Connection.objects.create(neighbourhood=nb, person=piet, organisation=club, origin="other")
    koffie = Initiative.objects.create(neighbourhood=nb, name="Koffieochtend", status="active",
                                       meeting_place=hall)  # fmt: skip
    InitiativeMember.objects.create(initiative=koffie, person=ans, joined=date(2025, 1, 1),
                                    initiator=True)  # fmt: skip
    return world


def read_csv(content: bytes) -> list[dict]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_per_inventory_has_the_english_headers_and_escapes_formulas(inventory):
    for what in ("places", "organisations", "people"):
        result = exporting.export(coordinator(inventory), "csv", what)
        header = result.content.decode("utf-8-sig").splitlines()[0].split(",")
        assert header == [c.name for c in COLUMNS[what]]
    orgs = read_csv(exporting.export(coordinator(inventory), "csv", "organisations").content)
    club = next(r for r in orgs if r["name"] == "Wijkvereniging")
    assert club["description"] == '\'=HYPERLINK("http://evil")'
    assert club["phone"] == "'+31 20 123"
    assert club["usual_place"] == "bh-1"
    people = read_csv(exporting.export(coordinator(inventory), "csv", "people").content)
    assert people[0]["gifts"] == "hands: fietsen repareren|heart: buurtmoestuin"
    assert people[1]["gifts"] == "head: @home"


def test_xlsx_parsed_back_has_text_not_formulas(inventory):
    result = exporting.export(coordinator(inventory), "xlsx", "organisations")
    sheet = load_workbook(io.BytesIO(result.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.name for c in COLUMNS["organisations"]]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert '\'=HYPERLINK("http://evil")' in [c.value for c in cells]
    places = load_workbook(
        io.BytesIO(exporting.export(coordinator(inventory), "xlsx", "places").content)
    ).active
    assert (
        next(r for r in places.iter_rows(values_only=True) if r[0].startswith("Buurthuis"))[5]
        == 52.3001
    )


def test_geojson_of_places_with_coordinates(inventory):
    data = json.loads(exporting.export(coordinator(inventory), "geojson").content)
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.8601, 52.3001]}
    assert feature["properties"]["kind"] == "community_centre"


def _validator(name: str) -> Draft7Validator:
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), DRAFT7))
        for path in SCHEMAS.glob("*.json")
    ]
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return Draft7Validator(schema, registry=registry, format_checker=FormatChecker())


def _row_object(row: dict, schema: dict) -> dict:
    """A CSV row as an HSDS object: empty cells are absent, except required text fields
    (a CSV cannot tell an empty text from a missing one); numbers as numbers."""
    required = [*schema.get("required", []), *schema.get("tabular_required", [])]
    for key in schema.get("tabular_required", []):
        assert row.get(key), f"{key} is required in the tabular format"
    result = {}
    for key, value in row.items():
        spec = schema["properties"].get(key, {})
        if value == "":
            if key in required and spec.get("type") == "string":
                result[key] = ""
            continue
        result[key] = float(value) if spec.get("type") == "number" else value
    return result


def test_the_schema_check_can_fail():
    validator = _validator("location")
    assert list(validator.iter_errors({"id": "not-a-uuid", "location_type": "house"}))
    assert not list(validator.iter_errors({"id": str(uuid.uuid4()), "location_type": "physical"}))


def test_hsds_package_validates_against_the_schema(inventory):
    result = exporting.export(coordinator(inventory), "hsds")
    archive = zipfile.ZipFile(io.BytesIO(result.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["version"] == "3.0.0"
    tables = {}
    for resource in descriptor["resources"]:
        rows = list(csv.DictReader(io.StringIO(archive.read(resource["path"]).decode())))
        header = archive.read(resource["path"]).decode().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        tables[resource["name"]] = rows
        validator = _validator(resource["name"])
        for row in rows:
            errors = list(validator.iter_errors(_row_object(row, validator.schema)))
            assert errors == [], (resource["name"], row, [e.message for e in errors])
    names = {r["name"] for r in tables["organization"]}
    assert {"Wijkvereniging", "Moestuinclub", "Residents of Populierenbuurt"} <= names
    assert [r["name"] for r in tables["service"]] == ["Koffieochtend"]
    assert len(tables["service_at_location"]) == 1
    assert {r["name"] for r in tables["location"]} == {"Buurthuis De Populier", "Speeltuin"}
    again = zipfile.ZipFile(io.BytesIO(exporting.export(coordinator(inventory), "hsds").content))
    assert again.read("organizations.csv") == archive.read("organizations.csv")  # stable ids


def test_hsds_json_validates_and_imports_back(inventory):
    data = json.loads(exporting.export(coordinator(inventory), "hsds-json").content)
    kinds = {"organization": 0, "service": 0, "location": 0}
    for item in data:
        kind = (
            "service"
            if "status" in item
            else "location"
            if "location_type" in item
            else "organization"
        )
        kinds[kind] += 1
        errors = [e.message for e in _validator(kind).iter_errors(item)]
        assert errors == [], (kind, item["name"], errors)
    assert kinds == {"organization": 3, "service": 1, "location": 1}
    empty = make_neighbourhood("Leeg")
    plan = importing.build_plan("x.json", json.dumps(data).encode(), empty)
    assert not plan.has_errors, [r.errors for r in plan.bad_rows]
    importing.apply_plan(plan, empty)
    assert sorted(empty.organisation_set.values_list("name", flat=True)) == [
        "Moestuinclub",
        "Wijkvereniging",
    ]
    assert empty.initiative_set.get().meeting_place.name == "Buurthuis De Populier"


def test_kumu_has_elements_and_connections(inventory):
    make_person(inventory.a.neighbourhood, "Ans Jansen", "Elders")  # a second Ans
    book = load_workbook(io.BytesIO(exporting.export(coordinator(inventory), "kumu").content))
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].iter_rows(values_only=True))
    assert elements[0] == ("Label", "Type", "Description", "Tags", "Degree")
    labels = [row[0] for row in elements[1:]]
    assert {"Ans Jansen", "Ans Jansen (2)", "Wijkvereniging", "Koffieochtend"} <= set(labels)
    connections = list(book["Connections"].iter_rows(values_only=True))
    assert connections[0] == ("From", "To", "Type")
    pairs = {(a, b) for a, b, _kind in connections[1:]}
    assert ("Ans Jansen", "Piet de Boer") in pairs
    assert ("Piet de Boer", "Wijkvereniging") in pairs
    assert ("Ans Jansen", "Koffieochtend") in pairs


def test_person_level_exports_need_the_coordinator_role(inventory):
    builder = inventory.a.membership(inventory.a.builder)
    for fmt, what in (("csv", "people"), ("xlsx", "people"), ("kumu", None)):
        with pytest.raises(PermissionDenied):
            exporting.export(builder, fmt, what)
    assert exporting.export(builder, "csv", "places").content


def test_person_rows_follow_visibility(inventory):
    nb = inventory.a.neighbourhood
    shown = default_visibility() | {"name": Audience.RESIDENTS, "street": Audience.RESIDENTS}
    make_person(nb, "Zichtbaar", "Laan", email="z@example.org", visibility=shown)
    resident = inventory.a.membership(inventory.a.resident)
    rows = exporting.person_rows(resident)
    assert rows == [
        {"name": "Zichtbaar", "street": "Laan", "email": "", "phone": "", "gifts": "",
         "external_id": "", "house_number": "", "postcode": "", "languages": ""}
    ]  # fmt: skip


def test_round_trip_into_an_empty_neighbourhood_gives_the_same_inventory(inventory, tmp_path):
    source = coordinator(inventory)
    empty = make_neighbourhood("Leeg")
    target = exporting.as_coordinator(empty)
    for what in ("places", "organisations", "people"):
        for fmt in ("csv", "xlsx"):
            result = exporting.export(source, fmt, what)
            plan = importing.build_plan(result.file_name, result.content, empty)
            assert plan.what == what and not plan.has_errors
            importing.apply_plan(plan, empty)
        assert exporting.rows_for(target, what) == exporting.rows_for(source, what), what
        again = exporting.export(source, "csv", what)
        plan = importing.build_plan(again.file_name, again.content, empty)
        assert {r.action for r in plan.rows} == {"unchanged"}


def test_export_command_writes_files_and_refuses_bad_input(inventory, tmp_path):
    slug = inventory.a.slug
    call_command("export_assets", str(tmp_path), neighbourhood=slug, format="hsds")
    [written] = tmp_path.iterdir()
    assert zipfile.is_zipfile(written)
    target = tmp_path / "people.csv"
    call_command("export_assets", str(target), neighbourhood=slug, format="csv", what="people")
    assert read_csv(target.read_bytes())[0]["name"] == "Ans Jansen"
    with pytest.raises(CommandError, match="Choose what to export"):
        call_command("export_assets", str(target), neighbourhood=slug, format="csv")
    with pytest.raises(CommandError, match="no neighbourhood"):
        call_command("export_assets", str(target), neighbourhood="nope", format="geojson")


def test_import_command_dry_run_errors_and_success(inventory, tmp_path, capsys):
    slug = inventory.b.slug
    good = tmp_path / "places.csv"
    good.write_bytes(exporting.export(coordinator(inventory), "csv", "places").content)
    call_command("import_assets", str(good), neighbourhood=slug, dry_run=True)
    assert "Dry run" in capsys.readouterr().out
    assert not inventory.b.neighbourhood.place_set.exists()
    call_command("import_assets", str(good), neighbourhood=slug)
    assert "places: 2 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind,latitude,longitude\nA,park,123,4\nB,park,,\n")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_assets", str(bad), neighbourhood=slug)
    assert "line 2: latitude 123 is not between -90 and 90." in capsys.readouterr().err
    call_command("import_assets", str(bad), neighbourhood=slug, valid_rows_only=True)
    assert inventory.b.neighbourhood.place_set.filter(name="B").exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_assets", str(tmp_path / "nope.csv"), neighbourhood=slug)


def test_import_command_refuses_a_50_mb_file_before_reading_it(world, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(b"name,kind\n")
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("the file was read"))
    with pytest.raises(CommandError, match="the limit is 10"):
        call_command("import_assets", str(big), neighbourhood=world.a.slug)


def test_export_queries_do_not_grow_with_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nb = world.a.neighbourhood
    membership = coordinator(world)

    def add(count, start):
        for i in range(start, start + count):
            place = make_place(nb, f"Plek {i}", latitude=52.3, longitude=4.86)
            make_organisation(nb, f"Club {i}", usual_place=place)
            make_person(nb, f"Persoon {i}", "Laan", gifts=[("hands", f"gave {i}")])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            for fmt, what in (("csv", "people"), ("xlsx", "organisations"), ("geojson", None),
                              ("hsds", None), ("kumu", None)):  # fmt: skip
                exporting.export(membership, fmt, what)
        return len(captured)

    add(5, 0)
    queries()  # warm up (one-off lookups)
    small = queries()
    add(45, 5)
    assert queries() == small

"""Importing real open data: OpenStreetMap exports, CBS buurten boundaries, Open Referral HSDS."""

import io
import json
import shutil
import zipfile

import pytest

from exchange import importing, reading
from neighbourhoods import geo
from network.models import Initiative
from organisations.models import Organisation
from places.models import Place

from .factories import DATA

OSM_NIEUWEGEIN = DATA / "osm" / "osm_pois_nieuwegein_2017_sample.geojson"
OSM_UTRECHT = DATA / "osm" / "osm_supermarkets_utrecht.geojson"
BUURTEN = DATA / "buurten" / "amstelveen_populierenbuurt_kastanjebuurt.geojson"
HSDS = DATA / "hsds" / "examples"


def plan_file(world, path, **options):
    return importing.build_plan(path.name, path.read_bytes(), world.a.neighbourhood, **options)


def apply(world, plan, **options):
    return importing.apply_plan(plan, world.a.neighbourhood, user=world.a.coordinator, **options)


def test_osm_sample_imports_named_points_as_places_with_kinds(world):
    plan = plan_file(world, OSM_NIEUWEGEIN)
    assert plan.what == "places"
    assert not plan.has_errors
    assert len(plan.rows) == 57  # the named nodes; benches and bins are left out
    assert any("without a name" in n for n in plan.notices)
    assert any("OpenStreetMap" in n for n in plan.notices)
    apply(world, plan)
    mobach = Place.objects.get(name="Mobach")
    assert (mobach.external_id, mobach.latitude, mobach.longitude) == (
        "osm:node/34050700",
        52.0701376,
        5.1104658,
    )
    kinds = set(Place.objects.values_list("kind", flat=True))
    assert {"shop", "school", "cafe", "playground", "health", "other"} <= kinds
    again = plan_file(world, OSM_NIEUWEGEIN)
    assert again.sections[0].count("unchanged") == 57


def test_osm_supermarkets_keep_their_addresses(world):
    apply(world, plan_file(world, OSM_UTRECHT))
    assert Place.objects.count() == 74
    shop = Place.objects.get(external_id="osm:node/29986846")
    assert shop.kind == "shop"
    assert Place.objects.exclude(street="").exists()
    assert Place.objects.exclude(postcode="").exists()


def test_osm_points_outside_the_boundary_get_a_warning(world):
    apply(world, plan_file(world, BUURTEN))
    plan = plan_file(world, OSM_UTRECHT)
    assert all("outside the neighbourhood's boundary" in r.warnings[0] for r in plan.rows)


def test_buurten_file_sets_the_boundary_of_the_neighbourhood_with_that_name(world):
    nb = world.a.neighbourhood  # "Populierenbuurt", like BU03620804
    plan = plan_file(world, BUURTEN)
    assert plan.what == "boundary"
    assert plan.boundary.chosen.code == "BU03620804"
    assert "name" in plan.boundary.reason
    version = type(nb).objects.get(pk=nb.pk).data_version
    outcome = apply(world, plan)
    nb.refresh_from_db()
    assert nb.data_version > version  # the map's kept list says it has a boundary now
    assert outcome.boundary == "BU03620804 · Populierenbuurt"
    assert nb.cbs_code == "BU03620804"
    assert geo.contains(nb.boundary, nb.centre_lat, nb.centre_lon)
    assert 52.2 < nb.centre_lat < 52.4 and 4.8 < nb.centre_lon < 4.9


def test_buurten_file_for_another_neighbourhood_asks_for_a_choice(world):
    nb = world.a.neighbourhood
    nb.name = "Elders"
    nb.save()
    plan = plan_file(world, BUURTEN)
    assert plan.has_errors
    assert "has 2 boundaries and none has the code or name" in plan.boundary.errors[0]
    with pytest.raises(reading.Refused):
        apply(world, plan)
    chosen = plan_file(world, BUURTEN, feature="BU03620802")
    apply(world, chosen)
    nb.refresh_from_db()
    assert nb.cbs_code == "BU03620802"


def test_boundary_in_rd_coordinates_is_refused(world):
    feature = {
        "type": "Feature",
        "properties": {"buurtcode": "BU1", "buurtnaam": "Populierenbuurt"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[120000, 480000], [121000, 480000], [121000, 481000], [120000, 480000]]
            ],
        },
    }
    plan = importing.build_plan("b.geojson", json.dumps(feature).encode(), world.a.neighbourhood)
    assert "RD coordinates" in plan.boundary.errors[0]


def _fixed_example(tmp_path, name="organization_full.json"):
    """The specification's example has latitude 100, longitude 101; put it in Amstelveen."""
    text = (HSDS / name).read_text()
    text = text.replace('"latitude": 100', '"latitude": 52.3').replace(
        '"longitude": 101', '"longitude": 4.86'
    )
    path = tmp_path / name
    path.write_text(text)
    return path


def test_hsds_example_with_its_impossible_latitude(world):
    plan = plan_file(world, HSDS / "organization_full.json")
    assert plan.what == "hsds"
    assert [r.errors for r in plan.bad_rows] == [["latitude 100 is not between -90 and 90."]]
    org_row = next(s for s in plan.sections if s.inventory == "organisations").rows[0]
    assert org_row.ok and "has problems" in org_row.warnings[0]


def test_hsds_json_organisation_with_services_and_locations(world, tmp_path):
    path = _fixed_example(tmp_path)
    plan = plan_file(world, path)
    assert not plan.has_errors, [r.errors for r in plan.bad_rows]
    apply(world, plan)
    org = Organisation.objects.get()
    assert org.external_id == json.loads((HSDS / "organization_full.json").read_text())["id"]
    assert org.kind == "institution"
    assert Place.objects.exists()
    assert Initiative.objects.exists()
    assert org.usual_place == Place.objects.get()
    assert Initiative.objects.get().meeting_place == org.usual_place
    again = plan_file(world, path)
    assert all(r.action == "unchanged" for r in again.rows)


def _package_folder(tmp_path):
    folder = tmp_path / "package"
    folder.mkdir()
    for csv_file in (HSDS / "csv").glob("*.csv"):
        shutil.copy(csv_file, folder)
    locations = (folder / "locations.csv").read_text().replace(",100,101,", ",52.3,4.86,")
    (folder / "locations.csv").write_text(locations)
    shutil.copy(importing.hsds.DESCRIPTOR, folder / "datapackage.json")
    return folder


def test_hsds_csv_package_as_folder_and_as_zip(world, tmp_path):
    folder = _package_folder(tmp_path)
    plan = importing.build_plan_from_folder(folder, world.a.neighbourhood)
    assert not plan.has_errors, [r.errors for r in plan.bad_rows]
    names = {s.inventory: [r.values["name"] for r in s.rows] for s in plan.sections}
    assert names["organisations"] == ["Example Organization Inc."]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, f"hsds/{path.name}")
    zipped = importing.build_plan("package.zip", buffer.getvalue(), world.a.neighbourhood)
    assert [r.values for r in zipped.rows] == [r.values for r in plan.rows]
    apply(world, zipped)
    place = Place.objects.get()
    assert (place.street, place.house_number) == ("1-30 Main Street", "")


def test_zip_that_is_not_a_data_package_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.txt", "hello")
    with pytest.raises(reading.Refused, match=r"no datapackage\.json"):
        importing.build_plan("x.zip", buffer.getvalue(), world.a.neighbourhood)


def test_damaged_zip_and_zip_bomb_are_refused(world, settings):
    with pytest.raises(reading.Refused, match="damaged"):
        importing.build_plan("x.zip", b"PK\x03\x04garbage", world.a.neighbourhood)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", b" " * (reading.MAX_UNPACKED + 1))
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(reading.Refused, match="unpacks to more than"):
        importing.build_plan("bomb.zip", buffer.getvalue(), world.a.neighbourhood)


def test_split_address():
    split = importing.hsds.split_address
    assert split("Dorpsstraat 12") == ("Dorpsstraat", "12")
    assert split("Van der Leekstraat 3 A") == ("Van der Leekstraat", "3 A")
    assert split("Laan 1-3") == ("Laan", "1-3")
    assert split("Plein") == ("Plein", "")

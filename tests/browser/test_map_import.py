"""The map offline, the location picker in the place form, and an import through the page."""

from playwright.sync_api import expect

from places.models import Place
from tests.exchange.factories import make_organisation, make_person, make_place
from tests.factories import PASSWORD

BOUNDARY = {
    "type": "Feature",
    "properties": {"buurtcode": "BU03620804", "buurtnaam": "Populierenbuurt"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [[4.85, 52.29], [4.87, 52.29], [4.87, 52.31], [4.85, 52.31], [4.85, 52.29]]
        ],
    },
}


def login_in_english(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()
    page.get_by_label("Taal").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def with_boundary(world):
    nb = world.a.neighbourhood
    nb.boundary = BOUNDARY
    nb.centre_lat, nb.centre_lon = 52.30, 4.86
    nb.save()
    return nb


def test_map_renders_offline_with_markers_and_the_list(page, live_server, world, screenshot, axe):
    nb = with_boundary(world)
    hall = make_place(nb, "Buurthuis", street="Populierenlaan", latitude=52.30, longitude=4.86)
    make_place(
        nb, "Speeltuin", kind="playground", street="Eikenlaan", latitude=52.295, longitude=4.855
    )
    make_organisation(nb, "Wijkvereniging", usual_place=hall)
    make_person(nb, "Ans", "Populierenlaan")
    make_person(nb, "Bert", "Populierenlaan")
    login_in_english(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/map/")
    page.wait_for_load_state()
    canvas = page.locator("[data-map]")
    expect(canvas).to_have_attribute("data-markers", "4")  # 2 places, 1 organisation, 1 street
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(1)  # the boundary
    people = page.locator(".map-marker-people")
    expect(people).to_have_text("2")
    list_view = page.locator("#map-results")
    for name in ("Buurthuis", "Speeltuin", "Wijkvereniging", "Populierenlaan"):
        expect(list_view.get_by_role("link", name=name)).to_be_visible()
    # a marker is reachable by keyboard and opens a popup linking to the detail page
    page.locator(".map-marker-places").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute(
        "href", f"/n/{world.a.slug}/places/{hall.pk}/"
    )
    # Leaflet fades the popup in; axe measures contrast, so wait until it is fully shown
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    screenshot("exchange-map")
    axe("map")
    # filtering swaps the list and redraws the markers
    page.get_by_label("People per street").uncheck()
    expect(list_view.get_by_role("link", name="Populierenlaan")).to_have_count(0)
    expect(canvas).to_have_attribute("data-markers", "3")


def test_place_form_marker_by_clicking_the_map(page, live_server, world, screenshot):
    with_boundary(world)
    login_in_english(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/places/new/")
    page.wait_for_load_state()
    picker = page.locator("[data-location-picker]")
    expect(picker).to_have_attribute("data-picker-ready", "1")
    small_map = page.locator(".location-picker-map")
    box = small_map.bounding_box()
    small_map.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    latitude, longitude = page.get_by_label("Latitude"), page.get_by_label("Longitude")
    expect(latitude).not_to_have_value("")
    assert abs(float(latitude.input_value()) - 52.30) < 0.01
    assert abs(float(longitude.input_value()) - 4.86) < 0.01
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator(".location-picker-warning")).to_be_hidden()
    # typing coordinates outside the boundary moves the marker and warns
    latitude.fill("52,40")
    expect(page.locator(".location-picker-warning")).to_contain_text("outside the boundary")
    latitude.fill(f"{52.30:.6f}")
    expect(page.locator(".location-picker-warning")).to_be_hidden()
    page.get_by_label("Name").fill("Bankje bij de vijver")
    page.get_by_label("Kind").select_option("other")
    screenshot("exchange-location-picker")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Bankje bij de vijver")).to_be_visible()
    place = Place.objects.get(name="Bankje bij de vijver")
    assert abs(place.latitude - 52.30) < 0.01 and abs(place.longitude - 4.86) < 0.01


def test_import_a_small_csv_through_the_page(page, live_server, world, tmp_path, screenshot):
    csv_file = tmp_path / "plekken.csv"
    csv_file.write_text(
        "naam;soort;straat;lat;lon\nBuurthuis De Populier;buurthuis;Populierenlaan;52,3;4,86\n"
        "Speeltuin;speeltuin;Eikenlaan;;\n",
        encoding="utf-8-sig",
    )
    login_in_english(page, live_server, "coordinator_a")
    page.get_by_role("link", name="Import").click()
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.get_by_role("button", name="Show the preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    mapping = page.locator("table.mapping")
    expect(mapping.locator("tr", has_text="naam")).to_contain_text("name")
    expect(page.locator("table.preview")).to_contain_text("Buurthuis De Populier")
    expect(page.locator(".count-create")).to_have_text("2 new")
    assert not Place.objects.exists()
    screenshot("exchange-import-preview")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("2 added, 0 updated, 0 unchanged")).to_be_visible()
    assert sorted(Place.objects.values_list("name", flat=True)) == [
        "Buurthuis De Populier",
        "Speeltuin",
    ]

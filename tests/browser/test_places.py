"""A place with its photos on a phone-sized screen; the place form's live checks."""

from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.places.factories import make_photo, make_place


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_resident_opens_a_place_with_photos_at_360px(page, live_server, world, screenshot, axe):
    place = make_place(
        world.a.neighbourhood,
        "Buurthuis De Populier",
        description="Grote zaal met een keuken.",
        accessibility="Drempelvrij; keuken met oven.",
        latitude=52.2935,
        longitude=4.8478,
    )
    for caption in ("De grote zaal", "De keuken", ""):
        make_photo(place, caption)
    answers = {}
    page.on("response", lambda r: answers.update({r.url: r.status}) if "/photos/" in r.url else 0)
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "resident_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/places/")
    page.get_by_role("link", name="Buurthuis De Populier").click()
    expect(page.get_by_role("heading", name="Buurthuis De Populier")).to_be_visible()
    images = page.locator(".photo-grid img")
    expect(images).to_have_count(3)
    expect(page.get_by_role("img", name="De keuken")).to_be_visible()
    page.wait_for_load_state("networkidle")
    for index in range(3):
        images.nth(index).scroll_into_view_if_needed()
        image = images.nth(index).element_handle()
        page.wait_for_function("img => img.complete", arg=image)
        assert image.evaluate("img => img.naturalWidth") > 0, f"photo {index}: {answers}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe("place detail")
    screenshot("places-detail-360")

    # the full photo opens through the access-checked URL
    with page.expect_response(lambda r: "/photos/" in r.url and r.status == 200) as info:
        page.get_by_role("img", name="De grote zaal").click()
    assert info.value.headers["content-type"] == "image/jpeg"


def test_builder_sees_live_coordinate_checks(page, live_server, world, screenshot, axe):
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server, "builder_a")
    page.goto(f"{live_server.url}/n/{world.a.slug}/places/new/")
    page.wait_for_load_state()
    axe("place form")
    page.locator("input[name=latitude]").fill("123")  # label text depends on the catalogue
    with page.expect_response(lambda r: r.request.method == "POST" and r.status == 200):
        page.locator("input[name=longitude]").focus()
    expect(page.locator("#coordinates-feedback")).to_contain_text("-90")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("places-form-360")

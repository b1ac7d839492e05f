"""The Mozilla Observatory's checks, reproduced on DEBUG-off responses; fails on regressions."""

import re

import pytest
from django.conf import settings

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.fixture
def signed_in(world, client):
    response = client.post(
        "/accounts/login/", {"username": "builder_a", "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    return client


def test_debug_is_off_under_test():
    assert settings.DEBUG is False


@pytest.mark.parametrize("path", ["/accounts/login/", "/n/populierenbuurt/"])
def test_content_security_policy(signed_in, path):
    response = signed_in.get(path, secure=True)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    for directive, sources in csp.items():
        assert "'unsafe-inline'" not in sources, directive
        assert "'unsafe-eval'" not in sources, directive
        assert "*" not in sources and "http:" not in sources and "https:" not in sources
    nonce = next(s for s in csp["script-src"] if s.startswith("'nonce-"))[7:-1]
    assert len(nonce) >= 16
    # every script element carries the nonce; no inline handlers, no hx-on, no style attrs
    html = response.text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert f'nonce="{nonce}"' in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "hx-on" not in html
    assert not re.search(r"\sstyle\s*=", html)


def test_hsts_and_other_headers(signed_in):
    response = signed_in.get("/n/populierenbuurt/", secure=True)
    hsts = response["Strict-Transport-Security"]
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 15_768_000  # six months, the Observatory's minimum
    assert "includeSubDomains" in hsts
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_secure_httponly_and_samesite(world, client):
    client.get("/accounts/login/", secure=True)
    response = client.post(
        "/accounts/login/", {"username": "builder_a", "password": PASSWORD}, secure=True
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] in {"Lax", "Strict"}
    csrf = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] in {"Lax", "Strict"}


def test_plain_http_is_redirected_in_production_settings(world, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_permissions_policy_refuses_devices_and_payment(signed_in):
    for path in ("/accounts/login/", "/n/populierenbuurt/", "/no-such-page/"):
        response = signed_in.get(path, secure=True)
        policy = dict(
            item.strip().split("=", 1) for item in response["Permissions-Policy"].split(",")
        )
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert policy[feature] == "()", (path, feature)


def test_no_response_with_personal_data_is_kept_by_a_browser_or_proxy(world, client_for):
    """Pages, fragments, JSON, exports, photos (and their placeholders), the login page and
    error pages: `private, no-store`, whatever the view set."""
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from tests.places.factories import jpeg_bytes, make_photo, make_place
    from tests.residents.factories import make_person

    slug = world.a.slug
    place = make_place(world.a.neighbourhood, "Buurthuis", latitude=52.3, longitude=4.86)
    photo = make_photo(place, "Zaal")
    person = make_person(world.a.neighbourhood, "Foto Frans")
    person.photo.save("p.jpg", ContentFile(jpeg_bytes()), save=True)
    no_photo = make_person(world.a.neighbourhood, "Ans")
    builder = client_for(world.a.builder)
    coordinator = client_for(world.a.coordinator)
    fragment = {"HX-Request": "true", "HX-Target": "results"}
    answers = {
        "page": builder.get(f"/n/{slug}/"),
        "fragment": builder.get(reverse("residents:people", args=[slug]), headers=fragment),
        "json": builder.get(reverse("maps:map_data", args=[slug])),
        "csv export": coordinator.get(
            reverse("exchange:export_download", args=[slug, "csv"]) + "?what=people"
        ),
        "place photo": builder.get(reverse("places:photo", args=[slug, place.pk, photo.pk])),
        "person photo": builder.get(reverse("residents:person_photo", args=[slug, person.pk])),
        "placeholder": builder.get(reverse("residents:person_photo", args=[slug, no_photo.pk])),
        "login page": client_for(None).get("/accounts/login/"),
        "not found": builder.get(f"/n/{slug}/people/999999/"),
    }
    for kind, response in answers.items():
        assert response.status_code in (200, 404), kind
        assert response["Cache-Control"] == "private, no-store", kind
        assert "Expires" not in response, kind
    assert (
        answers["fragment"].text.lstrip().startswith("<")
        and "<html" not in answers["fragment"].text
    )
    assert answers["json"]["Content-Type"] == "application/json"
    assert answers["csv export"]["Content-Disposition"].startswith("attachment")
    assert answers["placeholder"]["Content-Type"] == "image/svg+xml"
    assert answers["not found"].status_code == 404

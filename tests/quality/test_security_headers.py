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

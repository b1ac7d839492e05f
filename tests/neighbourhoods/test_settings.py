"""Settings from the environment, `check --deploy`, and the security headers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assetmap.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_silent_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 60 + "a-real-looking-secret-key-for-deploy-check",
        ALLOWED_HOSTS="assetmap.example.org",
        EMAIL_HOST="smtp.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_a_short_secret_key_when_debug_is_off():
    result = run_manage(
        "check", DEBUG="0", SECRET_KEY="s3cr3t-but-only-49-characters-long-xxxxxxxxxxxxxx"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is 49 characters long" in result.stderr
    assert "at least 50" in result.stderr


def test_a_short_secret_key_is_fine_in_development():
    result = run_manage("check", DEBUG="1", SECRET_KEY="short")
    assert result.returncode == 0, result.stderr


def test_the_test_runners_own_key_is_long_enough():
    from django.conf import settings

    assert settings.DEBUG is False
    assert len(settings.SECRET_KEY) >= 50


@pytest.mark.parametrize(
    ("url", "engine", "name"),
    [
        ("sqlite:///demo.sqlite3", "django.db.backends.sqlite3", "demo.sqlite3"),
        ("sqlite:////tmp/abs.sqlite3", "django.db.backends.sqlite3", "/tmp/abs.sqlite3"),
        (
            "postgres://u:p%40ss@db.example:5433/assetmap",
            "django.db.backends.postgresql",
            "assetmap",
        ),
    ],
)
def test_database_url(url, engine, name):
    config = database_from_url(url)
    assert config["ENGINE"] == engine
    assert str(config["NAME"]) == name
    if "postgres" in url:
        assert config["PASSWORD"] == "p@ss"
        assert config["PORT"] == "5433"
        assert config["CONN_MAX_AGE"] > 0


def test_unknown_database_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y")


def test_security_headers_and_csp(world, client_for):
    response = client_for(world.a.resident).get(f"/n/{world.a.slug}/")
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert " on" not in _inline_handler_attributes(response.text)


def _inline_handler_attributes(html: str) -> str:
    import re

    return " ".join(re.findall(r"\son[a-z]+=", html) + re.findall(r"\shx-on", html))


def test_a_shared_cache_keeps_sessions_in_it_too():
    show = "from django.conf import settings as s; print(s.SESSION_ENGINE, s.CACHES)"
    shared = run_manage("shell", "-c", show, DEBUG="1", CACHE_URL="redis://10.0.0.5:6379/3")
    assert shared.returncode == 0, shared.stderr
    assert "sessions.backends.cached_db" in shared.stdout
    assert "RedisCache" in shared.stdout and "redis://10.0.0.5:6379/3" in shared.stdout
    # a cache of each process's own would keep a session alive in the others after a logout
    own = run_manage("shell", "-c", show, DEBUG="1", CACHE_URL="")
    assert "sessions.backends.db " in own.stdout and "LocMemCache" in own.stdout

"""A production server starts without demo code and with settings that ignore the test runner."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # load every view module, as the first request does
from django.conf import settings
demo = sorted(m for m in sys.modules if m.endswith('.demo') or m.split('.')[0] == 'faker')
print('DEMO', demo)
print('HASHERS', settings.PASSWORD_HASHERS[0])
print('SSL', settings.SECURE_SSL_REDIRECT)
"""


def test_the_app_starts_without_demo_modules_or_faker():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="assetmap.settings",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="assetmap.example.org",
        # even with pytest importable and imported, production settings stay production
        PYTHONSTARTUP="",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import pytest\n" + PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "DEMO []" in result.stdout
    assert "PBKDF2" in result.stdout  # not the fast test hasher
    assert "SSL True" in result.stdout

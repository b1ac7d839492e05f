"""Benchmark-only settings: the app's settings plus the yardstick views (see bench/urls.py)."""

from assetmap.settings import *  # noqa: F403
from assetmap.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]

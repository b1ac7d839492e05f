"""Benchmark-only settings: the app's settings plus one bare view (see bench/urls.py)."""

from assetmap.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

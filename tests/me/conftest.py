import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The wrong-code counter lives in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()

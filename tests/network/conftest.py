import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures and suggestions are cached; every test starts without."""
    cache.clear()
    yield
    cache.clear()

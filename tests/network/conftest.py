import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures and suggestions are cached; every test starts without."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    """Texts built outside a request (suggestion reasons) read in English, as the pages do."""
    with translation.override("en"):
        yield

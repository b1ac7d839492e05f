import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Functions called outside a request (chains, reports, PDFs) speak English in tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference_prices(db):
    """The shipped reference prices and price index, loaded again if a transactional test
    flushed what the migration loaded."""
    from outcomes.prices import ensure_loaded

    ensure_loaded()

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Functions called outside a request (chains, reports, PDFs) speak English in tests."""
    with translation.override("en"):
        yield

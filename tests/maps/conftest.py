import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Plans and messages made outside a request read in English here."""
    with translation.override("en"):
        yield

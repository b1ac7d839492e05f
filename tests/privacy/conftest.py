import pytest
from django.core.cache import cache

from tests.access_table import populate

from .markers import build_hunt


@pytest.fixture
def hunt(world):
    """Neighbourhood A with a marker in every text field (``markers.build_hunt``)."""
    made = build_hunt(world)
    populate(world)  # the access table's sample objects: values for every URL argument
    cache.clear()
    return made

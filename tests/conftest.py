import pytest
from django.core.cache import cache
from django.test import Client

from .factories import World, make_world


@pytest.fixture
def world(db) -> World:
    """Two neighbourhoods and one person in every role of each, plus a stranger and staff."""
    return make_world()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: ids and data versions repeat between tests."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files (photos) of a test go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a test client logged in as that user (None: anonymous).

    It asks for English pages, so tests read the English source strings; the Dutch default
    has its own tests.
    """

    def make(user, language: str = "en") -> Client:
        c = Client(headers={"Accept-Language": language})
        if user is not None:
            c.force_login(user)
        return c

    return make

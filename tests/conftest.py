import pytest
from django.test import Client

from .factories import World, make_world


@pytest.fixture
def world(db) -> World:
    """Two neighbourhoods and one person in every role of each, plus a stranger and staff."""
    return make_world()


@pytest.fixture
def client_for(client):
    """`client_for(user)` gives a test client logged in as that user (None: anonymous)."""

    def make(user) -> Client:
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make

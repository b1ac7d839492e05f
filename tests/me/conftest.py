import pytest


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def noor(world, media):
    """Noor with something in every corner of the app (see tests/me/everywhere.py)."""
    from .everywhere import make_noor

    return make_noor(world)

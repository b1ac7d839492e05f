import pytest


@pytest.fixture(autouse=True)
def _stall_weeks(settings):
    """Tests read the default of eight weeks, whatever the environment says."""
    settings.OWNERSHIP_STALL_WEEKS = 8

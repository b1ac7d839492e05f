"""Settings for the test run: the production settings, plus what tests need.

The app's own settings (``assetmap/settings.py``) never ask whether tests are running.
"""

import os

# Before the settings read them: a key for the test run, and DEBUG off (as in production).
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "not-secret-" * 5)
os.environ.setdefault("DEBUG", "0")

from assetmap.settings import *  # noqa: F403
from assetmap.settings import ALLOWED_HOSTS, STORAGES

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
STORAGES = {
    **STORAGES,
    # no collectstatic before the tests: serve static files as they are
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP
EXCHANGE_IMPORT_IN_BACKGROUND = False  # imports run inside the request under test

"""Settings for the test run: the production settings, plus what tests need.

The app's own settings (``assetmap/settings.py``) never ask whether tests are running.
"""

import os
from importlib.util import find_spec

# Before the settings read them: a key for the test run, and DEBUG off (as in production).
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "not-secret-" * 5)
os.environ.setdefault("DEBUG", "0")

from assetmap.settings import *  # noqa: F403
from assetmap.settings import ALLOWED_HOSTS, INSTALLED_APPS, STORAGES, TASKS

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
STORAGES = {
    **STORAGES,
    # no collectstatic before the tests: serve static files as they are
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False  # the test client speaks plain HTTP

# Tasks run at once inside the request under test; the "database" alias lets a test run the
# real worker (django-tasks-db), and "rq" the same on the machine's Redis (database 15).
if not os.environ.get("TASK_BACKEND"):
    TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
if find_spec("django_tasks_rq"):  # a dev dependency
    INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")}}
    TASKS = {**TASKS, "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
# The URL walks and the API crawl make many requests a minute from one address; the rate
# limit's own test sets a small one.
HSDS_API_RATE_PER_MINUTE = 0
# Each test process its own memory cache, whatever CACHE_URL says (tests/neighbourhoods/
# test_shared_cache.py runs pages on Redis).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

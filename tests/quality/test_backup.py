"""Backups: a pg_dump of a live database restores into a fresh one and the app serves it."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from neighbourhoods.models import Membership, Neighbourhood
from tests.factories import make_world

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="pg_dump/pg_restore backups apply to PostgreSQL",
)


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict["USER"] or "postgres"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or "5432"
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DATABASE_URL=database_url, DEBUG="1", CONN_MAX_AGE="0")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


CHECK = """
from django.test import Client
from django.contrib.auth import get_user_model
from neighbourhoods.models import Membership, Neighbourhood
client = Client()
client.force_login(get_user_model().objects.get(username=%(user)r))
status = client.get("/n/%(slug)s/", HTTP_HOST="localhost").status_code
print(Neighbourhood.objects.count(), Membership.objects.count(), status)
"""


def test_dump_restores_into_a_fresh_database_that_serves(transactional_db, tmp_path):
    """The test database itself (migrated once for the session, two neighbourhoods with
    members committed here) is dumped, restored into a new database, and served from it."""
    world = make_world()
    before = [
        str(Neighbourhood.objects.count()),
        str(Membership.objects.count()),
        "200",
    ]
    settings_dict = connection.settings_dict
    target = f"assetmap_backup_dst_{uuid.uuid4().hex[:8]}"
    pg = {
        "PGHOST": settings_dict["HOST"] or "127.0.0.1",
        "PGPORT": str(settings_dict["PORT"] or "5432"),
        "PGUSER": settings_dict["USER"] or "postgres",
        "PGPASSWORD": settings_dict["PASSWORD"] or "",
    }
    env = {**os.environ, **pg}
    dump = tmp_path / "assetmap.dump"
    try:
        subprocess.run(
            ["pg_dump", "-Fc", "-f", str(dump), settings_dict["NAME"]], env=env, check=True
        )
        subprocess.run(["createdb", target], env=env, check=True)
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], env=env, check=True)
        check = CHECK % {"user": world.a.coordinator.username, "slug": world.a.slug}
        out = _manage(_url(settings_dict, target), "shell", "-c", check).stdout
        after = out.strip().splitlines()[-1].split()  # the shell may print a line first
        assert after == before
        assert int(after[0]) >= 2
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=env, check=False)

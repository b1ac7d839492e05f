"""Backups: a pg_dump of a live database restores into a fresh one and the app serves it."""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

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
client.force_login(get_user_model().objects.get(username="coordinator"))
status = client.get("/n/populierenbuurt/", HTTP_HOST="localhost").status_code
print(Neighbourhood.objects.count(), Membership.objects.count(), status)
"""


def test_dump_restores_into_a_fresh_database_that_serves(tmp_path):
    settings_dict = connection.settings_dict
    suffix = uuid.uuid4().hex[:8]
    source, target = f"assetmap_backup_src_{suffix}", f"assetmap_backup_dst_{suffix}"
    pg = {
        "PGHOST": settings_dict["HOST"] or "127.0.0.1",
        "PGPORT": str(settings_dict["PORT"] or "5432"),
        "PGUSER": settings_dict["USER"] or "postgres",
        "PGPASSWORD": settings_dict["PASSWORD"] or "",
    }
    env = {**os.environ, **pg}
    dump = tmp_path / "assetmap.dump"
    try:
        subprocess.run(["createdb", source], env=env, check=True)
        _manage(_url(settings_dict, source), "migrate", "--noinput")
        _manage(
            _url(settings_dict, source), "seed_demo", "--people", "10", "--password", "pw-x-2026"
        )
        before = _manage(_url(settings_dict, source), "shell", "-c", CHECK).stdout.split()
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], env=env, check=True)
        subprocess.run(["createdb", target], env=env, check=True)
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], env=env, check=True)
        after = _manage(_url(settings_dict, target), "shell", "-c", CHECK).stdout.split()
        assert after == before
        assert after[-1] == "200"
        assert int(after[0]) >= 2
    finally:
        for name in (source, target):
            subprocess.run(["dropdb", "--if-exists", name], env=env, check=False)

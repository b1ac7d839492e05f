"""What the benchmarks share: a PostgreSQL database seeded with the demo, the production
settings, gunicorn serving the app plus the bare yardstick view, and signed-in sessions.

Used by ``bench/inventory.py`` and ``bench/load.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-only-secret-key-not-for-production-0123456789abcdef"


def log(message: str) -> None:
    print(message, flush=True)


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def environment(host: str, database: str) -> dict:
    """Production settings (DEBUG off) on PostgreSQL, with the bare view of bench/urls.py."""
    static_root = Path(tempfile.gettempdir()) / "assetmap-bench-static"
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@{host}:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
    }


def prepare(args, env: dict) -> None:
    """Create the database if needed (``args.fresh``: from scratch), migrate, seed, static."""
    name = args.database
    exists = subprocess.run(
        [
            "psql",
            "-h",
            args.host,
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and args.fresh:
        run(["dropdb", "-h", args.host, "-U", "postgres", name], env)
        exists = ""
    if not exists:
        run(["createdb", "-h", args.host, "-U", "postgres", name], env)
    python = sys.executable
    log("== migrate")
    run([python, "manage.py", "migrate", "-v0"], env)
    # seed_demo is idempotent but moves the data version (the demo's dated rows), and a
    # new version makes the network's stored picture stale (14 minutes at 100,000 people).
    seeded = subprocess.run(
        ["psql", "-h", args.host, "-U", "postgres", "-tAc",
         "SELECT count(*) FROM residents_person", name],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if int(seeded or 0) >= args.people:
        log(f"== seeded already ({int(seeded):,} people)")
    else:
        log(f"== seed_demo --people {args.people} (idempotent)")
        started = time.monotonic()
        run([python, "manage.py", "seed_demo", "--people", str(args.people)], env)
        log(f"   seeded in {time.monotonic() - started:.1f} s")
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    # Steady state, as autovacuum would leave it: visibility map set, statistics fresh.
    run(["psql", "-h", args.host, "-U", "postgres", "-qc", "VACUUM ANALYZE", name], env)


def session_cookie(env: dict, username: str) -> str:
    """A session key for the user, made in the database (no login form, no lockout)."""
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, "
        "HASH_SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        f"u = get_user_model().objects.get(username={username!r})\n"
        "s = SessionStore()\n"
        "s[SESSION_KEY] = str(u.pk)\n"
        "s[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print('KEY', s.session_key)\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.search(r"KEY (\w+)", out)[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


@contextlib.contextmanager
def gunicorn(env: dict, port: int, workers: int, threads: int = 1) -> Iterator[subprocess.Popen]:
    """gunicorn on 127.0.0.1:port (sync workers, or gthread with ``threads`` > 1), stopped
    afterwards."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "assetmap.wsgi:application",
            "--workers",
            str(workers),
            *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/bench/bare", seconds=90)  # slow on a busy machine
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)

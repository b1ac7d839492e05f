"""Benchmark of the network figures, graph data and suggestions on PostgreSQL.

    uv run python bench/network.py              # seed (once), time, print, append to README
    uv run python bench/network.py --fresh      # drop and rebuild the benchmark database

A separate database (default ``assetmap_bench_network`` on 127.0.0.1:5432, user postgres,
trust) gets one neighbourhood of 20,000 people with about 60,000 gifts and 60,000
connections spread over three years (neighbours mostly, some across the neighbourhood, a few
ended), and 60 initiatives. The views are then called in-process through Django's test
client with DEBUG off, so the times are server time (no network, no browser): each URL
cold (figures cache cleared before every call) and warm, median and worst of several runs.
Not a test: nothing asserts. The figures' target is < 500 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-network"
SEED = 20261125


def log(message: str) -> None:
    print(message, flush=True)


def database(args) -> None:
    exists = subprocess.run(
        [
            "psql",
            "-h",
            args.host,
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'",
            "postgres",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and args.fresh:
        subprocess.run(["dropdb", "-h", args.host, "-U", "postgres", args.database], check=True)
        exists = ""
    if not exists:
        subprocess.run(["createdb", "-h", args.host, "-U", "postgres", args.database], check=True)


def setup_django(args) -> None:
    os.environ["DATABASE_URL"] = f"postgres://postgres@{args.host}:5432/{args.database}"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-long-enough-for-debug-off-settings")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["LOG_LEVEL"] = "ERROR"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assetmap.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # No collectstatic for an in-process run: plain static URLs instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def seed(people_count: int, connection_count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from neighbourhoods.models import Membership, Neighbourhood, Role
    from network.models import Connection, Initiative, InitiativeMember, Origin
    from residents.demo import FIRST_NAMES, GIFTS, LAST_NAMES
    from residents.models import PERSON_FIELDS, Audience, Gift, Person, Tag

    nb, _created = Neighbourhood.objects.get_or_create(slug=SLUG, defaults={"name": "Benchbuurt"})
    User = get_user_model()
    for username, role in (
        ("bench-coordinator", Role.COORDINATOR),
        ("bench-builder", Role.BUILDER),
        ("bench-resident", Role.RESIDENT),
    ):
        user, _c = User.objects.get_or_create(username=username)
        Membership.objects.get_or_create(user=user, neighbourhood=nb, defaults={"role": role})
    if Person.objects.in_neighbourhood(nb).count() >= people_count:
        log("   (already seeded)")
        return
    rng = random.Random(SEED)
    streets = [
        f"{rng.choice(['Linden', 'Populier', 'Kastanje', 'Eiken', 'Beuken', 'Wilgen'])}"
        f"{rng.choice(['laan', 'straat', 'hof', 'plein', 'kade'])} {i}"
        for i in range(60)
    ]
    with transaction.atomic():
        started = time.monotonic()
        audiences = [Audience.RESIDENTS.value] * 7 + [Audience.BUILDERS.value] * 3
        people = Person.objects.bulk_create(
            [
                Person(
                    neighbourhood=nb,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    street=rng.choice(streets),
                    visibility={field: rng.choice(audiences) for field in PERSON_FIELDS},
                )
                for _ in range(people_count)
            ],
            batch_size=5000,
        )
        log(f"   {len(people)} people in {time.monotonic() - started:.1f} s")
        names = sorted({t for *_rest, tags in GIFTS for t in tags})
        tags = {t.name: t for t in Tag.objects.resolve(nb, names)}
        gifts, gift_tags = [], []
        for person in people:
            for kind, title, description, tag_names in rng.sample(GIFTS, 3):
                gifts.append(
                    Gift(
                        person=person,
                        kind=kind,
                        title=title,
                        description=description,
                        share=rng.random() < 0.6,
                        learn=rng.random() < 0.25,
                    )
                )
                gift_tags.append(tag_names)
        Gift.objects.bulk_create(gifts, batch_size=5000)
        Through = Gift.tags.through
        Through.objects.bulk_create(
            [
                Through(gift_id=g.pk, tag_id=tags[n].pk)
                for g, ns in zip(gifts, gift_tags, strict=True)
                for n in ns
            ],
            batch_size=10000,
        )
        log(f"   {len(gifts)} gifts")
        by_street: dict[str, list] = {}
        for person in people:
            by_street.setdefault(person.street, []).append(person.pk)
        ids = [p.pk for p in people]
        street_of = {p.pk: p.street for p in people}
        today = datetime.date.today()
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < connection_count:
            a = rng.choice(ids)
            b = rng.choice(by_street[street_of[a]]) if rng.random() < 0.7 else rng.choice(ids)
            if a != b:
                pairs.add((min(a, b), max(a, b)))
        rows = []
        for a, b in pairs:
            since = (
                None
                if rng.random() < 0.1
                else today - datetime.timedelta(days=int(1100 * rng.random() ** 1.5))
            )
            ended = None
            if since and rng.random() < 0.05:
                ended = since + datetime.timedelta(
                    days=rng.randint(1, max(1, (today - since).days))
                )
            rows.append(
                Connection(
                    neighbourhood=nb,
                    person_id=a,
                    other_person_id=b,
                    origin=rng.choice(Origin.values),
                    since=since,
                    ended=ended,
                )
            )
        Connection.objects.bulk_create(rows, batch_size=5000)
        log(f"   {len(rows)} connections")
        for i in range(60):
            initiative = Initiative.objects.create(
                neighbourhood=nb, name=f"Initiatief {i}", status="active"
            )
            InitiativeMember.objects.bulk_create(
                [
                    InitiativeMember(
                        initiative=initiative,
                        person_id=pk,
                        joined=today - datetime.timedelta(days=rng.randint(0, 700)),
                    )
                    for pk in rng.sample(ids, rng.randint(5, 30))
                ]
            )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url: str, runs: int, *, cold: bool) -> tuple[list[float], list[float]]:
    """Wall-clock and this process's CPU milliseconds per request."""
    from django.core.cache import cache

    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url, secure=True)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def timed_call(func, runs: int, *, cold: bool = True) -> tuple[list[float], list[float]]:
    from django.core.cache import cache

    wall, cpu = [], []
    for _ in range(runs):
        if cold:
            cache.clear()
        started, cpu_started = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--database", default="assetmap_bench_network")
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-readme", action="store_true", help="print only")
    args = parser.parse_args()
    database(args)
    setup_django(args)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    log("== migrate")
    call_command("migrate", verbosity=0)
    log("== seed")
    seed(args.people, args.connections)

    from neighbourhoods.models import Neighbourhood
    from network import suggestions as sug
    from network.models import Connection
    from residents.models import Person

    nb = Neighbourhood.objects.get(slug=SLUG)
    people = Person.objects.in_neighbourhood(nb).count()
    connections = Connection.objects.in_neighbourhood(nb).count()
    User = get_user_model()
    clients = {}
    for name in ("bench-coordinator", "bench-resident"):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=name))
    base = f"/n/{SLUG}"
    rows = []

    def record(label, wall, cpu):
        row = (label, statistics.median(wall), max(wall), statistics.median(cpu))
        rows.append(row)
        log(f"   {label:56} median {row[1]:6.0f} ms  max {row[2]:6.0f} ms  cpu {row[3]:6.0f} ms")

    def measure(label, client, url, cold=True):
        record(label, *timed(client, url, args.runs, cold=cold))

    log("== timing (server time, in-process, DEBUG off)")
    coordinator, resident = clients["bench-coordinator"], clients["bench-resident"]
    measure(
        "figures JSON, then + now (cold: cache cleared)", coordinator, f"{base}/network/figures/"
    )
    measure("figures JSON, then + now (warm)", coordinator, f"{base}/network/figures/", cold=False)
    measure("figures JSON, resident's visible part (cold)", resident, f"{base}/network/figures/")
    measure(
        "bridges: sampled betweenness, own request (cold)",
        coordinator,
        f"{base}/network/figures/?bridges=1",
    )
    measure("graph data JSON, 2,000 of 20,000 shown (cold)", coordinator, f"{base}/network/data/")
    measure("graph data JSON (warm)", coordinator, f"{base}/network/data/", cold=False)
    measure("network page: figures + table (cold)", coordinator, f"{base}/network/")
    measure("network page: figures + table (warm)", coordinator, f"{base}/network/", cold=False)
    measure("dashboard: every app's panels, 12 months (cold)", coordinator, f"{base}/")
    measure("dashboard: every app's panels, 12 months (warm)", coordinator, f"{base}/", cold=False)
    measure("suggestions page, 20 pairs (cold)", coordinator, f"{base}/network/suggestions/")

    sample = list(Person.objects.in_neighbourhood(nb).order_by("?")[: args.runs])
    people_iter = iter(sample)
    record(
        "suggestions for one person (SQL + reasons)",
        *timed_call(lambda: sug.for_person(next(people_iter)), len(sample), cold=False),
    )
    record(
        f"suggestions for the dashboard ({sug.FOCUS_PEOPLE} focus people, cold)",
        *timed_call(lambda: sug.for_neighbourhood(nb), args.runs),
    )
    if args.no_readme:
        return
    from django.db import connection as db

    with db.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    load = os.getloadavg()[0]
    lines = [
        "",
        "## Network: figures, graph data and suggestions (`bench/network.py`)",
        "",
        f"{datetime.date.today():%Y-%m-%d}, PostgreSQL {version.split()[0]}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores shared with other work "
        f"(load average {load:.1f} at the end of the run). "
        f"{people:,} people, {connections:,} connections, in-process Django test client "
        f"(server time only), DEBUG off, {args.runs} runs each. *Cold*: the figures cache "
        "cleared before every call (what the first visitor after a change waits); *warm*: "
        "cached under the data's fingerprint. *CPU*: what the Django process itself spent "
        "on the processor (PostgreSQL's share not included); on a shared machine the fairer "
        "view of this code's cost. Target: figures < 500 ms.",
        "",
        "| what | median | worst | median CPU of the Django process |",
        "|---|---:|---:|---:|",
        *[
            f"| {label} | {median:.0f} ms | {worst:.0f} ms | {cpu:.0f} ms |"
            for label, median, worst, cpu in rows
        ],
        "",
    ]
    with (ROOT / "bench" / "README.md").open("a") as readme:
        readme.write("\n".join(lines))
    log("== appended to bench/README.md")


if __name__ == "__main__":
    main()

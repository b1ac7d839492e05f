"""Every page under /n/<slug>/ against a bare Django response, warm and cold, at scale.

    uv run python bench/pages.py                       # 20,000 people: the table of issue #19
    uv run python bench/pages.py --sizes 2000,20000,100000 --rounds 1   # + the scaling table
    uv run python bench/pages.py --profile             # where the time goes, per page
    uv run python bench/pages.py --calls               # Python calls per page (deterministic)
    uv run python bench/pages.py --in-process 15 --rounds 4 --sizes 2000,20000,100000
                                                       # ms per page and size, sizes in turn
    uv run python bench/pages.py --cache local         # each process its own cache (default:
                                                       # CACHE_URL on Redis, database 13)

For each size a PostgreSQL database ``assetmap_pages_<people>`` on 127.0.0.1:5432 (user
postgres, trust) is created once: ``seed_demo --people N`` (N people with 3N gifts in
Populierenbuurt, plus the demo's organisations, places, conversations and outcomes), then
connections topped up to 3N (70 % within a street, since-dates over three years, a few
ended), then ``VACUUM ANALYZE``. gunicorn serves the app with DEBUG off (``bench.settings``:
the app plus ``/bench/bare``, a bare HttpResponse behind the whole middleware stack, and
``/bench/floor/<slug>/``, an empty page behind the same access check and base template as
every page: the ceiling of their ratios), ``--workers 2 --threads 4`` (gthread). wrk loads
with 8 connections. Each round interleaves, per page: the bare view and the page *warm* (one
URL again and again: the results cache may answer), then the bare view and the page *cold*
(a query string never asked before on every request, so no cache keyed by the URL can
answer; the bare view gets one too). Each ratio is taken against the bare run just before
it. It prints the median of the rounds for req/s, the ratio (and the lowest), p50/p95 (and
the highest p95) and the page's query count (counted in-process with the results cache
cleared), and with several sizes a scaling table (cold req/s per size, and the fall from
the smallest to the largest).

``--profile`` runs each page in-process (Django test client, DEBUG off, cache cleared) with
pyinstrument and prints the slowest frames and the slowest SQL per page. ``--calls`` counts
the Python calls of a never-asked request per page (cProfile): a measure of the Python work
that does not move with the machine's load, where its timings swing by a factor of three.

Not a test: nothing asserts. Targets (issue #19): every page >= 10 % of bare, warm and cold,
p95 < 100 ms (search < 50 ms), and req/s falling by no more than a third from the smallest
size to the largest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import environment, gunicorn, log, prepare, session_cookie  # noqa: E402
from bench.inventory import check, load  # noqa: E402

SLUG = "populierenbuurt"
SEARCH_TERMS = ["fiets", "koken", "taal", "lindenlaan", "muziek", "tuin", "computer", "cafe"]
NB = f"/n/{SLUG}"
# (label, paths): one path, or several cycled (search)
PAGES: list[tuple[str, list[str]]] = [
    # Not a page: the session, user, membership and base.html every page pays, with nothing
    # in it (bench/urls.py). Its ratio is the ceiling of every page's ratio.
    ("floor (empty page)", [f"/bench/floor/{SLUG}/"]),
    ("dashboard", [f"{NB}/"]),
    ("people", [f"{NB}/people/"]),
    ("gifts (kind=heart)", [f"{NB}/gifts/?kind=heart"]),
    ("organisations", [f"{NB}/organisations/"]),
    ("places", [f"{NB}/places/"]),
    ("search (8 queries)", [f"{NB}/search/?q={t}" for t in SEARCH_TERMS]),
    ("conversations", [f"{NB}/conversations/"]),
    ("initiatives", [f"{NB}/initiatives/"]),
    ("network", [f"{NB}/network/"]),
    ("map", [f"{NB}/map/"]),
    ("outcomes", [f"{NB}/outcomes/"]),
    ("report", [f"{NB}/outcomes/report/"]),
    ("coverage", [f"{NB}/network/coverage/"]),
    ("reflections", [f"{NB}/ownership/reflections/"]),
]
BARE = ["/bench/bare"]


def top_up_connections(people: int) -> None:
    """Connections up to three per person (run inside Django, see ``--top-up``)."""
    import datetime
    import random

    from django.db import connection, transaction

    from neighbourhoods.freshness import touch
    from neighbourhoods.models import Neighbourhood
    from network.models import Connection, Origin
    from residents.models import Person

    nb = Neighbourhood.objects.get(slug=SLUG)
    target = 3 * people
    have = Connection.objects.filter(neighbourhood=nb).count()
    if have >= target * 0.95:
        log(f"   {have} connections (enough)")
        return
    rng = random.Random(20261207)
    rows = list(Person.objects.filter(neighbourhood=nb).values_list("pk", "street"))
    ids = [pk for pk, _street in rows]
    by_street: dict[str, list[int]] = {}
    for pk, street in rows:
        by_street.setdefault(street, []).append(pk)
    street_of = dict(rows)
    pairs = set(
        Connection.objects.filter(neighbourhood=nb, other_person__isnull=False).values_list(
            "person_id", "other_person_id"
        )
    )
    pairs |= {(b, a) for a, b in pairs}
    today = datetime.date.today()
    new = []
    while have + len(new) < target:
        a = rng.choice(ids)
        b = rng.choice(by_street[street_of[a]]) if rng.random() < 0.7 else rng.choice(ids)
        if a == b or (a, b) in pairs:
            continue
        pairs |= {(a, b), (b, a)}
        since = today - datetime.timedelta(days=int(1100 * rng.random() ** 1.5))
        ended = None
        if rng.random() < 0.05:
            ended = since + datetime.timedelta(days=rng.randint(1, max(1, (today - since).days)))
        new.append(
            Connection(
                neighbourhood=nb,
                person_id=min(a, b),
                other_person_id=max(a, b),
                origin=rng.choice(Origin.values),
                since=since,
                ended=ended,
            )
        )
    with transaction.atomic():
        Connection.objects.bulk_create(new, batch_size=5000)
        touch(nb.pk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"   {have + len(new)} connections ({len(new)} added)")


def django_call(env: dict, code: str) -> str:
    script = f"import django\ndjango.setup()\n{code}\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT), "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    return done.stdout


# Every in-process script starts here: the test client signed in as the user, static
# files as they are, and ``fresh``: query strings never asked before, in this run or any
# other (a shared cache outlives runs).
CLIENT = """
import itertools
import uuid
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.conf import settings
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
client.force_login(get_user_model().objects.get(username=%(user)r))
fresh = (f"{run}-{n}" for run in [uuid.uuid4().hex[:12]] for n in itertools.count())
"""


QUERY_COUNT = (
    CLIENT
    + """
for path in %(paths)r:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path, secure=True).status_code
    assert status == 200, (path, status)
    print("Q", path, status, len(queries))
"""
)


def query_counts(env: dict, user: str) -> dict[str, int]:
    paths = [paths[0] for _label, paths in PAGES]
    out = django_call(env, QUERY_COUNT % {"user": user, "paths": paths})
    counts = {}
    for line in out.splitlines():
        if line.startswith("Q "):
            _q, path, status, count = line.split()
            counts[path] = int(count) if status == "200" else -int(status)
    return counts


PROFILE = (
    CLIENT
    + """
import time
from pyinstrument import Profiler
for path in %(paths)r:
    assert client.get(path, secure=True).status_code == 200, path  # imports, templates
    cache.clear()
    profiler = Profiler(interval=0.0005)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.start()
        client.get(path, secure=True)
        profiler.stop()
        took = (time.perf_counter() - started) * 1000
    sql = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"=== {path}: {took:.0f} ms, {len(queries)} queries, {sql_ms:.0f} ms in SQL")
    for q in sql[:3]:
        print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:160]}")
    print(profiler.output_text(unicode=False, color=False, show_all=False)[:%(chars)d])
"""
)


CALLS = (
    CLIENT
    + """
import cProfile
import pstats
for label, path in %(pages)r:
    sep = "&" if "?" in path else "?"
    for _ in range(2):  # imports, templates, per-process caches
        assert client.get(f"{path}{sep}calls={next(fresh)}", secure=True).status_code == 200
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(f"{path}{sep}calls={next(fresh)}", secure=True)
    profiler.disable()
    print(f"| {label} | {pstats.Stats(profiler).total_calls / 5:,.0f} |")
"""
)


IN_PROCESS = (
    CLIENT
    + """
import statistics
import time
for label, path in %(pages)r:
    sep = "&" if "?" in path else "?"
    first = time.perf_counter()
    assert client.get(f"{path}{sep}first={next(fresh)}", secure=True).status_code == 200
    first = time.perf_counter() - first
    client.get(f"{path}{sep}first={next(fresh)}", secure=True)
    took = []
    for _ in range(%(requests)d):
        started = time.perf_counter()
        client.get(f"{path}{sep}inprocess={next(fresh)}", secure=True)
        took.append(time.perf_counter() - started)
    print(f"T\t{label}\t{statistics.median(took) * 1000:.1f}\t{first * 1000:.0f}")
"""
)


def in_process(env: dict, user: str, requests: int) -> dict[str, tuple[float, float]]:
    """Per page: the median ms of never-asked requests through the test client (after two
    that fill the process's caches), and the first request's ms (templates, imports,
    what the process keeps). Wall time: the database's share included."""
    pages = [(label, paths[0]) for label, paths in PAGES]
    out = django_call(
        {**env, "DEBUG": "0"}, IN_PROCESS % {"user": user, "pages": pages, "requests": requests}
    )
    found = {}
    for line in out.splitlines():
        if line.startswith("T\t"):
            _t, label, median, first = line.split("\t")
            found[label] = (float(median), float(first))
    return found


def report_in_process(by_size: dict[int, dict[str, tuple[float, float]]]) -> None:
    sizes = sorted(by_size)
    log(
        "\nIn-process, ms per never-asked request (median of the rounds' medians; the "
        "process's first request in brackets)"
    )
    log("| page | " + " | ".join(f"{s:,}" for s in sizes) + " | rise |")
    log("|---|" + "---:|" * (len(sizes) + 1))
    for label, _paths in PAGES:
        cells = [by_size[s][label] for s in sizes]
        rise = cells[-1][0] / cells[0][0] - 1
        log(
            f"| {label} | "
            + " | ".join(f"{median:.1f} ({first:.0f})" for median, first in cells)
            + f" | {rise * 100:+.0f} % |"
        )


def calls(env: dict, user: str) -> None:
    """Python calls per never-asked request, per page (cProfile's count): the same on every
    run, where this machine's timings swing by a factor of two or three."""
    pages = [(label, paths[0]) for label, paths in PAGES]
    log("| page | Python calls a request |\n|---|---:|")
    print(django_call({**env, "DEBUG": "0"}, CALLS % {"user": user, "pages": pages}), end="")


def profile(env: dict, user: str, chars: int, only: str = "") -> None:
    paths = [paths[0] for _label, paths in PAGES]
    env = {**env, "DEBUG": "0"}
    # CaptureQueriesContext records SQL times even with DEBUG off
    print(django_call(env, PROFILE % {"user": user, "paths": paths, "chars": chars}))


def setup(args, people: int) -> dict:
    database = f"assetmap_pages_{people}"
    env = environment(args.host, database)
    if args.cache == "redis":  # one cache for both workers, emptied before each size
        env["CACHE_URL"] = REDIS_CACHE
        subprocess.run(["redis-cli", "-u", REDIS_CACHE, "flushdb"], check=True, capture_output=True)
    prepare(
        argparse.Namespace(host=args.host, fresh=args.fresh, people=people, database=database), env
    )
    log("== connections: three per person")
    code = f"from bench.pages import top_up_connections\ntop_up_connections({people})"
    print(django_call(env, code), end="")
    # The network page draws the stored picture a worker computes after a change (42 s at
    # 20,000 people); without it the page shows "being computed" and draws nothing. The
    # fifth round's network figures were measured without it.
    log("== the network's stored picture, as the worker computes it (when out of date)")
    started = time.monotonic()
    print(django_call(env, SNAPSHOTS), end="")
    log(f"   in {time.monotonic() - started:.0f} s")
    return env


REDIS_CACHE = "redis://127.0.0.1:6379/13"
SNAPSHOTS = """
from neighbourhoods.models import Neighbourhood
from network.snapshot import refresh_snapshot
for pk in Neighbourhood.objects.values_list("pk", flat=True):
    refresh_snapshot.call(pk)
"""


def run_size(args, people: int) -> list[dict]:
    env = setup(args, people)
    if args.profile:
        profile(env, args.user, args.chars, args.only)
        return []
    if args.calls:
        calls(env, args.user)
        return []
    counts = query_counts(env, args.user)
    cookie = session_cookie(env, args.user)
    base = f"http://127.0.0.1:{args.port}"
    duration = argparse.Namespace(duration=args.duration)
    results: dict[str, dict] = {
        label: {"warm": [], "cold": [], "bare warm": [], "bare cold": []} for label, _ in PAGES
    }
    log(f"== load average before: {Path('/proc/loadavg').read_text().split()[:3]}")
    with gunicorn(env, args.port, args.workers, threads=args.threads):
        for _label, paths in PAGES:
            for path in paths:
                if (status := check(base + path, cookie)) != 200:
                    raise SystemExit(f"{path} answered {status}")
        for round_ in range(args.rounds):
            for label, paths in PAGES:
                # each run right after a bare run loaded the same way: this machine's speed
                # drifts by up to two between runs seconds apart (bench/README.md)
                if not args.cold_only:
                    bare = load(base, BARE, cookie, duration, args.connections, 2, False)
                    results[label]["bare warm"].append(bare)
                    warm = load(base, paths, cookie, duration, args.connections, 2, False)
                    results[label]["warm"].append(warm)
                bare = load(base, BARE, cookie, duration, args.connections, 2, True)
                results[label]["bare cold"].append(bare)
                cold = load(base, paths, cookie, duration, args.connections, 2, True)
                results[label]["cold"].append(cold)
                log(
                    f"   round {round_ + 1} {label:22} bare {bare['rps']:7.0f}/s  "
                    + (f"warm {warm['rps']:6.0f}/s  " if not args.cold_only else "")
                    + f"cold {cold['rps']:6.0f}/s  p95 {cold['P95']:.0f} ms"
                )
    rows = []
    for label, paths in PAGES:
        r = results[label]
        row = {"label": label, "people": people, "queries": counts.get(paths[0])}
        for kind in ("warm", "cold"):
            if not r[kind]:
                continue
            bares = r[f"bare {kind}"]
            ratios = [run["rps"] / bare["rps"] for run, bare in zip(r[kind], bares, strict=True)]
            row[kind] = {
                "rps": statistics.median(run["rps"] for run in r[kind]),
                "ratio": statistics.median(ratios),
                "lowest": min(ratios),
                "P50": statistics.median(run["P50"] for run in r[kind]),
                "P95": statistics.median(run["P95"] for run in r[kind]),
                "worst P95": max(run["P95"] for run in r[kind]),
                "errors": sum(run["errors"] for run in r[kind]),
            }
        rows.append(row)
    return rows


def _ratio(figures: dict) -> str:
    return f"{figures['ratio'] * 100:.1f} % ({figures['lowest'] * 100:.1f} %)"


def report(args, by_size: dict[int, list[dict]]) -> None:
    log("")
    log(
        f"gunicorn {args.workers} workers x {args.threads} threads (gthread), DEBUG off, "
        f"PostgreSQL; user {args.user}; wrk -t2 -c{args.connections}, {args.duration} s per run,"
        f" {args.rounds} round(s); each figure the median of the rounds (in brackets: the"
        " lowest ratio, the highest p95); each ratio against a bare run just before, loaded"
        f" the same way; cache: {args.cache}"
    )
    log(f"load average at the end: {Path('/proc/loadavg').read_text().split()[:3]}")
    for people, rows in by_size.items():
        log(f"\n{people:,} people")
        log("| page | queries | warm req/s | warm vs bare | cold req/s | cold vs bare | "
            "cold p50 ms | cold p95 ms | errors |")  # fmt: skip
        log("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in rows:
            warm, cold = row.get("warm"), row["cold"]
            warm_cells = f"{warm['rps']:.0f} | {_ratio(warm)}" if warm else "– | –"
            log(
                f"| {row['label']} | {row['queries']} | {warm_cells} | {cold['rps']:.0f} | "
                f"{_ratio(cold)} | {cold['P50']:.1f} | {cold['P95']:.1f} "
                f"({cold['worst P95']:.0f}) | {cold['errors'] + (warm['errors'] if warm else 0)} |"
            )
    if len(by_size) > 1:
        sizes = sorted(by_size)
        log("\nScaling, cold req/s as % of bare (req/s); the fall is of req/s, as issue #19 asks")
        log("| page | " + " | ".join(f"{s:,}" for s in sizes) + " | fall |")
        log("|---|" + "---:|" * (len(sizes) + 1))
        for i, (label, _paths) in enumerate(PAGES):
            cells = [by_size[s][i]["cold"] for s in sizes]
            fall = 1 - cells[-1]["rps"] / cells[0]["rps"]
            log(
                f"| {label} | "
                + " | ".join(f"{c['ratio'] * 100:.1f} % ({c['rps']:.0f})" for c in cells)
                + f" | {fall * 100:.0f} % |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--sizes", default="20000", help="people per run, comma-separated")
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the databases")
    parser.add_argument("--port", type=int, default=8798)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=int, default=4, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cold-only", action="store_true")
    parser.add_argument("--user", default="coordinator")
    parser.add_argument(
        "--cache",
        choices=["redis", "local"],
        default="redis",
        help="CACHE_URL on the machine's Redis (database 13), as the README's production "
        "setup; local: each process its own memory, as in the rounds before the seventh",
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument per page instead")
    parser.add_argument("--chars", type=int, default=2500, help="profile output per page")
    parser.add_argument("--calls", action="store_true", help="Python calls per page instead")
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="instead of wrk: N never-asked requests per page through the test client, "
        "the median ms per size (steadier than wrk on a busy machine)",
    )
    parser.add_argument("--only", default="", help="these pages (first word of labels, comma)")
    args = parser.parse_args()
    if args.only:  # the pages named by the first word of their label
        PAGES[:] = [page for page in PAGES if page[0].split()[0] in args.only.split(",")]
    started = time.monotonic()
    by_size = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.in_process:
        envs = {}
        for people in sizes:
            log(f"==== {people:,} people")
            envs[people] = setup(args, people)
        # The sizes take turns, in one order and then the other, so that the machine's
        # drift (two-fold within minutes here) falls on every size alike.
        runs: dict[int, list[dict[str, tuple[float, float]]]] = {p: [] for p in sizes}
        for round_ in range(args.rounds):
            for people in sizes if round_ % 2 == 0 else sizes[::-1]:
                log(f"   round {round_ + 1}: {people:,} people")
                runs[people].append(in_process(envs[people], args.user, args.in_process))
        report_in_process(
            {
                people: {
                    label: (
                        statistics.median(run[label][0] for run in found),
                        statistics.median(run[label][1] for run in found),
                    )
                    for label in found[0]
                }
                for people, found in runs.items()
            }
        )
        log(f"\n({time.monotonic() - started:.0f} s; {os.cpu_count()} cores)")
        return
    for people in sizes:
        log(f"==== {people:,} people")
        by_size[people] = run_size(args, people)
    if not (args.profile or args.calls):
        report(args, by_size)
    log(f"\n({time.monotonic() - started:.0f} s; {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()

"""Benchmark: many neighbourhoods in many organisations (issue #18). Not a test.

    uv run python bench/operators.py             # seed both databases (once), serve, measure

In one run:
1. two PostgreSQL databases: ``assetmap_bench_one`` (the demo: two neighbourhoods of 500
   people) and ``assetmap_bench_ops`` (the same plus ``seed_demo --neighbourhoods 1000
   --people 500``: 1,000 neighbourhoods of 500 people, 500,000 people in all, with a tie per
   two people and a conversation per ten, in 20 organisations; the first runs 100 of them);
2. gunicorn (2 sync workers each, DEBUG off, ``bench.settings``) on both databases at once;
   the demo coordinator's pages of Populierenbuurt are loaded sequentially (one connection,
   no queueing), in alternating rounds on the small and the large database, and the bare
   view as the yardstick: p50/p95 per page, the ratio of each page to the bare view, and the
   ratio of the large database to the small one;
3. the dashboard of the organisation of 100 neighbourhoods (its admin's session), p50/p95;
   and, in-process, the number of queries of that dashboard for organisations of 100 and of
   about 47 neighbourhoods.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import environment, gunicorn, log, run, session_cookie  # noqa: E402

PAGES = [
    ("bare HttpResponse", "/bench/bare"),
    ("neighbourhood dashboard", "/n/populierenbuurt/"),
    ("people list", "/n/populierenbuurt/people/"),
    ("gift list", "/n/populierenbuurt/gifts/"),
    ("search", "/n/populierenbuurt/search/?q=fiets"),
    ("network", "/n/populierenbuurt/network/"),
    ("conversations", "/n/populierenbuurt/conversations/"),
    ("outcomes", "/n/populierenbuurt/outcomes/"),
]
QUERY_COUNT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from operators.models import Operator, OperatorAdmin
for op in Operator.objects.filter(slug__in=["schaal-organisatie-1", "schaal-organisatie-2"]):
    admin = OperatorAdmin.objects.filter(operator=op).first().user
    c = Client(SERVER_NAME="127.0.0.1")
    c.force_login(admin)
    c.get(f"/o/{op.slug}/")
    with CaptureQueriesContext(connection) as q:
        r = c.get(f"/o/{op.slug}/")
    print("QUERIES", op.slug, op.links.count(), r.status_code, len(q))
"""


def database(args, name: str, extra: list[str], env: dict) -> None:
    exists = subprocess.run(
        ["psql", "-h", args.host, "-U", "postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname = '{name}'", "postgres"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if exists and args.fresh:
        run(["dropdb", "-h", args.host, "-U", "postgres", name], env)
        exists = ""
    if not exists:
        run(["createdb", "-h", args.host, "-U", "postgres", name], env)
    elif args.no_seed:
        return
    python = sys.executable
    run([python, "manage.py", "migrate", "-v0"], env)
    started = time.monotonic()
    run([python, "manage.py", "seed_demo", "--people", "500", *extra], env)
    log(f"   {name} seeded in {time.monotonic() - started:.0f} s")
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    run(["psql", "-h", args.host, "-U", "postgres", "-qc", "VACUUM ANALYZE", name], env)


def timings(url: str, cookie: str, n: int) -> list[float]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    for _ in range(5):  # warm up: connections, caches, imports
        urllib.request.urlopen(request, timeout=30).read()
    result = []
    for _ in range(n):
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            assert response.status == 200, (url, response.status)
        result.append(1000 * (time.perf_counter() - started))
    return result


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--neighbourhoods", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--no-seed", action="store_true", help="use the databases as they are")
    args = parser.parse_args()
    results: dict[str, dict] = {"one": {}, "ops": {}}
    envs, cookies = {}, {}
    for label, name, extra in (
        ("one", "assetmap_bench_one", []),
        ("ops", "assetmap_bench_ops", ["--neighbourhoods", str(args.neighbourhoods)]),
    ):
        envs[label] = env = environment(args.host, name)
        log(f"== {name}")
        database(args, name, extra, env)
        cookies[label] = session_cookie(env, "coordinator")
    admin = session_cookie(envs["ops"], "schaal-admin-1")
    ports = {"one": args.port, "ops": args.port + 1}
    # Both servers at once; each page is measured in alternating rounds on the small and the
    # large database, so load from elsewhere on the machine falls on both alike.
    with contextlib.ExitStack() as stack:
        for label in ("one", "ops"):
            stack.enter_context(gunicorn(envs[label], ports[label], 2))
        rounds = 10
        for page, path in PAGES:
            for label in ("one", "ops"):
                results[label][page] = []
            for _ in range(rounds):
                for label in ("one", "ops"):
                    url = f"http://127.0.0.1:{ports[label]}{path}"
                    results[label][page] += timings(url, cookies[label], args.requests // rounds)
        results["dashboard"] = timings(
            f"http://127.0.0.1:{ports['ops']}/o/schaal-organisatie-1/", admin, args.requests
        )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", QUERY_COUNT],
        cwd=ROOT, env=envs["ops"], capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    results["queries"] = [line for line in out.splitlines() if line.startswith("QUERIES")]
    log("")
    log(f"| page | p50 ms (1 nb) | p95 ms (1 nb) | p50 ms ({args.neighbourhoods} nb) | "
        f"p95 ms ({args.neighbourhoods} nb) | vs bare (1 nb) | vs bare (many) | large ÷ small (p50) |")  # fmt: skip
    log("|---|---:|---:|---:|---:|---:|---:|---:|")
    bare_one = p(results["one"]["bare HttpResponse"], 50)
    bare_ops = p(results["ops"]["bare HttpResponse"], 50)
    for page, _path in PAGES:
        one, ops = results["one"][page], results["ops"][page]
        log(
            f"| {page} | {p(one, 50):.1f} | {p(one, 95):.1f} | {p(ops, 50):.1f} | {p(ops, 95):.1f} "
            f"| {p(one, 50) / bare_one:.1f}× | {p(ops, 50) / bare_ops:.1f}× "
            f"| {p(ops, 50) / p(one, 50):.2f} |"
        )
    dash = results["dashboard"]
    log("")
    log(f"organisation dashboard over 100 neighbourhoods: p50 {p(dash, 50):.1f} ms, "
        f"p95 {p(dash, 95):.1f} ms, max {max(dash):.1f} ms ({len(dash)} requests)")  # fmt: skip
    for line in results["queries"]:
        log(line)


if __name__ == "__main__":
    main()

"""Benchmark of the asset inventory on PostgreSQL with gunicorn (DEBUG off) and wrk.

    uv run python bench/inventory.py            # seed (once), serve, load, print the table

Steps: create the database if needed (default ``assetmap_bench`` on 127.0.0.1:5432, user
postgres), migrate, ``seed_demo --people 20000`` (20,000 people with 60,000 gifts in the
first neighbourhood; idempotent), collect static files, start gunicorn with
``bench.settings`` (the app plus a bare ``/bench/bare`` view), sign in as the demo
coordinator by a session cookie, then load every URL with wrk in the same run and print
req/s, p50/p95/p99 latency and the ratio to the bare view. Not a test: nothing asserts.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import environment, gunicorn, log, prepare, session_cookie  # noqa: E402

SLUG = "populierenbuurt"
SEARCH_TERMS = ["fiets", "koken", "taal", "lindenlaan", "muziek", "tuin", "computer", "cafe"]
DUTCH_TERMS = ["groente", "koffieclub", "fitsen"]  # a stem, a new kind, a typo

LUA = """
local paths = {%(paths)s}
local cold = %(cold)s
local i, n, threads = 0, 0, 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  i = i %% #paths + 1
  local path = paths[i]
  if cold then
    -- a query string never asked before: the results cache cannot answer
    n = n + 1
    -- (the run's own token too: a cache shared by rounds must not have seen it either)
    path = path .. (path:find("?", 1, true) and "&" or "?") .. "cold=%(run)s-" .. (tid or 0) .. "-" .. n
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("P50 %%d\\nP95 %%d\\nP99 %%d\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def check(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def load(
    base: str, paths: list[str], cookie: str, args, connections: int, threads: int, cold: bool
) -> dict:
    script = LUA % {
        "paths": ", ".join(f'"{p}"' for p in paths),
        "cold": str(cold).lower(),
        "run": uuid.uuid4().hex[:12],
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{args.duration}s",
                "--latency",
                "-s",
                handle.name,
                "-H",
                f"Cookie: sessionid={cookie}",
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.duration + 60,
        ).stdout
    finally:
        os.unlink(handle.name)
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}
    for p in ("P50", "P95", "P99"):
        result[p] = int(re.search(rf"{p} (\d+)", out)[1]) / 1000  # µs → ms
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = int(bad[1]) if bad else 0
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "assetmap_bench"))
    parser.add_argument(
        "--only", default="", help="only rows whose label contains one of these (comma-separated)"
    )
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds per URL")
    parser.add_argument("--user", default="coordinator")
    args = parser.parse_args()

    env = environment(args.host, args.database)
    prepare(args, env)
    cookie = session_cookie(env, args.user)
    base = f"http://127.0.0.1:{args.port}"
    nb = f"/n/{SLUG}"
    pages = [
        ("people list", [f"{nb}/people/"]),
        ("people list, sorted by street, page 40", [f"{nb}/people/?sort=street&page=40"]),
        ("gift list, kind=heart", [f"{nb}/gifts/?kind=heart"]),
        ("gift list, tag=fietsen & share", [f"{nb}/gifts/?tag=fietsen&share=yes"]),
        ("search (8 queries, cycled)", [f"{nb}/search/?q={t}" for t in SEARCH_TERMS]),
        (
            "search, Dutch forms (groente, koffieclub, fitsen)",
            [f"{nb}/search/?q={t}" for t in DUTCH_TERMS],
        ),
        ("network page (groups as nodes)", [f"{nb}/network/"]),
        ("network page, focus on an initiative", [f"{nb}/network/?focus=i1"]),
        ("network page, one group opened", [f"{nb}/network/?group=5"]),
    ]
    # (label, paths, cold): warm rows may be answered from the results cache (as repeated
    # views are between changes); cold rows never are (every query string is new)
    urls = [
        ("bare HttpResponse", ["/bench/bare"], False),
        ("reference: tag suggestions (tiny fragment)", [f"{nb}/tags/suggest/?q=fi"], False),
        ("reference: members page (4 rows)", [f"{nb}/members/"], False),
        *[(label, paths, False) for label, paths in pages],
        *[(f"{label}, cold", paths, True) for label, paths in pages],
    ]
    if args.only:
        wanted = args.only.split(",")
        urls = [urls[0], *[row for row in urls[1:] if any(w in row[0] for w in wanted)]]
    log(f"== load average before (2 cores): {Path('/proc/loadavg').read_text().split()[:3]}")
    log(f"== gunicorn: {args.workers} workers, DEBUG off, PostgreSQL {args.database}")
    with gunicorn(env, args.port, args.workers):
        for _label, paths, _cold in urls:
            for path in paths:
                status = check(base + path, cookie)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
        throughput, latency = [], []
        for label, paths, cold in urls:
            log(f"== wrk {label}")
            throughput.append(
                (label, load(base, paths, cookie, args, args.connections, args.threads, cold))
            )
            # one request at a time: the latency without queueing behind other requests
            latency.append((label, load(base, paths, cookie, args, 1, 1, cold)))
    report(args, throughput, latency)


def report(args, throughput: list, latency: list) -> None:
    bare = throughput[0][1]["rps"]
    log("")
    log(f"load average at the end (2 cores): {Path('/proc/loadavg').read_text().split()[:3]}")
    log(
        f"gunicorn {args.workers} sync workers, DEBUG off; PostgreSQL; user {args.user}; "
        f"{args.people} people; wrk {args.duration} s per URL and run"
    )
    log(
        "| URL | req/s | vs bare | p50 ms | p99 ms | 1 conn p50 | 1 conn p95 | 1 conn p99 | errors |"
    )
    log("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (label, r), (_label, one) in zip(throughput, latency, strict=True):
        log(
            f"| {label} | {r['rps']:.1f} | {r['rps'] / bare * 100:.1f} % | {r['P50']:.1f} |"
            f" {r['P99']:.1f} | {one['P50']:.1f} | {one['P95']:.1f} | {one['P99']:.1f} |"
            f" {r['errors'] + one['errors']} |"
        )
    log(
        f"(req/s, p50, p99: wrk -t{args.threads} -c{args.connections}; "
        "'1 conn': wrk -t1 -c1, so no queueing)"
    )
    found = dict(latency)
    if "search (8 queries, cycled), cold" not in found:
        return
    warm, cold = found["search (8 queries, cycled)"], found["search (8 queries, cycled), cold"]
    log(
        f"\nsearch p95 (1 connection): {cold['P95']:.1f} ms cold, {warm['P95']:.1f} ms warm "
        "(target < 50 ms); every page's req/s target: at least 5 % of the bare view's"
    )


if __name__ == "__main__":
    main()

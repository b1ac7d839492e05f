"""Load and soak: a mixed workload against gunicorn + PostgreSQL for a bounded time.

    uv run python bench/load.py                  # seed (once), serve, load 60 s, verify, print
    uv run python bench/load.py --duration 300   # a longer soak
    uv run python bench/load.py --fresh          # drop and rebuild the load database

A separate database (default ``assetmap_load`` on 127.0.0.1:5432, user postgres, trust) is
seeded with ``seed_demo --people 2000``; gunicorn serves the app with DEBUG off (the same
settings as bench/inventory.py, see bench/common.py). Client threads (Python, http.client,
a new connection per request as gunicorn's sync workers close them) then run, for
``--duration`` seconds:

- 70 % browsing: dashboard, lists with filters and pages, detail pages, map and network
  data, as coordinator, builder and resident (each only what their role may open);
- 20 % search, as a plain page and as the HTMX fragment the search box asks for;
- 10 % writes as the builder: conversation autosaves (HTMX, with the version check) and
  gifts quick-added to a draft conversation, each client on a draft of its own.

Before that, the same clients load the bare ``/bench/bare`` view for ``--bare-seconds`` (the
yardstick in the same run). It prints req/s, p50/p95/p99 per kind and overall, errors (any
answer other than the expected one, or a failed connection: must be 0), the ratio to the
bare view, the workers' memory before and after, and then reads the database back: every
autosave's last text and every added gift must be there (nothing lost). Exit status 1 when
there were errors or lost writes. Not a test.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import environment, gunicorn, log, prepare, session_cookie  # noqa: E402

SLUG = "populierenbuurt"
SEARCH_TERMS = ["fiets", "koken", "taal", "linden", "muziek", "tuin", "computer", "cafe",
                "naaien", "kinderen", "jansen", "de vries", "buurthuis", "koffie"]  # fmt: skip
USERS = ("coordinator", "builder", "resident")


def psql(args, sql: str) -> list[list[str]]:
    out = subprocess.run(
        ["psql", "-h", args.host, "-U", "postgres", "-tA", "-F", "\t", "-c", sql, args.database],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def sample_ids(args, table: str, limit: int = 300) -> list[str]:
    rows = psql(
        args,
        f"SELECT t.id FROM {table} t JOIN neighbourhoods_neighbourhood n "
        f"ON n.id = t.neighbourhood_id WHERE n.slug = '{SLUG}' ORDER BY t.id LIMIT {limit}",
    )
    return [row[0] for row in rows]


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failed: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    pages: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.failed[kind].append(error)

    @property
    def errors(self) -> list[str]:
        return [e for errors in self.failed.values() for e in errors]


class Session:
    """One signed-in user talking to the server (one connection per request)."""

    def __init__(self, port: int, cookie: str):
        self.port = port
        self.cookies = {"sessionid": cookie}
        self.csrf = ""

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        head = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Language": "en",
            **(headers or {}),
        }
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["X-CSRFToken"] = self.csrf
        try:
            connection.request(method, path, body=body, headers=head)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            if name in ("csrftoken", "sessionid"):
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, content.decode("utf-8", "replace")

    def read_csrf(self, html: str) -> None:
        found = re.search(r'"X-CSRFToken": "([^"]+)"', html)
        if found:
            self.csrf = found[1]


@dataclass
class Draft:
    url: str
    version: int
    text: str = ""
    gifts: list[str] = field(default_factory=list)
    saves: int = 0


class Client:
    def __init__(self, number: int, args, sessions: dict, ids: dict, stats: Stats, plan):
        self.number = number
        self.args = args
        self.role = USERS[number % len(USERS)]
        self.browser = Session(args.port, sessions[self.role])
        self.writer = Session(args.port, sessions["builder"])
        self.ids = ids
        self.stats = stats
        self.plan = plan
        self.random = random.Random(number)
        self.draft: Draft | None = None
        self.stop_at = 0.0
        if self.role == "resident":
            self.ids = {**ids, "people": self.people_a_resident_sees()}

    def people_a_resident_sees(self) -> list[str]:
        """A resident opens only people shown to residents: the ids their own list links to
        (an id from the whole table would be an expected 404, not an error of the app)."""
        found: set[str] = set()
        for page in (1, 2, 3):
            status, _h, html = self.browser.request("GET", f"/n/{SLUG}/people/?page={page}")
            assert status == 200, f"resident's people list answered {status}"
            found.update(re.findall(rf'href="/n/{SLUG}/people/(\d+)/"', html))
        assert found, "the resident's people list links to nobody"
        return sorted(found, key=int)

    # -- setting up a draft of its own ---------------------------------------------------

    def start_draft(self, run_id: str) -> None:
        nb = f"/n/{SLUG}"
        status, _h, html = self.writer.request("GET", f"{nb}/conversations/new/")
        assert status == 200, status
        self.writer.read_csrf(html)
        consent = re.findall(r'name="consent_fields" value="(\w+)"[^>]*checked', html)
        data = {
            "first_name": f"Load {run_id} {self.number}",
            "street": "Loadstraat",
            "consent_fields": consent or ["name"],
            "consent_audience": "builders",
            "consent_given": "on",
        }
        status, headers, _ = self.writer.request("POST", f"{nb}/conversations/new/", data)
        assert status == 302, f"starting a draft answered {status}"
        url = headers["Location"]
        status, _h, html = self.writer.request("GET", url)
        self.writer.read_csrf(html)
        version = int(re.search(r'name="version" value="(\d+)"', html)[1])
        self.draft = Draft(url=url, version=version)

    # -- the workload ----------------------------------------------------------------------

    def browse_path(self) -> str:
        r, ids, nb = self.random, self.ids, f"/n/{SLUG}"
        pages = [
            f"{nb}/",
            f"{nb}/people/",
            f"{nb}/people/?page={r.randint(1, 20)}",
            f"{nb}/people/?sort=street",
            f"{nb}/people/{r.choice(ids['people'])}/",
            f"{nb}/gifts/",
            f"{nb}/gifts/?kind={r.choice(['head', 'hands', 'heart'])}",
            f"{nb}/gifts/?share=yes&page={r.randint(1, 5)}",
            f"{nb}/organisations/",
            f"{nb}/organisations/{r.choice(ids['organisations'])}/",
            f"{nb}/places/",
            f"{nb}/places/{r.choice(ids['places'])}/",
            f"{nb}/initiatives/",
            f"{nb}/initiatives/{r.choice(ids['initiatives'])}/",
            f"{nb}/map/",
            f"{nb}/map/data/",
            f"{nb}/network/figures/",
        ]
        if self.role != "resident":
            pages += [f"{nb}/conversations/", f"{nb}/outcomes/", f"{nb}/network/suggestions/"]
        return r.choice(pages)

    def one(self, kind: str) -> None:
        started = time.perf_counter()
        error = None
        try:
            error = getattr(self, f"do_{kind}")()
        except (OSError, http.client.HTTPException, AssertionError, ValueError) as exc:
            error = f"{kind}: {type(exc).__name__}: {exc}"
        self.stats.add(kind, time.perf_counter() - started, error)

    def do_bare(self) -> str | None:
        status, _h, _ = self.browser.request("GET", "/bench/bare")
        return None if status == 200 else f"bare: {status}"

    def do_browse(self) -> str | None:
        path = self.browse_path()
        started = time.perf_counter()
        status, _h, _ = self.browser.request("GET", path)
        page = re.sub(r"/\d+/", "/<id>/", re.sub(r"=[^&]*", "=…", path.removeprefix(f"/n/{SLUG}")))
        with self.stats.lock:
            self.stats.pages[page].append(time.perf_counter() - started)
        return None if status == 200 else f"GET {path} as {self.role}: {status}"

    def do_search(self) -> str | None:
        query = urlencode({"q": self.random.choice(SEARCH_TERMS)})
        path = f"/n/{SLUG}/search/?{query}"
        htmx = {"HX-Request": "true"} if self.random.random() < 0.5 else {}
        status, _h, _ = self.browser.request("GET", path, headers=htmx)
        return None if status == 200 else f"GET {path} as {self.role}: {status}"

    def do_autosave(self) -> str | None:
        draft = self.draft
        text = f"{draft.text} zin {draft.saves}.".strip()[-2000:]
        data = {"version": draft.version, "base-cares_about": draft.text, "cares_about": text}
        save = draft.url + "save/"
        status, headers, _ = self.writer.request("POST", save, data, headers={"HX-Request": "true"})
        if status != 200:
            return f"POST {save}: {status}"
        draft.version = json.loads(headers["HX-Trigger"])["conversation-version"]["version"]
        draft.text = text
        draft.saves += 1
        return None

    def do_gift(self) -> str | None:
        draft = self.draft
        title = f"Load gift {self.plan['run']} {self.number}-{len(draft.gifts)}"
        data = {"kind": "hands", "title": title, "client_token": uuid.uuid4().hex}
        url = draft.url + "gifts/"
        status, _h, body = self.writer.request("POST", url, data, headers={"HX-Request": "true"})
        if status != 200 or title not in body:
            return f"POST {url}: {status}"
        draft.gifts.append(title)
        return None

    def run(self) -> None:
        mix = self.plan["mix"]
        kinds, weights = list(mix), list(mix.values())
        while time.monotonic() < self.stop_at:
            self.one(self.random.choices(kinds, weights)[0])


MIXED = {"browse": 70, "search": 20, "autosave": 6, "gift": 4}


def drive(clients: list[Client], mix: dict, seconds: float) -> float:
    for client in clients:
        client.plan["mix"] = mix
    stop = time.monotonic() + seconds
    started = time.monotonic()
    threads = []
    for client in clients:
        client.stop_at = stop
        worker = threading.Thread(target=client.run, daemon=True)
        threads.append(worker)
        worker.start()
    for worker in threads:
        worker.join()
    return time.monotonic() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index] * 1000


def workers_rss(server) -> int:
    """Resident memory of gunicorn's workers, in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    return total // 1024


def verify(args, clients: list[Client]) -> tuple[int, int, list[str]]:
    """(writes made, writes found, what is missing) by reading the database."""
    made = found = 0
    missing = []
    for client in clients:
        draft = client.draft
        pk = re.search(r"/conversations/(\d+)/", draft.url)[1]
        rows = psql(args, f"SELECT cares_about FROM conversations_conversation WHERE id = {pk}")
        made += draft.saves
        if draft.saves and rows and rows[0][0] == draft.text:
            found += draft.saves  # each save extended the text; the last holds all of them
        elif draft.saves:
            missing.append(f"conversation {pk}: text {draft.text!r} not in the database")
        titles = {
            row[0]
            for row in psql(
                args, f"SELECT title FROM conversations_draftgift WHERE conversation_id = {pk}"
            )
        }
        made += len(draft.gifts)
        found += len([t for t in draft.gifts if t in titles])
        missing += [f"conversation {pk}: gift {t!r}" for t in draft.gifts if t not in titles]
    return made, found, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--database", default="assetmap_load")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--port", type=int, default=8798)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--duration", type=int, default=60, help="seconds of mixed load")
    parser.add_argument("--bare-seconds", type=int, default=10)
    args = parser.parse_args()

    env = environment(args.host, args.database)
    prepare(args, env)
    sessions = {user: session_cookie(env, user) for user in USERS}
    ids = {
        "people": sample_ids(args, "residents_person"),
        "organisations": sample_ids(args, "organisations_organisation"),
        "places": sample_ids(args, "places_place"),
        "initiatives": sample_ids(args, "network_initiative"),
    }
    run_id = time.strftime("%H%M%S")
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    log(f"== gunicorn: {args.workers} workers, DEBUG off, PostgreSQL {args.database}")
    with gunicorn(env, args.port, args.workers) as server:
        bare_stats, stats = Stats(), Stats()
        plan = {"run": run_id, "mix": {}}
        clients = [Client(n, args, sessions, ids, stats, plan) for n in range(args.clients)]
        for client in clients:
            client.start_draft(run_id)
        bare_clients = [Client(n, args, sessions, ids, bare_stats, dict(plan))
                        for n in range(args.clients)]  # fmt: skip
        log(f"== bare view, {args.bare_seconds} s, {args.clients} clients")
        bare_time = drive(bare_clients, {"bare": 1}, args.bare_seconds)
        rss_before = workers_rss(server)
        log(f"== mixed workload, {args.duration} s, {args.clients} clients")
        mixed_time = drive(clients, MIXED, args.duration)
        rss_after = workers_rss(server)
    made, found, missing = verify(args, clients)
    report(args, bare_stats, bare_time, stats, mixed_time, (rss_before, rss_after), load_before)
    log(f"writes: {made} made, {found} found in the database, {len(missing)} lost")
    for line in missing[:20]:
        log(f"   LOST {line}")
    if stats.errors or bare_stats.errors or missing:
        sys.exit(1)


def report(args, bare: Stats, bare_time, stats: Stats, mixed_time, rss, load_before) -> None:
    bare_rps = len(bare.latencies["bare"]) / bare_time
    everything = [v for values in stats.latencies.values() for v in values]
    total_rps = len(everything) / mixed_time
    log("")
    log(
        f"{time.strftime('%Y-%m-%d')}, {args.duration} s mixed load after {args.bare_seconds} s "
        f"of the bare view; gunicorn {args.workers} sync workers, DEBUG off; PostgreSQL; "
        f"{args.clients} client threads (Python http.client, a new connection per request) on "
        f"the same 2 cores; {args.people} people; load average before "
        f"{' '.join(load_before)}"
    )
    log("")
    log("| requests | count | req/s | p50 ms | p95 ms | p99 ms | errors |")
    log("|---|---:|---:|---:|---:|---:|---:|")
    log(_row("bare view (yardstick)", bare.latencies["bare"], bare_time, len(bare.errors)))
    labels = {
        "browse": "browsing (70 %)",
        "search": "search (20 %)",
        "autosave": "autosave of a draft (6 %)",
        "gift": "quick-add a gift (4 %)",
    }
    for kind, label in labels.items():
        log(_row(label, stats.latencies[kind], mixed_time, len(stats.failed[kind])))
    log(_row("**mixed, all**", everything, mixed_time, len(stats.errors)))
    log("")
    log(
        f"mixed req/s vs bare: {total_rps / bare_rps * 100:.1f} %; "
        f"errors: {len(stats.errors) + len(bare.errors)}; "
        f"workers' memory {rss[0]} MB before the mixed load, {rss[1]} MB after"
    )
    slowest = sorted(stats.pages.items(), key=lambda item: -statistics.median(item[1]))[:6]
    log(
        "slowest pages while browsing (p50): "
        + "; ".join(f"{page} {statistics.median(v) * 1000:.0f} ms" for page, v in slowest)
    )
    for error in (bare.errors + stats.errors)[:20]:
        log(f"   ERROR {error}")


def _row(label: str, values: list[float], seconds: float, errors: int) -> str:
    rps = len(values) / seconds if seconds else 0
    median = statistics.median(values) * 1000 if values else 0
    return (
        f"| {label} | {len(values)} | {rps:.1f} | {median:.1f} | "
        f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | {errors} |"
    )


if __name__ == "__main__":
    main()

"""Open every URL an actor can reach, unpack what comes back, and look for markers."""

from __future__ import annotations

import html
import io
import itertools
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from django.test import Client
from django.urls import reverse

from neighbourhoods.models import Role
from tests.access_table import EXPECTED_ROLE, KWARGS, PUBLIC, SIGNED_IN
from tests.urlwalk import HTMX_HEADERS, scoped_routes

from .markers import MARKER_RE, PREFIX, Hunt

REACHABLE = (Role.RESIDENT, SIGNED_IN, PUBLIC)
MAX_PAGES = 400

_LINK = re.compile(r"""(?:href|hx-get|data-url|data-src)\s*=\s*["']([^"']+)["']""", re.I)
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.I | re.S)
_SELECT = re.compile(r"<select\b[^>]*\bname=[\"']([^\"']+)[\"'][^>]*>(.*?)</select>", re.I | re.S)
_OPTION = re.compile(r"<option\b[^>]*\bvalue=[\"']([^\"']*)[\"']", re.I)


@dataclass
class Result:
    findings: dict[tuple[str, str], str] = field(default_factory=dict)  # (url, marker) → text
    seen: set[str] = field(default_factory=set)  # every marker read anywhere
    statuses: dict[str, int] = field(default_factory=dict)
    requests: int = 0  # every request made, htmx ones and exports included


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as error:  # a broken PDF is reported, not skipped
        return f"(unreadable PDF: {error})"


def _decode(name: str, data: bytes) -> str:
    if name.lower().endswith(".pdf") or data[:5] == b"%PDF-":
        return _pdf_text(data)
    if data[:4] in (b"\x89PNG", b"RIFF") or data[:3] == b"\xff\xd8\xff":
        return ""
    return data.decode("utf-8", errors="replace")


def parts(response) -> list[tuple[str, str]]:
    """(part, text) of a response: the body, every file of a ZIP, text of a PDF, headers."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    found = [
        (f"header {h}", response[h]) for h in ("Location", "Content-Disposition") if h in response
    ]
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                found.append((f"zip name {name}", name))
                found.append((f"zip {name}", _decode(name, archive.read(name))))
        return found
    found.append(("body", _decode("", body)))
    return found


def _links(url: str, text: str, prefixes: tuple[str, ...], relative: bool = False) -> Iterable[str]:
    for raw in _LINK.findall(text):
        link = html.unescape(raw).split("#")[0]
        if relative and link.startswith("?"):  # pagination, sorting: the same page
            link = urlsplit(url).path + link
        if link.startswith(prefixes):
            yield link
    for attrs, inner in _FORM.findall(text):
        if "post" in attrs.lower():
            continue
        action = re.search(r"action=[\"']([^\"']*)[\"']", attrs)
        target = html.unescape(action.group(1)) if action and action.group(1) else url
        target = urlsplit(target).path
        if not target.startswith(prefixes):
            continue
        for name, options in _SELECT.findall(inner):
            for value in _OPTION.findall(options)[:25]:
                if value:
                    yield f"{target}?{urlencode({html.unescape(name): html.unescape(value)})}"


def scan(
    hunt: Hunt, url: str, response, forbidden: set[str], result: Result, htmx: bool = False
) -> list[str]:
    texts = []
    for part, text in parts(response):
        texts.append(text)
        for match in MARKER_RE.finditer(text):
            marker = PREFIX + match.group(0)[len(PREFIX) :]
            if marker not in hunt.markers:
                continue
            result.seen.add(marker)
            if marker in forbidden:
                start, end = max(0, match.start() - 70), match.end() + 50
                context = " ".join(text[start:end].split())
                key = (f"{'htmx ' if htmx else ''}{url} [{part}]", marker)
                result.findings.setdefault(key, context)
    return texts


def route_urls(side, candidates: dict[str, list], query: dict[str, str] | None = None) -> list:
    """Every URL of a route a resident may open, once per candidate value of its arguments."""
    urls = []
    for route in scoped_routes():
        required = EXPECTED_ROLE.get(route.name, Role.RESIDENT)  # unknown: walk it anyway
        if required not in REACHABLE:
            continue
        choices = []
        for key in route.kwargs:
            if key == "slug":
                choices.append([side.slug])
                continue
            values = list(candidates.get(key, []))
            if key in KWARGS:
                values.append(KWARGS[key](side))
            if not values:
                raise AssertionError(f"the leak hunt has no value for <{key}> of {route.name}")
            choices.append(values)
        for combo in itertools.product(*choices):
            url = reverse(route.name, kwargs=dict(zip(route.kwargs, combo, strict=True)))
            urls.append(url)
            if len(route.kwargs) <= 1 and query:
                urls.append(f"{url}?{urlencode(query)}")
    return list(dict.fromkeys(urls))


def urls_of(prefixes: tuple[str, ...], slug: str, candidates: dict[str, list]) -> list[str]:
    """Every URL of the routes under ``prefixes`` (URLconf route strings), once per
    candidate value of each argument (``slug`` is the given one)."""
    urls = []
    for route in scoped_routes(prefixes=prefixes):
        choices = []
        for key in route.kwargs:
            values = [slug] if key == "slug" else list(candidates.get(key, []))
            if not values:
                raise AssertionError(f"the leak hunt has no value for <{key}> of {route.name}")
            choices.append(values)
        for combo in itertools.product(*choices):
            urls.append(reverse(route.name, kwargs=dict(zip(route.kwargs, combo, strict=True))))
    return list(dict.fromkeys(urls))


def walk(
    hunt: Hunt,
    user,
    seeds: list[str],
    forbidden: set[str],
    *,
    prefixes: tuple[str, ...],
    exports: Iterable[str] = (),
    crawl: bool = True,
    relative: bool = False,
) -> Result:
    """GET every seed (as a page and as htmx), POST the exports, follow links one by one."""
    result = Result()
    plain = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    htmx = Client(raise_request_exception=False, headers={"Accept-Language": "en", **HTMX_HEADERS})
    if user is not None:
        plain.force_login(user)
        htmx.force_login(user)
    queue = list(dict.fromkeys(seeds))
    done: set[str] = set()
    while queue and len(done) < MAX_PAGES:
        url = queue.pop(0)
        if url in done:
            continue
        done.add(url)
        response = plain.get(url)
        result.requests += 1
        result.statuses[url] = response.status_code
        texts = scan(hunt, url, response, forbidden, result)
        if url in seeds:
            scan(hunt, url, htmx.get(url), forbidden, result, htmx=True)
            result.requests += 1
        if crawl and response.status_code == 200:
            for text in texts:
                for link in _links(url, text, prefixes, relative):
                    if link not in done:
                        queue.append(link)
    for url in exports:
        response = plain.post(url)
        result.requests += 1
        result.statuses[f"POST {url}"] = response.status_code
        scan(hunt, f"POST {url}", response, forbidden, result)
    return result


def report(hunt: Hunt, result: Result) -> str:
    """Every finding, grouped by marker: what it is, one context, every URL it showed on."""
    by_marker: dict[str, list[tuple[str, str]]] = {}
    for (url, marker), context in sorted(result.findings.items()):
        by_marker.setdefault(marker, []).append((url, context))
    lines = []
    for marker, found in sorted(by_marker.items(), key=lambda kv: (hunt.where(kv[0]), kv[0])):
        pages: dict[str, int] = {}
        for url, _context in found:
            base = re.sub(r"\?[^ ]*", "?…", url)
            pages[base] = pages.get(base, 0) + 1
        where = ", ".join(f"{u}" + (f" ({n} variants)" if n > 1 else "") for u, n in pages.items())
        lines.append(f"- {marker} = {hunt.where(marker)}\n    on: {where}\n    …{found[0][1]}…")
    return f"{len(result.findings)} finding(s), {len(by_marker)} marker(s):\n" + "\n".join(lines)

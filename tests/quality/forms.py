"""Every form and HTMX POST endpoint of the app, found by reading the pages themselves.

`crawl()` opens every page of the URL walk (own neighbourhood, as coordinator, builder and
resident) plus a few pages that only exist in a certain state (a draft conversation, an
import preview, the claim and account pages), and reads each ``<form method="post">`` and
each element with ``hx-post``: where it posts, with which fields (type, options, maximum
length, the value the page filled in). The hostile-input tests post to exactly those forms,
so a new field or form is attacked the day it appears.

`read_params()` does the same for query strings: it opens every page with a query no view
knows and notes every parameter the view reads from ``request.GET`` (typed by the page's
own search and filter forms where it has them), so the filters of a page, and of the JSON,
PDF and partial answers behind it, are attacked too.
"""

from __future__ import annotations

import json
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.access_table import KWARGS
from tests.factories import World
from tests.urlwalk import scoped_routes

# input types that carry free text a user types
TEXT_KINDS = {"text", "textarea", "search", "tel", "password", ""}
SKIP_FIELDS = {"csrfmiddlewaretoken"}
# URLs a hostile post must not follow: logging out ends the test client's session.
NOT_ATTACKED = {"logout"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea", "select" or "select-multiple"
    value: str = ""  # what the page filled in (or the checkbox/button value)
    options: list[str] = field(default_factory=list)  # select and radio values
    maxlength: int | None = None
    required: bool = False
    checked: bool = False

    @property
    def is_text(self) -> bool:
        return self.kind in TEXT_KINDS

    @property
    def takes_id(self) -> bool:
        """A field whose values are object ids (a select of people, a hidden person id)."""
        values = [v for v in self.options if v] or ([self.value] if self.value else [])
        numeric = bool(values) and all(v.isdigit() for v in values)
        named = self.name.endswith("_id") or self.name in ID_NAMES
        if self.name.startswith("_") or self.kind in {"number", "range", "button"}:
            return self.name in ID_NAMES
        return numeric or named


# Field names that hold an object id whatever the page filled in.
ID_NAMES = {
    "person",
    "other_person",
    "organisation",
    "place",
    "initiative",
    "gift",
    "connection",
    "conversation",
    "introduction",
    "subject",
    "target",
    "to_person",
    "to_organisation",
    "managed_by_person",
    "managed_by_organisation",
    "usual_place",
    "meeting_place",
    "assignee",
    "unit_value",
    "others",
    "people",
    "members",
    "withdraw",
}


@dataclass
class Form:
    url: str  # where it posts (path and query)
    route: str  # URL name of that path
    actor: str  # who saw it
    page: str  # on which page
    multipart: bool = False
    fields: dict[str, Field] = field(default_factory=dict)

    def baseline(self) -> dict[str, str | list[str]]:
        """Values a careful user would send: what the page filled in, else something valid."""
        data: dict[str, str | list[str]] = {}
        for f in self.fields.values():
            value = plausible(f)
            if value is not None:
                data[f.name] = value
        return data


def plausible(f: Field) -> str | list[str] | None:
    if f.kind == "file":
        return None
    if f.kind in {"checkbox", "radio"}:
        if f.kind == "radio":
            return f.value or (f.options[0] if f.options else None)
        return (f.value or "on") if (f.checked or f.required) else None
    if f.kind in {"select", "select-multiple"}:
        chosen = f.value or next((o for o in f.options if o), "")
        return [chosen] if f.kind == "select-multiple" and chosen else chosen
    if f.value:
        return f.value
    return {
        "number": "1",
        "range": "1",
        "date": "2026-01-15",
        "datetime-local": "2026-01-15T10:00",
        "time": "10:00",
        "email": "someone@example.org",
        "url": "https://example.org/",
        "month": "2026-01",
    }.get(f.kind, "Kees" if f.required else "")


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[tuple[str, bool, dict[str, Field]]] = []
        self.get_forms: list[tuple[str, dict[str, Field]]] = []
        self._form: tuple[str, bool, dict[str, Field]] | None = None
        self._select: Field | None = None
        self._option_selected = False

    def _add(self, fields: dict[str, Field], new: Field) -> None:
        if not new.name or new.name in SKIP_FIELDS:
            return
        old = fields.get(new.name)
        if old is None:
            fields[new.name] = new
            if new.kind == "radio":
                new.options = [new.value]
                new.value = new.value if new.checked else ""
            return
        if new.kind == "radio":
            old.options.append(new.value)
            if new.checked:
                old.value = new.value
        elif new.kind == "checkbox":
            old.kind = "checkbox-multiple"
            old.options.append(new.value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            target = a.get("hx-post") or (a.get("action", "") if method == "post" else None)
            if target is None:  # a search or filter form: read its fields to follow it once
                self._form = (a.get("hx-get") or a.get("action") or self.page_url, False, {})
                self.get_forms.append((self._form[0], self._form[2]))
                return
            multipart = "multipart" in a.get("enctype", "") or "multipart" in a.get(
                "hx-encoding", ""
            )
            self._form = (target or self.page_url, multipart, {})
            self.forms.append(self._form)
            return
        if "hx-post" in a and tag != "form":
            # an element posting by itself: its own name/value, hx-vals, and its form's fields
            fields: dict[str, Field] = dict(self._form[2]) if self._form else {}
            if a.get("name"):
                self._add(fields, Field(a["name"], a.get("type", "text"), a.get("value", "")))
            try:
                for key, value in json.loads(a.get("hx-vals") or "{}").items():
                    self._add(fields, Field(key, "hidden", str(value)))
            except ValueError:
                pass
            self.forms.append((a["hx-post"] or self.page_url, False, fields))
        if self._form is None:
            return
        fields = self._form[2]
        maxlength = int(a["maxlength"]) if a.get("maxlength", "").isdigit() else None
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image", "reset", "button"}:
                if a.get("name"):
                    self._add(fields, Field(a["name"], "button", a.get("value", "")))
                return
            self._add(
                fields,
                Field(
                    a.get("name", ""),
                    kind,
                    a.get("value", "") if kind not in {"checkbox"} else a.get("value", "on"),
                    maxlength=maxlength,
                    required="required" in a,
                    checked="checked" in a,
                ),
            )
        elif tag == "textarea":
            self._add(
                fields,
                Field(a.get("name", ""), "textarea", maxlength=maxlength, required="required" in a),
            )
            self._textarea = fields.get(a.get("name", ""))
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = Field(a.get("name", ""), kind, required="required" in a)
            self._add(fields, self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            self._select.options.append(value if value is not None else "")
            if "selected" in a and not self._select.value:
                self._select.value = value or ""
        elif tag == "button" and a.get("name"):
            self._add(fields, Field(a["name"], "button", a.get("value", "")))

    def handle_data(self, data):
        textarea = getattr(self, "_textarea", None)
        if textarea is not None and not textarea.value:
            textarea.value = data.strip("\n")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(html: str, page_url: str) -> _FormParser:
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser


SEARCH_WORD = "Walk"  # the URL walk's sample objects are all called "Walk …"


def _filled(action: str, fields: dict[str, Field]) -> str:
    """The URL a user gets by submitting a search or filter form with something typed in."""
    query = []
    for f in fields.values():
        if f.kind in {"search", "text"} and not f.value:
            query.append((f.name, SEARCH_WORD))
            continue
        value = plausible(f)
        for item in value if isinstance(value, list) else [value]:
            if item:
                query.append((f.name, item))
    return f"{urlsplit(action).path}?{urlencode(query)}"


def route_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def pages(world: World) -> list[str]:
    """Every GET-able URL of the walk for neighbourhood A (the walk's sample objects)."""
    urls = []
    for route in scoped_routes():
        kwargs = {}
        try:
            for key in route.kwargs:
                kwargs[key] = world.a.slug if key == "slug" else KWARGS[key](world.a)
        except KeyError:
            continue
        urls.append(reverse(route.name, kwargs=kwargs))
    return urls


def crawl(world: World, clients: dict[str, Client], extra_pages: dict[str, list[str]]) -> dict:
    """{(url, actor): Form} for every post form on every page each actor can open.

    Search and filter forms (GET) are submitted once with a word typed in, and the post
    forms of their results are read too (e.g. "add this person" buttons in search results).
    """
    found: dict[tuple[str, str], Form] = {}
    urls = pages(world)
    for actor, client in clients.items():
        todo = [*(urls if actor != "anonymous" else []), *extra_pages.get(actor, [])]
        followed: set[str] = set()
        while todo:
            page = todo.pop(0)
            response = client.get(page, follow=True)
            if response.redirect_chain:
                page = response.redirect_chain[-1][0]
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parsed = forms_in(response.content.decode(), page)
            for action, fields in parsed.get_forms:
                filled = _filled(action, fields)
                if filled not in followed and route_name(filled) is not None:
                    followed.add(filled)
                    todo.append(filled)
            for target, multipart, fields in parsed.forms:
                # a form's action may carry a query (?next=...): keep it, it is part of the post
                path = urlsplit(target).path
                name = route_name(path)
                if name is None or name in NOT_ATTACKED:
                    continue
                query = urlsplit(target).query
                url = path + (f"?{query}" if query else "")
                key = (url, actor)
                if key in found:
                    for f in fields.values():
                        found[key].fields.setdefault(f.name, f)
                    continue
                found[key] = Form(url, name, actor, page, multipart, dict(fields))
    return found


def query_fields(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


# -- query strings --------------------------------------------------------------------------

PROBE = "_probe"  # a parameter no view reads: makes request.GET non-empty, so forms bind


@dataclass
class Query:
    url: str  # the page's path
    route: str
    actor: str  # who opened it
    base: dict[str, str]  # the query the page was listed with (e.g. ?purpose=known)
    params: dict[str, Field] = field(default_factory=dict)  # every parameter the view read


@contextmanager
def _reading(keys: set[str]):
    """Notes every key looked up in any QueryDict (request.GET) meanwhile."""

    def noting(method):
        def lookup(self, key, *args, **kwargs):
            keys.add(key)
            return method(self, key, *args, **kwargs)

        return lookup

    with ExitStack() as stack:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            method = getattr(QueryDict, name)
            stack.enter_context(mock.patch.object(QueryDict, name, noting(method)))
        yield


def read_params(
    world: World, clients: dict[str, Client], extra_pages: dict[str, list[str]]
) -> dict[str, Query]:
    """URL name → the page and the query parameters its view reads (one page per name).

    Every page of the walk is opened as the coordinator of A, the extra pages as whoever
    they are for. A parameter's type comes from a search or filter form on that page, else
    from a form of that name on any page (``network:data`` reads the network page's
    filters), else it is unknown and gets every kind of hostile value.
    """
    found: dict[str, Query] = {}
    page_fields: dict[str, dict[str, Field]] = {}
    known: dict[str, Field] = {}
    visits = [("coordinator_a", url) for url in pages(world)]
    visits += [(actor, url) for actor, urls in extra_pages.items() for url in urls]
    for actor, url in visits:
        path, query = urlsplit(url).path, urlsplit(url).query
        name = route_name(path)
        if name is None or name in found or name in NOT_ATTACKED:
            continue
        base = dict(parse_qsl(query))
        keys: set[str] = set()
        with _reading(keys):
            response = clients[actor].get(path, {**base, PROBE: "1"})
        fields: dict[str, Field] = {}
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for _action, form_fields in forms_in(response.content.decode(), url).get_forms:
                for f in form_fields.values():
                    fields.setdefault(f.name, f)
                    known.setdefault(f.name, f)
        page_fields[name] = fields
        found[name] = Query(path, name, actor, base, {k: Field(k, "") for k in keys})
    for name, query in found.items():
        for key in list(query.params):
            if key == PROBE or key in SKIP_FIELDS or not isinstance(key, str):
                del query.params[key]
                continue
            query.params[key] = page_fields[name].get(key) or known.get(key) or query.params[key]
    return {name: query for name, query in found.items() if query.params}

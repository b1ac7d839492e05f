"""Hostile input on every form and HTMX post endpoint, as every role.

The forms come from the pages themselves (tests/quality/forms.py): whatever a page offers to
post is attacked, with the fields it really has. A post endpoint that no page offers must be
listed in ``NO_FORM`` below with the fields to attack, so a new one cannot slip by.

Every attack checks: never a 500 (the test client re-raises), markup payloads only escaped
in HTML answers, redirects only to this site, no row of neighbourhood B changed and no row
linking objects of two neighbourhoods (object-id guessing puts B's ids in every field that
takes an id). Each attack runs in a transaction that is rolled back, so they do not pile up;
the escaping sweep keeps its posts and then reads every page.

Query strings get the same treatment: every parameter a page's view reads (found by
tests/quality/forms.py:read_params) is fuzzed, and every field and parameter that takes an
id or a date gets the edge values (a 25-digit id, year 1, year 9999) deterministically.
"""

from __future__ import annotations

import datetime
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchange.models import ImportJob
from me.models import InviteKind
from neighbourhoods.models import Role
from organisations.models import Organisation
from places.models import Place
from residents.models import Audience, ConsentHow, ConsentRecord, GiftKind, Person
from tests.access_table import EXPECTED_ROLE, KWARGS, SIGNED_IN, populate
from tests.conversations import factories as cf
from tests.factories import World, make_world
from tests.me.factories import make_invite
from tests.network import factories as nf
from tests.urlwalk import scoped_routes

from . import hostile
from .forms import Field, Form, Query, crawl, pages, read_params

# The mark makes pytest-django create the test database (and wraps each test in a savepoint
# inside the arena's transaction).
pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=10,  # per URL; with the deterministic edge sweeps below
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same examples on every run: CI failures reproduce locally
    database=None,
)

# Post endpoints that no page shows as a form, with the fields a client would send.
# (A page that answers a POST like a GET has no fields: it is still attacked.)
NO_FORM: dict[str, dict[str, Field]] = {
    "exchange:import_retry": {},  # its button shows only on a failed import
    "outcomes:report_pdf_job": {},  # offered only for a period of more than 400 days
    "jobs:job_retry": {},  # its button shows only on a failed job
    "neighbourhoods:dashboard": {},
    "conversations:list": {},
    "conversations:drafts": {},
    "conversations:follow_ups": {},
    "conversations:introductions": {},
    "conversations:detail": {},
    "conversations:search": {"q": Field("q", "search"), "purpose": Field("purpose", "hidden")},
    "conversations:tag_suggestions": {"q": Field("q", "search")},
    "outcomes:list": {},
    "outcomes:detail": {},
    "outcomes:dashboard": {},
    "outcomes:report": {},
    "outcomes:report_pdf": {},
    "privacy:retention": {},
    # the merge form shows once a second record is chosen (?other=)
    "privacy:merge": {"other": Field("other", "hidden"), "keep": Field("keep", "radio")},
    "audit:person_history": {},
    "me:home": {},
    "me:profile": {},
    "me:history": {},
}

ACTORS = ["coordinator_a", "builder_a", "resident_a", "builder_b", "resident_b", "stranger",
          "anonymous", "staff"]  # fmt: skip
CRAWLERS = ["coordinator_a", "builder_a", "resident_a", "anonymous"]
# who we prefer to attack a form as: the lowest role that sees it, then the others at random
PREFERENCE = ["resident_a", "builder_a", "coordinator_a", "anonymous"]


@dataclass
class Arena:
    world: World
    clients: dict[str, Client]
    forms: dict[str, Form]  # one per URL name
    all_forms: dict[tuple[str, str], Form]
    extra_pages: dict[str, list[str]]
    guesses: list[str]  # ids of neighbourhood B's objects
    b_digest: dict[str, str]
    post_routes: dict[str, str]  # URL name → a URL of neighbourhood A it answers posts on
    media: Path
    queries: dict[str, Query]  # URL name → the query parameters its view reads


def _states(world: World) -> dict[str, list[str]]:
    """Objects that make more forms appear: a draft with items, suggestions, an invite, …"""
    extra: dict[str, list[str]] = {"anonymous": ["/accounts/login/", "/claim/"]}
    for side in (world.a, world.b):
        nb = side.neighbourhood
        walker = side.objects["residents_person"]
        ConsentRecord.objects.create(
            person=side.objects["me_profile"],
            fields=["name", "street"],
            audience=Audience.RESIDENTS,
            text="Walk consent",
            text_version="1",
            how=ConsentHow.ONLINE,
            given_at=timezone.now(),
        )
        draft = cf.make_conversation(nb, side.builder, cf.make_person(nb, "Walk Draft"))
        cf.make_draft_gift(draft, "Walk draft gift")
        cf.make_known(draft, other=walker)
        cf.make_introduction(draft, to_person=side.objects["nw_person"])
        cf.make_follow_up(draft, side.builder, "Walk follow-up")
        # a teach ↔ learn match on one street: a suggestion of who could meet whom
        teacher = nf.person(nb, "Walk Teacher", street="Walkstraat")
        learner = nf.person(nb, "Walk Learner", street="Walkstraat")
        nf.gift(teacher, "Nederlands", GiftKind.HEAD, tags=["taal"], share=True)
        nf.gift(learner, "Nederlands", GiftKind.HEAD, tags=["taal"], learn=True)
        nf.gift(teacher, "Walk tuin", tags=["tuin"])
        nf.gift(learner, "Walk tuin", tags=["tuin"])
        make_invite(walker, InviteKind.LINK, side.builder)
        old = cf.make_person(nb, "Walk Forgotten")
        Person.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=1000),
            updated_at=timezone.now() - datetime.timedelta(days=1000),
        )
        if side is world.a:
            _invite, token = make_invite(cf.make_person(nb, "Walk Claimer"), by=side.builder)
            extra["anonymous"].append(f"/claim/{token}/")
            slug = nb.slug
            extra["builder_a"] = [
                draft.get_absolute_url(),
                reverse("conversations:discard", args=[slug, draft.pk]),
                reverse("conversations:search", args=[slug, draft.pk]) + "?purpose=known&q=Walk",
                reverse("conversations:search", args=[slug, draft.pk])
                + "?purpose=introduction&q=Walk",
            ]
            extra["coordinator_a"] = ["/accounts/password_change/"]
    return extra


def _post_routes(world: World, clients: dict[str, Client]) -> dict[str, str]:
    """Every scoped URL that answers a POST (anything but 405), for neighbourhood A."""
    found = {}
    for route in scoped_routes():
        kwargs = {k: world.a.slug if k == "slug" else KWARGS[k](world.a) for k in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        client = clients["resident_a" if EXPECTED_ROLE[route.name] == SIGNED_IN else "staff"]
        with transaction.atomic():
            response = client.post(url)
            transaction.set_rollback(True)
        if response.status_code != 405:
            found[route.name] = url
    return found


def _one_per_route(forms: dict[tuple[str, str], Form]) -> dict[str, Form]:
    chosen: dict[str, Form] = {}
    for (_url, actor), form in sorted(forms.items(), key=lambda i: PREFERENCE.index(i[0][1])):
        chosen.setdefault(form.route, form)
        del actor
    return chosen


@pytest.fixture(scope="module")
def arena(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("hostile-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = make_world()
            populate(world)
            extra = _states(world)
            clients = {}
            for actor, user in world.actors().items():
                clients[actor] = Client(headers={"Accept-Language": "en"})
                if user is not None:
                    clients[actor].force_login(user)
            found = crawl(world, {a: clients[a] for a in CRAWLERS}, extra)
            guesses = sorted(
                {
                    str(pk)
                    for model in hostile.scoped_models()
                    for pk in model._default_manager.all()
                    .in_neighbourhood(world.b.neighbourhood)
                    .values_list("pk", flat=True)
                },
                key=int,
            )
            yield Arena(
                world=world,
                clients=clients,
                forms=_one_per_route(found),
                all_forms=found,
                extra_pages=extra,
                guesses=guesses,
                b_digest=hostile.digest(world.b.neighbourhood),
                post_routes=_post_routes(world, clients),
                media=media,
                queries=read_params(world, clients, extra),
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def db_access(arena, settings):
    """The arena, with its own media folder (where its photos are)."""
    settings.MEDIA_ROOT = arena.media
    return arena


def attack(arena: Arena, actor: str, url: str, data: dict, *, htmx: bool = False) -> list[str]:
    """Post once, in a transaction rolled back afterwards; the problems it caused."""
    client = arena.clients[actor]
    headers = {"HX-Request": "true"} if htmx else {}
    problems = []
    with transaction.atomic():
        reset_queries()  # the request resets the log too; start from zero so nothing is missed
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data, headers=headers)
        if response.status_code >= 500:
            problems.append(f"status {response.status_code}")
        for payload in hostile.unescaped(response, hostile.flat(data)):
            problems.append(f"unescaped in the answer: {payload!r}")
        if location := hostile.off_site(response):
            problems.append(f"redirects off site to {location!r}")
        if hostile.wrote(queries.captured_queries):
            if touched := hostile.changed(
                arena.b_digest, hostile.digest(arena.world.b.neighbourhood)
            ):
                problems.append(f"changed neighbourhood B: {touched}")
            if links := hostile.cross_links():
                problems.append(f"links two neighbourhoods: {links}")
        transaction.set_rollback(True)
    return [f"POST {url} as {actor}{' (htmx)' if htmx else ''}: {p}" for p in problems]


def _targets(arena: Arena) -> dict[str, tuple[str, str, dict[str, Field]]]:
    """URL name → (actor, url, fields) for every post endpoint we attack."""
    targets = {name: (form.actor, form.url, form.fields) for name, form in arena.forms.items()}
    for name, fields in NO_FORM.items():
        if name not in targets and name in arena.post_routes:
            targets[name] = ("coordinator_a", arena.post_routes[name], fields)
    return targets


def _app(name: str) -> str:
    return name.split(":")[0] if ":" in name else "site"


APPS = sorted({_app(route.name) for route in scoped_routes()} | {"site", "claim"})


def test_every_post_endpoint_is_attacked(db_access):
    arena = db_access
    missing = sorted(set(arena.post_routes) - set(arena.forms) - set(NO_FORM))
    assert missing == [], (
        f"post endpoints without a form on any page and without an entry in NO_FORM: {missing}"
    )
    stale = sorted(set(NO_FORM) - set(arena.post_routes))
    assert stale == [], f"NO_FORM lists URLs that answer no POST any more: {stale}"
    assert {"claim:confirm", "login", "set_language"} <= set(arena.forms)


def _fuzzer(arena: Arena, actor: str, check, url: str, data, base: dict | None = None):
    """Hypothesis runs of ``check`` (attack: posts; peek: query strings) on one URL, as its
    actor mostly and as every other actor sometimes, with and without htmx."""

    @EXAMPLES
    @given(who=st.sampled_from([actor, actor, actor, *ACTORS]), data=data, htmx=st.booleans())
    def run(who, data, htmx):
        problems = check(arena, who, url, {**(base or {}), **data}, htmx=htmx)
        assert problems == [], problems

    return run


@pytest.mark.parametrize("app", APPS)
def test_random_and_crafted_posts(db_access, app):
    arena = db_access
    failures: list[str] = []
    targets = {n: t for n, t in _targets(arena).items() if _app(n) == app}
    # read-only: search, the published page, the map and the HSDS API (its query strings are
    # peeked at like every other page's)
    assert targets or app in {"search", "publication", "maps", "api"}, f"nothing to attack in {app}"
    for name, (actor, url, fields) in sorted(targets.items()):
        try:
            _fuzzer(arena, actor, attack, url, hostile.post_data(fields, arena.guesses))()
        except Exception as error:  # a 500 re-raised by the test client, or a failed check
            failures.append(f"{name}: {''.join(traceback.format_exception(error))[-4000:]}")
    assert failures == [], "\n".join(failures)


def peek(arena: Arena, actor: str, url: str, params: dict, *, htmx: bool = False) -> list[str]:
    """Open a page with a query, in a transaction rolled back afterwards; the problems."""
    client = arena.clients[actor]
    headers = {"HX-Request": "true"} if htmx else {}
    problems = []
    with transaction.atomic():
        response = client.get(url, params, headers=headers)
        if response.status_code >= 500:
            problems.append(f"status {response.status_code}")
        for payload in hostile.unescaped(response, hostile.flat(params)):
            problems.append(f"unescaped in the answer: {payload!r}")
        if location := hostile.off_site(response):
            problems.append(f"redirects off site to {location!r}")
        transaction.set_rollback(True)
    return [f"GET {url} {params!r} as {actor}{' (htmx)' if htmx else ''}: {p}" for p in problems]


def test_query_parameters_are_found(db_access):
    """The probe sees what views read: the filters of pages and of the answers behind them."""
    queries = db_access.queries
    assert {"then", "now", "initiative", "tag", "street"} <= set(queries["network:data"].params)
    assert {"then", "now", "initiative"} <= set(queries["network:figures"].params)
    assert queries["network:network"].params["now"].kind == "date"
    assert queries["network:data"].params["now"].kind == "date"  # typed by the page's form
    assert {"from", "to"} <= set(queries["outcomes:report_pdf"].params)
    assert {"from", "to"} <= set(queries["outcomes:dashboard"].params)
    assert len(queries) > 15, sorted(queries)


def test_a_parameter_named_like_a_dict_method_is_just_a_parameter(db_access):
    """?items=x once reached the template as request.GET['items'] (a 500)."""
    arena = db_access
    query = arena.queries["network:network"]
    assert _crashes(peek, arena, query.actor, query.url, {**query.base, "items": "x"}) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_nul_in_any_parameter_gets_a_clear_400(db_access, method):
    """PostgreSQL text cannot hold NUL: refused in one place (neighbourhoods.middleware)."""
    arena = db_access
    query = arena.queries["search:search"]
    client = arena.clients[query.actor]
    with transaction.atomic():
        response = getattr(client, method)(query.url, {"q": "fiets\x00"})
        transaction.set_rollback(True)
    assert response.status_code == 400
    assert "control character (NUL)" in response.content.decode()
    assert client.get(query.url, {"q": "fiets"}).status_code == 200


@pytest.mark.parametrize("app", APPS)
def test_random_and_crafted_queries(db_access, app):
    arena = db_access
    failures: list[str] = []
    for name, query in sorted(arena.queries.items()):
        if _app(name) != app:
            continue
        try:
            data = hostile.query_data(query.params, arena.guesses)
            _fuzzer(arena, query.actor, peek, query.url, data, query.base)()
        except Exception as error:  # a 500 re-raised by the test client, or a failed check
            failures.append(f"{name}: {''.join(traceback.format_exception(error))[-4000:]}")
    assert failures == [], "\n".join(failures)


def _crashes(check, arena: Arena, actor: str, url: str, data: dict, **kwargs) -> list[str]:
    """The problems of one attack or peek, a crash (re-raised by the test client) included."""
    try:
        return check(arena, actor, url, data, **kwargs)
    except Exception as error:
        return [f"{url} {data!r} as {actor} {kwargs}: {error!r}"]


def test_edge_ids_and_dates_in_every_field(db_access):
    """Each field that takes an id or a date gets a 25-digit id, year 1 and year 9999."""
    arena = db_access
    failures = []
    attacked = set()
    for form in arena.forms.values():
        for f in form.fields.values():
            for value in hostile.edges(f):
                data = form.baseline() | {f.name: value}
                failures += _crashes(attack, arena, form.actor, form.url, data)
                attacked.add((form.route, f.name))
    assert len(attacked) > 25, attacked
    assert failures == [], "\n".join(failures)


def test_edge_ids_and_dates_in_every_query_parameter(db_access):
    """Each query parameter a view reads gets the edge values of its kind (all when unknown)."""
    arena = db_access
    failures = []
    asked = set()
    for query in arena.queries.values():
        for f in query.params.values():
            for index, value in enumerate(hostile.edges(f) or hostile.EDGE_IDS[:1] * 2):
                # page and fragment in turn: every value once, each parameter both ways
                htmx = index % 2 == 1
                params = {**query.base, f.name: value}
                failures += _crashes(peek, arena, query.actor, query.url, params, htmx=htmx)
                asked.add((query.url, f.name, htmx))
    assert {htmx for _url, _name, htmx in asked} == {False, True}
    assert failures == [], "\n".join(failures)


# Which model's ids a field takes, by its name (else: one id of every model of B).
FIELD_MODELS = {
    "person": "residents.Person",
    "other_person": "residents.Person",
    "to_person": "residents.Person",
    "managed_by_person": "residents.Person",
    "people": "residents.Person",
    "others": "residents.Person",
    "organisation": "organisations.Organisation",
    "organisations": "organisations.Organisation",
    "to_organisation": "organisations.Organisation",
    "managed_by_organisation": "organisations.Organisation",
    "place": "places.Place",
    "usual_place": "places.Place",
    "meeting_place": "places.Place",
    "initiative": "network.Initiative",
    "gift": "residents.Gift",
    "connection": "network.Connection",
    "conversation": "conversations.Conversation",
    "introduction": "conversations.Introduction",
    "unit_value": "outcomes.UnitValue",
    "withdraw": "residents.ConsentRecord",
}


def _guesses_for(f: Field, arena: Arena) -> list[str]:
    nb = arena.world.b.neighbourhood
    label = FIELD_MODELS.get(f.name)
    prefix = f.value.split(":", 1)[0] if ":" in f.value else ""
    if prefix:
        label = next((m._meta.label for m in hostile.scoped_models()
                      if m._meta.model_name == prefix), None)  # fmt: skip
    if label is not None:
        model = apps.get_model(label)
        pks = [str(pk) for pk in model.objects.in_neighbourhood(nb).values_list("pk", flat=True)]
    elif f.name in {"assignee", "user"}:
        pks = [str(u.pk) for u in (arena.world.b.builder, arena.world.b.resident)]
    else:  # unknown: the first object of every model of B
        pks = sorted({str(m.objects.in_neighbourhood(nb).values_list("pk", flat=True).first())
                      for m in hostile.scoped_models()} - {"None"})  # fmt: skip
    return [f"{prefix}:{pk}" for pk in pks] if prefix else pks


def test_ids_of_another_neighbourhood_in_every_id_field(db_access):
    """Object-id guessing: each field that takes an id gets the ids of neighbourhood B."""
    arena = db_access
    failures = []
    attacked = set()
    for form in arena.forms.values():
        for f in form.fields.values():
            if not f.takes_id:
                continue
            for guess in _guesses_for(f, arena):
                data = form.baseline() | {f.name: guess}
                failures += attack(arena, form.actor, form.url, data)
                attacked.add((form.route, f.name))
    # the crawl found the id fields (people, places, initiatives, consents, …)
    assert len(attacked) > 25, attacked
    assert failures == [], "\n".join(failures)


# Left out of the escaping sweep: they remove what the sweep reads, or end the session.
DESTRUCTIVE = ("delete", "remove", "erase", "discard", "cancel", "revoke", "member_role",
               "login", "password_change", "set_language", "claim:")  # fmt: skip


def _with_payload(form: Form, payload: str) -> dict:
    data = form.baseline()
    for f in form.fields.values():
        fits = f.maxlength is None or f.maxlength >= len(payload)
        if f.is_text and f.kind != "password" and not f.name.startswith("_") and fits:
            data[f.name] = payload
    return data


def test_stored_markup_is_escaped_on_every_page(db_access):
    """Markup typed into every text field of every form appears only escaped anywhere."""
    arena = db_access
    problems: list[str] = []
    stored = 0
    urls = pages(arena.world)
    keep = [f for f in arena.forms.values() if not any(w in f.route for w in DESTRUCTIVE)]
    with transaction.atomic():
        for index, form in enumerate(keep):
            payload = hostile.MARKUP[index % len(hostile.MARKUP)]
            client = arena.clients[form.actor]
            response = client.post(form.url, _with_payload(form, payload))
            stored += response.status_code in (301, 302, 303)
            problems += [f"{form.url}: {p}" for p in hostile.unescaped(response, hostile.MARKUP)]
        assert stored > 20  # most forms accepted their payload (so the sweep below means much)
        for actor in ("coordinator_a", "builder_a", "resident_a"):
            client = arena.clients[actor]
            for url in [*urls, *arena.extra_pages.get(actor, []), "/me/"]:
                for headers in ({}, {"HX-Request": "true"}):
                    response = client.get(url, headers=headers)
                    assert response.status_code < 500, url
                    problems += [
                        f"GET {url} as {actor} {headers}: {p!r}"
                        for p in hostile.unescaped(response, hostile.MARKUP)
                    ]
        transaction.set_rollback(True)
    assert problems == [], "\n".join(problems)


def _media_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("bad", sorted(hostile.BAD_FILES))
def test_upload_bombs_and_polyglots(db_access, settings, bad):
    """Every file field gets each bad file: a clear refusal or a clean re-encoded copy."""
    arena = db_access
    name, content_type, make = hostile.BAD_FILES[bad]
    content = make()
    fields = [(form, f) for form in arena.forms.values() for f in form.fields.values()
              if f.kind == "file" and form.route != "exchange:import"]  # fmt: skip
    assert len(fields) >= 4  # person photo, own photo, place photos, outcome evidence
    root = Path(settings.MEDIA_ROOT)
    problems = []
    for form, f in fields:
        before = _media_files(root)
        with transaction.atomic():
            upload = SimpleUploadedFile(name, content, content_type=content_type)
            data = form.baseline() | {f.name: upload}
            response = arena.clients[form.actor].post(form.url, data)
            if response.status_code >= 500:
                problems.append(f"{form.url}: status {response.status_code}")
            if bad != "JPEG with PHP and HTML appended" and response.status_code in (302, 303):
                problems.append(f"{form.url} accepted the {bad} ({response.status_code})")
            if bad != "JPEG with PHP and HTML appended" and response.status_code != 302:
                text = response.content.decode(errors="replace")
                if 'role="alert"' not in text and "error" not in text:
                    problems.append(f"{form.url}: refused without a message")
            transaction.set_rollback(True)
        for path, data in _media_files(root).items():
            if before.get(path) == data:
                continue
            if b"<?php" in data or b"<script" in data or data.lstrip()[:5].lower() == b"<!doc":
                problems.append(f"{form.url} stored the payload as is: {path.name}")
            path.unlink()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("bad", sorted(hostile.BAD_IMPORTS))
def test_import_refuses_bombs(db_access, bad):
    """The import page: a clear message, no 500, and nothing imported even when confirmed."""
    arena = db_access
    form = arena.forms["exchange:import"]
    name, content_type, make = hostile.BAD_IMPORTS[bad]
    client = arena.clients[form.actor]
    nb = arena.world.a.neighbourhood
    inventory = [Person, Organisation, Place]
    counts = [m.objects.in_neighbourhood(nb).count() for m in inventory]
    with transaction.atomic():
        upload = SimpleUploadedFile(name, make(), content_type=content_type)
        response = client.post(form.url, form.baseline() | {"file": upload}, follow=True)
        assert response.status_code in (200, 422)
        assert 'role="alert"' in response.content.decode()
        job = ImportJob.objects.in_neighbourhood(nb).order_by("pk").last()
        if response.redirect_chain and job is not None:  # stored: try to import it anyway
            confirm = reverse("exchange:import_confirm", args=[nb.slug, job.token])
            answer = client.post(confirm, {"valid_only": "on", "feature": ""}, follow=True)
            assert answer.status_code in (200, 422)
        assert [m.objects.in_neighbourhood(nb).count() for m in inventory] == counts
        transaction.set_rollback(True)


def test_the_arena_covers_both_neighbourhoods(db_access):
    arena = db_access
    assert len(arena.guesses) > 30
    assert arena.world.b.neighbourhood.memberships.filter(role=Role.BUILDER).exists()


def test_the_checks_can_fail(db_access):
    """Each check catches what it is for (so a green run means something)."""
    from django.http import HttpResponse, HttpResponseRedirect

    payload = hostile.MARKUP[1]
    assert hostile.unescaped(HttpResponse(f"<p>{payload}</p>"), [payload]) == [payload]
    escaped = HttpResponse("<p>&quot;&gt;&lt;img src=x onerror=alert(&quot;xss-2&quot;)&gt;</p>")
    assert hostile.unescaped(escaped, [payload]) == []
    assert hostile.off_site(HttpResponseRedirect("//evil.example/")) == "//evil.example/"
    assert hostile.off_site(HttpResponseRedirect("/n/populierenbuurt/")) is None
    arena = db_access
    with transaction.atomic():
        person_b = arena.world.b.objects["residents_person"]
        Person.objects.filter(pk=person_b.pk).update(name="Changed")
        after = hostile.digest(arena.world.b.neighbourhood)
        assert hostile.changed(arena.b_digest, after) == ["residents.Person"]
        place_a = Place.objects.in_neighbourhood(arena.world.a.neighbourhood).first()
        Place.objects.filter(pk=place_a.pk).update(managed_by_person=person_b)
        assert any("places.Place.managed_by_person" in p for p in hostile.cross_links())
        transaction.set_rollback(True)

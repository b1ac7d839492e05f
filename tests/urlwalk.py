"""The URL walk: every pattern under /n/<slug>/ and /me/, every actor, own and other side."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from neighbourhoods.models import Role

from .access_table import EXPECTED_ROLE, KWARGS, PUBLIC, SIGNED_IN, populate
from .factories import Side, World

SCOPED_PREFIXES = ("n/<slug:slug>/", "me/", "api/hsds/<slug:slug>/")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]


def scoped_routes(
    urlconf: str | None = None, prefixes: tuple[str, ...] = SCOPED_PREFIXES
) -> Iterator[Route]:
    def walk(patterns, prefix: str, namespace: str, params: tuple) -> Iterator[Route]:
        for entry in patterns:
            # The argument names come from the compiled regex: Django caches the converters
            # dict of identical routes and updates it in place, so it cannot be trusted here.
            found = params + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns, found)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(prefixes):
                    name = f"{namespace}{entry.name}" if entry.name else route
                    yield Route(name, route, found)

    yield from walk(get_resolver(urlconf).url_patterns, "", "", ())


def expected(world: World, actor: str, side: Side, required: Role | str) -> str:
    """'login', 'not-found', 'forbidden' or 'allowed'."""
    if required == PUBLIC:  # no login at all: open when published, 404 for all when not
        return "allowed" if side.objects.get("published") else "not-found"
    user = world.actors()[actor]
    if user is None:
        return "login"
    if required == SIGNED_IN:
        return "allowed"
    if user.is_staff:
        return "allowed"
    membership = side.neighbourhood.memberships.filter(user=user).first()
    if membership is None:
        return "not-found"
    return "allowed" if Role(membership.role).at_least(required) else "forbidden"


def outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code == 404:
        return "not-found"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code >= 500:
        return "error"
    return "allowed"


# What htmx sends with every request it makes (hx-get, hx-post, boosted links).
HTMX_HEADERS = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}


def walk(
    world: World,
    urlconf: str | None = None,
    *,
    htmx: bool = False,
    names: Collection[str] | None = None,
) -> list[str]:
    """Every mismatch between what happened and what the table says, as readable lines.

    ``htmx=True`` sends every request as htmx does (``HX-Request: true``), so fragment
    answers go through the same checks as full pages. ``names`` limits the walk to those
    URL names (the tests of the walk itself need only their own URL).
    """
    if urlconf is not None:
        with override_settings(ROOT_URLCONF=urlconf):
            return _walk(world, urlconf, htmx, names)
    return _walk(world, None, htmx, names)


def _walk(
    world: World, urlconf: str | None, htmx: bool, names: Collection[str] | None
) -> list[str]:
    populate(world)
    failures: list[str] = []
    clients = {}
    headers = HTMX_HEADERS if htmx else None
    for actor, user in world.actors().items():
        clients[actor] = Client(raise_request_exception=False, headers=headers)
        if user is not None:
            clients[actor].force_login(user)
    for route in scoped_routes(urlconf):
        if names is not None and route.name not in names:
            continue
        required = EXPECTED_ROLE.get(route.name)
        if required is None:
            failures.append(f"{route.name} ({route.route}) is missing from the access table")
            continue
        for side_name, side in (("own/A", world.a), ("B", world.b)):
            kwargs = {}
            for key in route.kwargs:
                kwargs[key] = side.slug if key == "slug" else KWARGS[key](side)
            url = reverse(route.name, kwargs=kwargs, urlconf=urlconf)
            allowed_seen = False
            for actor, client in clients.items():
                want = expected(world, actor, side, required)
                if htmx and want == "allowed":
                    # Fragments must refuse exactly like pages; what an allowed role gets is
                    # the page walk's job, so one allowed actor per side is enough here.
                    if allowed_seen:
                        continue
                    allowed_seen = True
                for method in ("get", "post"):
                    with transaction.atomic():
                        response = getattr(client, method)(url)
                        transaction.set_rollback(True)
                    got = outcome(response)
                    if got != want:
                        failures.append(
                            f"{'htmx ' if htmx else ''}{method.upper()} {url} as {actor} "
                            f"(neighbourhood {side_name}): "
                            f"expected {want}, got {got} ({response.status_code})"
                        )
    return failures


def mixed_walk(world: World, urlconf: str | None = None) -> list[str]:
    """Neighbourhood A's slug with B's object ids: every actor is refused, nobody gets B's
    object through A's address. Each route whose ids differ between the sides is tried."""
    if urlconf is not None:
        with override_settings(ROOT_URLCONF=urlconf):
            return _mixed_walk(world, urlconf)
    return _mixed_walk(world, None)


def _mixed_walk(world: World, urlconf: str | None) -> list[str]:
    populate(world)
    failures: list[str] = []
    clients = {}
    for actor, user in world.actors().items():
        clients[actor] = Client(raise_request_exception=False)
        if user is not None:
            clients[actor].force_login(user)
    tried = 0
    for route in scoped_routes(urlconf):
        required = EXPECTED_ROLE.get(route.name)
        ids = [key for key in route.kwargs if key != "slug"]
        if required in (None, PUBLIC) or not ids or "slug" not in route.kwargs:
            continue
        own = {key: KWARGS[key](world.a) for key in ids}
        other = {key: KWARGS[key](world.b) for key in ids}
        if own == other:
            continue
        tried += 1
        url = reverse(route.name, kwargs={"slug": world.a.slug, **other}, urlconf=urlconf)
        for actor, client in clients.items():
            for method in ("get", "post"):
                with transaction.atomic():
                    response = getattr(client, method)(url)
                    transaction.set_rollback(True)
                got = "not-allowed" if response.status_code == 405 else outcome(response)
                want = "login" if world.actors()[actor] is None else "refused"
                if (want == "refused" and got not in ("not-found", "forbidden", "not-allowed")) or (
                    want == "login" and got != "login"
                ):
                    failures.append(
                        f"{method.upper()} {url} as {actor} (A's slug, B's ids): "
                        f"expected {want}, got {got} ({response.status_code})"
                    )
    if urlconf is None and tried == 0:
        failures.append("the mixed walk tried no route")
    return failures

"""The organisation pages: admins of X see X; everybody else, Y's admin too, gets 404."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from operators.access import OPERATOR_ADMIN
from tests.factories import World
from tests.urlwalk import outcome, walk

from .factories import operator_sides

PREFIX = "o/<slug:slug>/"

KWARGS = {
    "token": lambda s: s.objects["job"].token,
    "membership_id": lambda s: s.objects["membership"].pk,
    "invitation_id": lambda s: s.objects["invitation"].pk,
    "fmt": lambda s: "csv",
}


def operator_routes():
    def walk_patterns(patterns, prefix, namespace, params):
        for entry in patterns:
            found = params + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk_patterns(entry.url_patterns, prefix + str(entry.pattern), ns, found)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                if route.startswith(PREFIX):
                    yield f"{namespace}{entry.name}", found, entry.callback

    yield from walk_patterns(get_resolver().url_patterns, "", "", ())


def test_every_organisation_view_is_guarded():
    routes = list(operator_routes())
    assert len(routes) >= 10
    for name, _kwargs, callback in routes:
        assert getattr(callback, "required_role", None) == OPERATOR_ADMIN, name


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_organisation_walk(world, htmx):
    x, y = operator_sides(world)
    actors = {
        "anonymous": None,
        "stranger": world.stranger,
        "coordinator_a": world.a.coordinator,
        "builder_a": world.a.builder,
        "resident_a": world.a.resident,
        "builder_b": world.b.builder,
        "orgadmin_x": x.admin,
        "orgadmin_y": y.admin,
        "staff": world.staff,
    }
    headers = {"HX-Request": "true"} if htmx else None
    clients = {}
    for actor, user in actors.items():
        clients[actor] = Client(raise_request_exception=False, headers=headers)
        if user is not None:
            clients[actor].force_login(user)
    failures = []
    for name, params, _callback in operator_routes():
        for op in (x, y):
            kwargs = {k: (op.slug if k == "slug" else KWARGS[k](op)) for k in params}
            url = reverse(name, kwargs=kwargs)
            for actor, client in clients.items():
                if actor == "anonymous":
                    want = "login"
                elif actor == "staff" or actors[actor] == op.admin:
                    want = "allowed"
                else:
                    want = "not-found"
                for method in ("get", "post"):
                    with transaction.atomic():
                        response = getattr(client, method)(url)
                        transaction.set_rollback(True)
                    got = outcome(response)
                    if got != want:
                        failures.append(f"{method} {url} as {actor}: want {want}, got {got}")
    assert failures == []


def test_x_slug_with_y_ids_is_refused(world):
    x, y = operator_sides(world)
    client = Client(raise_request_exception=False)
    client.force_login(x.admin)
    tried = 0
    for name, params, _callback in operator_routes():
        ids = [k for k in params if k != "slug"]
        if not ids or all(KWARGS[k](x) == KWARGS[k](y) for k in ids):
            continue
        tried += 1
        url = reverse(name, kwargs={"slug": x.slug, **{k: KWARGS[k](y) for k in ids}})
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            assert response.status_code in (404, 405), (method, url, response.status_code)
    assert tried >= 4


class OrgAdminWorld(World):
    """The same world, walked by the two organisation admins only."""

    def actors(self):
        return {"orgadmin_x": self.orgadmin_x, "orgadmin_y": self.orgadmin_y}


def test_organisation_admins_have_no_role_in_neighbourhoods_by_themselves(world):
    """Admin of an organisation is not a role in its neighbourhoods: /n/ pages are 404."""
    x, y = operator_sides(world)
    walker = OrgAdminWorld(a=world.a, b=world.b, stranger=world.stranger, staff=world.staff)
    walker.orgadmin_x, walker.orgadmin_y = x.admin, y.admin
    assert walk(walker) == []


def test_organisation_list_shows_only_own(world, client_for):
    x, _y = operator_sides(world)
    page = client_for(x.admin).get("/o/").content.decode()
    assert "Organisatie X" in page and "Organisatie Y" not in page
    home = client_for(x.admin).get("/").content.decode()
    assert x.operator.get_absolute_url() in home
    assert "Organisatie" not in client_for(world.a.builder).get("/o/").content.decode()

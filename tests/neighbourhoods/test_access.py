import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from neighbourhoods.access import get_in_neighbourhood, membership_or_404, require
from neighbourhoods.models import Membership, Role
from tests import access_table
from tests.urlwalk import mixed_walk, scoped_routes, walk


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_every_scoped_url_follows_the_access_table(world, htmx):
    assert walk(world, htmx=htmx) == []


def test_no_url_serves_another_neighbourhoods_object_under_its_own_slug(world):
    assert mixed_walk(world) == []


def test_mixed_walk_catches_a_lookup_without_the_neighbourhood(world, monkeypatch):
    monkeypatch.setitem(access_table.EXPECTED_ROLE, "leak", Role.COORDINATOR)
    monkeypatch.setitem(access_table.EXPECTED_ROLE, "unscoped", Role.RESIDENT)
    failures = mixed_walk(world, urlconf="tests.neighbourhoods.leaky_urls")
    leaks = [line for line in failures if "/unscoped/" in line]
    assert any("as resident_a" in line and "got allowed (200)" in line for line in leaks)
    assert all("/unscoped/" in line for line in failures)


def test_walk_covers_the_foundation_urls():
    names = {route.name for route in scoped_routes()}
    assert {"neighbourhoods:dashboard", "neighbourhoods:members"} <= names


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_walk_catches_a_view_without_the_check(world, monkeypatch, htmx):
    monkeypatch.setitem(access_table.EXPECTED_ROLE, "leak", Role.COORDINATOR)
    failures = walk(world, urlconf="tests.neighbourhoods.leaky_urls", htmx=htmx, names={"leak"})
    leaks = [line for line in failures if "/leak/" in line]
    assert any("as anonymous" in line and "expected login" in line for line in leaks)
    assert any("as resident_a" in line and "expected forbidden" in line for line in leaks)
    assert any("as builder_b" in line and "expected not-found" in line for line in leaks)
    assert all("/leak/" in line for line in failures)


def test_walk_fails_on_a_url_missing_from_the_table(world):
    failures = walk(world, urlconf="tests.neighbourhoods.leaky_urls", names={"leak"})
    assert any("leak" in line and "missing from the access table" in line for line in failures)


def test_membership_or_404_hides_other_neighbourhoods(world):
    request = RequestFactory().get("/")
    request.user = world.b.builder
    with pytest.raises(Http404):
        membership_or_404(request, world.a.slug)
    assert membership_or_404(request, world.b.slug).role == Role.BUILDER


def test_staff_are_coordinators_everywhere(world):
    request = RequestFactory().get("/")
    request.user = world.staff
    assert membership_or_404(request, world.b.slug).is_coordinator


def test_inactive_user_has_no_membership(world):
    world.a.builder.is_active = False
    world.a.builder.save()
    request = RequestFactory().get("/")
    request.user = world.a.builder
    with pytest.raises(Http404):
        membership_or_404(request, world.a.slug)


def test_require_raises_permission_denied_below_role(world):
    @require(Role.COORDINATOR)
    def view(request, slug):
        raise AssertionError("must not run")

    request = RequestFactory().get("/")
    request.user = world.a.builder
    with pytest.raises(PermissionDenied):
        view(request, world.a.slug)


def test_get_in_neighbourhood_refuses_other_neighbourhoods_objects(world):
    other = world.b.membership(world.b.resident)
    with pytest.raises(Http404):
        get_in_neighbourhood(Membership, world.a.neighbourhood, pk=other.pk)
    own = world.a.membership(world.a.resident)
    assert get_in_neighbourhood(Membership, world.a.neighbourhood, pk=own.pk) == own

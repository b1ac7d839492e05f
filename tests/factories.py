"""Plain factory functions and the named actors every test reads from."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.contrib.auth.models import User

from neighbourhoods.models import Membership, Neighbourhood, Role

_seq = itertools.count(1)

PASSWORD = "correct horse battery staple"


def make_user(username: str | None = None, **extra) -> User:
    username = username or f"user{next(_seq)}"
    user = User(username=username, email=extra.pop("email", f"{username}@example.org"), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_neighbourhood(name: str | None = None, **extra) -> Neighbourhood:
    name = name or f"Buurt {next(_seq)}"
    slug = extra.pop("slug", name.lower().replace(" ", "-"))
    return Neighbourhood.objects.create(name=name, slug=slug, **extra)


def make_member(neighbourhood: Neighbourhood, role: Role, username: str | None = None) -> User:
    user = make_user(username)
    Membership.objects.create(user=user, neighbourhood=neighbourhood, role=role)
    return user


@dataclass
class Side:
    """One neighbourhood and its people in every role (some may be None)."""

    neighbourhood: Neighbourhood
    coordinator: User | None
    builder: User
    resident: User
    objects: dict = field(default_factory=dict)  # sample objects for URL kwargs

    @property
    def slug(self) -> str:
        return self.neighbourhood.slug

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(user=user, neighbourhood=self.neighbourhood)


@dataclass
class World:
    a: Side
    b: Side
    stranger: User
    staff: User

    def actors(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "stranger": self.stranger,
            "coordinator_a": self.a.coordinator,
            "builder_a": self.a.builder,
            "resident_a": self.a.resident,
            "builder_b": self.b.builder,
            "resident_b": self.b.resident,
            "staff": self.staff,
        }


def make_world() -> World:
    """Two neighbourhoods: A (coordinator, builder, resident) and B (builder, resident)."""
    nb_a = make_neighbourhood("Populierenbuurt", municipality="Amstelveen")
    nb_b = make_neighbourhood("Kastanjebuurt", municipality="Amstelveen")
    a = Side(
        neighbourhood=nb_a,
        coordinator=make_member(nb_a, Role.COORDINATOR, "coordinator_a"),
        builder=make_member(nb_a, Role.BUILDER, "builder_a"),
        resident=make_member(nb_a, Role.RESIDENT, "resident_a"),
    )
    b = Side(
        neighbourhood=nb_b,
        coordinator=None,
        builder=make_member(nb_b, Role.BUILDER, "builder_b"),
        resident=make_member(nb_b, Role.RESIDENT, "resident_b"),
    )
    world = World(
        a=a,
        b=b,
        stranger=make_user("stranger"),
        staff=make_user("staff", is_staff=True),
    )
    return world

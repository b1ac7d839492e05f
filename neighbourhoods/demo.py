"""Demo data: the core (neighbourhoods, users, memberships) plus seeders of feature apps.

Feature apps register a seeder in their own ``demo`` module with :func:`register_seeder`;
each gets the :class:`DemoWorld` and must be idempotent, like the core. The modules are found
when seeding starts (:func:`discover`, like ``admin.autodiscover``), never imported when the
app starts: a production server loads no demo code (and needs no Faker).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from . import freshness
from .models import Membership, Neighbourhood, Role

DEMO_DATA = Path(__file__).parent / "demo_data"

# (slug, name, municipality, CBS buurtcode)
NEIGHBOURHOODS = [
    ("populierenbuurt", "Populierenbuurt", "Amstelveen", "BU03620804"),
    ("kastanjebuurt", "Kastanjebuurt", "Amstelveen", "BU03620802"),
]

# username, first name, last name, {neighbourhood index: role}
USERS = [
    ("coordinator", "Marieke", "de Vries", {0: Role.COORDINATOR, 1: Role.COORDINATOR}),
    ("builder", "Youssef", "El Amrani", {0: Role.BUILDER}),
    ("builder2", "Sanne", "Bakker", {1: Role.BUILDER}),
    ("resident", "Ans", "Jansen", {0: Role.RESIDENT}),
]


@dataclass
class DemoWorld:
    password: str
    people: int
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)
    # Extra neighbourhoods for scale tests (`seed_demo --neighbourhoods N`), made by feature
    # seeders (operators spreads them over organisations).
    extra_neighbourhoods: int = 0
    users: dict = field(default_factory=dict)
    claim_code: str | None = None  # set by me.demo: a code to claim a profile with


Seeder = Callable[[DemoWorld], None]
_seeders: list[tuple[int, Seeder]] = []


def discover() -> None:
    """Import every installed app's ``demo`` module, so their seeders register."""
    autodiscover_modules("demo")


def register_seeder(order: int = 100):
    def decorator(func: Seeder) -> Seeder:
        _seeders.append((order, func))
        _seeders.sort(key=lambda item: item[0])
        return func

    return decorator


def _boundaries() -> dict[str, dict]:
    data = json.loads((DEMO_DATA / "buurten.geojson").read_text())
    return {feature["properties"]["buurtcode"]: feature for feature in data["features"]}


def _centre(feature: dict) -> tuple[float, float]:
    ring = feature["geometry"]["coordinates"][0]
    return (sum(p[1] for p in ring) / len(ring), sum(p[0] for p in ring) / len(ring))


@transaction.atomic
def seed_core(world: DemoWorld) -> None:
    boundaries = _boundaries()
    for slug, name, municipality, code in NEIGHBOURHOODS:
        feature = boundaries.get(code)
        lat, lon = _centre(feature) if feature else (None, None)
        neighbourhood, _created = Neighbourhood.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "municipality": municipality,
                "cbs_code": code,
                "boundary": feature,
                "centre_lat": lat,
                "centre_lon": lon,
            },
        )
        world.neighbourhoods.append(neighbourhood)

    User = get_user_model()
    for username, first, last, roles in USERS:
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        user.set_password(world.password)
        user.save()
        world.users[username] = user
        for index, role in roles.items():
            Membership.objects.update_or_create(
                user=user, neighbourhood=world.neighbourhoods[index], defaults={"role": role}
            )


def seed(password: str, people: int | None = None, neighbourhoods: int = 0) -> DemoWorld:
    discover()
    world = DemoWorld(password=password, people=people or 150, extra_neighbourhoods=neighbourhoods)
    seed_core(world)
    for _order, seeder in _seeders:
        seeder(world)
    # the seeders write in bulk, without signals
    for neighbourhood in world.neighbourhoods:
        freshness.touch(neighbourhood.pk)
    return world

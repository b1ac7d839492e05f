"""Demo: the two demo neighbourhoods belong to "Participe Amstelland" (a welfare
organisation) with admin ``orgadmin``; ``seed_demo --neighbourhoods N --people P`` adds N
neighbourhoods of P people spread over organisations (about 50 per organisation; the first
one runs a tenth of them)."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from conversations.models import Conversation
from conversations.models import Status as ConversationStatus
from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Neighbourhood
from network.models import Connection, Origin
from residents.models import Person

from . import cbs
from .management.commands.load_cbs import DATA
from .models import CbsArea, Kind, Operator, OperatorAdmin, OperatorNeighbourhood

OPERATOR = ("participe-amstelland", "Participe Amstelland", Kind.WELFARE)
ADMIN = ("orgadmin", "Petra", "Vos")
PER_OPERATOR = 50
SCALE_SEED = 20261207


def load_cbs_if_empty() -> None:
    if not CbsArea.objects.exists():
        cbs.load_boundaries((DATA / "amstelveen_buurten.geojson").read_bytes())
        cbs.load_figures((DATA / "amstelveen_kerncijfers_2024.csv").read_bytes())


@register_seeder(order=200)
@transaction.atomic
def seed_operator(world: DemoWorld) -> None:
    load_cbs_if_empty()
    slug, name, kind = OPERATOR
    operator, _created = Operator.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind}
    )
    for neighbourhood in world.neighbourhoods:
        area = CbsArea.objects.filter(code=neighbourhood.cbs_code).first()
        OperatorNeighbourhood.objects.update_or_create(
            neighbourhood=neighbourhood,
            defaults={
                "operator": operator,
                "wijk_code": area.wijk_code if area else "",
                "wijk_name": area.wijk_name if area else "",
                "gemeente_code": area.gemeente_code if area else "",
            },
        )
    username, first, last = ADMIN
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    user.set_password(world.password)
    user.save()
    world.users[username] = user
    OperatorAdmin.objects.get_or_create(operator=operator, user=user)
    if world.extra_neighbourhoods:
        seed_scale(world.extra_neighbourhoods, world.people, password=world.password)


def seed_scale(count: int, people: int, password: str = "") -> list[Neighbourhood]:
    """``count`` neighbourhoods of ``people`` people, a connection per two people and a
    conversation per ten, in organisations of PER_OPERATOR neighbourhoods (idempotent)."""
    rng = random.Random(SCALE_SEED)  # noqa: S311  (demo data, not secrets)
    User = get_user_model()
    builder, _created = User.objects.get_or_create(username="scale-builder")
    operators: list[Operator] = []
    # About PER_OPERATOR per organisation; the first, larger one runs a tenth of them (100 of
    # 1,000: the benchmark's dashboard over 100 neighbourhoods), the rest share the others.
    n_operators = max(1, -(-count // PER_OPERATOR))
    big = count // 10 if n_operators > 1 else count

    def operator_of(i: int) -> Operator:
        return operators[0 if i < big else 1 + (i - big) % (n_operators - 1)]

    for index in range(n_operators):
        operator, _created = Operator.objects.get_or_create(
            slug=f"schaal-organisatie-{index + 1}",
            defaults={"name": f"Schaalorganisatie {index + 1}", "kind": Kind.WELFARE},
        )
        operators.append(operator)
        admin, created = User.objects.get_or_create(username=f"schaal-admin-{index + 1}")
        if created and password:
            admin.set_password(password)
            admin.save()
        OperatorAdmin.objects.get_or_create(operator=operator, user=admin)
    existing = set(
        Neighbourhood.objects.filter(slug__startswith="schaal-").values_list("slug", flat=True)
    )
    made = []
    today = datetime.date.today()
    for index in range(count):
        slug = f"schaal-{index + 1}"
        if slug in existing:
            continue
        with transaction.atomic():
            neighbourhood = Neighbourhood.objects.create(
                name=f"Schaalbuurt {index + 1}", slug=slug, municipality="Schaaldorp"
            )
            OperatorNeighbourhood.objects.create(
                operator=operator_of(index),
                neighbourhood=neighbourhood,
                wijk_code=f"WK9{index // 10:05d}",
                wijk_name=f"Schaalwijk {index // 10 + 1}",
                gemeente_code="GM9999",
            )
            Person.objects.bulk_create(
                Person(
                    neighbourhood=neighbourhood,
                    name=f"Bewoner {n}",
                    street=f"Straat {n % 20}",
                    external_id=f"scale-{n}",
                )
                for n in range(people)
            )
            ids = list(
                Person.objects.filter(neighbourhood=neighbourhood).values_list("pk", flat=True)
            )
            pairs: set[tuple[int, int]] = set()
            while len(ids) > 1 and len(pairs) < len(ids) // 2:
                a, b = rng.sample(ids, 2)
                pairs.add((min(a, b), max(a, b)))
            Connection.objects.bulk_create(
                Connection(
                    neighbourhood=neighbourhood,
                    person_id=a,
                    other_person_id=b,
                    origin=Origin.INTRODUCED,
                    since=today - datetime.timedelta(days=rng.randrange(400)),
                )
                for a, b in pairs
            )
            Conversation.objects.bulk_create(
                Conversation(
                    neighbourhood=neighbourhood,
                    person_id=pk,
                    builder=builder,
                    status=ConversationStatus.FINISHED,
                    held_on=today - datetime.timedelta(days=rng.randrange(300)),
                )
                for pk in ids[::10]
            )
        made.append(neighbourhood)
    return made

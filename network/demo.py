"""Demo initiatives and connections (after people, organisations, places, conversations).

Populierenbuurt gets a coffee club ("Koffieclub Populierenbuurt") of 14 members whose
confirmed relations grow over the past year (few at first, many later), a repair café, a
street garden started by the demo resident, a walking group and an idea for a choir; every
neighbourhood gets connections spread over the past year and older ones ("knew each other
already"). A fixed random seed keeps the demo the same; initiatives are keyed by name and
connections are unique per pair, so running again adds nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Membership, Role
from organisations.models import Organisation
from places.models import Place
from residents.models import Gift, Person

from .models import Connection, Initiative, InitiativeMember, InitiativeStatus, Origin

SEED = 20261125
BATCH = 2000
COFFEE_CLUB = "Koffieclub Populierenbuurt"


@dataclass(frozen=True)
class Plan:
    name: str
    description: str
    status: str
    place: str  # demo place key
    members: int
    months_ago: int  # started this many months ago
    gifts: tuple[str, ...]  # gift titles (of members) it uses
    confirm: float  # how many of the possible relations end up confirmed


PLANS = {
    0: [
        Plan(
            COFFEE_CLUB,
            "Elke woensdagochtend koffie en thee in het buurthuis, voor iedereen die wil "
            "aanschuiven. Begonnen met vier bewoners van de flat aan de Van der Hooplaan; nu "
            "een vaste groep die ook samen boodschappen doet en elkaar opzoekt.",
            InitiativeStatus.ACTIVE,
            "buurthuis",
            14,
            11,
            ("Koffieochtend organiseren", "Taarten bakken", "Eenzaamheid tegengaan"),
            0.6,
        ),
        Plan(
            "Repair Café Keizer Karelpark",
            "Eens per maand repareren buren samen fietsen, kleding, lampen en "
            "naaimachines. Weggooien is zonde.",
            InitiativeStatus.ACTIVE,
            "buurthuis",
            8,
            9,
            ("Fietsen repareren", "Naaimachine repareren", "Klussen in huis"),
            0.5,
        ),
        Plan(
            "Buurtmoestuin Lindenlaan",
            "Samen groente kweken op het veldje achter de Lindenlaan: zaaien, wieden en "
            "oogsten, en de oogst delen.",
            InitiativeStatus.ACTIVE,
            "moestuin",
            6,
            7,
            ("Buurtmoestuin", "Tuinieren"),
            0.5,
        ),
        Plan(
            "Wandelgroep Park De Poel",
            "Dinsdag en zaterdag een rondje door het park, in je eigen tempo.",
            InitiativeStatus.ACTIVE,
            "park",
            9,
            6,
            ("Hardlopen in een groepje",),
            0.4,
        ),
        Plan(
            "Buurtkoor",
            "Het idee: één avond per week samen zingen in het buurthuis.",
            InitiativeStatus.IDEA,
            "buurthuis",
            2,
            1,
            ("Zingen in een koor",),
            0.0,
        ),
    ],
    1: [
        Plan(
            "Koffieochtend Kastanjebuurt",
            "Koffie op vrijdag in de buurtkamer.",
            InitiativeStatus.ACTIVE,
            "buurtkamer",
            6,
            8,
            ("Koffieochtend organiseren",),
            0.5,
        ),
        Plan(
            "Schone straat Kastanjelaan",
            "Elke eerste zaterdag samen zwerfafval prikken.",
            InitiativeStatus.PAUSED,
            "",
            5,
            10,
            ("Schone straat",),
            0.3,
        ),
    ],
}


@register_seeder(order=60)
def seed_network(world: DemoWorld) -> None:
    today = timezone.localdate()
    for index, neighbourhood in enumerate(world.neighbourhoods):
        seed_neighbourhood(neighbourhood, PLANS.get(index, []), today)


def _recorder(neighbourhood):
    membership = (
        Membership.objects.in_neighbourhood(neighbourhood)
        .filter(role__in=[Role.BUILDER, Role.COORDINATOR])
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return membership.user if membership else None


def _days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


@transaction.atomic
def seed_neighbourhood(neighbourhood, plans: list[Plan], today: datetime.date) -> None:
    people = list(Person.objects.in_neighbourhood(neighbourhood).order_by("pk")[:3000])
    if len(people) < 20:
        return
    rng = random.Random(f"{SEED}-{neighbourhood.slug}")  # noqa: S311 (demo data)
    recorder = _recorder(neighbourhood)
    _seed_connections(neighbourhood, people, rng, today, recorder)
    places = {
        p.external_id.removeprefix("demo-place-"): p
        for p in Place.objects.in_neighbourhood(neighbourhood).filter(
            external_id__startswith="demo-place-"
        )
    }
    used: set[int] = set()
    for plan in plans:
        if Initiative.objects.in_neighbourhood(neighbourhood).filter(name=plan.name).exists():
            continue
        _seed_initiative(neighbourhood, plan, people, places, used, rng, today, recorder)


def _seed_connections(neighbourhood, people, rng, today, recorder) -> None:
    """Older "knew each other" ties (mostly neighbours) and newer ones over the past year."""
    by_street: dict[str, list[Person]] = {}
    for person in people:
        by_street.setdefault(person.street, []).append(person)
    # About one in four people stays without any connection: the ones to reach next.
    lonely = set(rng.sample([p.pk for p in people], len(people) // 4))
    social = [p for p in people if p.pk not in lonely]
    rows: dict[tuple[int, int], Connection] = {}

    def add(a: Person, b: Person, origin: str, since: datetime.date | None) -> None:
        if a.pk == b.pk or a.pk in lonely or b.pk in lonely:
            return
        low, high = sorted([a.pk, b.pk])
        if (low, high) in rows:
            return
        rows[(low, high)] = Connection(
            neighbourhood=neighbourhood,
            person_id=low,
            other_person_id=high,
            origin=origin,
            since=since,
            recorded_by=recorder,
        )

    for person in social:
        # Neighbours who knew each other long before anyone asked.
        street = [p for p in by_street.get(person.street, []) if p.pk not in lonely]
        for other in rng.sample(street, min(len(street), rng.choice([0, 1, 1, 2]))):
            since = None if rng.random() < 0.25 else _days_ago(today, rng.randint(400, 4000))
            add(person, other, Origin.KNEW, since)
    # Over the past year: introductions and chance meetings, more of them lately.
    for _i in range(len(social) // 2):
        a, b = rng.sample(social, 2)
        days = int(365 * (1 - rng.random() ** 0.6))  # skewed towards recent months
        origin = Origin.INTRODUCED if rng.random() < 0.6 else Origin.OTHER
        add(a, b, origin, _days_ago(today, max(1, days)))
    Connection.objects.bulk_create(list(rows.values()), batch_size=BATCH, ignore_conflicts=True)

    organisations = list(Organisation.objects.in_neighbourhood(neighbourhood).order_by("pk"))
    if organisations:
        links = [
            Connection(
                neighbourhood=neighbourhood,
                person=person,
                organisation=rng.choice(organisations),
                origin=rng.choice([Origin.KNEW, Origin.OTHER]),
                since=_days_ago(today, rng.randint(30, 1500)),
                recorded_by=recorder,
            )
            for person in rng.sample(social, min(len(social), max(5, len(social) // 8)))
        ]
        Connection.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)


def _seed_initiative(neighbourhood, plan, people, places, used, rng, today, recorder) -> None:
    start = today - datetime.timedelta(days=plan.months_ago * 30 + rng.randint(0, 10))
    initiative = Initiative.objects.create(
        neighbourhood=neighbourhood,
        name=plan.name,
        description=plan.description,
        status=plan.status,
        started_on=start,
        meeting_place=places.get(plan.place),
        public=plan.status == InitiativeStatus.ACTIVE,
        created_by=recorder,
        updated_by=recorder,
    )
    members = _choose_members(neighbourhood, plan, people, used, rng)
    span = max(1, (today - start).days)
    joined: dict[int, datetime.date] = {}
    rows = []
    for position, person in enumerate(members):
        if position < min(4, plan.members):  # the initiators start it together
            day = start
        else:  # the others join over the first two thirds of its life, fewer later
            day = start + datetime.timedelta(days=int(span * 0.66 * rng.random() ** 1.3))
        joined[person.pk] = day
        rows.append(
            InitiativeMember(
                initiative=initiative,
                person=person,
                initiator=position < min(4, plan.members) and plan.members > 2,
                joined=day,
            )
        )
    if plan.name == COFFEE_CLUB:  # one who came for a while and moved away
        spare = next((p for p in people if p.pk not in used and p.pk not in joined), None)
        if spare is not None:
            came = start + datetime.timedelta(days=40)
            rows.append(
                InitiativeMember(
                    initiative=initiative,
                    person=spare,
                    joined=came,
                    left=came + datetime.timedelta(days=120),
                )
            )
            used.add(spare.pk)
    InitiativeMember.objects.bulk_create(rows)
    gifts = Gift.objects.filter(person__in=members, title__in=plan.gifts)
    initiative.gifts.set(gifts)
    _confirm_relations(neighbourhood, initiative, members, joined, plan, rng, today, recorder)


def _choose_members(neighbourhood, plan, people, used, rng) -> list[Person]:
    """Prefer people whose gifts fit the initiative, and whose name residents may see."""
    fitting = set(
        Gift.objects.filter(person__in=people, title__in=plan.gifts).values_list(
            "person_id", flat=True
        )
    )
    resident = next((p for p in people if p.external_id == "demo-resident"), None)
    chosen: list[Person] = []
    if resident is not None and "Buurtmoestuin" in plan.gifts and resident.pk not in used:
        chosen.append(resident)
    pool = [p for p in people if p.pk not in used and p.external_id != "demo-resident"]
    rng.shuffle(pool)
    pool.sort(key=lambda p: (p.pk not in fitting, p.visibility.get("name") == "builders"))
    for person in pool:
        if len(chosen) >= plan.members:
            break
        chosen.append(person)
    used.update(p.pk for p in chosen)
    return chosen


def _confirm_relations(neighbourhood, initiative, members, joined, plan, rng, today, recorder):
    """Members get to know each other over time: few relations at first, many later."""
    existing = set(
        Connection.objects.filter(person__in=members, other_person__in=members).values_list(
            "person_id", "other_person_id"
        )
    )
    rows = []
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            low, high = sorted([a.pk, b.pk])
            if (low, high) in existing:
                continue
            together = max(joined[a.pk], joined[b.pk])
            months = (today - together).days / 30
            chance = plan.confirm * min(1.0, months / 8)
            if rng.random() >= chance:
                continue
            # They meet weekly: it takes a few weeks to months before they really know
            # each other, and the builder confirms it later still.
            delay = int(14 + rng.random() ** 0.7 * max(1, (today - together).days - 14))
            since = min(today, together + datetime.timedelta(days=delay))
            rows.append(
                Connection(
                    neighbourhood=neighbourhood,
                    person_id=low,
                    other_person_id=high,
                    origin=Origin.INITIATIVE,
                    initiative=initiative,
                    since=since,
                    recorded_by=recorder,
                )
            )
    Connection.objects.bulk_create(rows, ignore_conflicts=True)

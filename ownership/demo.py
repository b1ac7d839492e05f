"""Demo ownership: who carries the initiatives, their meetings, and builders' reflections.

After network's seeder (order 60). In Populierenbuurt the coffee club ("Koffieclub
Populierenbuurt") was started by a community builder who brought four residents of the flat
together, with Participe; after three months the residents carry it alone, and it meets every
Wednesday. The "Taalcafé van Participe" was a professional's project that stopped when
Participe left (the projectencarrousel). The repair café and the street garden are residents'
own ideas. Reflections of every kind by the demo builders.

Idempotent: an initiative that already has a recorded start is left alone, reflections are
keyed by their sentence; a fixed random seed keeps the demo the same.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation, Introduction, Status
from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Membership, Role
from network.models import Initiative, InitiativeMember, InitiativeStatus
from organisations.models import Organisation, OrganisationKind
from residents.models import Person

from .models import Activity, CarrierPeriod, InitiativeStart, Reflection, ReflectionKind, StartedBy

SEED = 20261211
COFFEE_CLUB = "Koffieclub Populierenbuurt"
TAALCAFE = "Taalcafé van Participe"
WELFARE = "demo-org-participe"

COFFEE_NOTES = [
    "Appeltaart van mevrouw Kok, iedereen bleef lang zitten.",
    "Twee nieuwe buren uit de flat kwamen kijken.",
    "Samen boodschappenlijstje gemaakt voor wie slecht ter been is.",
    "Rustige ochtend, regen.",
    "Afgesproken om volgende week samen naar de markt te gaan.",
    "",
    "",
    "",
]

# (kind, subject, sentence, days ago)
REFLECTIONS = {
    0: [
        (
            ReflectionKind.STRENGTHENING,
            "coffee",
            "De vier bewoners van de flat hebben de koffieclub nu zelf in handen; ik kom "
            "alleen nog als gast.",
            20,
        ),
        (
            ReflectionKind.STRENGTHENING,
            "conversation",
            "Ze vertelde voor het eerst wat ze zelf wil doen in plaats van wat ze nodig heeft.",
            35,
        ),
        (
            ReflectionKind.STRENGTHENING,
            "introduction",
            "Ze bleken allebei van tuinieren te houden en spraken meteen af in de moestuin.",
            62,
        ),
        (
            ReflectionKind.HARMFUL,
            "taalcafe",
            "Wij hebben het taalcafé opgezet en gedraaid; toen Participe stopte, had niemand "
            "het van ons overgenomen.",
            120,
        ),
        (
            ReflectionKind.HARMFUL,
            "conversation",
            "Ik kwam te snel met een oplossing en nam daarmee zijn plan over.",
            90,
        ),
        (
            ReflectionKind.NEUTRAL,
            "introduction",
            "Kennismaking gemaakt, maar nog geen idee of ze elkaar weer opzoeken.",
            14,
        ),
        (
            ReflectionKind.NEUTRAL,
            "conversation",
            "Vooral praktische vragen over de huurverhoging; weinig over wat hem drijft.",
            150,
        ),
        (
            ReflectionKind.STRENGTHENING,
            "conversation",
            "Hij bood zelf aan om fietsen te repareren voor de kinderen in de straat.",
            5,
        ),
    ],
    1: [
        (
            ReflectionKind.STRENGTHENING,
            "conversation",
            "Ze wil de koffieochtend op vrijdag zelf gaan openen.",
            30,
        ),
        (
            ReflectionKind.NEUTRAL,
            "conversation",
            "Een eerste kennismaking; nog niets opgehaald.",
            75,
        ),
    ],
}


@register_seeder(order=70)
def seed_ownership(world: DemoWorld) -> None:
    today = timezone.localdate()
    for index, neighbourhood in enumerate(world.neighbourhoods):
        seed_neighbourhood(neighbourhood, index, today)


def _builder(neighbourhood):
    membership = (
        Membership.objects.in_neighbourhood(neighbourhood)
        .filter(role=Role.BUILDER)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _welfare(neighbourhood) -> Organisation | None:
    orgs = Organisation.objects.in_neighbourhood(neighbourhood)
    return (
        orgs.filter(external_id=WELFARE).first()
        or orgs.filter(kind=OrganisationKind.INSTITUTION).order_by("pk").first()
    )


@transaction.atomic
def seed_neighbourhood(neighbourhood, index: int, today: datetime.date) -> None:
    rng = random.Random(f"{SEED}-{neighbourhood.slug}")  # noqa: S311 (demo data)
    builder = _builder(neighbourhood)
    welfare = _welfare(neighbourhood)
    initiatives = {i.name: i for i in Initiative.objects.in_neighbourhood(neighbourhood)}
    coffee = initiatives.get(COFFEE_CLUB)
    if coffee is not None:
        _coffee_club(coffee, welfare, builder, rng, today)
    taalcafe = initiatives.get(TAALCAFE)
    if welfare is not None and index == 0:
        taalcafe = _taalcafe(neighbourhood, taalcafe, welfare, builder, rng, today)
    for name, initiative in initiatives.items():
        if name in (COFFEE_CLUB, TAALCAFE) or initiative.status == InitiativeStatus.IDEA:
            continue
        if initiative.status == InitiativeStatus.ACTIVE:
            _residents_own(initiative, builder, rng, today)
    if builder is not None:
        _reflections(neighbourhood, index, builder, coffee, taalcafe, rng, today)


def _start_of(initiative: Initiative, today: datetime.date) -> datetime.date:
    return initiative.started_on or today - datetime.timedelta(days=300)


def _meetings(initiative, first, last, every_days, present, notes, builder, rng) -> None:
    """A meeting every ``every_days`` from ``first`` to ``last`` (some weeks skipped)."""
    rows = []
    day = first
    count = 0
    while day <= last:
        if rng.random() > 0.08:  # a week off now and then
            low, high = present(count)
            rows.append(
                Activity(
                    initiative=initiative,
                    held_on=day,
                    present=rng.randint(low, high),
                    note=rng.choice(notes),
                    recorded_by=builder,
                )
            )
            count += 1
        day += datetime.timedelta(days=every_days)
    Activity.objects.bulk_create(rows)


def _coffee_club(coffee, welfare, builder, rng, today) -> None:
    if InitiativeStart.objects.filter(initiative=coffee).exists():
        return
    start = _start_of(coffee, today)
    InitiativeStart.objects.create(
        initiative=coffee, started_by=StartedBy.BUILDER, recorded_by=builder
    )
    members = list(coffee.members.select_related("person").order_by("joined", "pk"))
    initiators = [m.person for m in members if m.initiator][:4] or [m.person for m in members[:4]]
    first = CarrierPeriod.objects.create(
        initiative=coffee,
        since=start,
        note="Youssef bracht vier bewoners van de flat bij elkaar; Participe regelde de ruimte.",
        recorded_by=builder,
    )
    first.people.set(initiators)
    if welfare is not None:
        first.organisations.set([welfare])
    handover = min(today, start + datetime.timedelta(days=91))
    second = CarrierPeriod.objects.create(
        initiative=coffee,
        since=handover,
        note="De bewoners doen het nu zelf: sleutel, koffie en de lijst met wie er komt.",
        recorded_by=builder,
    )
    second.people.set(initiators)
    wednesday = start + datetime.timedelta(days=(2 - start.weekday()) % 7)
    _meetings(
        coffee,
        wednesday,
        today - datetime.timedelta(days=1),
        7,
        lambda n: (4 + min(n // 5, 8), 6 + min(n // 4, 10)),
        COFFEE_NOTES,
        builder,
        rng,
    )


def _taalcafe(neighbourhood, taalcafe, welfare, builder, rng, today):
    if taalcafe is not None and InitiativeStart.objects.filter(initiative=taalcafe).exists():
        return taalcafe
    start = today - datetime.timedelta(days=320)
    stop = today - datetime.timedelta(days=150)
    if taalcafe is None:
        taalcafe = Initiative.objects.create(
            neighbourhood=neighbourhood,
            name=TAALCAFE,
            description=(
                "Elke dinsdagmiddag Nederlands oefenen in de bibliotheek, georganiseerd door "
                "een taalcoach van Participe. Gestopt toen het project afliep."
            ),
            status=InitiativeStatus.ENDED,
            started_on=start,
            created_by=builder,
            updated_by=builder,
        )
        taken = set(InitiativeMember.objects.values_list("person_id", flat=True))
        pool = [
            p
            for p in Person.objects.in_neighbourhood(neighbourhood).order_by("pk")[:400]
            if p.pk not in taken
        ]
        chosen = rng.sample(pool, min(7, len(pool)))
        InitiativeMember.objects.bulk_create(
            [
                InitiativeMember(
                    initiative=taalcafe,
                    person=person,
                    joined=start + datetime.timedelta(days=rng.randint(0, 120)),
                    left=stop + datetime.timedelta(days=rng.randint(0, 14)),
                )
                for person in chosen
            ]
        )
    InitiativeStart.objects.create(
        initiative=taalcafe,
        started_by=StartedBy.PROFESSIONAL,
        organisation=welfare,
        recorded_by=builder,
    )
    project = CarrierPeriod.objects.create(
        initiative=taalcafe,
        since=start,
        note="Taalcoach van Participe, projectsubsidie voor één jaar.",
        recorded_by=builder,
    )
    project.organisations.set([welfare])
    CarrierPeriod.objects.create(
        initiative=taalcafe,
        since=stop,
        note="Project afgelopen, de taalcoach is vertrokken.",
        recorded_by=builder,
    )
    tuesday = start + datetime.timedelta(days=(1 - start.weekday()) % 7)
    _meetings(
        taalcafe,
        tuesday,
        stop + datetime.timedelta(days=14),
        7,
        lambda n: (3, 8) if n < 15 else (1, 4),
        ["Oefenen met boodschappen doen.", "Rollenspel bij de huisarts.", ""],
        builder,
        rng,
    )
    return taalcafe


def _residents_own(initiative, builder, rng, today) -> None:
    """Other active initiatives: residents' own idea, carried by their initiators."""
    if InitiativeStart.objects.filter(initiative=initiative).exists():
        return
    start = _start_of(initiative, today)
    InitiativeStart.objects.create(
        initiative=initiative, started_by=StartedBy.RESIDENTS, recorded_by=builder
    )
    members = list(initiative.members.select_related("person").order_by("joined", "pk"))
    carriers = [m.person for m in members if m.initiator] or [m.person for m in members[:2]]
    period = CarrierPeriod.objects.create(initiative=initiative, since=start, recorded_by=builder)
    period.people.set(carriers)
    _meetings(
        initiative,
        start,
        today - datetime.timedelta(days=3),
        rng.choice([14, 28]),
        lambda n: (3, 9),
        [""],
        builder,
        rng,
    )


def _reflections(neighbourhood, index, builder, coffee, taalcafe, rng, today) -> None:
    existing = set(Reflection.objects.in_neighbourhood(neighbourhood).values_list("why", flat=True))
    conversations = list(
        Conversation.objects.in_neighbourhood(neighbourhood)
        .filter(builder=builder, status=Status.FINISHED)
        .order_by("-held_on", "pk")[:200]
    )
    introductions = list(
        Introduction.objects.in_neighbourhood(neighbourhood).proposed().order_by("pk")[:20]
    )
    rows = []
    for position, (kind, about, why, days) in enumerate(REFLECTIONS.get(index, [])):
        if why in existing:
            continue
        subject: dict = {}
        if about == "coffee" and coffee is not None:
            subject = {"initiative": coffee}
        elif about == "taalcafe" and taalcafe is not None:
            subject = {"initiative": taalcafe}
        elif about == "conversation":
            written = today - datetime.timedelta(days=days)
            before = [c for c in conversations if c.held_on <= written]  # newest first
            if before:
                subject = {"conversation": before[min(position % 3, len(before) - 1)]}
        elif about == "introduction" and introductions:
            subject = {"introduction": introductions[position % len(introductions)]}
        if not subject:
            continue
        rows.append(
            Reflection(
                neighbourhood=neighbourhood,
                author=builder,
                kind=kind,
                why=why,
                written_on=today - datetime.timedelta(days=days),
                **subject,
            )
        )
    Reflection.objects.bulk_create(rows)

"""Demo outcomes (after people, places, conversations and the network: order 80).

Populierenbuurt harvests what the practice yields: 28 care visits saved through the coffee
club, a move to a care home postponed by a year, nine homes insulated together, a wadi
against heavy rain, a repair café, and a few smaller or still-draft outcomes; each linked in
a contribution chain to the gifts, conversations, connections and initiatives the other
seeders made (steps whose object is missing are simply left out).

Values come from the national reference prices (`outcomes.prices`) where one fits — the care
visits saved from the home-care visit, the postponed move per month from the nursing-home day —
with deadweight and attribution filled in, so the report shows a defensible range; insulation
and repairs use the neighbourhood's own unit prices, each with a source and a price year. The
wadi and the jobs found stay a story with a quantity.

The published page is ON for Populierenbuurt and OFF for Kastanjebuurt, so the demo shows
both states. Outcomes are keyed by title per neighbourhood: running again adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from conversations.models import Conversation
from conversations.models import Status as ConversationStatus
from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Membership, Role
from network.models import Connection, Initiative, InitiativeMember, Origin
from places.models import Place
from residents.models import Gift, Person

from .models import (
    Contribution,
    Outcome,
    OutcomeDomain,
    PublicationSettings,
    ReferencePrice,
    Status,
    StepKind,
    UnitValue,
)
from .prices import ensure_loaded

COFFEE_CLUB = "Koffieclub Populierenbuurt"
REPAIR_CAFE = "Repair Café Keizer Karelpark"
GARDEN = "Buurtmoestuin Lindenlaan"

UNITS = {
    # own unit prices: unit, price (€), per, price year, source
    "home_insulated": (
        "energiebesparing per geïsoleerde woning",
        "350.00",
        "year",
        2024,
        "Milieu Centraal, besparing met kierdichting, radiatorfolie en vloerisolatie in een "
        "rijtjeswoning (bovengrens van de bandbreedte), 2024.",
    ),
    "repair": (
        "reparatie bij het repair café",
        "25.00",
        "unit",
        2024,
        "Repair Café Keizer Karelpark, eigen meting 2024: mediane nieuwprijs van gerepareerde "
        "spullen min de kosten van onderdelen.",
    ),
}


@dataclass
class Plan:
    title: str
    days_ago: int
    domains: tuple[str, ...]
    story: str = ""
    significance: str = ""
    evidence: str = ""
    summary: str = ""
    unit: str = ""  # a typed unit, or the price's own name when empty
    quantity: str | None = None
    price: str = ""  # a reference price key, or "own:" and a key of UNITS
    duration: str | None = None  # months
    deadweight: tuple[int, int] = (25, 50)
    attribution: tuple[int, int] = (25, 50)
    drop_off: int = 20
    value_note: str = ""
    status: str = Status.SUBSTANTIATED
    group: str = ""
    where: str = ""
    place: str = ""  # demo place key
    # "connection": for the newer end of the plan's connection step; an initiative's name:
    # for one of its (non-initiator) members; "": for the group in words only
    for_whom: str = ""
    steps: list = field(default_factory=list)  # (kind, lookup) pairs, see _step


PLANS = {
    0: [
        Plan(
            "{name} eet drie keer per week samen met anderen",
            40,
            ("care", "cohesion"),
            story=(
                "Na het keukentafelgesprek kwam {first} mee naar de koffieclub. Daar bakt Ans "
                "elke woensdag; nu eet {first} drie keer per week samen met buren en gaat "
                "iemand mee boodschappen doen. De wijkverpleging komt minder vaak langs."
            ),
            significance="{first} at alleen en viel af; de huisarts maakte zich zorgen.",
            evidence="Gesprek met de wijkverpleegkundige; agenda van de koffieclub.",
            summary=(
                "Een oudere bewoner eet drie keer per week samen met buren; de "
                "wijkverpleging hoeft 28 keer minder langs te komen."
            ),
            unit="vermeden huisbezoeken wijkverpleging",
            quantity="28",
            price="homecare_travel",
            deadweight=(25, 50),
            attribution=(50, 75),
            value_note=(
                "Alleen de reiskosten per bezoek geteld, niet de verpleegtijd: een ondergrens. "
                "De wijkverpleegkundige noemt de koffieclub als belangrijkste reden."
            ),
            place="buurthuis",
            for_whom=COFFEE_CLUB,
            steps=[
                ("conversation", "for_whom"),
                ("gift", "demo-resident:Taarten bakken"),
                ("note", "voorgesteld aan de koffieclub"),
                ("initiative", COFFEE_CLUB),
            ],
        ),
        Plan(
            "{name} woont een jaar langer thuis",
            120,
            ("care", "housing"),
            story=(
                "Twee leden van de koffieclub doen nu om beurten boodschappen voor {first}; "
                "een buurman helpt met de administratie. De verhuizing naar het verpleeghuis "
                "is met een jaar uitgesteld."
            ),
            significance="Zelf blijven wonen was de grootste wens.",
            evidence="Bevestigd door de casemanager dementie.",
            summary="Een bewoner kan een jaar langer thuis blijven wonen dankzij buren.",
            unit="bewoner, opname verpleeghuis uitgesteld",
            quantity="1",
            price="nursingcare_day",
            duration="12",
            deadweight=(25, 50),
            attribution=(25, 50),
            value_note=(
                "Bruto: de thuiszorg die doorloopt is niet afgetrokken, daarom een lage "
                "toerekening; casemanager en familie hielpen ook."
            ),
            for_whom="connection",
            steps=[
                ("connection", Origin.INITIATIVE),
                ("initiative", COFFEE_CLUB),
            ],
        ),
        Plan(
            "Negen woningen samen geïsoleerd",
            200,
            ("energy", "housing", "climate"),
            story=(
                "Op de klusdag zetten buren samen tochtstrips, radiatorfolie en "
                "vloerisolatie in negen woningen aan de Van der Leeklaan."
            ),
            significance="Lagere energierekening voor huishoudens met een krappe beurs.",
            evidence="Lijst van deelnemende adressen bij de woningcorporatie.",
            summary="Negen huishoudens isoleerden samen hun woning op een klusdag.",
            unit="geïsoleerde woningen",
            quantity="9",
            price="own:home_insulated",
            duration="36",
            deadweight=(10, 25),
            attribution=(50, 75),
            value_note="Drie jaar besparing gerekend; de corporatie leverde het materiaal.",
            group="Huurders van de Van der Leeklaan",
            where="Van der Leeklaan",
            steps=[
                ("gift", "Klussen in huis"),
                ("connection", Origin.INTRODUCED),
                ("note", "klusdag georganiseerd met de woningcorporatie"),
            ],
        ),
        Plan(
            "Wadi aangelegd tegen wateroverlast",
            150,
            ("climate",),
            story=(
                "Na de hoosbuien van vorig jaar stond de Lindenlaan blank. Bewoners van de "
                "moestuin ontwierpen met de gemeente een wadi die 45 m³ regenwater opvangt."
            ),
            significance="Geen water meer in de kelders bij zware regen.",
            evidence="Foto's voor en na; bevestiging van de gemeente.",
            summary="Bewoners legden met de gemeente een wadi aan die 45 m³ regenwater opvangt.",
            unit="m³ waterberging",
            quantity="45",
            group="Bewoners van de Lindenlaan en de Van der Hooplaan",
            where="Lindenlaan",
            place="moestuin",
            steps=[
                ("gift", "Tuinieren"),
                ("initiative", GARDEN),
            ],
        ),
        Plan(
            "Repair café: 112 spullen gerepareerd",
            60,
            ("climate", "cohesion"),
            story="Een jaar lang elke maand: fietsen, lampen, kleding en naaimachines.",
            significance="Minder afval, en buren die elkaar helpen.",
            evidence="Turflijsten van het repair café.",
            summary="Het repair café repareerde in een jaar 112 spullen.",
            unit="reparaties",
            quantity="112",
            price="own:repair",
            deadweight=(25, 50),
            attribution=(50, 75),
            value_note="Een deel was anders door een reparateur gedaan of weggegooid.",
            place="buurthuis",
            steps=[
                ("gift", "Fietsen repareren"),
                ("initiative", REPAIR_CAFE),
            ],
        ),
        Plan(
            "Twee bewoners vonden werk via het repair café",
            30,
            ("work",),
            story="Een vrijwilliger kreeg een baan bij een fietsenmaker, een ander bij de kringloop.",
            summary="Twee vrijwilligers vonden werk via het repair café.",
            unit="bewoners aan het werk",
            quantity="2",
            steps=[("initiative", REPAIR_CAFE)],
        ),
        Plan(
            "Straatverlichting aan de Startbaan gerepareerd",
            90,
            ("safety",),
            story="Bewoners meldden samen de kapotte lantaarns; de gemeente repareerde ze.",
            steps=[("conversation", None)],
        ),
        Plan(
            "Jongeren helpen ouderen met hun telefoon",
            10,
            ("youth", "cohesion"),
            story="Eerste middag in het buurthuis; nog niet nagevraagd hoe het bevalt.",
            status=Status.DRAFT,
            steps=[("note", "idee uit een keukentafelgesprek")],
        ),
    ],
    1: [
        Plan(
            "Zes bewoners zien elkaar elke week bij de koffieochtend",
            50,
            ("cohesion", "care"),
            story="De koffieochtend op vrijdag is een vast punt geworden.",
            summary="Zes bewoners zien elkaar elke week bij de koffieochtend.",
            unit="bewoners die elkaar wekelijks zien",
            quantity="6",
            steps=[("initiative", "Koffieochtend Kastanjebuurt")],
        ),
        Plan(
            "Veertig zakken zwerfafval geprikt",
            100,
            ("climate", "safety"),
            summary="Buren prikten samen veertig zakken zwerfafval.",
            unit="zakken zwerfafval",
            quantity="40",
            steps=[("initiative", "Schone straat Kastanjelaan")],
        ),
    ],
}

PUBLISHED = {0: True, 1: False}
INTRO = {
    0: (
        "De Populierenbuurt laat zien wat bewoners samen doen: de plekken en initiatieven van "
        "de buurt en wat het oplevert. Namen van bewoners staan hier nooit."
    ),
    1: "",
}


@register_seeder(order=80)
def seed_outcomes(world: DemoWorld) -> None:
    today = timezone.localdate()
    for index, neighbourhood in enumerate(world.neighbourhoods):
        seed_neighbourhood(neighbourhood, PLANS.get(index, []), today, index)


def _people_of(neighbourhood) -> tuple:
    coordinator = (
        Membership.objects.in_neighbourhood(neighbourhood)
        .filter(role=Role.COORDINATOR)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    builder = (
        Membership.objects.in_neighbourhood(neighbourhood)
        .filter(role__in=[Role.BUILDER, Role.COORDINATOR])
        .select_related("user")
        .order_by("role", "user__username")
        .first()
    )
    return (builder.user if builder else None, coordinator.user if coordinator else None)


@transaction.atomic
def seed_neighbourhood(neighbourhood, plans: list[Plan], today: datetime.date, index: int):
    builder, coordinator = _people_of(neighbourhood)
    ensure_loaded()
    units: dict[str, UnitValue | ReferencePrice] = {}
    for key, (unit, value, period, year, source) in UNITS.items():
        row = UnitValue.objects.in_neighbourhood(neighbourhood).filter(unit=unit).first()
        if row is None:
            row = UnitValue.objects.create(
                neighbourhood=neighbourhood,
                unit=unit,
                value=Decimal(value),
                period=period,
                price_year=year,
                source=source,
                updated_by=coordinator,
            )
        units[f"own:{key}"] = row
    units.update({price.key: price for price in ReferencePrice.objects.all()})
    PublicationSettings.objects.get_or_create(
        neighbourhood=neighbourhood,
        defaults={"published": PUBLISHED.get(index, False), "intro": INTRO.get(index, "")},
    )
    places = {
        p.external_id.removeprefix("demo-place-"): p
        for p in Place.objects.in_neighbourhood(neighbourhood).filter(
            external_id__startswith="demo-place-"
        )
    }
    existing = set(Outcome.objects.in_neighbourhood(neighbourhood).values_list("title", flat=True))
    for plan in plans:
        people = _for_whom(neighbourhood, plan)
        name = people[0].name if people else "Een buurtbewoner"
        title = plan.title.format(name=name)
        if title not in existing:
            _seed_outcome(
                neighbourhood, plan, title, people, today, units, places, builder, coordinator
            )


def _for_whom(neighbourhood, plan: Plan) -> list[Person]:
    """Who the outcome is for, decided before the title (which may carry their name)."""
    if plan.for_whom == "connection":
        origin = next(lookup for kind, lookup in plan.steps if kind == StepKind.CONNECTION)
        connection = _connection(neighbourhood, origin)
        # _connection() only finds connections with another person
        if connection is None or connection.other_person is None:
            return []
        return [connection.other_person]
    if plan.for_whom:
        member = (
            InitiativeMember.objects.in_neighbourhood(neighbourhood)
            .filter(initiative__name=plan.for_whom, initiator=False, left__isnull=True)
            .order_by("pk")
            .select_related("person")
            .first()
        )
        return [member.person] if member else []
    return []


def _connection(neighbourhood, origin: str) -> Connection | None:
    return (
        Connection.objects.in_neighbourhood(neighbourhood)
        .filter(origin=origin, other_person__isnull=False)
        .select_related("other_person")
        .order_by("-since", "pk")
        .first()
    )


def _seed_outcome(
    neighbourhood, plan, title, people, today, units, places, builder, coordinator
) -> None:
    price = units.get(plan.price)
    quantity = Decimal(plan.quantity) if plan.quantity is not None else None
    happened = today - datetime.timedelta(days=plan.days_ago)
    first = people[0].name.split()[0] if people else "deze bewoner"
    substantiated = plan.status == Status.SUBSTANTIATED
    outcome = Outcome(
        neighbourhood=neighbourhood,
        title=title,
        story=plan.story.format(first=first),
        significance=plan.significance.format(first=first),
        evidence_text=plan.evidence,
        happened_on=happened,
        where=plan.where,
        place=places.get(plan.place),
        for_whom_group=plan.group,
        quantity=quantity,
        unit=plan.unit or (price.name if price else ""),
        reference_price=price if isinstance(price, ReferencePrice) else None,
        unit_value=price if isinstance(price, UnitValue) else None,
        duration=Decimal(plan.duration) if plan.duration else None,
        deadweight_low=plan.deadweight[0],
        deadweight_high=plan.deadweight[1],
        attribution_low=plan.attribution[0],
        attribution_high=plan.attribution[1],
        drop_off=plan.drop_off,
        value_note=plan.value_note if price else "",
        status=plan.status,
        harvested_by=builder,
        substantiated_by=coordinator if substantiated else None,
        substantiated_at=(
            timezone.now() - datetime.timedelta(days=max(plan.days_ago - 7, 0))
            if substantiated
            else None
        ),
        public_summary=plan.summary,
        publish=bool(plan.summary) and substantiated,
    )
    outcome.revalue()
    outcome.save()
    OutcomeDomain.objects.bulk_create(
        OutcomeDomain(outcome=outcome, domain=code) for code in plan.domains
    )
    initiative = next((lookup for kind, lookup in plan.steps if kind == "initiative"), "")
    position = 0
    for kind, lookup in plan.steps:
        step = _step(neighbourhood, kind, lookup, outcome, people, builder, initiative)
        if step is None:
            continue
        step.position = position
        step.save()
        position += 1
    if people:
        outcome.for_whom_people.add(*people)


def _step(
    neighbourhood, kind, lookup, outcome, people, builder, initiative: str = ""
) -> Contribution | None:
    """One chain step from what the other seeders made; None when it is not there."""
    step = Contribution(outcome=outcome, kind=kind)
    if kind == StepKind.NOTE:
        step.note = lookup
        return step
    if kind == StepKind.GIFT:
        gifts = Gift.objects.in_neighbourhood(neighbourhood).order_by("pk")
        owner, _sep, title = lookup.rpartition(":")
        if owner:
            gifts = gifts.filter(person__external_id=owner)
        gifts = gifts.filter(title=title)
        # a gift of the initiative's members when there is one: the chain is one story
        step.gift = (
            gifts.filter(person__initiative_memberships__initiative__name=initiative).first()
            if initiative
            else None
        ) or gifts.first()
        return step if step.gift else None
    if kind == StepKind.INITIATIVE:
        step.initiative = (
            Initiative.objects.in_neighbourhood(neighbourhood).filter(name=lookup).first()
        )
        return step if step.initiative else None
    if kind == StepKind.CONNECTION:
        step.connection = _connection(neighbourhood, lookup)
        return step if step.connection else None
    if kind == StepKind.CONVERSATION:
        step.conversation = _conversation(neighbourhood, people if lookup else [], outcome, builder)
        return step if step.conversation else None
    return None


def _conversation(neighbourhood, people, outcome, builder) -> Conversation | None:
    """The kitchen-table conversation that started it: with the person it is for (logged
    here when the conversations seeder did not talk to them), or the earliest one."""
    finished = Conversation.objects.in_neighbourhood(neighbourhood).finished()
    if not people:
        return finished.order_by("held_on", "pk").first()
    found = finished.filter(person=people[0]).order_by("held_on", "pk").first()
    if found is not None or builder is None:
        return found
    held_on = outcome.happened_on - datetime.timedelta(days=150)
    return Conversation.objects.create(
        neighbourhood=neighbourhood,
        person=people[0],
        builder=builder,
        status=ConversationStatus.FINISHED,
        held_on=held_on,
        started_at=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(10))),
        finished_at=timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(11))),
        place="Thuis, aan de keukentafel",
        cares_about="Eet vaak alleen en mist de gezelligheid van vroeger.",
        ideas="Misschien eens mee naar de koffieclub op woensdag.",
        updated_by=builder,
    )

"""Demo conversations: about 60 finished ones over the last year in the first neighbourhood
(fewer in the second), a few drafts, with gifts, relations, introductions and follow-ups.

Runs after the people exist (order 40); fixed random seed; skips a neighbourhood that
already has conversations, so running it again changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Membership, Role
from organisations.models import Organisation
from residents.models import Person

from . import services
from .models import Conversation, FollowUp, Introduction, KnownRelation

PLACES = [
    "aan de keukentafel",
    "in het buurthuis",
    "op het bankje bij de speeltuin",
    "in de bibliotheek",
    "bij de koffieochtend",
    "in de tuin",
]
CARES = [
    "De speeltuin op de hoek is kapot; de kinderen spelen nu op straat tussen de auto's.",
    "Eenzaamheid: sinds haar man overleed komt ze weinig buiten en mist ze een praatje.",
    "Groen in de straat. Wil graag geveltuintjes en minder tegels.",
    "Veiligheid 's avonds: de lantaarnpalen bij het pleintje doen het vaak niet.",
    "De jongeren hebben geen plek; ze hangen bij de supermarkt en worden weggestuurd.",
    "Hoge energierekening; het huis is oud en tochtig.",
    "Dat nieuwe buren zich welkom voelen. Zelf twintig jaar geleden hier komen wonen.",
    "Zwerfafval rond de containers, vooral na het weekend.",
    "Samen eten; koken voor één persoon is niks.",
    "Dat de kinderen goed Nederlands leren en het goed doen op school.",
    "Bewegen voor ouderen: een wandelgroepje zou mooi zijn.",
    "Mantelzorg voor haar moeder; zoekt af en toe iemand die even kan oppassen.",
]
IDEAS = [
    "Een straatfeest in juni, met de straat dicht en lange tafels.",
    "Een repair café in het buurthuis, één zaterdag per maand.",
    "Een buurtmoestuin op het braakliggende stuk achter de flat.",
    "Een ruilkast bij de school voor boeken en speelgoed.",
    "Een koffieochtend voor nieuwe buren.",
    "Geveltuintjes in de hele straat, samen aanleggen.",
    "Een wandelgroep op dinsdagochtend.",
    "Huiswerkbegeleiding door gepensioneerde buren.",
]
NOTES = [
    "Liever niet bellen na 20.00 uur.",
    "Mantelzorger; heeft weinig tijd maar wil wel iets doen.",
    "Spreekt beter Turks dan Nederlands; dochter vertaalt soms.",
    "Was eerst wantrouwig; na een kwartier heel open.",
    "Heeft schulden genoemd; voorzichtig mee omgaan, misschien later doorverwijzen.",
]
GIFTS = [
    ("hands", "fietsen repareren", "fietsen, repareren"),
    ("hands", "koken voor grote groepen", "koken"),
    ("head", "hulp bij belastingaangifte", "administratie"),
    ("heart", "buurtmoestuin", "tuinieren, groen"),
    ("hands", "naaien en kleding herstellen", "repareren, naaien"),
    ("head", "Nederlandse les geven", "taal"),
    ("heart", "ouderen een bezoekje brengen", "ouderen, ontmoeten"),
    ("hands", "timmeren en klussen", "klussen"),
    ("head", "computerhulp", "digitaal"),
    ("heart", "spelen met kinderen op straat", "kinderen, spelen"),
    ("hands", "taarten bakken", "koken, bakken"),
    ("head", "EHBO", "zorg"),
    ("heart", "muziek maken", "muziek, cultuur"),
    ("hands", "tuinieren", "tuinieren, groen"),
    ("head", "energie besparen in huis", "energie, duurzaam"),
    ("heart", "zwerfafval opruimen", "groen, schoon"),
    ("head", "vertalen Turks en Arabisch", "taal"),
    ("hands", "haren knippen", "zorg"),
    ("heart", "wandelen", "bewegen, ontmoeten"),
    ("head", "fotografie", "cultuur"),
]
FOLLOW_UPS = [
    "Folder van de koffieochtend langsbrengen",
    "Terugbellen over de buurtmoestuin",
    "Uitnodigen voor de straatbijeenkomst",
    "Vragen of ze mee wil doen met het repair café",
    "Nummer van het wijkteam doorgeven",
    "Samen langs bij de bibliotheek voor de taalcafé-tijden",
    "Navragen bij de gemeente over de speeltuin",
]
REASONS = [
    "allebei gek op tuinieren",
    "zij wil Nederlands leren, hij geeft graag les",
    "wonen in dezelfde straat en koken allebei graag",
    "kan helpen met de fiets",
    "zoekt vrijwilligers",
    "",
]


@register_seeder(order=40)
def seed_conversations(world: DemoWorld) -> None:
    for index, neighbourhood in enumerate(world.neighbourhoods):
        finished, drafts = (60, 4) if index == 0 else (15, 2)
        _seed_neighbourhood(neighbourhood, finished, drafts)


def _builders(neighbourhood) -> list:
    memberships = (
        Membership.objects.in_neighbourhood(neighbourhood)
        .filter(role__in=[Role.BUILDER, Role.COORDINATOR])
        .select_related("user")
        .order_by("role", "user__username")  # builders before coordinators
    )
    return [m.user for m in memberships]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def _seed_neighbourhood(neighbourhood, finished: int, drafts: int) -> None:
    if Conversation.objects.in_neighbourhood(neighbourhood).exists():
        return
    people = list(Person.objects.in_neighbourhood(neighbourhood).order_by("pk")[:1000])
    builders = _builders(neighbourhood)
    if len(people) < 10 or not builders:
        return
    rng = random.Random(f"assetmap-conversations-{neighbourhood.slug}")  # noqa: S311 (demo)
    organisations = list(Organisation.objects.in_neighbourhood(neighbourhood).order_by("pk"))
    today = timezone.localdate()
    partners = rng.sample(people, min(len(people), finished + drafts))
    while len(partners) < finished + drafts:
        partners.append(rng.choice(people))
    main_builder = builders[0]

    for i in range(finished):
        days_ago = max(1, int(360 * (finished - i - 0.5) / finished) + rng.randint(-3, 3))
        held_on = today - datetime.timedelta(days=days_ago)
        builder = main_builder if rng.random() < 0.8 else rng.choice(builders)
        conversation = _conversation(rng, neighbourhood, partners[i], builder, held_on, people)
        _add_items(rng, conversation, people, organisations, builders, today)
        services.finish(conversation.pk, builder, when=_at(held_on, 17))
        for introduction in conversation.introductions.all():
            made_on = held_on + datetime.timedelta(days=rng.randint(5, 40))
            if made_on < today and rng.random() < 0.6:
                services.mark_introduced(introduction.pk, builder, when=_at(made_on, 11))
        for follow_up in conversation.follow_ups.all():
            if follow_up.due_on < today and rng.random() < 0.7:
                follow_up.done_at = _at(follow_up.due_on, 15)
                follow_up.done_by = follow_up.assignee
                follow_up.save(update_fields=["done_at", "done_by"])

    for j in range(drafts):
        # One draft is old (a coordinator may rescue it); the others are from this week.
        days_ago = 20 if j == 0 else rng.randint(0, 6)
        held_on = today - datetime.timedelta(days=days_ago)
        conversation = _conversation(
            rng, neighbourhood, partners[finished + j], main_builder, held_on, people
        )
        kind, title, tags = rng.choice(GIFTS)
        services.add_gift(conversation, kind=kind, title=title, tags=tags, share=True, learn=False)


def _conversation(rng, neighbourhood, person, builder, held_on, people) -> Conversation:
    return Conversation.objects.create(
        neighbourhood=neighbourhood,
        person=person,
        builder=builder,
        started_at=_at(held_on, rng.randint(9, 16)),
        held_on=held_on,
        place=rng.choice(PLACES),
        cares_about=rng.choice(CARES),
        ideas=rng.choice(IDEAS) if rng.random() < 0.7 else "",
        private_notes=rng.choice(NOTES) if rng.random() < 0.4 else "",
        updated_by=builder,
    )


def _add_items(rng, conversation, people, organisations, builders, today) -> None:
    person = conversation.person
    for kind, title, tags in rng.sample(GIFTS, rng.randint(1, 3)):
        services.add_gift(
            conversation,
            kind=kind,
            title=title,
            tags=tags,
            share=rng.random() < 0.6,
            learn=rng.random() < 0.25,
        )
    others = [p for p in rng.sample(people, min(8, len(people))) if p.pk != person.pk]
    for other in others[: rng.choice([0, 1, 1, 2, 2, 3])]:
        KnownRelation.objects.create(conversation=conversation, other_person=other)
    if organisations and rng.random() < 0.3:
        KnownRelation.objects.create(
            conversation=conversation, organisation=rng.choice(organisations)
        )
    for other in others[3 : 3 + rng.choice([0, 1, 1, 2])]:
        Introduction.objects.create(
            neighbourhood=conversation.neighbourhood,
            person=person,
            conversation=conversation,
            to_person=other,
            reason=rng.choice(REASONS),
            proposed_by=conversation.builder,
        )
    for what in rng.sample(FOLLOW_UPS, rng.choice([0, 1, 1, 2])):
        FollowUp.objects.create(
            neighbourhood=conversation.neighbourhood,
            conversation=conversation,
            what=what,
            assignee=rng.choice(builders),
            due_on=conversation.held_on + datetime.timedelta(days=rng.randint(7, 28)),
        )

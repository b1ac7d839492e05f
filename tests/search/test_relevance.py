"""Search relevance tables, on SQLite and PostgreSQL alike (CI runs both): Dutch stems,
typos, accents, whole words before parts of words, and the kinds beyond people and gifts
(initiatives, outcomes for who may see them, conversations for builders)."""

import pytest

from conversations.models import Status as ConversationStatus
from outcomes.models import PublicationSettings
from residents.models import Audience, GiftKind
from search.engine import search
from search.expressions import stem, word_similarity
from tests.conversations.factories import make_conversation
from tests.network.factories import initiative
from tests.outcomes.factories import make_outcome
from tests.residents.factories import make_gift, make_person
from tests.residents.factories import visibility as vis

R = Audience.RESIDENTS


@pytest.fixture
def buurt(world):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Bakker", street="Lindenlaan", visibility=vis(R))
    make_gift(ans, "Groenten kweken", kind=GiftKind.HANDS)
    make_gift(ans, "Hardlopen in een groepje", kind=GiftKind.HEART)
    make_gift(ans, "Verse groente delen", kind=GiftKind.HANDS)
    make_gift(ans, "Fietsen repareren", kind=GiftKind.HANDS)
    make_gift(ans, "Crème brûlée bakken", kind=GiftKind.HANDS)
    make_gift(ans, "Tuinieren", kind=GiftKind.HANDS)
    make_gift(ans, "Hulp in de tuin", kind=GiftKind.HANDS)
    make_gift(ans, "Buurtmoestuin", kind=GiftKind.HANDS)
    initiative(nb, "Koffieclub Populierenbuurt", description="Elke dinsdag koffie in het buurthuis")
    initiative(nb, "Moestuin", description="Samen groenten telen")
    make_outcome(
        nb,
        "Jan kookt weer zelf",
        story="Dankzij de kookclub eet Jan gezonder.",
        publish=True,
        public_summary="Een bewoner kookt weer zelf dankzij de buurt.",
    )
    make_outcome(nb, "Mevrouw Pietersen minder eenzaam", story="Via de wandelgroep.")
    talked = make_person(nb, "Cor Visser", visibility=vis(R))
    make_conversation(
        nb,
        world.a.builder,
        talked,
        status=ConversationStatus.FINISHED,
        cares_about="Verkeersveiligheid bij de school",
        ideas="Een schoolstraat",
    )
    return world


def titles(side, user, query, kind):
    for group in search(side.membership(user), query):
        if group.key == kind:
            return [hit.title for hit in group.hits]
    raise AssertionError(kind)


# (query, kind, expected titles in order at the top; None: exactly these, in this order)
TABLE = [
    ("groente", "gifts", ["Groenten kweken", "Verse groente delen"]),  # stems, title start first
    ("groenten", "gifts", ["Groenten kweken", "Verse groente delen"]),  # the stem finds both
    ("fitsen", "gifts", ["Fietsen repareren"]),  # one letter missing
    ("fietsen", "gifts", ["Fietsen repareren"]),
    ("creme brulee", "gifts", ["Crème brûlée bakken"]),  # accents do not matter
    ("CRÈME", "gifts", ["Crème brûlée bakken"]),
    ("tuin", "gifts", ["Tuinieren", "Hulp in de tuin", "Buurtmoestuin"]),
    ("koffieclub", "initiatives", ["Koffieclub Populierenbuurt"]),
    ("kofieclub", "initiatives", ["Koffieclub Populierenbuurt"]),  # a typo in a new kind
    ("groenten", "initiatives", ["Moestuin"]),  # in the description
    ("dinsdag", "initiatives", ["Koffieclub Populierenbuurt"]),
]


@pytest.mark.parametrize(("query", "kind", "expected"), TABLE)
def test_relevance_table(buurt, query, kind, expected):
    found = titles(buurt.a, buurt.a.builder, query, kind)
    assert found == expected, (query, found)


def test_a_stem_match_ranks_before_a_typo_lookalike(buurt):
    """ "groenten" once ranked "Hardlopen in een groepje" first: now it is not found at all."""
    found = titles(buurt.a, buurt.a.builder, "groenten", "gifts")
    assert "Hardlopen in een groepje" not in found


def test_stems_and_similarity_agree_with_postgresql():
    # PostgreSQL's dutch_stem and pg_trgm's word_similarity give the same (checked by hand)
    assert [stem(w) for w in ("groenten", "groente", "fietsen", "fiets", "koken")] == [
        "groent",
        "groent",
        "fiets",
        "fiet",
        "kok",
    ]
    assert word_similarity("fitsen", "fietsen repareren") == pytest.approx(0.5)
    assert word_similarity("word", "two words") == pytest.approx(0.8)
    assert word_similarity("fitsen", "fietsenmaker") == pytest.approx(0.4)


def test_builders_find_outcomes_by_their_story(buurt):
    assert titles(buurt.a, buurt.a.builder, "kookclub", "outcomes") == ["Jan kookt weer zelf"]
    assert titles(buurt.a, buurt.a.builder, "wandelgroep", "outcomes") == [
        "Mevrouw Pietersen minder eenzaam"
    ]


def test_residents_find_only_published_summaries_of_outcomes(buurt):
    world = buurt
    resident = world.a.resident
    # not published: nothing
    assert titles(world.a, resident, "kookt", "outcomes") == []
    PublicationSettings.objects.create(
        neighbourhood=world.a.neighbourhood, published=True, show_outcomes=True
    )
    found = titles(world.a, resident, "bewoner", "outcomes")
    assert found == ["Een bewoner kookt weer zelf dankzij de buurt."]
    # the builders' title and story are never searched nor shown for residents
    for query in ("Jan", "kookclub", "wandelgroep", "eenzaam", "Pietersen"):
        assert titles(world.a, resident, query, "outcomes") == [], query


def test_conversations_are_for_builders_only(buurt):
    world = buurt
    assert titles(world.a, world.a.builder, "schoolstraat", "conversations") == ["Cor Visser"]
    assert titles(world.a, world.a.builder, "verkeersveilig", "conversations") == ["Cor Visser"]
    assert titles(world.a, world.a.resident, "schoolstraat", "conversations") == []
    # another neighbourhood's builder finds nothing of it
    assert titles(world.b, world.b.builder, "schoolstraat", "conversations") == []


def test_stemming_from_many_threads_at_once_gives_each_its_own_stem():
    """An app server's threads stem at the same time: one shared Snowball stemmer mixed
    their words up (IndexError, a 500 on search under load)."""
    import random
    import threading

    from search import expressions

    rng = random.Random(7)
    letters = "abcdeghijklmnoprstuvwz"
    words = [
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 18))) + suffix
        for suffix in ("heden", "ingen", "en", "je", "tje", "baar", "lijk", "s")
        for _ in range(300)
    ]
    import snowballstemmer

    reference = snowballstemmer.stemmer("dutch_porter")
    expected = {word: reference.stemWord(word) for word in words}
    getattr(expressions.stem, "cache_clear", lambda: None)()  # stem each word afresh
    failures: list[str] = []

    def work(seed: int) -> None:
        mine = words[:]
        random.Random(seed).shuffle(mine)
        try:
            wrong = [w for w in mine if expressions.stem(w) != expected[w]]
        except Exception as error:  # the shared stemmer's IndexError
            failures.append(repr(error))
            return
        failures.extend(wrong[:3])

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []

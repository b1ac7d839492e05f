"""Search: accents, case, prefixes, ranking, visibility, typo tolerance (see also
test_relevance.py for Dutch word forms and the kinds beyond people and gifts)."""

import pytest
from django.db import connection
from django.urls import reverse

from neighbourhoods.models import Role
from organisations.models import Organisation, OrganisationKind
from places.models import Place, PlaceKind
from residents.models import Audience, GiftKind, Person
from search.engine import search, snippet, terms_of
from search.expressions import fold
from tests.conversations.factories import make_conversation
from tests.factories import make_member
from tests.residents.factories import make_gift, make_person
from tests.residents.factories import visibility as vis

R, B = Audience.RESIDENTS, Audience.BUILDERS


@pytest.fixture
def buurt(world):
    nb = world.a.neighbourhood
    karin = make_person(nb, "Karin Öztürk", street="Grasélaan", visibility=vis(R))
    make_gift(karin, "Fietsen repareren", kind=GiftKind.HANDS, tags=["fietsen"])
    make_gift(karin, "Surinaams koken", kind=GiftKind.HANDS, description="Roti en bara")
    bram = make_person(nb, "Bram Fietsenmaker", street="Soerlaan", visibility=vis(R))
    make_gift(bram, "Oude fiets opknappen", kind=GiftKind.HANDS)
    Place.objects.create(
        neighbourhood=nb, name="Café de Kastanje", kind=PlaceKind.CAFE, street="Kastanjelaan"
    )
    Place.objects.create(
        neighbourhood=nb,
        name="Buurthuis De Luwte",
        kind=PlaceKind.COMMUNITY_CENTRE,
        description="Grote zaal met keuken, rolstoeltoegankelijk.",
    )
    Organisation.objects.create(
        neighbourhood=nb,
        name="Repair Café Keizer Karel",
        kind=OrganisationKind.INFORMAL,
        description="Elke maand samen fietsen en lampen repareren.",
    )
    return world


def run(side, user, query, **kwargs):
    groups = search(side.membership(user), query, **kwargs)
    return {group.key: [hit.title for hit in group.hits] for group in groups}


def test_fold_and_terms():
    assert fold("Grasélaan ÖZTÜRK Straße") == "graselaan ozturk strasse"
    assert terms_of("  Café,  café  FIETS ") == ["cafe", "fiets"]
    assert terms_of("   ") == []


def test_accents_and_case_do_not_matter(buurt):
    world = buurt
    found = run(world.a, world.a.builder, "cafe")
    assert found["places"] == ["Café de Kastanje"]
    assert found["organisations"] == ["Repair Café Keizer Karel"]
    assert run(world.a, world.a.builder, "CAFÉ")["places"] == ["Café de Kastanje"]
    assert run(world.a, world.a.builder, "ozturk")["people"] == ["Karin Öztürk"]
    assert run(world.a, world.a.builder, "graselaan")["people"] == ["Karin Öztürk"]


def test_fiets_finds_fietsenmaker_and_fietsen_repareren_prefix_first(buurt):
    world = buurt
    found = run(world.a, world.a.builder, "fiets")
    # title prefix before a word inside the title
    assert found["gifts"] == ["Fietsen repareren", "Oude fiets opknappen"]
    assert "Bram Fietsenmaker" in found["people"]
    assert found["organisations"] == ["Repair Café Keizer Karel"]  # in the description


def test_exact_before_prefix_before_inside(world):
    nb = world.a.neighbourhood
    for title in ("Samen koken", "Koken voor de buurt", "Koken", "Kookles"):
        make_gift(make_person(nb, visibility=vis(R)), title)
    assert run(world.a, world.a.builder, "koken")["gifts"] == [
        "Koken",
        "Koken voor de buurt",
        "Samen koken",
    ]


def test_small_kinds_rank_in_one_query_as_the_large_ones_do(world):
    """Places (one query per kind): title start, then the word in the title, then in the
    text, then inside a word; two title starts in title order."""
    nb = world.a.neighbourhood
    for name, description in (
        ("Buurtkokenplek", ""),
        ("De Hoek", "Hier koken buren samen"),
        ("Samen koken", ""),
        ("Koken voor de buurt", ""),
        ("Koken", ""),
        ("Kookcafé", "Koffie"),
    ):
        Place.objects.create(
            neighbourhood=nb, name=name, kind=PlaceKind.OTHER, description=description
        )
    assert run(world.a, world.a.builder, "koken")["places"] == [
        "Koken",
        "Koken voor de buurt",
        "Samen koken",
        "De Hoek",
        "Buurtkokenplek",
    ]


def test_every_term_must_match_somewhere(buurt):
    world = buurt
    assert run(world.a, world.a.builder, "fietsen repareren")["gifts"] == ["Fietsen repareren"]
    assert run(world.a, world.a.builder, "roti koken")["gifts"] == ["Surinaams koken"]
    assert run(world.a, world.a.builder, "fiets zwemmen")["gifts"] == []


def test_place_kind_and_description_are_searched(buurt):
    world = buurt
    assert run(world.a, world.a.builder, "keuken")["places"] == ["Buurthuis De Luwte"]
    assert "Buurthuis De Luwte" in run(world.a, world.a.builder, "community centre")["places"]


def test_tags_find_gifts(buurt):
    world = buurt
    nb = world.a.neighbourhood
    make_gift(make_person(nb, visibility=vis(R)), "Zondagmiddag muziek", tags=["Gitaar"])
    assert run(world.a, world.a.builder, "gitaar")["gifts"] == ["Zondagmiddag muziek"]


def test_a_resident_never_matches_a_hidden_field(world):
    nb = world.a.neighbourhood
    make_person(
        nb,
        "Hanna Verborgen",
        street="Geheimelaan",
        phone="06-99887766",
        email="hanna@example.org",
        street_wish="Een jeu-de-boulesbaan",
        visibility=vis(B, name=R),
    )
    make_person(nb, "Niemand Ziet Mij", shown=B)
    for query in ("geheimelaan", "99887766", "hanna@example", "boules", "niemand"):
        assert run(world.a, world.a.resident, query)["people"] == [], query
        assert run(world.a, world.a.builder, query)["people"] != [], query
    assert run(world.a, world.a.resident, "hanna")["people"] == ["Hanna Verborgen"]


def test_search_pages_and_fragments_never_show_hidden_matches(world, client_for):
    make_person(
        world.a.neighbourhood,
        "Hanna Verborgen",
        phone="06-99887766",
        visibility=vis(B, name=R),
    )
    url = reverse("search:search", args=[world.a.slug])
    client = client_for(world.a.resident)
    for headers in ({}, {"HX-Request": "true", "HX-Target": "results"}):
        text = client.get(url, {"q": "99887766"}, headers=headers).content.decode()
        assert "Hanna" not in text and "06-99887766" not in text  # only the query is echoed
        text = client.get(url, {"q": "hanna"}, headers=headers).content.decode()
        assert "Hanna Verborgen" in text and "06-99887766" not in text


def test_gifts_of_people_who_hide_gifts_are_not_found(world):
    person = make_person(world.a.neighbourhood, "Gesloten Gerda", visibility=vis(B, name=R))
    make_gift(person, "Geheim recept")
    assert run(world.a, world.a.resident, "recept")["gifts"] == []
    assert run(world.a, world.a.builder, "recept")["gifts"] == ["Geheim recept"]


def test_other_neighbourhoods_are_never_searched(buurt):
    world = buurt
    found = run(world.b, world.b.builder, "fiets")
    assert all(titles == [] for titles in found.values())


def test_snippet_shows_where_a_person_matched_only_when_visible(world, client_for):
    make_person(
        world.a.neighbourhood,
        "Wens Willem",
        street_wish="Ik wil graag een gedeelde bakfiets voor de hele straat",
        visibility=vis(R),
    )
    page = client_for(world.a.resident).get(
        reverse("search:search", args=[world.a.slug]), {"q": "bakfiets"}
    )
    assert "gedeelde bakfiets voor" in page.content.decode()
    assert snippet("een twee drie", ["drie"]) == "een twee drie"


def test_search_page_plain_get_and_htmx_fragment(buurt, client_for):
    world = buurt
    client = client_for(world.a.resident)
    url = reverse("search:search", args=[world.a.slug])
    page = client.get(url, {"q": "fiets"})
    text = page.content.decode()
    assert page.status_code == 200 and "<html" in text
    assert "Fietsen repareren" in text and 'value="fiets"' in text
    fragment = client.get(
        url, {"q": "fiets"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    body = fragment.content.decode()
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "Fietsen repareren" in body
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "x" * 5000}).status_code == 200


def test_show_all_of_one_type(world, client_for):
    nb = world.a.neighbourhood
    for n in range(14):
        make_gift(make_person(nb, visibility=vis(R)), f"Taart {n:02d}")
    client = client_for(world.a.builder)
    url = reverse("search:search", args=[world.a.slug])
    page = client.get(url, {"q": "taart"})
    assert "Show more gifts" in page.content.decode()
    assert len(page.context["groups"][1].hits) == 10
    everything = client.get(url, {"q": "taart", "type": "gifts"})
    assert [g.key for g in everything.context["groups"]] == ["gifts"]
    assert len(everything.context["groups"][0].hits) == 14


def test_a_typo_still_finds_it_on_both_databases(buurt):
    world = buurt
    assert "Fietsen repareren" in run(world.a, world.a.builder, "fietzen")["gifts"]
    assert run(world.a, world.a.builder, "Kastanye")["places"] == ["Café de Kastanje"]


def test_query_count_does_not_grow_with_organisation_and_place_hits(world, client_for):
    from django.test.utils import CaptureQueriesContext

    nb = world.a.neighbourhood
    client = client_for(world.a.coordinator)
    url = reverse("search:search", args=[world.a.slug])

    def add(count: int) -> None:
        for _ in range(count):
            Organisation.objects.create(neighbourhood=nb, name="Buurtclub", kind="informal")
            Place.objects.create(neighbourhood=nb, name="Buurtplek", kind=PlaceKind.PARK)

    def queries(q: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": q}).status_code == 200
        return len(captured)

    add(2)
    few = queries("buurt")
    add(6)
    assert queries("buurt ") == few  # another query string: not answered from the cache


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's btree indexes")
@pytest.mark.django_db
def test_sorted_title_indexes_end_with_the_id_the_search_orders_by():
    """The prefix walk orders by (folded title, id): with the id in the index, a title shared
    by a thousand gifts costs eleven rows, not a sort of all thousand (bench/README.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN"
            " ('search_gift_title_sorted', 'search_person_name_sorted') ORDER BY indexname"
        )
        indexes = dict(cursor.fetchall())
    assert sorted(indexes) == ["search_gift_title_sorted", "search_person_name_sorted"]
    for definition in indexes.values():
        assert definition.replace(" ", "").endswith('COLLATE"C",id)'), definition


def test_a_builders_draft_found_by_search_stays_with_that_builder(world, client_for):
    """Search results are kept, and a builder's own drafts are among them: kept per builder
    and their work, so a colleague searching the same words never gets them, and the
    draft's new words are found at once (a draft's autosave moves only the work)."""
    nb = world.a.neighbourhood
    colleague = make_member(nb, Role.BUILDER, "builder_a2")
    draft = make_conversation(
        nb, world.a.builder, make_person(nb, "Drafty Dirk"), cares_about="Een fietsenstalling"
    )
    url = reverse("search:search", args=[world.a.slug])
    own = client_for(world.a.builder)
    assert "Drafty Dirk" in own.get(url, {"q": "fietsenstalling"}).content.decode()
    theirs = client_for(colleague).get(url, {"q": "fietsenstalling"}).content.decode()
    assert "Drafty Dirk" not in theirs
    draft.cares_about = "Een jeu-de-boulesbaan"
    draft.save()
    assert "Drafty Dirk" not in own.get(url, {"q": "fietsenstalling"}).content.decode()


def test_any_of_finds_the_same_rows_as_in(world):
    """``pk__any_of`` (one array parameter on PostgreSQL) is ``pk__in`` by another name."""
    people = [make_person(world.a.neighbourhood, f"Buur {n}") for n in range(5)]
    ids = [people[0].pk, people[3].pk, 10**9]
    found = Person.objects.filter(pk__any_of=ids).order_by("pk")
    assert list(found) == list(Person.objects.filter(pk__in=ids).order_by("pk"))
    assert [p.pk for p in found] == [people[0].pk, people[3].pk]
    assert list(Person.objects.filter(pk__any_of=[])) == []
    if connection.vendor == "postgresql":
        assert "= ANY(" in str(Person.objects.filter(pk__any_of=ids).query)


def test_small_kinds_are_searched_in_their_kept_rows(buurt, client_for):
    """Organisations, places, initiatives and outcomes (tens or hundreds a neighbourhood)
    are read once per data version: another word costs no query on their tables, and a new
    place is found at once (a change of the data)."""
    import re

    from django.test.utils import CaptureQueriesContext

    world = buurt
    client = client_for(world.a.coordinator)
    url = reverse("search:search", args=[world.a.slug])
    small_tables = {
        "organisations_organisation",
        "places_place",
        "network_initiative",
        "outcomes_outcome",
    }

    def tables(q: str) -> set[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": q}).status_code == 200
        return {t for query in captured for t in re.findall(r'FROM "(\w+)"', query["sql"])}

    assert small_tables <= tables("kastanje")  # read once
    assert not small_tables & tables("keuken")  # then kept
    assert run(world.a, world.a.builder, "keuken")["places"] == ["Buurthuis De Luwte"]

    Place.objects.create(
        neighbourhood=world.a.neighbourhood, name="Buurtkeuken Oost", kind=PlaceKind.OTHER
    )
    assert run(world.a, world.a.builder, "keuken")["places"] == [
        "Buurthuis De Luwte",  # the whole word in its text ranks above
        "Buurtkeuken Oost",  # the word inside a title word
    ]


def test_small_kinds_rank_as_the_rules_say():
    """search.small.find: a title starting with the query, then whole words or stems in the
    title, then in the text, then a title word starting with it, then the rest; within a rank
    by folded title, then id."""
    from search import small

    rows = [
        small.row(1, "Zwemclub", "Wij koken samen op vrijdag"),  # stem in the text (2)
        small.row(2, "Koken met buren", ""),  # the title starts with it (4)
        small.row(3, "Samen koken", ""),  # a whole word of the title (3)
        small.row(4, "Buurtkookcafé", "Kokende soep"),  # inside a word of the text (0)
        small.row(5, "Het Kokenhuis", ""),  # a title word starting with it (1)
        small.row(6, "Alle koken", ""),  # rank 3, before "Samen koken" by title
        small.row(7, "Breien", "Naaien"),  # no match
    ]
    found, more = small.find(rows, ["koken"], 10)
    assert [r.pk for r in found] == [2, 6, 3, 1, 5, 4]
    assert not more
    found, more = small.find(rows, ["koken"], 2)
    assert [r.pk for r in found] == [2, 6] and more
    # every term must match somewhere; a term naming the kind counts
    kinds = small.row(8, "De Luwte", "", "community_centre")
    found, _more = small.find([kinds, *rows], ["luwte", "buurthuis"], 10, lambda t: [])
    assert found == []
    found, _more = small.find(
        [kinds, *rows],
        ["luwte", "buurthuis"],
        10,
        lambda t: ["community_centre"] * (t == "buurthuis"),
    )
    assert [r.pk for r in found] == [8]

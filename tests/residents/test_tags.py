"""Tags: one per spelling (case and accents), defaults per neighbourhood, suggestions."""

from django.urls import reverse

from residents.models import Tag
from residents.tags import DEFAULT_TAGS
from tests.factories import make_neighbourhood

from .factories import make_gift, make_person


def test_new_neighbourhood_starts_with_the_default_tags(db):
    nb = make_neighbourhood("Nieuwe Buurt")
    assert set(Tag.objects.in_neighbourhood(nb).values_list("name", flat=True)) == set(DEFAULT_TAGS)


def test_tags_differing_in_case_or_accents_are_one_tag(world):
    nb = world.a.neighbourhood
    first = Tag.objects.resolve(nb, ["Café", "CAFE ", "cafe", "  café  "])
    assert len(first) == 1 and first[0].name == "Café"
    again = Tag.objects.resolve(nb, ["cafÉ"])
    assert again == first
    assert Tag.objects.in_neighbourhood(nb).filter(normalised="cafe").count() == 1
    # another neighbourhood has its own
    other = Tag.objects.resolve(world.b.neighbourhood, ["cafe"])
    assert other[0].pk != first[0].pk


def test_gift_form_reuses_existing_tags(world, client_for):
    person = make_person(world.a.neighbourhood)
    before = Tag.objects.count()
    client_for(world.a.builder).post(
        reverse("residents:gift_new", args=[world.a.slug, person.pk]),
        {"kind": "hands", "title": "Koken", "tags": "KOKEN, Fietsen, Fiëtsen, bakfiets"},
    )
    assert Tag.objects.count() == before + 1  # only "bakfiets" is new
    gift = person.gifts.get()
    assert sorted(t.name for t in gift.tags.all()) == ["bakfiets", "fietsen", "koken"]


def test_suggestions_match_the_last_word_typed(world, client_for):
    client = client_for(world.a.builder)
    url = reverse("residents:tag_suggest", args=[world.a.slug])
    text = client.get(url, {"tags": "koken, fie"}).content.decode()
    assert 'data-tag="fietsen"' in text and 'data-tag="koken"' not in text
    text = client.get(url, {"q": "Sport"}).content.decode()
    assert 'data-tag="sport"' in text and "new tag" not in text
    text = client.get(url, {"q": "koken, breien"}).content.decode()
    assert "“breien” will be added as a new tag." in text
    assert client.get(url, {"q": ""}).content.decode().strip() == ""


def test_residents_get_only_tags_used_on_gifts_they_can_see(world, client_for):
    hidden = make_person(world.a.neighbourhood)
    make_gift(hidden, tags=["schuldhulp"])
    url = reverse("residents:tag_suggest", args=[world.a.slug])
    assert (
        "schuldhulp" not in client_for(world.a.resident).get(url, {"q": "schuld"}).content.decode()
    )
    assert "schuldhulp" in client_for(world.a.builder).get(url, {"q": "schuld"}).content.decode()

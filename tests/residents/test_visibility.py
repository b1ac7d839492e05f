"""Per-field visibility: one module decides, every page obeys (lists, detail, fragments)."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Membership
from residents import visibility
from residents.models import Audience, Gift, Person

from .factories import make_gift, make_person
from .factories import visibility as vis

R, B, P = Audience.RESIDENTS, Audience.BUILDERS, Audience.PUBLIC


def _membership(side, user) -> Membership:
    return side.membership(user)


@pytest.fixture
def mixed(world):
    """Name and street shown to residents; phone, email and wish for builders only."""
    person = make_person(
        world.a.neighbourhood,
        "Zichtbare Zeynep",
        street="Grasélaan",
        phone="06-11112222",
        email="zeynep@example.org",
        street_wish="Geheime wens",
        languages="Turks",
        visibility=vis(B, name=R, street=R, gifts=R, languages=P),
    )
    make_gift(person, "Börek bakken", tags=["koken"])
    return person


def test_builders_see_every_field(world, mixed):
    fields = visibility.visible_fields(mixed, _membership(world.a, world.a.builder))
    assert fields == set(visibility.PERSON_COLUMNS)


def test_resident_sees_only_fields_shown_to_residents_or_public(world, mixed):
    membership = _membership(world.a, world.a.resident)
    assert visibility.visible_fields(mixed, membership) == {"name", "street", "gifts", "languages"}
    shown = visibility.see_person(mixed, membership)
    assert shown.name == "Zichtbare Zeynep"
    for hidden in ("phone", "email", "street_wish", "house_number", "postcode"):
        assert not hasattr(shown, hidden)
    assert not hasattr(shown, "audiences")  # only builders and the person see the choices


def test_public_sees_public_fields_only(world, mixed):
    assert visibility.visible_fields(mixed, None) == {"languages"}
    assert not Person.objects.visible_to(None).filter(pk=mixed.pk).exists()


def test_own_profile_shows_everything_to_its_user(world):
    own = make_person(world.a.neighbourhood, "Eigen Profiel", user=world.a.resident)
    membership = _membership(world.a, world.a.resident)
    assert visibility.visible_fields(own, membership) == set(visibility.PERSON_COLUMNS)
    assert Person.objects.visible_to(membership).filter(pk=own.pk).exists()
    assert visibility.see_person(own, membership).is_own


def test_unknown_audience_value_counts_as_builders_only(world):
    odd = make_person(world.a.neighbourhood, visibility={"name": "everyone!!", "street": None})
    membership = _membership(world.a, world.a.resident)
    assert visibility.visible_fields(odd, membership) == frozenset()
    assert not Person.objects.visible_to(membership).filter(pk=odd.pk).exists()


def test_querysets_list_only_people_and_gifts_a_resident_may_see(world, mixed):
    hidden = make_person(world.a.neighbourhood, "Verborgen Vera", shown=B)
    make_gift(hidden, "Geheime gave")
    no_gifts = make_person(world.a.neighbourhood, "Naam Zonder Gaven", visibility=vis(B, name=R))
    make_gift(no_gifts, "Niet te zien")
    membership = _membership(world.a, world.a.resident)
    people = set(Person.objects.in_neighbourhood(world.a.neighbourhood).visible_to(membership))
    assert people == {mixed, no_gifts}
    gifts = Gift.objects.in_neighbourhood(world.a.neighbourhood).visible_to(membership)
    assert [g.title for g in gifts] == ["Börek bakken"]


def test_visible_values_leave_hidden_columns_out(world, mixed):
    values = visibility.visible_values(mixed, _membership(world.a, world.a.resident))
    assert values == {"name": "Zichtbare Zeynep", "street": "Grasélaan", "languages": "Turks"}


def test_people_list_and_detail_render_only_visible_fields(world, client_for, mixed):
    client = client_for(world.a.resident)
    slug = world.a.slug
    listing = client.get(reverse("residents:people", args=[slug])).content.decode()
    detail = client.get(reverse("residents:person", args=[slug, mixed.pk])).content.decode()
    fragment = client.get(
        reverse("residents:people", args=[slug]),
        headers={"HX-Request": "true", "HX-Target": "results"},
    ).content.decode()
    for page in (listing, detail, fragment):
        assert "Zichtbare Zeynep" in page
        assert "06-11112222" not in page
        assert "zeynep@example.org" not in page
        assert "Geheime wens" not in page
    assert "Grasélaan" in detail and "Börek bakken" in detail
    builder_page = client_for(world.a.builder).get(
        reverse("residents:person", args=[slug, mixed.pk])
    )
    assert "06-11112222" in builder_page.content.decode()


def test_hidden_person_is_404_for_residents_but_not_for_builders(world, client_for):
    hidden = make_person(world.a.neighbourhood, "Verborgen Vera", shown=B)
    url = reverse("residents:person", args=[world.a.slug, hidden.pk])
    assert client_for(world.a.resident).get(url).status_code == 404
    assert client_for(world.a.builder).get(url).status_code == 200


def test_other_neighbourhoods_people_and_gifts_are_404(world, client_for, mixed):
    gift = mixed.gifts.get()
    client = client_for(world.b.builder)
    for name, args in [
        ("residents:person", [mixed.pk]),
        ("residents:person_edit", [mixed.pk]),
        ("residents:person_photo", [mixed.pk]),
        ("residents:gift", [gift.pk]),
    ]:
        assert client.get(reverse(name, args=[world.b.slug, *args])).status_code == 404
        assert client.get(reverse(name, args=[world.a.slug, *args])).status_code == 404


def test_filters_and_sorting_never_use_a_hidden_street(world, client_for):
    make_person(world.a.neighbourhood, "Open Straat", street="Soerlaan", visibility=vis(R))
    make_person(
        world.a.neighbourhood, "Dichte Straat", street="Soerlaan", visibility=vis(B, name=R)
    )
    client = client_for(world.a.resident)
    url = reverse("residents:people", args=[world.a.slug])
    page = client.get(url, {"street": "Soerlaan"}).content.decode()
    assert "Open Straat" in page and "Dichte Straat" not in page
    # the builder's filter finds both
    page = client_for(world.a.builder).get(url, {"street": "Soerlaan"}).content.decode()
    assert "Open Straat" in page and "Dichte Straat" in page


def test_gift_list_hides_street_of_people_who_hide_it(world, client_for):
    person = make_person(
        world.a.neighbourhood,
        "Gevende Gert",
        street="Icaruslaan",
        visibility=vis(B, name=R, gifts=R),
    )
    make_gift(person, "Fietsen repareren", tags=["fietsen"])
    page = client_for(world.a.resident).get(reverse("residents:gifts", args=[world.a.slug]))
    text = page.content.decode()
    assert "Fietsen repareren" in text and "Gevende Gert" in text
    assert "Icaruslaan" not in text
    filtered = client_for(world.a.resident).get(
        reverse("residents:gifts", args=[world.a.slug]), {"street": "Icaruslaan"}
    )
    assert "Fietsen repareren" not in filtered.content.decode()


def test_photo_hidden_from_residents_gives_the_placeholder(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    from .test_forms import png_bytes

    person = make_person(world.a.neighbourhood, "Foto Frans", visibility=vis(B, name=R))
    from django.core.files.base import ContentFile

    person.photo.save("p.png", ContentFile(png_bytes()), save=True)
    url = reverse("residents:person_photo", args=[world.a.slug, person.pk])
    resident = client_for(world.a.resident).get(url)
    assert resident["Content-Type"] == "image/svg+xml"
    builder = client_for(world.a.builder).get(url)
    assert builder["Content-Type"] == "image/png"
    assert builder["Cache-Control"].startswith("private")

"""The resident's own pages: see everything, edit details and gifts, choose who sees what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.trail import acting_as
from residents.models import PERSON_FIELDS, Audience, ConsentHow, Gift, GiftKind, Person
from tests.conversations.factories import make_finished, make_follow_up
from tests.residents.editing import opened
from tests.residents.factories import make_gift, make_person

from .factories import make_claimed

MARKER = "PRIVATE-NOTE-MARKER-8842"


@pytest.fixture
def ans(world):
    person = make_claimed(
        world.a.neighbourhood,
        world.a.resident,
        "Ans Jansen",
        street="Populierenlaan",
        phone="06 2222 3333",
        street_wish="Meer bankjes",
    )
    make_gift(person, "Fietsen repareren", share=True)
    return person


def url(name, world, side="a"):
    return reverse(name, args=[getattr(world, side).slug])


def test_profile_shows_what_is_recorded_but_not_private_notes(world, ans, client_for):
    conversation = make_finished(
        world.a.neighbourhood,
        world.a.builder,
        ans,
        cares_about="De speeltuin aan het eind van de straat",
        private_notes=MARKER,
    )
    make_follow_up(conversation, world.a.builder, what="Bellen over de speeltuin")
    response = client_for(world.a.resident).get(url("me:profile", world))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Ans Jansen", "06 2222 3333", "Meer bankjes", "Fietsen repareren"):
        assert text in body
    assert "De speeltuin aan het eind van de straat" in body
    assert "Bellen over de speeltuin" in body
    assert MARKER not in body
    assert "Notes exist that only community builders read" in body


def test_no_private_notes_on_any_me_page(world, ans, client_for):
    make_finished(world.a.neighbourhood, world.a.builder, ans, private_notes=MARKER)
    client = client_for(world.a.resident)
    for name in (
        "me:profile",
        "me:details",
        "me:gifts",
        "me:visibility",
        "me:consent",
        "me:history",
        "me:export",
        "me:erase",
    ):
        response = client.get(url(name, world))
        assert response.status_code == 200, name
        assert MARKER not in response.content.decode(), name


def test_home_lists_several_profiles_and_redirects_with_one(world, ans, client_for):
    client = client_for(world.a.resident)
    response = client.get(reverse("me:home"))
    assert response.status_code == 302
    assert response["Location"] == url("me:profile", world)
    make_claimed(world.b.neighbourhood, world.a.resident, "Ans in B")
    listing = client.get(reverse("me:home"))
    assert listing.status_code == 200
    assert world.a.neighbourhood.name.encode() in listing.content
    assert world.b.neighbourhood.name.encode() in listing.content
    none = client_for(world.stranger).get(reverse("me:home"))
    assert none.status_code == 200 and b"no resident profile yet" in none.content


def test_anonymous_goes_to_login(world, client_for):
    response = client_for(None).get(url("me:profile", world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_neighbourhood_or_user_shows_no_data(world, ans, client_for):
    """/me/<slug>/ is always the caller's own profile: nothing of Ans reaches others."""
    for user in (world.a.builder, world.b.resident, world.stranger, world.a.coordinator):
        response = client_for(user).get(url("me:profile", world))
        assert response.status_code == 200
        assert b"No profile here" in response.content
        assert b"Ans Jansen" not in response.content
    missing = client_for(world.a.resident).get(reverse("me:profile", args=["no-such-place"]))
    assert missing.status_code == 200 and b"No profile here" in missing.content


def test_guessing_another_persons_gift_id_is_refused(world, ans, client_for):
    other = make_person(world.a.neighbourhood, "Piet Bakker")
    theirs = make_gift(other, "Piets gift")
    client = client_for(world.a.resident)
    page = client.get(url("me:gifts", world) + f"?edit={theirs.pk}")
    assert page.status_code == 404
    assert b"not one of yours" in page.content and b"Piets gift" not in page.content
    delete = client.post(url("me:gifts", world), {"gift": theirs.pk, "action": "delete"})
    assert delete.status_code == 404
    edit = client.post(url("me:gifts", world), {"gift": theirs.pk, "kind": "head", "title": "Mine"})
    assert edit.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Piets gift"
    assert client.get(url("me:gifts", world) + "?edit=abc").status_code == 404


def test_guessing_another_persons_consent_id_is_refused(world, ans, client_for):
    from residents.models import ConsentRecord

    other = make_person(world.a.neighbourhood, "Piet Bakker")
    record = ConsentRecord.objects.create(
        person=other,
        fields=["phone"],
        audience=Audience.RESIDENTS,
        text="t",
        text_version="1",
        how=ConsentHow.KITCHEN_TABLE,
        given_at="2026-01-01T10:00:00Z",
    )
    response = client_for(world.a.resident).post(url("me:consent", world), {"withdraw": record.pk})
    assert response.status_code == 404 and b"not one of yours" in response.content
    record.refresh_from_db()
    assert record.withdrawn_at is None


def test_edit_details(world, ans, client_for):
    client = client_for(world.a.resident)
    data = {
        "name": "Ans Jansen-de Wit",
        "street": "Populierenlaan",
        "house_number": "4",
        "postcode": "1181 ab",
        "phone": "",
        "email": "ans@example.org",
        "languages": "nl, en",
        "street_wish": "Een moestuin",
        "version": ans.version,
    }
    shown = dict(ans.visibility)
    response = client.post(url("me:details", world), data)
    assert response.status_code == 302
    ans.refresh_from_db()
    assert ans.name == "Ans Jansen-de Wit" and ans.postcode == "1181 AB" and ans.phone == ""
    assert ans.visibility == shown  # untouched by the details form
    data["version"] = ans.version
    bad = client.post(url("me:details", world), {**data, "name": "", "postcode": "12"})
    assert bad.status_code == 422
    assert b"Een moestuin" in bad.content  # what was typed stays
    ans.refresh_from_db()
    assert ans.name == "Ans Jansen-de Wit"


def test_my_details_saved_over_a_builders_change_show_both_values(world, ans, client_for):
    mine = client_for(world.a.resident)
    typed = {**opened(mine.get(url("me:details", world))), "phone": "06 9999 0000"}
    typed["street_wish"] = "Een speeltuin"
    builder = client_for(world.a.builder)
    edit = reverse("residents:person_edit", args=[world.a.slug, ans.pk])
    assert (
        builder.post(edit, {**opened(builder.get(edit)), "street_wish": "Meer bomen"}).status_code
        == 302
    )

    response = mine.post(url("me:details", world), typed)

    assert response.status_code == 409
    ans.refresh_from_db()
    assert ans.street_wish == "Meer bomen" and ans.phone == "06 2222 3333"  # the builder's stands
    text = response.content.decode()
    assert "Someone else saved these details while you were editing." in text
    conflicts = {c.field: (c.theirs, c.yours) for c in response.context["form"].conflicts}
    assert conflicts == {"street_wish": ("Meer bomen", "Een speeltuin")}  # the phone: only mine
    again = opened(response)  # nothing typed is lost
    assert again["phone"] == "06 9999 0000" and again["street_wish"] == "Een speeltuin"
    assert mine.post(url("me:details", world), again).status_code == 302
    ans.refresh_from_db()
    assert ans.street_wish == "Een speeltuin" and ans.phone == "06 9999 0000"


def test_a_builders_stale_form_does_not_overwrite_my_details(world, ans, client_for):
    builder = client_for(world.a.builder)
    edit = reverse("residents:person_edit", args=[world.a.slug, ans.pk])
    stale = {**opened(builder.get(edit)), "languages": "Turks"}
    mine = client_for(world.a.resident)
    mine_data = {**opened(mine.get(url("me:details", world))), "name": "Ans de Wit"}
    assert mine.post(url("me:details", world), mine_data).status_code == 302

    response = builder.post(edit, stale)

    assert response.status_code == 409
    ans.refresh_from_db()
    assert ans.name == "Ans de Wit" and ans.languages == ""
    conflicts = {c.field: c for c in response.context["form"].conflicts}
    assert set(conflicts) == {"name"} and conflicts["name"].taken
    assert (conflicts["name"].theirs, conflicts["name"].yours) == ("Ans de Wit", "Ans Jansen")
    again = opened(response)  # my new name is in the builder's form now, their languages too
    assert again["name"] == "Ans de Wit" and again["languages"] == "Turks"
    assert builder.post(edit, again).status_code == 302
    ans.refresh_from_db()
    assert ans.name == "Ans de Wit" and ans.languages == "Turks"


def test_gifts_add_edit_remove(world, ans, client_for):
    client = client_for(world.a.resident)
    add = client.post(
        url("me:gifts", world),
        {"kind": GiftKind.HEAD, "title": "Nederlandse les", "tags": "taal", "learn": "on"},
    )
    assert add.status_code == 302
    gift = ans.gifts.get(title="Nederlandse les")
    assert gift.learn and not gift.share and [t.name for t in gift.tags.all()] == ["taal"]
    edit_page = client.get(url("me:gifts", world) + f"?edit={gift.pk}")
    assert edit_page.status_code == 200 and b"Nederlandse les" in edit_page.content
    edit = client.post(
        url("me:gifts", world),
        {"gift": gift.pk, "kind": GiftKind.HEAD, "title": "Taalles", "share": "on"},
    )
    assert edit.status_code == 302
    gift.refresh_from_db()
    assert gift.title == "Taalles" and gift.share and not gift.learn
    empty = client.post(url("me:gifts", world), {"kind": "", "title": ""})
    assert empty.status_code == 422
    remove = client.post(url("me:gifts", world), {"gift": gift.pk, "action": "delete"})
    assert remove.status_code == 302
    assert not Gift.objects.filter(pk=gift.pk).exists()


def test_visibility_save_records_online_consent_for_widened_fields(world, ans, client_for):
    client = client_for(world.a.resident)
    choice = dict.fromkeys(PERSON_FIELDS, Audience.BUILDERS.value)
    choice.update(
        name=Audience.RESIDENTS.value, gifts=Audience.RESIDENTS.value, street=Audience.PUBLIC.value
    )
    response = client.post(url("me:visibility", world), choice)
    assert response.status_code == 302
    ans.refresh_from_db()
    assert ans.visibility["name"] == "residents" and ans.visibility["phone"] == "builders"
    online = ans.consents.filter(how=ConsentHow.ONLINE)
    assert {(r.audience, tuple(r.fields)) for r in online} == {
        ("residents", ("name", "gifts")),
        ("public", ("street",)),
    }
    assert all(r.recorded_by == world.a.resident for r in online)
    # narrowing records no consent
    client.post(url("me:visibility", world), dict.fromkeys(PERSON_FIELDS, "builders"))
    assert ans.consents.filter(how=ConsentHow.ONLINE).count() == 2


def test_visibility_preview_shows_what_a_neighbour_would_see(world, ans, client_for):
    client = client_for(world.a.resident)
    choice = dict.fromkeys(PERSON_FIELDS, Audience.BUILDERS.value)
    choice.update(name="residents", gifts="residents", phone="residents")
    response = client.post(
        url("me:visibility", world), {**choice, "_preview": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="preview"')
    assert "06 2222 3333" in body and "Fietsen repareren" in body
    assert "Meer bankjes" not in body  # street wish stays with builders
    ans.refresh_from_db()
    assert ans.visibility["phone"] == "builders"  # a preview saves nothing
    hidden = client.get(url("me:visibility", world)).content.decode()
    assert "Your neighbours do not see you in lists or search" in hidden


def test_visibility_rejects_unknown_audiences(world, ans, client_for):
    bad = dict.fromkeys(PERSON_FIELDS, "everyone-ever")
    response = client_for(world.a.resident).post(url("me:visibility", world), bad)
    assert response.status_code == 422
    ans.refresh_from_db()
    assert set(ans.visibility.values()) == {"builders"}


def test_history_shows_who_changed_the_profile(world, ans, client_for):
    with acting_as(world.a.builder):
        ans.phone = "06 9999 0000"
        ans.save()
    client = client_for(world.a.resident)
    client.post(url("me:gifts", world), {"kind": GiftKind.HANDS, "title": "Koken"})
    page = client.get(url("me:history", world)).content.decode()
    assert "builder_a" in page and "phone" in page
    assert "you" in page


def test_export_page_and_erase_page_render(world, ans, client_for):
    client = client_for(world.a.resident)
    assert b"Download (ZIP)" in client.get(url("me:export", world)).content
    erase = client.get(url("me:erase", world))
    assert b"Type your name" in erase.content


def test_history_query_count_does_not_grow(world, ans, client_for):
    client = client_for(world.a.resident)

    def changes(n):
        with acting_as(world.a.builder):
            for i in range(n):
                ans.languages = f"taal {i} {ans.pk}"
                ans.save()

    changes(5)
    with CaptureQueriesContext(connection) as small:
        client.get(url("me:history", world))
    changes(45)
    with CaptureQueriesContext(connection) as large:
        client.get(url("me:history", world))
    assert len(large) == len(small)


def test_upload_and_replace_my_photo(
    world, ans, client_for, media, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def png(colour):
        out = io.BytesIO()
        Image.new("RGB", (40, 30), colour).save(out, "PNG")
        return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")

    client = client_for(world.a.resident)
    data = {"name": ans.name, "street": ans.street, "phone": ans.phone, "version": ans.version}
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(url("me:details", world), {**data, "photo": png("red")}).status_code == 302
        )
    ans.refresh_from_db()
    first = ans.photo.name
    assert first and ans.photo.storage.exists(first)
    thumb = client.get(reverse("residents:person_thumb", args=[world.a.slug, ans.pk]))
    assert thumb.status_code == 200 and thumb["Content-Type"].startswith("image/")
    data["version"] = ans.version
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("me:details", world), {**data, "photo": png("blue")})
    ans.refresh_from_db()
    assert ans.photo.name != first and not ans.photo.storage.exists(first)
    data["version"] = ans.version
    not_an_image = SimpleUploadedFile("x.jpg", b"hello", content_type="image/jpeg")
    bad = client.post(url("me:details", world), {**data, "photo": not_an_image})
    assert bad.status_code == 422


def test_the_dashboard_links_to_your_own_data_once_you_have_a_profile(world, client_for):
    """The panel is kept per viewer: a profile of one's own shows it at once (a claim is a
    change of the data), and another resident's dashboard never shows it."""
    from tests.factories import make_member

    dashboard = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    resident = client_for(world.a.resident)
    other = client_for(make_member(world.a.neighbourhood, "resident", "resident_a2"))
    Person.objects.filter(neighbourhood=world.a.neighbourhood, user=world.a.resident).delete()
    assert "Your own data" not in resident.get(dashboard).content.decode()
    assert "Your own data" not in other.get(dashboard).content.decode()

    make_claimed(world.a.neighbourhood, world.a.resident)
    assert "Your own data" in resident.get(dashboard).content.decode()
    assert "Your own data" not in other.get(dashboard).content.decode()
    assert "Retention review" not in resident.get(dashboard).content.decode()
    assert "Retention review" in client_for(world.a.coordinator).get(dashboard).content.decode()


def test_one_builders_own_data_link_is_not_another_builders(world, client_for):
    from tests.factories import make_member

    dashboard = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    Person.objects.filter(neighbourhood=world.a.neighbourhood, user=world.a.builder).delete()
    second = make_member(world.a.neighbourhood, "builder", "builder_a2")
    make_claimed(world.a.neighbourhood, second, "Bram Bouwer")
    assert "Your own data" in client_for(second).get(dashboard).content.decode()
    assert "Your own data" not in client_for(world.a.builder).get(dashboard).content.decode()

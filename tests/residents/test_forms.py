"""Person and gift forms: bad input is a clear message at 422, nothing half-saved, all escaped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from residents.models import Audience, Gift, Person

from .factories import make_gift, make_person

XSS = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>']
RTL = "مرحبا بالجيران שלום"
EMOJI = "Fietsen 🚲 repareren 👍"


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def person_data(**overrides) -> dict:
    data = {
        "name": "Ans de Vries",
        "street": "Lindenlaan",
        "house_number": "12a",
        "postcode": "1185 lb",
        "phone": "06-12345678",
        "email": "ans@example.org",
        "languages": "Nederlands,  Engels ,",
        "street_wish": "Een bankje",
    }
    for field in ("name", "street", "address", "phone", "email", "languages", "street_wish"):
        data[f"visible_{field}"] = Audience.RESIDENTS.value
    for field in ("photo", "gifts", "ties"):
        data[f"visible_{field}"] = Audience.BUILDERS.value
    data["consent_given"] = "on"  # shown to residents: they agreed at the table
    data.update(overrides)
    return data


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_builder_adds_a_person_with_visibility_and_recorded_by(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(reverse("residents:person_new", args=[world.a.slug]), person_data())
    person = Person.objects.get(name="Ans de Vries")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert person.neighbourhood == world.a.neighbourhood
    assert person.created_by == world.a.builder and person.updated_by == world.a.builder
    assert person.postcode == "1185 LB"
    assert person.languages == "Nederlands, Engels"
    assert person.visibility["name"] == "residents" and person.visibility["photo"] == "builders"


def test_new_person_form_defaults_every_field_to_builders_only(world, client_for):
    page = client_for(world.a.builder).get(reverse("residents:person_new", args=[world.a.slug]))
    form = page.context["form"]
    assert {form[f"visible_{f}"].value() for f in ("name", "phone", "gifts")} == {"builders"}


def test_empty_required_fields_re_render_at_422_with_input_kept(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        person_data(name="  ", street="", phone="bel me maar"),
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "This field is required." in text
    assert "Use digits, spaces and + ( ) - only." in text
    assert 'value="bel me maar"' in text
    assert not Person.objects.exists()


def test_ten_thousand_characters_are_refused_politely(world, client_for):
    long = "x" * 10_000
    response = client_for(world.a.builder).post(
        reverse("residents:person_new", args=[world.a.slug]),
        person_data(name=long, street_wish=long, languages=long),
    )
    assert response.status_code == 422
    assert "Ensure this value has at most 120 characters" in response.content.decode()
    assert not Person.objects.exists()


def test_emoji_and_right_to_left_text_are_kept(world, client_for):
    client = client_for(world.a.builder)
    client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        person_data(name=RTL, street_wish=EMOJI),
    )
    person = Person.objects.get()
    assert person.name == RTL and person.street_wish == EMOJI
    page = client.get(person.get_absolute_url()).content.decode()
    assert RTL in page and EMOJI in page


@pytest.mark.parametrize("payload", XSS)
def test_markup_in_every_field_is_escaped_everywhere(world, client_for, payload):
    client = client_for(world.a.builder)
    data = person_data(
        name=payload[:120],
        street=payload,
        house_number=payload[:20],
        languages=payload,
        street_wish=payload,
    )
    for field in ("name", "street", "address", "languages", "street_wish", "gifts"):
        data[f"visible_{field}"] = Audience.RESIDENTS.value
    # phone and e-mail refuse markup: the re-rendered form must escape it too
    refused = client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        {**data, "phone": payload, "email": payload},
    )
    assert refused.status_code == 422
    assert payload not in refused.content.decode()
    client.post(reverse("residents:person_new", args=[world.a.slug]), data)
    person = Person.objects.get()
    gift_response = client.post(
        reverse("residents:gift_new", args=[world.a.slug, person.pk]),
        {"kind": "hands", "title": payload, "description": payload, "tags": payload[:50]},
    )
    assert gift_response.status_code == 302
    gift = Gift.objects.get()
    slug = world.a.slug
    search = reverse("search:search", args=[slug])
    suggest = reverse("residents:tag_suggest", args=[slug])
    pages = [
        (reverse("residents:people", args=[slug]), {}),
        (reverse("residents:person", args=[slug, person.pk]), {}),
        (reverse("residents:person_edit", args=[slug, person.pk]), {}),
        (reverse("residents:person_delete", args=[slug, person.pk]), {}),
        (reverse("residents:gifts", args=[slug]), {}),
        (reverse("residents:gift", args=[slug, gift.pk]), {}),
        (reverse("residents:gift_edit", args=[slug, person.pk, gift.pk]), {}),
        (reverse("residents:gift_delete", args=[slug, person.pk, gift.pk]), {}),
        (reverse("neighbourhoods:dashboard", args=[slug]), {}),
        (search, {"q": "script"}),
        (search, {"q": "onerror"}),
        (search, {"q": payload}),
        (suggest, {"q": "scr"}),
        (suggest, {"q": payload}),
    ]
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    for viewer in (client, client_for(world.a.resident)):
        for url, params in pages:
            for headers in ({}, htmx):
                response = viewer.get(url, params, headers=headers)
                if response.status_code == 403:
                    continue
                assert response.status_code == 200, url
                text = response.content.decode()
                assert payload not in text, url
                assert "<script>alert" not in text and "<img src=x" not in text, url


def test_inline_validation_returns_the_field_with_its_error(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        {**person_data(email="niet-een-adres"), "_validate": "email"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.strip().startswith('<div class="field has-error"')
    assert "Enter a valid email address." in text
    assert "<html" not in text
    assert not Person.objects.exists()


def test_photo_is_re_encoded_with_thumbnail_and_served_through_the_view(world, client_for, media):
    client = client_for(world.a.builder)
    upload = SimpleUploadedFile("me.png", png_bytes((640, 480)), content_type="image/png")
    client.post(
        reverse("residents:person_new", args=[world.a.slug]), {**person_data(), "photo": upload}
    )
    person = Person.objects.get()
    assert person.photo.name.startswith("people/") and "me" not in person.photo.name
    assert person.photo_thumbnail
    response = client.get(reverse("residents:person_thumb", args=[world.a.slug, person.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


def test_text_file_named_jpg_and_pixel_bomb_are_refused_without_saving(world, client_for, media):
    client = client_for(world.a.builder)
    fake = SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg")
    response = client.post(
        reverse("residents:person_new", args=[world.a.slug]), {**person_data(), "photo": fake}
    )
    assert response.status_code == 422
    assert "Only JPEG, PNG or WebP photos." in response.content.decode()
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 megapixels in a few KB
    assert len(bomb.getvalue()) < 100_000
    response = client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        {**person_data(), "photo": SimpleUploadedFile("bomb.png", bomb.getvalue())},
    )
    assert response.status_code == 422
    assert "more than 40 megapixels" in response.content.decode()
    assert not Person.objects.exists()
    assert not list(media.rglob("*.*"))


def test_edit_replaces_and_remove_deletes_the_photo(
    world, client_for, media, django_capture_on_commit_callbacks
):
    client = client_for(world.a.builder)
    person = make_person(world.a.neighbourhood, "Foto Frans")
    url = reverse("residents:person_edit", args=[world.a.slug, person.pk])
    data = {**person_data(name="Foto Frans"), "version": person.version}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "photo": SimpleUploadedFile("a.png", png_bytes())})
    person.refresh_from_db()
    first = person.photo.name
    assert (media / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "version": person.version, "remove_photo": "on"})
    person.refresh_from_db()
    assert not person.photo and not (media / first).exists()


def test_gift_form_errors_and_success(world, client_for):
    person = make_person(world.a.neighbourhood)
    client = client_for(world.a.builder)
    url = reverse("residents:gift_new", args=[world.a.slug, person.pk])
    bad = client.post(url, {"kind": "elbow", "title": "", "tags": "a" * 61})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Select a valid choice." in text and "at most 60 characters" in text
    assert not Gift.objects.exists()
    ok = client.post(
        url,
        {
            "kind": "heart",
            "title": " Buurt  moestuin ",
            "tags": "Tuin, tuin, Natuur",
            "share": "on",
            "add_another": "1",
        },
    )
    assert ok.status_code == 302 and ok["Location"] == url
    gift = Gift.objects.get()
    assert gift.title == "Buurt moestuin" and gift.share and gift.created_by == world.a.builder
    assert sorted(t.normalised for t in gift.tags.all()) == ["natuur", "tuin"]


def test_gift_of_another_person_cannot_be_edited_through_the_wrong_url(world, client_for):
    one, other = make_person(world.a.neighbourhood), make_person(world.a.neighbourhood)
    gift = make_gift(one)
    url = reverse("residents:gift_edit", args=[world.a.slug, other.pk, gift.pk])
    assert client_for(world.a.builder).get(url).status_code == 404


def test_delete_person_asks_first_then_removes_gifts(world, client_for):
    person = make_person(world.a.neighbourhood, "Weg Wim")
    make_gift(person)
    client = client_for(world.a.builder)
    url = reverse("residents:person_delete", args=[world.a.slug, person.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Delete Weg Wim?" in page.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists() and not Gift.objects.exists()


def test_delete_gift_with_confirmation(world, client_for):
    gift = make_gift(make_person(world.a.neighbourhood), "Weg gave")
    url = reverse("residents:gift_delete", args=[world.a.slug, gift.person_id, gift.pk])
    client = client_for(world.a.builder)
    assert "Weg gave" in client.get(url).content.decode()
    client.post(url)
    assert not Gift.objects.exists()


def test_residents_cannot_create_edit_or_delete(world, client_for):
    person = make_person(world.a.neighbourhood, shown=Audience.RESIDENTS)
    client = client_for(world.a.resident)
    for name, args in [
        ("residents:person_new", []),
        ("residents:person_edit", [person.pk]),
        ("residents:person_delete", [person.pk]),
        ("residents:gift_new", [person.pk]),
    ]:
        assert (
            client.post(reverse(name, args=[world.a.slug, *args]), person_data()).status_code == 403
        )
    assert Person.objects.count() == 1

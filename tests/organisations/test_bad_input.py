"""Bad input on organisation forms: clear messages, input kept, nothing half-saved, escaped."""

import pytest
from django.urls import reverse

from organisations.models import Organisation, OrganisationMember

from .factories import make_organisation, make_plain_person

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEXT_FIELDS = [
    "name",
    "description",
    "contact",
    "phone",
    "street",
    "house_number",
    "postcode",
    "meeting_times",
]


def url(name, side, *args):
    return reverse(f"organisations:{name}", args=[side.slug, *args])


def assert_escaped(text: str) -> None:
    assert SCRIPT not in text
    assert "<img src=x onerror" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;img" in text


def test_empty_required_fields(world, client_for):
    response = client_for(world.a.builder).post(url("new", world.a), {"description": "Iets"})
    assert response.status_code == 422
    assert "Give the organisation a name." in response.text
    assert "Choose what kind of organisation this is." in response.text
    assert "Iets</textarea>" in response.text  # what was typed stays
    assert not Organisation.objects.exists()


def test_ten_thousand_characters(world, client_for):
    long = "x" * 10_000
    response = client_for(world.a.builder).post(
        url("new", world.a), {"name": "Club", "kind": "informal", "description": long}
    )
    assert response.status_code == 422
    assert "at most 4000 characters (it has 10000)" in response.text
    assert long in response.text
    assert not Organisation.objects.exists()


def test_bad_email_and_website_keep_input(world, client_for):
    response = client_for(world.a.builder).post(
        url("new", world.a),
        {
            "name": "Club",
            "kind": "informal",
            "email": "not an email",
            "website": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    assert "Enter an email address such as name@example.org." in response.text
    assert "Enter a full web address, such as https://example.org." in response.text
    assert 'value="not an email"' in response.text
    assert not Organisation.objects.exists()


def test_place_of_another_neighbourhood_is_refused(world, client_for):
    from ..places.factories import make_place

    elsewhere = make_place(world.b.neighbourhood, "Plek in B")
    response = client_for(world.a.builder).post(
        url("new", world.a), {"name": "Club", "kind": "informal", "usual_place": elsewhere.pk}
    )
    assert response.status_code == 422
    assert "Choose a place of this neighbourhood from the list." in response.text
    assert "Plek in B" not in response.text


def test_emoji_and_right_to_left_text_round_trip(world, client_for):
    name = "Koffie ☕️ مقهى الحي 👩🏽‍🍳"
    description = "שלום — ‏مرحبا‎ 🇳🇱"
    client = client_for(world.a.builder)
    response = client.post(
        url("new", world.a), {"name": name, "kind": "informal", "description": description}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == name
    assert organisation.description == description
    detail = client.get(url("detail", world.a, organisation.pk))
    assert name in detail.text and description in detail.text
    assert 'dir="auto"' in detail.text
    assert name in client.get(url("list", world.a)).text


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_every_field_is_escaped_everywhere(world, client_for, payload):
    client = client_for(world.a.builder)
    data = dict.fromkeys(TEXT_FIELDS, payload)
    data.update({"kind": "informal", "email": "a@example.org", "website": "https://e.org/"})
    data["postcode"] = payload[:10]
    data["house_number"] = payload[:20]
    response = client.post(url("new", world.a), data)
    assert response.status_code == 302, response.text
    organisation = Organisation.objects.get()
    assert organisation.name == payload

    pages = [
        client.get(url("detail", world.a, organisation.pk)),
        client.get(url("list", world.a)),
        client.get(url("list", world.a), {"q": payload}, headers={"HX-Request": "true"}),
        client.get(url("edit", world.a, organisation.pk)),
        client.get(url("delete", world.a, organisation.pk)),
        client.get(reverse("neighbourhoods:dashboard", args=[world.a.slug])),
        client_for(world.a.resident).get(url("detail", world.a, organisation.pk)),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in page.text
        assert "<img src=x onerror" not in page.text


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_invalid_form_is_escaped(world, client_for, payload):
    data = dict.fromkeys(TEXT_FIELDS, payload)
    data.update({"kind": "nonsense", "email": payload, "website": payload})
    response = client_for(world.a.builder).post(url("new", world.a), data)
    assert response.status_code == 422
    assert SCRIPT not in response.text
    assert "<img src=x onerror" not in response.text
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_member_role_and_person_name_is_escaped(world, client_for, payload):
    nb = world.a.neighbourhood
    organisation = make_organisation(nb)
    person = make_plain_person(nb, payload)
    client = client_for(world.a.builder)
    response = client.post(
        url("member_add", world.a, organisation.pk), {"person": person.pk, "role": payload[:60]}
    )
    assert response.status_code == 302
    for page in (
        client.get(url("detail", world.a, organisation.pk)),
        client.get(url("person_options", world.a), {"q": payload[:5]}),
        client.get(
            url("detail", world.a, organisation.pk),
            {"person_q": ""},
            headers={"HX-Request": "true"},
        ),
    ):
        assert SCRIPT not in page.text
        assert "<img src=x onerror" not in page.text


def test_member_add_with_bad_input_says_why(world, client_for):
    organisation = make_organisation(world.a.neighbourhood)
    client = client_for(world.a.builder)
    response = client.post(url("member_add", world.a, organisation.pk), {})
    assert response.status_code == 422
    assert "Choose a person." in response.text
    response = client.post(
        url("member_add", world.a, organisation.pk),
        {"person": "abc", "role": "r" * 61, "since": "31-31-2020"},
    )
    assert response.status_code == 422
    assert "at most 60 characters" in response.text
    assert "Enter a valid date." in response.text
    assert not OrganisationMember.objects.exists()


def test_live_validation_does_not_save(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        url("new", world.a),
        {"name": "", "kind": "informal", "_validate": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="id_name_feedback"' in response.text
    assert "Give the organisation a name." in response.text
    response = client.post(
        url("new", world.a),
        {"name": "Goed", "kind": "informal", "_validate": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    # without HTMX the flag is ignored: a plain post saves
    client.post(url("new", world.a), {"name": "Goed", "kind": "informal", "_validate": "1"})
    assert Organisation.objects.filter(name="Goed").exists()


def test_empty_post_names_what_is_missing(world, client_for):
    response = client_for(world.a.builder).post(url("new", world.a), {})
    assert response.status_code == 422
    assert "Give the organisation a name." in response.text

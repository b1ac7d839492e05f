"""Editing a person: a stale form never overwrites someone else's save, and who sees what is
widened only with consent (unclaimed) or by the resident alone (claimed)."""

import pytest
from django.urls import reverse

from neighbourhoods.models import Role
from residents.consent import CONSENT_TEXT, CONSENT_TEXT_VERSION
from residents.models import Audience, ConsentHow, ConsentRecord, Person
from tests.factories import make_member

from .editing import opened
from .factories import make_person, visibility


def edit_url(world, person):
    return reverse("residents:person_edit", args=[world.a.slug, person.pk])


@pytest.fixture
def kees(world):
    return make_person(
        world.a.neighbourhood,
        "Kees de Boer",
        phone="06 1111 1111",
        street_wish="Een bankje",
        visibility=visibility(Audience.BUILDERS, name=Audience.RESIDENTS),
    )


@pytest.fixture
def second_builder(world):
    return make_member(world.a.neighbourhood, Role.BUILDER)


def test_every_save_adds_one_to_the_version(world, kees):
    assert kees.version == 1
    kees.phone = "06 1"
    kees.save()
    assert kees.version == 2
    kees.save(update_fields=["phone"])
    assert kees.version == 3
    stale = Person.objects.get(pk=kees.pk)
    kees.save()
    stale.save()  # counted by the database: an older copy still adds one
    stale.refresh_from_db()
    assert stale.version == 5


def test_the_edit_form_carries_the_version_it_was_opened_at(world, kees, client_for):
    page = client_for(world.a.builder).get(edit_url(world, kees))
    assert opened(page)["version"] == kees.version
    assert f'name="version" value="{kees.version}"' in page.content.decode()


def test_a_stale_builder_save_shows_both_values_and_loses_nothing(
    world, kees, second_builder, client_for
):
    url = edit_url(world, kees)
    mine, theirs = client_for(world.a.builder), client_for(second_builder)
    typed = {**opened(mine.get(url)), "phone": "06 2222 2222", "street_wish": "Meer groen"}
    # meanwhile another builder changes the phone
    assert theirs.post(url, {**opened(theirs.get(url)), "phone": "06 3333 3333"}).status_code == 302

    response = mine.post(url, typed)

    assert response.status_code == 409
    kees.refresh_from_db()
    assert kees.phone == "06 3333 3333" and kees.street_wish == "Een bankje"  # theirs stands
    text = response.content.decode()
    assert "Someone else saved these details while you were editing." in text
    assert f"Last change by {second_builder.username}" in text
    # the phone both changed: both values shown; the wish only I changed: no question
    conflicts = {c.field: c for c in response.context["form"].conflicts}
    assert set(conflicts) == {"phone"}
    assert (conflicts["phone"].theirs, conflicts["phone"].yours) == ("06 3333 3333", "06 2222 2222")
    assert not conflicts["phone"].taken
    for value in ("06 3333 3333", "06 2222 2222", "Meer groen"):
        assert value in text
    # what was typed is still in the form; saving it again now saves what is in the form
    again = opened(response)
    assert again["phone"] == "06 2222 2222" and again["street_wish"] == "Meer groen"
    assert mine.post(url, again).status_code == 302
    kees.refresh_from_db()
    assert kees.phone == "06 2222 2222" and kees.street_wish == "Meer groen"


def test_a_change_only_they_made_comes_into_the_form_and_stays(
    world, kees, second_builder, client_for
):
    url = edit_url(world, kees)
    mine, theirs = client_for(world.a.builder), client_for(second_builder)
    typed = {**opened(mine.get(url)), "phone": "06 2222 2222"}
    changed = {**opened(theirs.get(url)), "street_wish": "Meer groen", "visible_name": "builders"}
    assert theirs.post(url, changed).status_code == 302

    response = mine.post(url, typed)

    assert response.status_code == 409
    conflicts = {c.field: c for c in response.context["form"].conflicts}
    assert set(conflicts) == {"street_wish", "visible_name"}
    assert conflicts["street_wish"].taken and conflicts["visible_name"].taken
    assert (conflicts["street_wish"].theirs, conflicts["street_wish"].yours) == (
        "Meer groen",
        "Een bankje",
    )
    again = opened(response)
    assert again["street_wish"] == "Meer groen" and again["visible_name"] == "builders"
    assert again["phone"] == "06 2222 2222"
    assert mine.post(url, again).status_code == 302
    kees.refresh_from_db()
    assert (kees.phone, kees.street_wish) == ("06 2222 2222", "Meer groen")
    assert kees.visibility["name"] == "builders"


def test_a_field_with_an_error_is_compared_once_it_is_fixed(
    world, kees, second_builder, client_for
):
    url = edit_url(world, kees)
    mine, theirs = client_for(world.a.builder), client_for(second_builder)
    typed = {**opened(mine.get(url)), "name": "", "phone": "06 2222 2222"}
    changed = {**opened(theirs.get(url)), "name": "Kees B.", "phone": "06 3333 3333"}
    assert theirs.post(url, changed).status_code == 302
    first = mine.post(url, typed)  # the phone conflicts; the missing name is not compared yet
    assert first.status_code == 409
    again = {**opened(first), "name": "Kees de Boer-Jansen"}
    second = mine.post(url, again)
    assert second.status_code == 409  # their name change is not overwritten unseen
    kees.refresh_from_db()
    assert kees.name == "Kees B."
    assert "name" in {c.field for c in second.context["form"].conflicts}


def test_a_form_without_a_version_or_with_junk_counts_as_stale(
    world, kees, second_builder, client_for
):
    client = client_for(world.a.builder)
    url = edit_url(world, kees)
    data = {**opened(client.get(url)), "phone": "06 4444 4444"}
    other = client_for(second_builder)
    assert other.post(url, {**opened(other.get(url)), "phone": "06 3333 3333"}).status_code == 302
    for version in (None, "", "abc", "1e309", "-1", "99999999999999999999", "²"):
        for base in (None, "", "junk", data["base"]):
            post = {k: v for k, v in data.items() if k not in {"version", "base"}}
            if version is not None:
                post["version"] = version
            if base is not None:
                post["base"] = base
            assert client.post(url, post).status_code == 409, (version, base)
    kees.refresh_from_db()
    assert kees.phone == "06 3333 3333"


def test_a_stale_form_that_differs_in_nothing_saved_is_simply_saved(
    world, kees, second_builder, client_for
):
    url = edit_url(world, kees)
    mine, theirs = client_for(world.a.builder), client_for(second_builder)
    typed = {**opened(mine.get(url)), "phone": "06 5555 5555"}
    assert theirs.post(url, {**opened(theirs.get(url)), "phone": "06 5555 5555"}).status_code == 302
    assert mine.post(url, typed).status_code == 302


def test_builder_cannot_widen_a_claimed_persons_visibility_but_may_narrow(world, client_for):
    ans = make_person(
        world.a.neighbourhood,
        "Ans Jansen",
        phone="06 2222 3333",
        email="ans@example.org",
        user=world.a.resident,
        visibility=visibility(Audience.BUILDERS, name=Audience.RESIDENTS),
    )
    client = client_for(world.a.builder)
    url = edit_url(world, ans)
    page = client.get(url)
    wider = {
        **opened(page),
        "visible_phone": "public",
        "visible_email": "residents",
        "consent_given": "on",  # smuggled: there is no such box for a claimed profile
    }

    response = client.post(url, wider)

    assert response.status_code == 422
    text = response.content.decode()
    assert "Ans Jansen has claimed this profile and chooses who sees it" in text
    ans.refresh_from_db()
    assert ans.visibility["phone"] == "builders" and ans.visibility["email"] == "builders"
    assert not ConsentRecord.objects.filter(person=ans).exists()
    # the form says so up front, and offers no consent box
    assert "has claimed this profile" in page.content.decode()
    assert "consent_given" not in page.context["form"].fields
    # narrowing is theirs to ask and ours to do
    narrower = {**opened(client.get(url)), "visible_name": "builders"}
    assert client.post(url, narrower).status_code == 302
    ans.refresh_from_db()
    assert ans.visibility["name"] == "builders"
    assert not ConsentRecord.objects.filter(person=ans).exists()


def test_widening_an_unclaimed_person_needs_consent_and_records_it(world, kees, client_for):
    client = client_for(world.a.builder)
    url = edit_url(world, kees)
    page = client.get(url)
    wider = {**opened(page), "visible_phone": "residents", "visible_gifts": "public"}

    refused = client.post(url, wider)

    assert refused.status_code == 422
    kees.refresh_from_db()
    assert kees.visibility["phone"] == "builders" and kees.visibility["gifts"] == "builders"
    assert not ConsentRecord.objects.filter(person=kees).exists()
    assert "Read the consent text out loud and tick this box" in refused.content.decode()
    assert str(CONSENT_TEXT) in page.content.decode()  # the words to read out are on the form

    saved = client.post(url, {**wider, "consent_given": "on"}, follow=True)

    assert saved.status_code == 200
    assert "Consent given at the kitchen table is on record" in saved.content.decode()
    kees.refresh_from_db()
    assert kees.visibility["phone"] == "residents" and kees.visibility["gifts"] == "public"
    records = ConsentRecord.objects.filter(person=kees)
    assert {(tuple(r.fields), r.audience) for r in records} == {
        (("phone",), "residents"),
        (("gifts",), "public"),
    }
    for record in records:
        assert record.how == ConsentHow.KITCHEN_TABLE
        assert record.recorded_by == world.a.builder
        assert record.text == str(CONSENT_TEXT) and record.text_version == CONSENT_TEXT_VERSION
        assert record.withdrawn_at is None
    # narrowing or keeping records nothing more
    narrower = {**opened(client.get(url)), "visible_gifts": "residents"}
    assert client.post(url, narrower).status_code == 302
    assert records.count() == 2


def test_a_new_person_shown_to_residents_needs_consent_and_records_it(world, client_for):
    client = client_for(world.a.builder)
    url = reverse("residents:person_new", args=[world.a.slug])
    data = {**opened(client.get(url)), "name": "Fatima", "street": "Lindenlaan"}
    data["visible_name"] = data["visible_street"] = "residents"
    assert client.post(url, data).status_code == 422
    assert not Person.objects.filter(name="Fatima").exists()
    assert client.post(url, {**data, "consent_given": "on"}).status_code == 302
    person = Person.objects.get(name="Fatima")
    record = ConsentRecord.objects.get(person=person)
    assert record.fields == ["name", "street"] and record.audience == "residents"
    assert record.how == ConsentHow.KITCHEN_TABLE and record.recorded_by == world.a.builder
    # builders only: no consent question, no record
    quiet = {**opened(client.get(url)), "name": "Jan", "street": "Lindenlaan"}
    assert client.post(url, quiet).status_code == 302
    assert not ConsentRecord.objects.filter(person__name="Jan").exists()


def test_a_stale_photo_upload_is_a_question_only_when_they_changed_the_photo(
    world, kees, second_builder, client_for, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_forms import png_bytes

    settings.MEDIA_ROOT = tmp_path
    url = edit_url(world, kees)
    mine, theirs = client_for(world.a.builder), client_for(second_builder)
    typed = opened(mine.get(url))
    # they change the photo meanwhile: my new photo is a question, to choose again
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    assert theirs.post(url, {**opened(theirs.get(url)), "photo": photo}).status_code == 302
    mine_photo = SimpleUploadedFile("b.png", png_bytes(), content_type="image/png")
    response = mine.post(url, {**typed, "photo": mine_photo})
    assert response.status_code == 409
    assert [c.field for c in response.context["form"].conflicts] == ["photo"]
    assert "Choose the photo again if you want one." in response.content.decode()
    # they save without changing what I changed, nor the photo: mine is simply saved
    typed = {**opened(mine.get(url)), "street_wish": "Meer groen"}
    version = Person.objects.get(pk=kees.pk).version
    assert theirs.post(url, opened(theirs.get(url))).status_code == 302
    kees.refresh_from_db()
    assert kees.version > version
    before = kees.photo.name
    mine_photo = SimpleUploadedFile("c.png", png_bytes(), content_type="image/png")
    assert mine.post(url, {**typed, "photo": mine_photo}).status_code == 302
    kees.refresh_from_db()
    assert kees.photo.name != before and kees.street_wish == "Meer groen"

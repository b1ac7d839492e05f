from django.urls import reverse

from conversations.models import Conversation, Status
from residents.consent import CONSENT_TEXT_VERSION
from residents.models import Audience, ConsentHow, ConsentRecord, Person

from .factories import make_conversation, make_person


def new_url(world):
    return reverse("conversations:new", args=[world.a.slug])


def test_start_with_a_new_person_records_consent(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        new_url(world),
        {
            "first_name": "  Fatima ",
            "street": "Populierstraat",
            "consent_given": "on",
            "consent_fields": ["name", "street", "gifts", "conversations"],
            "consent_audience": "residents",
        },
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == conversation.get_absolute_url()
    person = conversation.person
    assert (person.name, person.street, person.neighbourhood) == (
        "Fatima",
        "Populierstraat",
        world.a.neighbourhood,
    )
    assert conversation.builder == world.a.builder
    assert conversation.status == Status.DRAFT
    consent = ConsentRecord.objects.get(person=person)
    assert consent.fields == ["name", "street", "gifts", "conversations"]
    assert consent.audience == Audience.RESIDENTS
    assert consent.how == ConsentHow.KITCHEN_TABLE
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert "bring neighbours together" in consent.text
    assert consent.recorded_by == world.a.builder
    # what they agreed to show to residents is shown to residents; the rest stays hidden
    assert person.visibility["name"] == "residents"
    assert person.visibility["gifts"] == "residents"
    assert person.visibility["phone"] == "builders"


def test_consent_text_is_kept_in_the_language_it_was_read_in(world, client_for):
    client = client_for(world.a.builder, language="nl")
    client.post(
        new_url(world),
        {
            "first_name": "Ans",
            "street": "Lindenlaan",
            "consent_given": "on",
            "consent_fields": ["name", "street", "conversations"],
            "consent_audience": "builders",
        },
    )
    record = ConsentRecord.objects.get()
    assert record.text  # the text as read out, whatever the catalogue holds
    assert record.text_version == CONSENT_TEXT_VERSION


def test_start_refuses_without_consent_and_keeps_what_was_typed(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        new_url(world),
        {"first_name": "Fatima", "street": "Populierstraat", "consent_audience": "builders"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "without consent" in content
    assert 'value="Fatima"' in content and 'value="Populierstraat"' in content
    assert not Person.objects.exists() and not Conversation.objects.exists()


def test_start_needs_name_street_and_the_minimum_consent(world, client_for):
    response = client_for(world.a.builder).post(
        new_url(world),
        {
            "first_name": " ",
            "street": "",
            "consent_given": "on",
            "consent_fields": ["gifts"],
            "consent_audience": "builders",
        },
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "This field is required." in content or "Write their first name." in content
    assert "we must at least record" in content
    assert not Conversation.objects.exists()


def test_start_from_a_person_page_without_new_consent_when_on_record(world, client_for):
    person = make_person(world.a.neighbourhood, "Ans")
    ConsentRecord.objects.create(
        person=person,
        fields=["name"],
        audience="builders",
        text="t",
        text_version="x",
        how="online",
        given_at="2026-01-01T10:00Z",
    )
    client = client_for(world.a.builder)
    page = client.get(new_url(world), {"person": person.pk})
    assert "already gave consent" in page.content.decode()
    response = client.post(new_url(world), {"person": person.pk})
    conversation = Conversation.objects.get()
    assert response["Location"] == conversation.get_absolute_url()
    assert conversation.person == person
    assert ConsentRecord.objects.count() == 1


def test_start_from_a_person_without_consent_asks_for_it(world, client_for):
    person = make_person(world.a.neighbourhood, "Kees")
    client = client_for(world.a.builder)
    response = client.post(new_url(world), {"person": person.pk})
    assert response.status_code == 200  # asked, not yet refused
    content = response.content.decode()
    assert "Read this out loud" in content and "without consent" not in content
    response = client.post(new_url(world), {"person": person.pk, "consent_audience": "builders"})
    assert response.status_code == 422
    assert "without consent" in response.content.decode()
    response = client.post(
        new_url(world),
        {
            "person": person.pk,
            "consent_given": "on",
            "consent_fields": ["name", "street", "conversations"],
            "consent_audience": "builders",
        },
    )
    assert response.status_code == 302
    assert person.consents.count() == 1
    assert Person.objects.count() == 1  # no second person


def test_starting_again_with_the_same_person_resumes_the_draft(world, client_for):
    draft = make_conversation(world.a.neighbourhood, world.a.builder)
    ConsentRecord.objects.create(
        person=draft.person,
        fields=["name"],
        audience="builders",
        text="t",
        text_version="x",
        how="online",
        given_at="2026-01-01T10:00Z",
    )
    response = client_for(world.a.builder).post(new_url(world), {"person": draft.person.pk})
    assert response["Location"] == draft.get_absolute_url()
    assert Conversation.objects.count() == 1


def test_person_of_another_neighbourhood_is_not_found(world, client_for):
    other = make_person(world.b.neighbourhood, "Elders")
    response = client_for(world.a.builder).post(new_url(world), {"person": other.pk})
    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_residents_may_not_start_conversations(world, client_for):
    assert client_for(world.a.resident).get(new_url(world)).status_code == 403

"""Retention: people with no conversation, login or change for N months, for review."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from me.models import RetentionKeep
from me.retention import consent_withdrawn, due_for_review
from residents.consent import give_at_table, withdraw
from residents.models import Audience, Person
from tests.conversations.factories import make_conversation
from tests.residents.factories import make_person


def _age(person, months: int) -> None:
    Person.objects.filter(pk=person.pk).update(
        updated_at=timezone.now() - timedelta(days=months * 31)
    )


def _due(world, months=None):
    return list(due_for_review(Person.objects.in_neighbourhood(world.a.neighbourhood), months))


def test_quiet_people_are_listed_and_signs_of_life_count(world):
    quiet = make_person(world.a.neighbourhood, "Stil")
    talked = make_person(world.a.neighbourhood, "Gesprek")
    logged_in = make_person(world.a.neighbourhood, "Ingelogd", user=world.a.resident)
    fresh = make_person(world.a.neighbourhood, "Nieuw")
    for person in (quiet, talked, logged_in):
        _age(person, 30)
    make_conversation(world.a.neighbourhood, world.a.builder, talked)
    world.a.resident.last_login = timezone.now()
    world.a.resident.save()
    assert [p.name for p in _due(world)] == ["Stil"]
    assert fresh not in _due(world)
    assert _due(world, months=36) == []


def test_the_setting_decides_the_period(world, settings):
    person = make_person(world.a.neighbourhood, "Stil")
    _age(person, 7)
    settings.RETENTION_MONTHS = 24
    assert _due(world) == []
    settings.RETENTION_MONTHS = 6
    assert [p.pk for p in _due(world)] == [person.pk]


def test_coordinator_reviews_and_keeps(world, client_for):
    person = make_person(world.a.neighbourhood, "Stil")
    _age(person, 30)
    client = client_for(world.a.coordinator)
    page = client.get(reverse("privacy:retention", args=[world.a.slug]))
    assert page.status_code == 200 and b"Stil" in page.content
    assert reverse("privacy:erase", args=[world.a.slug, person.pk]).encode() in page.content
    keep = client.post(reverse("privacy:retention_keep", args=[world.a.slug, person.pk]))
    assert keep.status_code == 302
    assert RetentionKeep.objects.filter(person=person, kept_by=world.a.coordinator).exists()
    after = client.get(reverse("privacy:retention", args=[world.a.slug]))
    assert b"Nobody to review." in after.content  # (the message still names Stil once)
    assert _due(world) == []


def test_retention_is_for_coordinators_of_this_neighbourhood(world, client_for):
    person = make_person(world.a.neighbourhood, "Stil")
    url = reverse("privacy:retention", args=[world.a.slug])
    assert client_for(world.a.builder).get(url).status_code == 403
    assert client_for(world.b.builder).get(url).status_code == 404
    keep = reverse("privacy:retention_keep", args=[world.b.slug, person.pk])
    assert client_for(world.staff).post(keep).status_code == 404


def test_retention_list_query_count_does_not_grow(world, client_for):
    client = client_for(world.a.coordinator)
    url = reverse("privacy:retention", args=[world.a.slug])

    def quiet(n):
        for i in range(n):
            _age(make_person(world.a.neighbourhood, f"Stil {i}"), 30)

    quiet(5)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    quiet(45)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_who_withdrew_every_consent_is_reviewed_until_erased_or_kept(world, client_for):
    nb = world.a.neighbourhood
    gone = make_person(nb, "Ingetrokken", user=world.a.resident)
    partly = make_person(nb, "Deels")
    never = make_person(nb, "Zonder")  # recorded before consent records existed: not listed
    for person in (gone, partly):
        give_at_table(person, ["name", "street"], Audience.BUILDERS, world.a.builder)
    give_at_table(partly, ["name"], Audience.RESIDENTS, world.a.builder)
    for record in [*gone.consents.all(), partly.consents.filter(audience="residents").get()]:
        withdraw(record, by=world.a.resident)
    people = Person.objects.in_neighbourhood(nb)
    assert [p.name for p in consent_withdrawn(people)] == ["Ingetrokken"]
    assert never not in consent_withdrawn(people)

    client = client_for(world.a.coordinator)
    page = client.get(reverse("privacy:retention", args=[world.a.slug])).content.decode()
    assert "Consent withdrawn" in page and "Ingetrokken" in page and "Deels" not in page
    client.post(reverse("privacy:retention_keep", args=[world.a.slug, gone.pk]))
    assert list(consent_withdrawn(people)) == []


def test_withdrawing_the_consent_to_record_says_what_happens_next(world, client_for):
    person = make_person(world.a.neighbourhood, "Ingetrokken", user=world.a.resident)
    record = give_at_table(person, ["name"], Audience.BUILDERS, world.a.builder)
    response = client_for(world.a.resident).post(
        reverse("me:consent", args=[world.a.slug]), {"withdraw": record.pk}, follow=True
    )
    body = response.content.decode()
    assert "stays with the community builders until it is erased" in body

"""Erasure (art. 17): afterwards no table and no file holds the person's name, email, phone or
photo file names; outcomes that mentioned them stay, anonymised; one audit row says it
happened, without personal data."""

import json
import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from audit.models import Action, AuditEntry
from me.erasure import erase_person
from organisations.models import Organisation
from outcomes.models import Outcome
from places.models import Place
from residents.models import Person
from tests.residents.factories import make_person

from .everywhere import EMAIL, NAME, PHONE, USERNAME

User = get_user_model()


def _text_columns(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def _hits(terms: list[str]) -> list[str]:
    """Every (table, column, row) whose text contains one of the terms, case-insensitively."""
    found = []
    lowered = [t.casefold() for t in terms]
    for model in apps.get_models(include_auto_created=True):
        columns = _text_columns(model)
        if not columns:
            continue
        for row in model._default_manager.values("pk", *[f.attname for f in columns]):
            for f in columns:
                value = row[f.attname]
                if value is None:
                    continue
                text = str(value).casefold()
                if isinstance(f, models.JSONField):
                    text = json.dumps(value, ensure_ascii=False).casefold()
                for term in lowered:
                    if term in text:
                        found.append(f"{model._meta.label}.{f.name} #{row['pk']}: {term}")
    return found


def _media_hits(media, names: list[str]) -> list[str]:
    found = []
    for root, _dirs, files in os.walk(media):
        for file in files:
            if file in names:
                found.append(os.path.join(root, file))
    return found


def test_before_erasure_the_scan_finds_noor_everywhere(world, noor, media):
    """The scan can fail: before erasure it finds her in many places."""
    hits = _hits([NAME, EMAIL, PHONE, *noor["photo_names"]])
    labels = {hit.split(" ")[0] for hit in hits}
    assert {
        "residents.Person.name",
        "outcomes.Outcome.title",
        "audit.AuditEntry.changes",
        "conversations.Conversation.private_notes",
        "admin.LogEntry.object_repr",
    } <= labels
    assert len(_media_hits(media, noor["photo_names"])) == 2


def test_after_erasure_nothing_is_left(world, noor, media, django_capture_on_commit_callbacks):
    person = noor["person"]
    person_id = person.pk
    with django_capture_on_commit_callbacks(execute=True):
        report = erase_person(person, world.a.coordinator)
    assert report.account == "removed" and report.files_deleted == 2
    assert _hits([NAME, EMAIL, PHONE, USERNAME, *noor["photo_names"]]) == []
    assert _media_hits(media, noor["photo_names"]) == []

    assert not Person.objects.filter(pk=person_id).exists()
    assert not User.objects.filter(username=USERNAME).exists()
    assert not AuditEntry.objects.filter(person_id=person_id).exists()
    # exactly one audit row about it, without personal data
    erased = AuditEntry.objects.get(action=Action.ERASE)
    assert erased.object_id == str(person_id) and erased.person_id is None
    assert erased.actor == world.a.coordinator and erased.changes == {}
    assert "coordinator_a" in erased.note and f"#{person_id}" in erased.note

    # outcomes stay, anonymised, their link to her gone
    outcome = Outcome.objects.get(pk=noor["outcome"].pk)
    assert outcome.for_whom_people.count() == 0
    assert "Noor" not in outcome.story  # a linked outcome loses her first name as well
    assert Outcome.objects.filter(pk=noor["other_outcome"].pk).exists()
    assert outcome.contributions.count() == 1  # the step stays, without her gift
    # what belonged to others stays
    assert Person.objects.filter(pk=noor["piet"].pk).exists()
    place = Place.objects.get(pk=noor["place"].pk)
    assert place.managed_by_person is None
    assert Organisation.objects.filter(pk=noor["organisation"].pk).exists()
    assert noor["club"].members.count() == 0


def test_resident_erases_themselves_and_is_logged_out(
    world, noor, client_for, django_capture_on_commit_callbacks
):
    client = client_for(User.objects.get(username=USERNAME))
    url = reverse("me:erase", args=[world.a.slug])
    wrong = client.post(url, {"confirm_name": "Someone Else", "understood": "on"})
    assert wrong.status_code == 422 and b"The name does not match" in wrong.content
    assert Person.objects.filter(pk=noor["person"].pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm_name": "noor  haddou", "understood": "on"})
    assert response.status_code == 200 and b"Your data was erased" in response.content
    assert not Person.objects.filter(pk=noor["person"].pk).exists()
    after = client.get(reverse("me:home"))
    assert after.status_code == 302 and "/accounts/login/" in after["Location"]
    erased = AuditEntry.objects.get(action=Action.ERASE)
    assert erased.actor is None and "own request" in erased.note


def test_coordinator_erases_on_request(world, noor, client_for, django_capture_on_commit_callbacks):
    person = noor["person"]
    url = reverse("privacy:erase", args=[world.a.slug, person.pk])
    client = client_for(world.a.coordinator)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm_name": NAME, "understood": "on"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    listing = client.get(response["Location"]).content.decode()
    assert f"person #{person.pk}" in listing and NAME not in listing
    # the session of the resident is dead: their account is gone
    assert not User.objects.filter(username=USERNAME).exists()


def test_builders_cannot_erase(world, noor, client_for):
    url = reverse("privacy:erase", args=[world.a.slug, noor["person"].pk])
    assert (
        client_for(world.a.builder)
        .post(url, {"confirm_name": NAME, "understood": "on"})
        .status_code
        == 403
    )
    assert Person.objects.filter(pk=noor["person"].pk).exists()


def test_a_login_with_other_roles_is_kept(world, client_for):
    person = make_person(world.a.neighbourhood, "Bouwer Zelf", user=world.a.builder)
    report = erase_person(person, world.a.builder)
    assert report.account == "kept"
    world.a.builder.refresh_from_db()
    assert world.a.builder.is_active
    assert world.a.neighbourhood.memberships.filter(user=world.a.builder).exists()


def test_a_protected_record_blocks_erasure_with_a_clear_message(world, client_for, monkeypatch):
    from django.db.models import ProtectedError

    import me.erasure

    person = make_person(world.a.neighbourhood, "Kees Blok", user=world.a.resident)

    def protected(_person):
        raise ProtectedError("protected", {person})

    monkeypatch.setattr(me.erasure, "collector_for", protected)
    client = client_for(world.a.resident)
    response = client.post(
        reverse("me:erase", args=[world.a.slug]),
        {"confirm_name": "Kees Blok", "understood": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert b"This cannot be erased yet: person still point at it." in response.content
    assert Person.objects.filter(pk=person.pk).exists()


def test_erasure_makes_forms_opened_before_it_stale(world):
    """Scrubbing a name out of someone else's text moves their version on, so a form opened
    earlier cannot write the erased name back unnoticed."""
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Vermeulen")
    kees = make_person(nb, "Kees", street_wish="Moestuin samen met Ans Vermeulen")
    opened_at = Person.objects.get(pk=kees.pk).version
    erase_person(ans, world.a.coordinator)
    kees = Person.objects.get(pk=kees.pk)
    assert "Ans Vermeulen" not in kees.street_wish
    assert kees.version > opened_at

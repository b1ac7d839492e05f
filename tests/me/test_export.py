"""The resident's own export (art. 15/20): one ZIP with JSON, CSV and the photo files."""

import csv
import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEntry
from residents.models import ConsentRecord

from .everywhere import EMAIL, NAME, PHONE, USERNAME

User = get_user_model()


def _download(world, client_for):
    client = client_for(User.objects.get(username=USERNAME))
    response = client.post(reverse("me:export", args=[world.a.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_export_holds_everything_including_private_notes_and_photos(world, noor, client_for):
    archive = _download(world, client_for)
    names = archive.namelist()
    assert "everything.json" in names and "README.txt" in names
    data = json.loads(archive.read("everything.json"))
    records = data["records"]
    person = records["residents.person"][0]
    assert person["name"] == NAME and person["phone"] == PHONE and person["email"] == EMAIL
    assert person["visibility"]["name"] == "residents"
    assert [g["title"] for g in records["residents.gift"]] == ["Naaien en verstellen"]
    assert records["residents.gift"][0]["tags"] == ["naaien"]
    consent = records["residents.consentrecord"][0]
    assert consent["how"] and consent["text_version"] == "2026-1"
    conversation = records["conversations.conversation"][0]
    assert conversation["private_notes"] == f"{NAME} belt liever op {PHONE}"  # the one place
    assert records["conversations.followup"][0]["what"] == f"Mail {EMAIL}"
    assert "conversations.introduction" in records
    assert "network.connection" in records
    assert "network.initiativemember" in records
    assert "organisations.organisationmember" in records
    outcomes = records["outcomes.outcome"]
    # the outcome that names her by link, not the one that only mentions her in its story
    assert [o["id"] for o in outcomes] == [noor["outcome"].pk]
    assert all(not {"title", "story", "evidence_text"} & set(o) for o in outcomes)
    assert data["history"], "the history of changes is included"
    assert "places.place" in records
    # secrets of the app are not data about the person
    assert "secret_hash" not in json.dumps(records.get("me.invite", []))
    # the photo files themselves
    photos = [n for n in names if n.startswith("photos/")]
    assert len(photos) == 1
    assert archive.read(photos[0])[:4] in (
        b"\x89PNG",
        b"\xff\xd8\xff\xe0",
        b"\xff\xd8\xff\xdb",
        b"RIFF",
    )


def test_export_csv_files_read_back(world, noor, client_for):
    archive = _download(world, client_for)
    gifts = list(csv.DictReader(io.StringIO(archive.read("residents.gift.csv").decode())))
    assert gifts[0]["title"] == "Naaien en verstellen"
    consents = list(
        csv.DictReader(io.StringIO(archive.read("residents.consentrecord.csv").decode()))
    )
    assert consents[0]["fields"] == "name | street | phone"
    assert "history.csv" in archive.namelist()


def test_export_keeps_withdrawn_consent_in_the_history(world, noor, client_for):
    from residents.consent import withdraw

    withdraw(ConsentRecord.objects.get(person=noor["person"]))
    archive = _download(world, client_for)
    records = json.loads(archive.read("everything.json"))["records"]
    assert records["residents.consentrecord"][0]["withdrawn_at"]


def test_export_names_other_people_only_as_the_resident_may_see_them(world, noor, client_for):
    archive = _download(world, client_for)
    text = archive.read("everything.json").decode()
    # Piet shows his name to builders only: the export calls him "a neighbour"
    assert "Piet Vermeulen" not in text
    assert "a neighbour" in text


def test_export_is_only_ever_your_own(world, noor, client_for):
    response = client_for(world.a.resident).post(reverse("me:export", args=[world.a.slug]))
    assert response.status_code == 200 and b"No profile here" in response.content
    assert AuditEntry.objects.exists()


def test_every_record_that_reaches_a_person_has_a_disclosure_rule(world, noor):
    """Walk the relations (erasure's walk) from a person with data everywhere: every kind of
    record found is either shown to the person by a rule or named as not theirs, with why."""
    from me.records import collect, own_querysets
    from residents.disclosure import NOT_SUBJECT_DATA, SUBJECT_RULES

    records = collect(noor["person"])
    reached = {model._meta.label for model in (*records.owned, *records.linked)}
    assert {"conversations.followup", "network.connection"} <= {r.lower() for r in reached}
    unknown = sorted(reached - set(SUBJECT_RULES) - set(NOT_SUBJECT_DATA))
    assert unknown == [], f"give these a rule in residents.disclosure: {unknown}"
    listed = {model._meta.label for model, _queryset in own_querysets(noor["person"])}
    assert listed <= set(SUBJECT_RULES)
    assert reached & set(SUBJECT_RULES) <= listed, "a kind with a rule that the export skips"


def test_what_the_person_sees_of_each_kind_of_record_about_them(world, noor):
    """Per kind of record: the fields of ``disclosure.subject_items`` for the person it is
    about; another person only as they may see him, nothing written about anyone else."""
    from conversations.models import Conversation, Introduction, KnownRelation
    from me.export import subject_viewer
    from network.models import Connection
    from residents.disclosure import subject_items

    person = noor["person"]
    viewer = subject_viewer(person)

    def items(record):
        return {
            item.name: (item.value, item.export_only)
            for item in subject_items(record, person, viewer)
        }

    tie = items(Connection.objects.get(person=person, other_person=noor["piet"]))
    assert tie["with"] == ("a neighbour", False) and "origin_note" not in tie
    introduction = items(Introduction.objects.get(person=person))
    assert introduction["with"] == ("a neighbour", False) and "reason" not in introduction
    known = items(KnownRelation.objects.get(conversation__person=person))
    assert known["knows"] == ("a neighbour", False)
    conversation = items(Conversation.objects.get(person=person))
    assert conversation["private_notes"][1] is True  # in the export, announced on the page
    assert conversation["cares_about"] == (f"{NAME} wil een moestuin", False)
    outcome = items(noor["outcome"])
    assert not {"title", "story", "significance", "evidence_text"} & set(outcome)
    # Piet shows his name to residents: then he is named
    noor["piet"].visibility = {"name": "residents"}
    noor["piet"].save()
    tie = items(Connection.objects.get(person=person, other_person=noor["piet"]))
    assert tie["with"] == ("Piet Vermeulen", False)

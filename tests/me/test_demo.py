"""The demo: the resident's profile is claimed already, with consent on record for what it
shows; one recorded person has an open code."""

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from me.claim import REASONS
from me.demo import DEMO_CODE
from me.models import Invite, InviteKind
from residents.models import Audience, ConsentHow, ConsentRecord, Person

PASSWORD = "pw-demo-1234"


def test_demo_has_an_open_code_and_claiming_works(db, client, capsys):
    call_command("seed_demo", password=PASSWORD, people=5)
    call_command("seed_demo", password=PASSWORD, people=5)  # idempotent
    out = capsys.readouterr().out
    assert "DEMA-7KQX" in out
    assert Invite.objects.count() == 1
    invite = Invite.objects.get()
    assert invite.is_open and invite.person.user is None
    assert Person.objects.filter(neighbourhood__slug="populierenbuurt").count() == 6
    response = client.post(reverse("claim:code"), {"code": DEMO_CODE})
    assert response.status_code == 302
    claimed = client.post(
        reverse("claim:confirm"),
        {
            "username": "demo-claimer",
            "password1": "zomer-buurt-2026-x",
            "password2": "zomer-buurt-2026-x",
            "confirm": "on",
        },
    )
    assert claimed.status_code == 302
    # seeding again after the claim offers the code for another unclaimed person
    call_command("seed_demo", password=PASSWORD, people=5)
    assert Invite.objects.get(secret_hash=invite.secret_hash).person != invite.person


def test_the_demo_resident_can_claim_nothing_new(db):
    call_command("seed_demo", password=PASSWORD, people=5)
    ans = Person.objects.get(user__username="resident")
    resident = Client()
    resident.force_login(ans.user)
    # the open demo code is for someone else: one profile per neighbourhood is theirs already
    assert resident.post(reverse("claim:code"), {"code": DEMO_CODE}).status_code == 302
    taken = resident.post(reverse("claim:confirm"), {"confirm": "on"})
    assert taken.status_code == 409
    assert str(REASONS["taken"][0]) in taken.content.decode()
    demo_invite = Invite.objects.get()
    assert demo_invite.is_open and demo_invite.person.user is None
    assert list(Person.objects.filter(user__username="resident")) == [ans]
    # and their own profile, invited again, is claimed already
    _invite, token = Invite.make(ans, InviteKind.LINK, by=None)
    already = Client().get(reverse("claim:link", args=[token]), follow=True)
    assert already.status_code == 409
    assert str(REASONS["claimed"][0]) in already.content.decode()
    ans.refresh_from_db()
    assert ans.user.username == "resident"


def test_the_demo_residents_consent_covers_what_they_show_and_is_seeded_once(db):
    call_command("seed_demo", password=PASSWORD, people=5)
    call_command("seed_demo", password=PASSWORD, people=5)  # idempotent
    ans = Person.objects.get(user__username="resident")
    records = ConsentRecord.objects.filter(person=ans, withdrawn_at__isnull=True)
    assert records.count() == 3  # one per audience, as when a resident chooses online
    assert {r.how for r in records} == {ConsentHow.ONLINE}
    assert {r.recorded_by.username for r in records} == {"resident"}
    covered = {(field, r.audience) for r in records for field in r.fields}
    shown = {(f, a) for f, a in ans.visibility.items() if a != Audience.BUILDERS.value}
    assert shown and shown <= covered
    resident = Client()
    resident.force_login(ans.user)
    page = resident.get(reverse("me:consent", args=[ans.neighbourhood.slug]))
    assert page.status_code == 200 and len(page.context["rows"]) == 3
    # a consent withdrawn in the demo stays withdrawn when seeding again
    to_residents = records.get(audience=Audience.RESIDENTS)
    resident.post(
        reverse("me:consent", args=[ans.neighbourhood.slug]), {"withdraw": to_residents.pk}
    )
    call_command("seed_demo", password=PASSWORD, people=5)
    ans.refresh_from_db()
    to_residents.refresh_from_db()
    assert to_residents.withdrawn_at is not None
    assert ans.visibility["name"] == Audience.BUILDERS.value
    assert ConsentRecord.objects.filter(person=ans).count() == 3

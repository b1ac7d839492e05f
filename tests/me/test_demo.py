"""The demo: the resident's profile is claimed already; one recorded person has an open code."""

from django.core.management import call_command
from django.urls import reverse

from me.demo import DEMO_CODE
from me.models import Invite
from residents.models import Person


def test_demo_has_an_open_code_and_claiming_works(db, client, capsys):
    call_command("seed_demo", password="pw-demo-1234", people=5)
    call_command("seed_demo", password="pw-demo-1234", people=5)  # idempotent
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
    # the demo resident claims nothing new: their profile is already theirs
    assert Person.objects.get(user__username="resident").name == "Ans Jansen"
    # seeding again after the claim offers the code for another unclaimed person
    call_command("seed_demo", password="pw-demo-1234", people=5)
    assert Invite.objects.get(secret_hash=invite.secret_hash).person != invite.person

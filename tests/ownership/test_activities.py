"""The activity log: a quick form on the initiative page; bad input is refused, kept, unsaved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ownership.models import Activity
from tests.network import factories as nf

from . import factories as f


@pytest.fixture
def club(world):
    return nf.initiative(world.a.neighbourhood, "Koffieclub")


def log_url(world, initiative) -> str:
    return reverse("ownership:activities", args=[world.a.slug, initiative.pk])


def test_builder_logs_a_meeting_from_the_initiative_page(world, client_for, club):
    client = client_for(world.a.builder)
    page = client.get(club.get_absolute_url()).content.decode()
    assert f'action="{log_url(world, club)}"' in page
    assert 'inputmode="numeric"' in page
    today = timezone.localdate()
    response = client.post(
        log_url(world, club),
        {
            "held_on": today.isoformat(),
            "present": "11",
            "note": "Appeltaart",
            "next": club.get_absolute_url() + "#ownership-activity",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == club.get_absolute_url() + "#ownership-activity"
    activity = Activity.objects.get()
    assert (activity.held_on, activity.present, activity.note) == (today, 11, "Appeltaart")
    assert activity.recorded_by == world.a.builder
    page = client.get(club.get_absolute_url()).content.decode()
    assert "1 meeting logged in the last 8 weeks." in page
    assert "Appeltaart" in page


def test_residents_see_the_summary_but_not_the_notes_or_the_form(world, client_for, club):
    f.meeting(club, timezone.localdate() - datetime.timedelta(days=3), note="Notitie-voor-bouwers")
    page = client_for(world.a.resident).get(club.get_absolute_url()).content.decode()
    assert "1 meeting logged in the last 8 weeks." in page
    assert "Notitie-voor-bouwers" not in page
    assert log_url(world, club) not in page
    assert client_for(world.a.resident).get(log_url(world, club)).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"held_on": "2999-01-01", "present": "5"},
            "A meeting cannot be in the future: log it once it has happened.",
        ),
        (
            {"held_on": "2025-03-01", "present": "-3"},
            "The number of people present cannot be negative.",
        ),
        (
            {"held_on": "2025-03-01", "present": "veel"},
            "Give the number of people present as a whole number.",
        ),
        ({"held_on": "2025-03-01", "present": "900000"}, "at most 5000"),
        ({"held_on": "gisteren", "present": "4"}, "Enter a valid date."),
        ({}, "This field is required."),
    ],
)
def test_bad_meetings_are_refused_and_what_was_typed_stays(world, client_for, club, data, message):
    data = {**data, "note": "Mijn notitie blijft"}
    response = client_for(world.a.builder).post(log_url(world, club), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert message in page
    assert "Mijn notitie blijft" in page
    assert not Activity.objects.exists()


def test_the_log_pages_and_deletes(world, client_for, club):
    f.meetings(club, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    client = client_for(world.a.builder)
    page = client.get(log_url(world, club)).content.decode()
    assert "Page 1 of 3" in page
    activity = Activity.objects.order_by("-held_on").first()
    delete = reverse("ownership:activity_delete", args=[world.a.slug, club.pk, activity.pk])
    assert client.post(delete).status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    # Another neighbourhood's builder cannot reach it.
    other = Activity.objects.first()
    delete = reverse("ownership:activity_delete", args=[world.b.slug, club.pk, other.pk])
    assert client_for(world.b.builder).post(delete).status_code == 404
    assert Activity.objects.filter(pk=other.pk).exists()

"""E-mail digests of follow-ups: content per builder, schedule, once a day, queued by a command."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conversations import digest
from conversations.models import DigestFrequency, DigestSetting
from neighbourhoods.models import Membership, Role

from .factories import make_conversation, make_finished, make_follow_up, make_person

TODAY = timezone.localdate()


def _subscribe(user, frequency=DigestFrequency.DAILY, language="en", **extra):
    return DigestSetting.objects.create(user=user, frequency=frequency, language=language, **extra)


def _mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


@pytest.fixture
def due(world):
    """Follow-ups of builder A: one overdue, one due today, one next week, one done, one in a
    draft; and one of builder B (elsewhere) due today."""
    a = world.a
    conversation = make_finished(a.neighbourhood, a.builder, make_person(a.neighbourhood, "Gerda"))
    make_follow_up(conversation, a.builder, "Overdue call", days=-3)
    make_follow_up(conversation, a.builder, "Today's visit", days=0)
    make_follow_up(conversation, a.builder, "Next week", days=5)
    make_follow_up(conversation, a.builder, "Done already", days=-1, done_at=timezone.now())
    make_follow_up(conversation, a.coordinator, "Someone else's", days=0)
    draft = make_conversation(a.neighbourhood, a.builder)
    make_follow_up(draft, a.builder, "In a draft", days=0)
    other = make_finished(world.b.neighbourhood, world.b.builder)
    make_follow_up(other, world.b.builder, "Elsewhere", days=0)
    for user in (a.builder, world.b.builder, a.coordinator):
        user.email = f"{user.username}@example.org"
        user.save()
    return world


def test_a_daily_digest_lists_what_is_due_and_overdue_for_that_builder(due):
    _subscribe(due.a.builder)
    assert digest.send_due_digests(TODAY) == 1
    [message] = _mails_to(due.a.builder)
    assert "2 follow-ups to do (1 overdue)" in message.subject
    assert "Overdue call" in message.body and "Today's visit" in message.body
    assert "Gerda" in message.body
    for absent in ("Next week", "Done already", "Someone else's", "In a draft", "Elsewhere"):
        assert absent not in message.body
    slug = due.a.neighbourhood.slug
    assert reverse("conversations:follow_ups", args=[slug]) in message.body


def test_a_weekly_digest_comes_on_the_chosen_day_with_the_week_ahead(due):
    setting = _subscribe(due.a.builder, DigestFrequency.WEEKLY, weekday=TODAY.weekday())
    other_day = TODAY + datetime.timedelta(days=1)
    assert not setting.is_due(other_day)
    assert digest.send_due_digests(TODAY) == 1
    [message] = _mails_to(due.a.builder)
    assert "Next week" in message.body and "Overdue call" in message.body
    setting.refresh_from_db()
    assert not setting.is_due(TODAY + datetime.timedelta(days=3))
    assert setting.is_due(TODAY + datetime.timedelta(days=7))


def test_never_twice_a_day(due):
    _subscribe(due.a.builder)
    assert digest.send_due_digests(TODAY) == 1
    assert digest.send_due_digests(TODAY) == 0
    call_command("send_digests")  # the queued task (immediate backend in tests) finds it sent
    assert len(_mails_to(due.a.builder)) == 1
    assert DigestSetting.objects.get(user=due.a.builder).last_sent_on == TODAY
    # the next day it comes again
    assert digest.send_due_digests(TODAY + datetime.timedelta(days=1)) == 1


def test_no_mail_for_someone_with_nothing_due_or_who_chose_none(due):
    due.stranger.email = "stranger@example.org"
    due.stranger.save()
    _subscribe(due.stranger)  # nothing assigned to them
    _subscribe(due.a.coordinator, DigestFrequency.OFF)  # has one due, but chose no reminders
    assert digest.send_due_digests(TODAY) == 0
    assert mail.outbox == []
    assert DigestSetting.objects.get(user=due.stranger).last_sent_on is None


def test_only_follow_ups_of_neighbourhoods_where_they_are_still_on_the_team(due):
    _subscribe(due.a.builder)
    Membership.objects.filter(user=due.a.builder, neighbourhood=due.a.neighbourhood).update(
        role=Role.RESIDENT
    )
    assert digest.send_due_digests(TODAY) == 0
    assert mail.outbox == []


def test_the_digest_is_in_the_builders_language(due):
    _subscribe(due.a.builder, language="nl")
    digest.send_due_digests(TODAY)
    [message] = _mails_to(due.a.builder)
    assert "vervolgacties" in message.subject
    assert "te laat" in message.body


def test_the_command_queues_the_task_and_it_sends(due):
    _subscribe(due.a.builder)
    call_command("send_digests")
    assert len(_mails_to(due.a.builder)) == 1


def test_a_builder_chooses_reminders_and_the_language_comes_along(world, client_for):
    client = client_for(world.a.builder, language="nl")
    url = reverse("conversations:reminders", args=[world.a.neighbourhood.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"frequency": "weekly", "weekday": "4"})
    assert response.status_code == 302
    setting = DigestSetting.objects.get(user=world.a.builder)
    assert (setting.frequency, setting.weekday, setting.language) == ("weekly", 4, "nl")
    refused = client.post(url, {"frequency": "hourly", "weekday": "4"})
    assert refused.status_code == 422


def test_reminders_are_off_until_chosen(world):
    assert not DigestSetting.objects.exclude(frequency=DigestFrequency.OFF).exists()

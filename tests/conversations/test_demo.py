from django.core.management import call_command

from conversations.models import Conversation, FollowUp, Introduction
from neighbourhoods.models import Neighbourhood
from network.models import Connection, Origin


def test_demo_conversations_are_seeded_once(db):
    call_command("seed_demo", password="pw-demo-1234", people=60)
    first, second = Neighbourhood.objects.order_by("pk")[:2]
    finished = Conversation.objects.in_neighbourhood(first).finished()
    assert finished.count() == 60
    assert Conversation.objects.in_neighbourhood(first).drafts().count() == 4
    assert 0 < Conversation.objects.in_neighbourhood(second).count() < 60
    assert Introduction.objects.filter(status="introduced").exists()
    assert Introduction.objects.filter(status="open").exists()
    assert (
        FollowUp.objects.open().exists() and FollowUp.objects.filter(done_at__isnull=False).exists()
    )
    assert Connection.objects.filter(origin=Origin.INTRODUCED).exists()
    assert Connection.objects.filter(origin=Origin.KNEW).exists()
    span = finished.order_by("held_on").first().held_on, finished.order_by("held_on").last().held_on
    assert (span[1] - span[0]).days > 300

    def counts():
        ours = Connection.objects.filter(origin_note__contains="conversation")
        return (Conversation.objects.count(), ours.count(), FollowUp.objects.count())

    before = counts()
    call_command("seed_demo", password="pw-demo-1234", people=60)
    assert counts() == before

"""The dashboard panel and the person page timeline."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from conversations import services
from conversations.models import Conversation, Status
from neighbourhoods.models import Role
from tests.factories import make_member

from .factories import (
    make_conversation,
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_known,
    make_person,
)


def test_dashboard_panel_for_builders(world, client_for):
    nb = world.a.neighbourhood
    today = timezone.localdate()
    this_month = make_finished(nb, world.a.builder, held_on=today.replace(day=1))
    make_finished(nb, world.a.builder, held_on=today.replace(day=1) - datetime.timedelta(days=1))
    make_follow_up(this_month, world.a.builder)
    make_follow_up(this_month, world.a.coordinator)
    made = make_introduction(this_month, to_person=make_person(nb))
    make_introduction(this_month, to_person=make_person(nb))
    services.mark_introduced(made.pk, world.a.builder)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    response = client_for(world.a.builder).get(url)
    content = response.content.decode()
    assert _figures(content) == {
        "Conversations this month": 1,
        "Open follow-ups": 2,
        "Introductions made": 1,
    }
    assert "1 follow-up for me" in content and "overdue" not in content
    assert "1 introduction still to make" in content
    resident_page = client_for(world.a.resident).get(url).content.decode()
    assert "Conversations this month" not in resident_page


def _figures(page: str) -> dict[str, int]:
    """The conversations panel's figures as the dashboard shows them."""
    panel = page.split('id="conversations-panel-heading"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", panel)
    return {label: int(number) for label, number in found}


def _next_steps(page: str) -> str:
    return page.split('id="next-panel-heading"', 1)[1].split("</section>", 1)[0]


def test_builders_panels_are_kept_and_show_new_work_at_once(world, client_for):
    """The two builders' panels are kept per builder and day under the work version (issue
    #19): a new follow-up or draft shows at once on the dashboard already cached, for its
    builder only; that work leaves the data version (and with it every cached list) as is."""
    nb = world.a.neighbourhood
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    fatima, kees = make_person(nb, "Fatima"), make_person(nb, "Kees")
    conversation = make_finished(nb, world.a.builder, fatima)
    builder = client_for(world.a.builder)
    other = client_for(make_member(nb, Role.BUILDER))
    for client in (builder, other):
        page = client.get(url).content.decode()
        assert _figures(page)["Open follow-ups"] == 0
        assert "Nothing due" in _next_steps(page)
    nb.refresh_from_db()
    versions = (nb.data_version, nb.work_version)

    make_follow_up(conversation, world.a.builder, "Folder brengen", days=1)
    make_conversation(nb, world.a.builder, kees)  # a draft
    mine = builder.get(url).content.decode()
    assert _figures(mine)["Open follow-ups"] == 1
    assert "Folder brengen" in _next_steps(mine) and "With Kees" in _next_steps(mine)
    theirs = other.get(url).content.decode()
    assert _figures(theirs)["Open follow-ups"] == 1
    assert "Folder brengen" not in _next_steps(theirs) and "Kees" not in _next_steps(theirs)

    draft = Conversation.objects.get(person=kees)
    draft.private_notes = "autosaved words"
    draft.save()
    nb.refresh_from_db()
    assert (nb.data_version, nb.work_version) == (versions[0], versions[1] + 3)


def test_person_page_shows_the_timeline_and_a_start_button(world, client_for):
    nb = world.a.neighbourhood
    person = make_person(nb, "Fatima")
    conversation = make_conversation(nb, world.a.builder, person, cares_about="De speeltuin")
    make_draft_gift(conversation, "Fietsen repareren")
    make_known(conversation, other=make_person(nb, "Kees"))
    make_introduction(conversation, to_person=make_person(nb, "Ans"))
    make_follow_up(conversation, world.a.builder, "Folder brengen")
    services.finish(conversation.pk, world.a.builder)
    url = reverse("residents:person", args=[world.a.slug, person.pk])
    content = client_for(world.a.builder).get(url).content.decode()
    for text in (
        "Start a conversation",
        "De speeltuin",
        "Fietsen repareren",
        "Kees",
        "Ans",
        "Folder brengen",
    ):
        assert text in content, text
    assert reverse("conversations:new", args=[world.a.slug]) in content


def test_residents_do_not_get_the_timeline(world, client_for):
    nb = world.a.neighbourhood
    person = make_person(
        nb, "Open", visibility=dict.fromkeys(["name", "street", "gifts"], "residents")
    )
    make_finished(nb, world.a.builder, person, cares_about="builders-only timeline")
    url = reverse("residents:person", args=[world.a.slug, person.pk])
    response = client_for(world.a.resident).get(url)
    assert response.status_code in (200, 404)
    assert "builders-only timeline" not in response.content.decode()
    assert "Start a conversation" not in response.content.decode()


def test_navigation_link_for_builders_only(world, client_for):
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    link = reverse("conversations:list", args=[world.a.slug])
    assert link in client_for(world.a.builder).get(url).content.decode()
    assert link not in client_for(world.a.resident).get(url).content.decode()


def test_a_finished_conversation_is_data_and_a_draft_is_work(world):
    """Figures, coverage and reports count finished conversations: finishing one (even with
    nothing but words) and deleting one move the data version; a draft moves only the work."""
    nb = world.a.neighbourhood
    draft = make_conversation(nb, world.a.builder, make_person(nb, "Fatima"))

    def versions():
        nb.refresh_from_db()
        return nb.data_version, nb.work_version

    data, work = versions()
    draft.cares_about = "De speeltuin"
    draft.save()
    assert versions() == (data, work + 1)
    services.finish(draft.pk, by=world.a.builder)
    assert versions()[0] > data
    data, _work = versions()
    Conversation.objects.get(pk=draft.pk).delete()
    assert versions()[0] > data
    assert Conversation.objects.filter(pk=draft.pk, status=Status.FINISHED).count() == 0

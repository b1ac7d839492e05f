"""Quick-add items of a draft: gifts with tags, relations, introductions, follow-ups."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conversations.models import DraftGift, FollowUp, Introduction, KnownRelation
from organisations.models import Organisation
from residents.models import Tag

from .factories import make_conversation, make_draft_gift, make_person

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(world):
    person = make_person(world.a.neighbourhood, "Fatima")
    return make_conversation(world.a.neighbourhood, world.a.builder, person)


def url(name, conversation, *extra):
    return reverse(
        f"conversations:{name}", args=[conversation.neighbourhood.slug, conversation.pk, *extra]
    )


def test_add_a_gift_with_suggested_and_new_tags(world, client_for, draft):
    Tag.objects.get_or_create(neighbourhood=world.a.neighbourhood, normalised="fietsen")
    response = client_for(world.a.builder).post(
        url("gift_add", draft),
        {
            "kind": "hands",
            "title": "  fietsen   repareren ",
            "tags": ["Fietsen"],
            "new_tags": "repair, Fietsen",
            "share": "on",
            "client_token": "t1",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert 'id="gifts"' in response.content.decode()
    gift = DraftGift.objects.get()
    assert (gift.kind, gift.title, gift.tags, gift.share, gift.learn) == (
        "hands",
        "fietsen repareren",
        "Fietsen, repair",
        True,
        False,
    )


def test_a_resent_add_is_not_doubled(world, client_for, draft):
    client = client_for(world.a.builder)
    data = {"kind": "head", "title": "EHBO", "client_token": "same-token"}
    client.post(url("gift_add", draft), data, headers=HX)
    client.post(url("gift_add", draft), data, headers=HX)
    assert DraftGift.objects.count() == 1


def test_gift_without_kind_or_title_keeps_the_input(world, client_for, draft):
    response = client_for(world.a.builder).post(
        url("gift_add", draft), {"title": "Koken", "new_tags": "eten"}, headers=HX
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "Choose head, hands or heart." in content
    assert 'value="Koken"' in content and 'value="eten"' in content
    assert not DraftGift.objects.exists()


def test_tag_suggestions_come_from_the_neighbourhoods_vocabulary(world, client_for, draft):
    Tag.objects.create(neighbourhood=world.a.neighbourhood, name="Tuinieren")
    Tag.objects.get_or_create(
        neighbourhood=world.a.neighbourhood, normalised="koken", defaults={"name": "Koken"}
    )
    Tag.objects.create(neighbourhood=world.b.neighbourhood, name="Tuinbouw")
    response = client_for(world.a.builder).get(
        url("tag_suggestions", draft), {"title": "tuin aanleggen", "tags": ["Koken"]}, headers=HX
    )
    content = response.content.decode()
    assert 'value="Tuinieren"' in content
    assert 'value="Koken" checked' in content  # what was ticked stays ticked
    assert "Tuinbouw" not in content


def test_search_finds_people_and_organisations_of_this_neighbourhood_only(world, client_for, draft):
    make_person(world.a.neighbourhood, "Ans de Groot")
    make_person(world.b.neighbourhood, "Ans Elders")
    Organisation.objects.create(
        neighbourhood=world.a.neighbourhood, name="Anslo Club", kind="informal"
    )
    response = client_for(world.a.builder).get(
        url("search", draft), {"q": "ans", "purpose": "known"}, headers=HX
    )
    content = response.content.decode()
    assert "Knows Ans de Groot" in content and "Knows Anslo Club" in content
    assert "Elders" not in content
    assert "Fatima" not in content  # not the person themselves


def test_add_and_remove_a_known_relation(world, client_for, draft):
    other = make_person(world.a.neighbourhood, "Kees")
    client = client_for(world.a.builder)
    client.post(url("known_add", draft), {"person": other.pk}, headers=HX)
    client.post(url("known_add", draft), {"person": other.pk}, headers=HX)  # twice: once
    relation = KnownRelation.objects.get()
    assert relation.other_person == other
    response = client.post(url("known_remove", draft, relation.pk), headers=HX)
    assert response.status_code == 200
    assert not KnownRelation.objects.exists()
    # removing again (from another device) is fine
    assert client.post(url("known_remove", draft, relation.pk), headers=HX).status_code == 200


def test_known_relation_with_oneself_is_refused(world, client_for, draft):
    response = client_for(world.a.builder).post(
        url("known_add", draft), {"person": draft.person.pk}, headers=HX
    )
    assert response.status_code == 422
    assert "cannot be linked to themselves" in response.content.decode()


def test_introduction_to_someone_of_another_neighbourhood_is_refused(world, client_for, draft):
    elsewhere = make_person(world.b.neighbourhood, "Elders")
    org = Organisation.objects.create(
        neighbourhood=world.b.neighbourhood, name="B club", kind="informal"
    )
    client = client_for(world.a.builder)
    for data in ({"person": elsewhere.pk}, {"organisation": org.pk}):
        response = client.post(url("introduction_add", draft), {**data, "reason": "x"}, headers=HX)
        assert response.status_code == 422
        assert "not in this neighbourhood" in response.content.decode()
    assert not Introduction.objects.exists()
    # and without JavaScript: the whole page with the message, draft intact
    response = client.post(url("introduction_add", draft), {"person": elsewhere.pk})
    assert response.status_code == 422
    assert "not in this neighbourhood" in response.content.decode()


def test_propose_an_introduction_with_a_reason(world, client_for, draft):
    other = make_person(world.a.neighbourhood, "Kees")
    client_for(world.a.builder).post(
        url("introduction_add", draft),
        {"person": other.pk, "reason": "allebei tuinieren"},
        headers=HX,
    )
    introduction = Introduction.objects.get()
    assert (introduction.person, introduction.to_person, introduction.reason) == (
        draft.person,
        other,
        "allebei tuinieren",
    )
    assert introduction.status == "open" and introduction.proposed_by == world.a.builder


def test_follow_up_for_a_team_member(world, client_for, draft):
    due = timezone.localdate() + datetime.timedelta(days=3)
    response = client_for(world.a.builder).post(
        url("follow_up_add", draft),
        {"what": "Folder brengen", "assignee": world.a.coordinator.pk, "due_on": due.isoformat()},
        headers=HX,
    )
    assert response.status_code == 200
    follow_up = FollowUp.objects.get()
    assert (follow_up.what, follow_up.assignee, follow_up.due_on) == (
        "Folder brengen",
        world.a.coordinator,
        due,
    )


def test_follow_up_due_in_the_past_is_refused_and_the_input_kept(world, client_for, draft):
    past = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(world.a.builder).post(
        url("follow_up_add", draft),
        {"what": "Terugbellen", "assignee": world.a.builder.pk, "due_on": past.isoformat()},
        headers=HX,
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "is in the past" in content
    assert 'value="Terugbellen"' in content
    assert not FollowUp.objects.exists()


def test_follow_up_for_a_resident_or_an_outsider_is_refused(world, client_for, draft):
    due = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = client_for(world.a.builder)
    for user in (world.a.resident, world.b.builder):
        response = client.post(
            url("follow_up_add", draft),
            {"what": "Bellen", "assignee": user.pk, "due_on": due},
            headers=HX,
        )
        assert response.status_code == 422
        assert "neighbourhood team" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_items_cannot_change_once_finished(world, client_for, draft):
    gift = make_draft_gift(draft)
    draft.status = "finished"
    draft.save()
    client = client_for(world.a.builder)
    response = client.post(url("gift_add", draft), {"kind": "head", "title": "x"}, headers=HX)
    assert response.status_code == 409
    assert client.post(url("gift_remove", draft, gift.pk), headers=HX).status_code == 409
    assert DraftGift.objects.count() == 1


def test_search_page_works_without_javascript(world, client_for, draft):
    make_person(world.a.neighbourhood, "Kees")
    response = client_for(world.a.builder).get(
        url("search", draft), {"q": "kee", "purpose": "introduce"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Should meet Kees" in content and "Back to the conversation" in content


def test_an_added_gift_is_announced_and_marked_for_focus(world, client_for, draft):
    """static/js/a11y.js reads the HX-Trigger message out and puts focus on data-focus."""
    client = client_for(world.a.builder, "nl")
    response = client.post(
        url("gift_add", draft), {"kind": "hands", "title": "Taarten bakken"}, headers=HX
    )
    assert json.loads(response["HX-Trigger"]) == {
        "announce": {"message": "Gave toegevoegd: Taarten bakken"}
    }
    gift = DraftGift.objects.get()
    marked = re.findall(
        r"<li[^>]*data-focus[^>]*>\s*<span[^>]*>[^<]*</span>\s*<strong>([^<]*)",
        response.content.decode(),
    )
    assert marked == ["Taarten bakken"]
    response = client.post(url("gift_remove", draft, gift.pk), headers=HX)
    assert json.loads(response["HX-Trigger"])["announce"]["message"] == "Verwijderd: Taarten bakken"
    assert "data-focus" not in response.content.decode()


def test_a_refused_gift_is_not_announced(world, client_for, draft):
    response = client_for(world.a.builder).post(url("gift_add", draft), {"title": ""}, headers=HX)
    assert response.status_code == 422
    assert "HX-Trigger" not in response

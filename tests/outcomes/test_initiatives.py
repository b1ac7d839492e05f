"""Initiatives and conversations in contribution chains, panels, reports and the public page."""

import datetime

from django.test import RequestFactory
from django.urls import reverse

from network.models import InitiativeMember
from outcomes.chain import chain_text
from outcomes.models import StepKind
from outcomes.names import ReportAudience, reader_for
from outcomes.panels import initiative_panel
from residents.models import Audience

from ..conversations.factories import make_conversation, make_finished
from ..residents.factories import make_gift, make_person
from .factories import add_step, make_initiative, make_outcome, publish


def test_chain_with_gift_initiative_and_conversation(world):
    nb = world.a.neighbourhood
    ans = make_person(nb, "Ans Visser", shown=Audience.PUBLIC)
    jansen = make_person(nb, "Mr Jansen", shown=Audience.BUILDERS)
    outcome = make_outcome(nb, "Mr Jansen eats with others", quantity=28, unit="care visits saved")
    add_step(
        outcome,
        StepKind.CONVERSATION,
        make_finished(nb, world.a.builder, jansen, held_on=datetime.date(2025, 1, 9)),
    )
    add_step(outcome, StepKind.GIFT, make_gift(ans, "cooking"))
    add_step(outcome, StepKind.NOTE, note="introduced to the coffee club")
    add_step(outcome, StepKind.INITIATIVE, make_initiative(nb, "Coffee club"))
    builder = world.a.membership(world.a.builder)
    assert chain_text(outcome, builder) == (
        "a kitchen-table conversation with Mr Jansen (Jan. 9, 2025) → Ans Visser's gift "
        "(cooking) → introduced to the coffee club → Coffee club → outcome: Mr Jansen eats "
        "with others; 28 care visits saved"
    )
    partners = chain_text(outcome, reader_for(nb, ReportAudience.PARTNERS), title="Summary")
    assert partners.startswith("a kitchen-table conversation with a resident (Jan. 9, 2025) →")


def test_builder_links_an_initiative_and_only_readable_conversations(world, client_for):
    nb = world.a.neighbourhood
    club = make_initiative(nb, "Coffee club")
    make_initiative(world.b.neighbourhood, "Coffee club elsewhere")
    person = make_person(nb, "Kees Koffie")
    mine = make_conversation(nb, world.a.builder, person)
    other_builder = world.a.coordinator
    theirs = make_conversation(nb, other_builder, person)  # someone else's draft
    outcome = make_outcome(nb)
    client = client_for(world.a.builder)
    page = client.get(outcome.get_absolute_url(), {"kind": "initiative", "find": "coffee"})
    body = page.content.decode()
    assert f'value="{club.pk}"' in body and "Coffee club elsewhere" not in body
    page = client.get(outcome.get_absolute_url(), {"kind": "conversation", "find": "Kees"})
    body = page.content.decode()
    assert f'value="{mine.pk}"' in body and f'value="{theirs.pk}"' not in body
    url = reverse("outcomes:step_add", args=[world.a.slug, outcome.pk])
    assert client.post(url, {"kind": "conversation", "target": theirs.pk}).status_code == 422
    assert client.post(url, {"kind": "initiative", "target": club.pk}).status_code == 302
    assert outcome.contributions.get().initiative == club


def test_initiative_panel_and_filter_show_the_outcomes_it_contributed_to(world, client_for):
    nb = world.a.neighbourhood
    club = make_initiative(nb, "Coffee club")
    outcome = make_outcome(nb, "Lonely evenings are fewer")
    add_step(outcome, StepKind.INITIATIVE, club)
    make_outcome(nb, "Unrelated wadi")
    request = RequestFactory().get("/")
    request.membership = world.a.membership(world.a.builder)
    request.neighbourhood = nb
    panel = initiative_panel(request, initiative=club)
    assert [item["outcome"] for item in panel["outcomes"]] == [outcome]
    assert panel["list_url"].endswith(f"?initiative={club.pk}")
    request.membership = world.a.membership(world.a.resident)
    assert initiative_panel(request, initiative=club) is None
    listing = (
        client_for(world.a.builder)
        .get(reverse("outcomes:list", args=[world.a.slug]), {"initiative": club.pk})
        .content.decode()
    )
    assert "Lonely evenings are fewer" in listing and "Unrelated wadi" not in listing


def test_report_lists_initiatives_with_initiators_per_audience(world, client_for):
    nb = world.a.neighbourhood
    club = make_initiative(nb, "Coffee club", started_on=datetime.date(2025, 1, 6), public=True)
    public = make_person(nb, "Ans Openname", shown=Audience.PUBLIC)
    hidden = make_person(nb, "Henk Hiddenname", shown=Audience.BUILDERS)
    for person in (public, hidden):
        InitiativeMember.objects.create(
            initiative=club, person=person, initiator=True, joined=datetime.date(2025, 1, 6)
        )
    InitiativeMember.objects.create(
        initiative=club,
        person=make_person(nb),
        joined=datetime.date(2025, 2, 1),
        left=datetime.date(2025, 3, 1),
    )
    url = reverse("outcomes:report", args=[world.a.slug])
    period = {"from": "2025-01-01", "to": "2025-12-31"}
    partners = client_for(world.a.coordinator).get(url, {**period, "audience": "partners"})
    body = partners.content.decode()
    assert "Coffee club" in body
    assert "Started by Ans Openname, a resident; since January 2025; 2 members" in body
    assert "Hiddenname" not in body
    internal = client_for(world.a.coordinator).get(url, {**period, "audience": "internal"})
    assert "Henk Hiddenname" in internal.content.decode()


def test_public_page_shows_only_public_initiatives_without_members(world, client_for):
    nb = world.a.neighbourhood
    shown = make_initiative(nb, "Repair café", public=True, description="Every first Saturday.")
    InitiativeMember.objects.create(
        initiative=shown,
        person=make_person(nb, "Memb Ermarker", shown=Audience.PUBLIC),
        joined=datetime.date(2025, 1, 1),
    )
    make_initiative(nb, "Secret circle", public=False)
    publish(nb)
    body = client_for(None).get(reverse("publication:page", args=[world.a.slug])).content.decode()
    assert "Repair café" in body and "Every first Saturday." in body
    assert "Secret circle" not in body and "Ermarker" not in body


def test_initiative_page_lists_the_outcomes_it_contributed_to(world, client_for):
    nb = world.a.neighbourhood
    club = make_initiative(nb, "Coffee club")
    add_step(make_outcome(nb, "Lonely evenings are fewer"), StepKind.INITIATIVE, club)
    page = client_for(world.a.builder).get(club.get_absolute_url()).content.decode()
    assert "Outcomes this initiative contributed to" in page
    assert "Lonely evenings are fewer" in page

"""Reflections: builders write them, coordinators see the balance; residents never see them."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conversations.models import Conversation
from neighbourhoods.models import Role
from ownership.models import Reflection, ReflectionKind
from ownership.reflections import balance, month_starts
from tests.access_table import KWARGS, populate
from tests.conversations.factories import (
    make_conversation,
    make_finished,
    make_introduction,
    make_person,
)
from tests.factories import make_member
from tests.network import factories as nf
from tests.urlwalk import scoped_routes

from . import factories as f

MARKER = "Reflectiezin-die-bewoners-nooit-zien"


def new_url(world) -> str:
    return reverse("ownership:reflection_new", args=[world.a.slug])


def test_builder_reflects_on_a_conversation_an_introduction_and_an_initiative(world, client_for):
    nb = world.a.neighbourhood
    conversation = make_finished(nb, world.a.builder, make_person(nb, "Fatima"))
    introduction = make_introduction(conversation, to_person=make_person(nb, "Ans"))
    initiative = nf.initiative(nb, "Koffieclub")
    client = client_for(world.a.builder)
    page = client.get(new_url(world)).content.decode()
    assert "Conversation with Fatima" in page and "Fatima → Ans" in page and "Koffieclub" in page
    for subject, kind in [
        (f"conversation:{conversation.pk}", "strengthening"),
        (f"introduction:{introduction.pk}", "neutral"),
        (f"initiative:{initiative.pk}", "harmful"),
    ]:
        response = client.post(new_url(world), {"subject": subject, "kind": kind, "why": "Omdat."})
        assert response.status_code == 302
    reflections = Reflection.objects.order_by("pk")
    assert [r.subject for r in reflections] == [conversation, introduction, initiative]
    assert {r.author for r in reflections} == {world.a.builder}
    assert [r.kind for r in reflections] == ["strengthening", "neutral", "harmful"]


def test_quick_reflection_from_the_initiative_page_returns_there(world, client_for):
    initiative = nf.initiative(world.a.neighbourhood, "Koffieclub")
    client = client_for(world.a.builder)
    page = client.get(initiative.get_absolute_url()).content.decode()
    assert f'name="subject" value="initiative:{initiative.pk}"' in page
    back = initiative.get_absolute_url() + "#ownership-reflections"
    response = client.post(
        new_url(world),
        {
            "subject": f"initiative:{initiative.pk}",
            "kind": "strengthening",
            "why": MARKER,
            "next": back,
        },
    )
    assert response.status_code == 302 and response["Location"] == back
    assert MARKER in client.get(initiative.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "strengthening", "why": "Omdat."}, "Choose what this reflection is about."),
        (
            {"subject": "initiative:OTHER", "kind": "strengthening", "why": "Omdat."},
            "Choose a conversation, introduction or initiative of this neighbourhood.",
        ),
        (
            {"subject": "initiative:HERE", "kind": "great", "why": "Omdat."},
            "Choose strengthening, harmful or neutral.",
        ),
        ({"subject": "initiative:HERE", "kind": "neutral", "why": ""}, "Say why, in a sentence."),
        (
            {"subject": "initiative:HERE", "kind": "neutral", "why": "x" * 301},
            "at most 300 characters",
        ),
    ],
)
def test_bad_reflections_are_refused(world, client_for, data, message):
    here = nf.initiative(world.a.neighbourhood, "Hier")
    other = nf.initiative(world.b.neighbourhood, "Elders")
    data = {
        k: v.replace("OTHER", str(other.pk)).replace("HERE", str(here.pk)) for k, v in data.items()
    }
    response = client_for(world.a.builder).post(new_url(world), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Reflection.objects.exists()


@pytest.mark.parametrize("subject", ["initiative:" + "9" * 25, "initiative:²", "initiative:-1"])
def test_a_subject_that_cannot_be_an_id_is_refused(world, client_for, subject):
    """Also when it comes in the query (?subject=, from a subject's page): no crash."""
    client = client_for(world.a.builder)
    assert client.get(new_url(world), {"subject": subject}).status_code == 200
    data = {"subject": subject, "kind": "neutral", "why": "Omdat."}
    response = client.post(new_url(world), data)
    assert response.status_code == 422
    assert "Choose a conversation, introduction or initiative of this neighbourhood." in (
        response.content.decode()
    )
    assert not Reflection.objects.exists()


def test_another_builders_draft_conversation_cannot_be_reflected_on(world, client_for):
    nb = world.a.neighbourhood
    other_builder = make_member(nb, Role.BUILDER, "builder_a2")
    draft = Conversation.objects.create(
        neighbourhood=nb, person=make_person(nb), builder=other_builder
    )
    response = client_for(world.a.builder).post(
        new_url(world), {"subject": f"conversation:{draft.pk}", "kind": "neutral", "why": "x"}
    )
    assert response.status_code == 422
    assert not Reflection.objects.exists()


def test_coordinator_sees_everyone_builders_see_their_own(world, client_for):
    nb = world.a.neighbourhood
    initiative = nf.initiative(nb, "Koffieclub")
    other = make_member(nb, Role.BUILDER, "builder_a2")
    other.first_name, other.last_name = "Sanne", "Collega"
    other.save()
    f.reflection(nb, world.a.builder, "Eigen zin van bouwer A", initiative=initiative)
    f.reflection(nb, other, "Zin van de collega", ReflectionKind.HARMFUL, initiative=initiative)
    url = reverse("ownership:reflections", args=[world.a.slug])
    page = client_for(world.a.coordinator).get(url).content.decode()
    assert "Eigen zin van bouwer A" in page and "Zin van de collega" in page
    assert "Sanne Collega" in page and "builder_a" in page  # a row per builder
    page = client_for(world.a.builder).get(url).content.decode()
    assert "Eigen zin van bouwer A" in page and "Zin van de collega" not in page
    # Kind filter, also as an HTMX fragment.
    response = client_for(world.a.coordinator).get(
        url + "?kind=harmful", headers={"HX-Request": "true"}
    )
    fragment = response.content.decode()
    assert "Zin van de collega" in fragment and "Eigen zin van bouwer A" not in fragment
    assert "<html" not in fragment
    # Only the author or a coordinator removes a reflection.
    theirs = Reflection.objects.get(why="Zin van de collega")
    delete = reverse("ownership:reflection_delete", args=[world.a.slug, theirs.pk])
    assert client_for(world.a.builder).post(delete).status_code == 403
    assert client_for(world.a.coordinator).post(delete).status_code == 302
    assert not Reflection.objects.filter(pk=theirs.pk).exists()


def test_balance_per_builder_and_month(world):
    nb = world.a.neighbourhood
    initiative = nf.initiative(nb, "Koffieclub")
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    for kind, day in [
        ("strengthening", this_month),
        ("strengthening", this_month),
        ("harmful", last_month),
        ("neutral", last_month),
        ("neutral", last_month - datetime.timedelta(days=400)),  # outside the months
    ]:
        f.reflection(nb, world.a.builder, kind=kind, initiative=initiative, written_on=day)
    f.reflection(
        nb, world.a.coordinator, kind="harmful", initiative=initiative, written_on=this_month
    )
    result = balance(Reflection.objects.in_neighbourhood(nb), month_starts(today, 2))
    assert result.months == [last_month, this_month]
    rows = {row.name: row for row in result.rows}
    builder = rows["builder_a"]
    assert [(t.strengthening, t.harmful, t.neutral) for t in builder.months] == [
        (0, 1, 1),
        (2, 0, 0),
    ]
    assert (builder.total.strengthening, builder.total.harmful, builder.total.neutral) == (2, 1, 1)
    assert rows["coordinator_a"].total.harmful == 1
    assert (result.total.strengthening, result.total.harmful, result.total.neutral) == (2, 2, 1)
    assert [t.total for t in result.month_totals] == [2, 3]


def test_residents_never_see_a_reflection_anywhere(world, client_for):
    """Every page and fragment under /n/<slug>/ and /me/ a resident may open: no sentence.

    The same pages for a builder do show it, so the test can fail."""
    populate(world)
    side = world.a
    nb = side.neighbourhood
    f.reflection(nb, side.builder, MARKER + "-initiative", initiative=side.objects["nw_initiative"])
    f.reflection(
        nb, side.builder, MARKER + "-conversation", conversation=side.objects["conv_conversation"]
    )
    f.reflection(
        nb, side.builder, MARKER + "-introduction", introduction=side.objects["conv_introduction"]
    )
    resident: Client = client_for(side.resident)
    builder: Client = client_for(side.builder)
    seen_by_builder = set()
    checked = 0
    for route in scoped_routes():
        kwargs = {key: side.slug if key == "slug" else KWARGS[key](side) for key in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        for headers in ({}, {"HX-Request": "true"}):
            response = resident.get(url, headers=headers)
            body = _body(response)
            assert MARKER not in body, f"{url} shows a reflection to a resident"
            if response.status_code == 200:
                checked += 1
        if MARKER in _body(builder.get(url)):
            seen_by_builder.add(route.name)
    assert checked > 10
    assert "network:initiative" in seen_by_builder
    assert "ownership:reflections" in seen_by_builder
    # And the dashboard panel: builders yes, residents no.
    dashboard = reverse("neighbourhoods:dashboard", args=[side.slug])
    assert MARKER in client_for(side.coordinator).get(dashboard).content.decode()
    assert "reflection" not in resident.get(dashboard).content.decode().lower()


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_a_residents_own_pages_never_show_reflections_about_them(world, client_for):
    """/me/ lists everything recorded about the resident; reflections on their conversation
    or introduction stay out (they go with the conversation when the resident is erased)."""
    from tests.me.factories import make_claimed

    nb = world.a.neighbourhood
    me = make_claimed(nb, world.a.resident, "Ans Jansen")
    conversation = make_finished(nb, world.a.builder, me)
    introduction = make_introduction(conversation, to_person=make_person(nb, "Bep"))
    f.reflection(nb, world.a.builder, MARKER + "-conversation", conversation=conversation)
    f.reflection(
        nb,
        world.a.builder,
        MARKER + "-introduction",
        ReflectionKind.HARMFUL,
        introduction=introduction,
    )
    client = client_for(world.a.resident)
    seen = 0
    for route in scoped_routes():
        if not route.name.startswith("me:") or set(route.kwargs) - {"slug"}:
            continue
        response = client.get(reverse(route.name, kwargs={"slug": nb.slug} if route.kwargs else {}))
        assert MARKER not in _body(response), route.name
        seen += response.status_code == 200
    assert seen >= 3


def test_kept_list_is_each_readers_own_and_its_forms_take_their_token(world):
    """The list is kept per reader (a builder sees their own, with a remove button; the
    coordinator everyone's) and its forms' CSRF token is each answer's own."""
    nb = world.a.neighbourhood
    colleague = make_member(nb, Role.BUILDER, "builder_a2")
    initiative = nf.initiative(nb, "Koffieclub")
    f.reflection(nb, world.a.builder, "Eigen zin van bouwer A", initiative=initiative)
    f.reflection(nb, colleague, "Zin van de collega", initiative=initiative)
    url = reverse("ownership:reflections", args=[world.a.slug])
    pages = {}
    for user in (world.a.coordinator, colleague, world.a.builder):  # the first fills a cache
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        pages[user.username] = (client, client.get(url).content.decode())
    coordinator_page = pages[world.a.coordinator.username][1]
    assert "Eigen zin van bouwer A" in coordinator_page and "Zin van de collega" in coordinator_page
    client, page = pages[colleague.username]
    assert "Zin van de collega" in page and "Eigen zin van bouwer A" not in page
    client, page = pages[world.a.builder.username]
    assert "Eigen zin van bouwer A" in page and "Zin van de collega" not in page
    # the same builder signs in again (a new session, a new CSRF cookie): the kept list
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.a.builder)
    page = client.get(url).content.decode()
    assert "\x00" not in page
    action, token = re.search(
        r'<form method="post" action="([^"]+/delete/)".*?name="csrfmiddlewaretoken" value="([^"]+)"',
        page,
        re.S,
    ).groups()
    assert client.post(action, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Reflection.objects.filter(why="Eigen zin van bouwer A").exists()


def test_the_dashboard_shows_a_drafts_new_date_at_once(world, client_for):
    """A reflection names its conversation's date; a draft's date is the builders' work (it
    moves no data), so the kept dashboard panel follows that too."""
    nb, builder = world.a.neighbourhood, world.a.builder
    draft = make_conversation(nb, builder, held_on=datetime.date(2026, 3, 2))
    f.reflection(nb, builder, conversation=draft)
    client = client_for(builder)
    url = reverse("neighbourhoods:dashboard", args=[world.a.slug])
    assert "2 March 2026" in client.get(url).content.decode()

    draft.held_on = datetime.date(2026, 3, 5)
    draft.save()
    shown = client.get(url).content.decode()
    assert "5 March 2026" in shown and "2 March 2026" not in shown


def test_the_balance_is_kept_for_every_kind_and_page_until_a_new_reflection(world, client_for):
    """The balance does not depend on the list's filter: another kind or page reads it from
    the cache, a new reflection shows in it at once, and a builder's is their own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    nb = world.a.neighbourhood
    club = nf.initiative(nb)
    f.reflection(nb, world.a.builder, initiative=club)
    url = reverse("ownership:reflections", args=[world.a.slug])
    coordinator = client_for(world.a.coordinator)

    def total(client, query: str = "") -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url + query).content.decode()
        month_counts = sum(
            "DATE_TRUNC" in q["sql"]
            or "django_datetime_trunc" in q["sql"]
            or "django_date_trunc" in q["sql"]
            for q in captured
        )
        section = html[html.index('id="balance-heading"') : html.index('id="list-heading"')]
        return section, month_counts

    first, counted = total(coordinator)
    assert counted == 1 and "own-balance" in first
    again, counted = total(coordinator, "?kind=harmful")
    assert counted == 0 and again == first  # kept, the same table

    f.reflection(nb, world.a.builder, kind=ReflectionKind.HARMFUL, initiative=club)
    after, counted = total(coordinator, "?kind=harmful")
    assert counted == 1 and after != first

    other = make_member(nb, Role.BUILDER, "builder_a2")
    mine, _counted = total(client_for(other))
    assert "own-balance" not in mine  # nothing of their own to count

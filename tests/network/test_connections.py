"""Connections on person pages: add, end, refuse bad input, and who sees what."""

import datetime

from django.urls import reverse
from django.utils import timezone

from network.models import Connection, Origin
from organisations.models import Organisation
from residents.models import Audience

from . import factories as f


def _add_url(side, person):
    return reverse("network:connection_new", args=[side.slug, person.pk])


def test_builder_adds_a_connection_from_a_person_page(world, client_for):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    response = client_for(world.a.builder).post(
        _add_url(world.a, ans),
        {"target": f"p:{bert.pk}", "origin": Origin.KNEW, "since": "2024-05-01"},
    )
    assert response.status_code == 302
    connection = Connection.objects.get()
    assert (connection.person, connection.other_person) == (ans, bert)
    assert connection.since == datetime.date(2024, 5, 1)
    assert connection.recorded_by == world.a.builder


def test_connection_to_an_organisation(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans")
    club = Organisation.objects.create(neighbourhood=nb, name="Buurtvereniging", kind="association")
    response = client_for(world.a.builder).post(
        _add_url(world.a, ans), {"target": f"o:{club.pk}", "origin": Origin.OTHER}
    )
    assert response.status_code == 302
    assert Connection.objects.get().organisation == club


def test_htmx_add_returns_the_panel(world, client_for):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    response = client_for(world.a.builder).post(
        _add_url(world.a, ans),
        {"target": f"p:{bert.pk}", "origin": Origin.KNEW},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="connections"' in text and "<html" not in text
    assert "Bert" in text


def _refused(response, message):
    assert response.status_code == 422
    assert message in response.content.decode()


def test_refuses_a_connection_to_oneself(world, client_for):
    ans = f.person(world.a.neighbourhood, "Ans")
    response = client_for(world.a.builder).post(
        _add_url(world.a, ans), {"target": f"p:{ans.pk}", "origin": Origin.KNEW}
    )
    _refused(response, "A person cannot be connected to themselves.")
    assert not Connection.objects.exists()


def test_refuses_a_connection_to_another_neighbourhood(world, client_for):
    ans = f.person(world.a.neighbourhood, "Ans")
    elsewhere = f.person(world.b.neighbourhood, "Elders")
    organisation = Organisation.objects.create(
        neighbourhood=world.b.neighbourhood, name="Elders club", kind="informal"
    )
    client = client_for(world.a.builder)
    for target in (f"p:{elsewhere.pk}", f"o:{organisation.pk}"):
        response = client.post(_add_url(world.a, ans), {"target": target, "origin": Origin.KNEW})
        _refused(response, "Only people and organisations of this neighbourhood")
    assert not Connection.objects.exists()


def test_refuses_nonsense_and_keeps_what_was_typed(world, client_for):
    ans = f.person(world.a.neighbourhood, "Ans")
    bert = f.person(world.a.neighbourhood, "Bert")
    response = client_for(world.a.builder).post(
        _add_url(world.a, ans),
        {
            "target": f"p:{bert.pk}",
            "origin": "friends",
            "since": "2024-13-45",
            "origin_note": "van de markt",
        },
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "van de markt" in text
    assert f'value="p:{bert.pk}" selected' in text
    response = client_for(world.a.builder).post(_add_url(world.a, ans), {"target": "x:1"})
    _refused(response, "Choose a person or an organisation.")


def test_refuses_a_future_date_and_a_duplicate(world, client_for):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    client = client_for(world.a.builder)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        _add_url(world.a, ans),
        {"target": f"p:{bert.pk}", "origin": Origin.KNEW, "since": tomorrow.isoformat()},
    )
    _refused(response, "This date is in the future")
    f.link(bert, ans)
    response = client.post(
        _add_url(world.a, ans), {"target": f"p:{bert.pk}", "origin": Origin.KNEW}
    )
    _refused(response, "They are connected already.")
    assert Connection.objects.count() == 1


def test_empty_post_is_a_clear_422(world, client_for):
    ans = f.person(world.a.neighbourhood, "Ans")
    response = client_for(world.a.builder).post(_add_url(world.a, ans), {})
    _refused(response, "Choose a person or an organisation.")


def test_end_a_connection(world, client_for):
    nb = world.a.neighbourhood
    connection = f.link(f.person(nb, "Ans"), f.person(nb, "Bert"), datetime.date(2024, 1, 1))
    url = reverse("network:connection_end", args=[world.a.slug, connection.pk])
    response = client_for(world.a.builder).post(url, {"ended": "2025-02-01"})
    assert response.status_code == 302
    connection.refresh_from_db()
    assert connection.ended == datetime.date(2025, 2, 1)


def test_refuses_an_end_before_the_start(world, client_for):
    nb = world.a.neighbourhood
    connection = f.link(f.person(nb, "Ans"), f.person(nb, "Bert"), datetime.date(2024, 6, 1))
    url = reverse("network:connection_end", args=[world.a.slug, connection.pk])
    response = client_for(world.a.builder).post(url, {"ended": "2024-05-31"})
    _refused(response, "A connection cannot end before it started")
    assert 'value="2024-05-31"' in response.content.decode()
    connection.refresh_from_db()
    assert connection.ended is None


def test_ending_another_neighbourhoods_connection_is_404(world, client_for):
    nb = world.b.neighbourhood
    connection = f.link(f.person(nb, "Ans"), f.person(nb, "Bert"))
    url = reverse("network:connection_end", args=[world.a.slug, connection.pk])
    assert client_for(world.a.builder).post(url, {"ended": "2025-01-01"}).status_code == 404


def test_person_page_lists_connections_with_origin_and_since(world, client_for):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    f.link(ans, bert, datetime.date(2024, 3, 1), origin=Origin.INTRODUCED)
    page = client_for(world.a.builder).get(reverse("residents:person", args=[world.a.slug, ans.pk]))
    text = page.content.decode()
    assert "Bert" in text
    assert "introduced after a conversation" in text
    assert "since 1 March 2024" in text
    assert "Add a connection" in text


def test_residents_see_connections_only_between_visible_people(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans Zichtbaar", shown=Audience.RESIDENTS)
    bert = f.person(nb, "Bert Zichtbaar", shown=Audience.RESIDENTS)
    hidden = f.person(nb, "Geheime Gerda", shown=Audience.BUILDERS)
    f.link(ans, bert)
    f.link(ans, hidden)
    url = reverse("network:person_connections", args=[world.a.slug, ans.pk])
    text = client_for(world.a.resident).get(url).content.decode()
    assert "Bert Zichtbaar" in text
    assert "Geheime Gerda" not in text
    assert "Add a connection" not in text
    person_page = client_for(world.a.resident).get(
        reverse("residents:person", args=[world.a.slug, ans.pk])
    )
    assert "Geheime Gerda" not in person_page.content.decode()
    # A hidden person's own connections page is not there for residents at all.
    hidden_url = reverse("network:person_connections", args=[world.a.slug, hidden.pk])
    assert client_for(world.a.resident).get(hidden_url).status_code == 404


def test_note_and_recorder_are_shown_to_builders_only(world, client_for):
    nb = world.a.neighbourhood
    recorder = world.a.builder
    recorder.first_name, recorder.last_name = "Youssef", "Recordermarker"
    recorder.save()
    ans = f.person(nb, "Ans Zichtbaar", shown=Audience.RESIDENTS)
    bert = f.person(nb, "Bert Zichtbaar", shown=Audience.RESIDENTS)
    connection = f.link(
        ans,
        bert,
        datetime.date(2024, 3, 1),
        origin_note="Notemarker: both lonely",
        recorded_by=recorder,
    )
    Connection.objects.filter(pk=connection.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2024, 3, 4, 12, 0))
    )
    club = Organisation.objects.create(neighbourhood=nb, name="Buurtvereniging", kind="association")
    Connection.objects.create(
        neighbourhood=nb,
        person=ans,
        organisation=club,
        origin=Origin.OTHER,
        origin_note="Clubnotemarker",
    )  # no recorder known (e.g. the user was removed)
    pages = [
        reverse("residents:person", args=[world.a.slug, ans.pk]),
        reverse("network:person_connections", args=[world.a.slug, ans.pk]),
        reverse("network:person_connections", args=[world.a.slug, bert.pk]),
    ]
    for user in (world.a.builder, world.a.coordinator):
        for page in pages[:2]:
            text = client_for(user).get(page).content.decode()
            assert "Notemarker: both lonely" in text, (user, page)
            assert "recorded by Youssef Recordermarker on 4 March 2024" in text, (user, page)
            assert "Clubnotemarker" in text
        partial = client_for(user).get(pages[1], headers={"HX-Request": "true"})
        assert "Notemarker" in partial.content.decode()
    for page in pages:
        text = client_for(world.a.resident).get(page).content.decode()
        assert "Bert Zichtbaar" in text or "Ans Zichtbaar" in text  # the connection is listed
        for marker in ("Notemarker", "Clubnotemarker", "Recordermarker", "recorded by"):
            assert marker not in text, (page, marker)
    dutch = client_for(world.a.builder, language="nl").get(pages[1]).content.decode()
    assert "Notemarker" in dutch


def test_residents_may_not_add_or_end(world, client_for):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    connection = f.link(ans, bert)
    client = client_for(world.a.resident)
    assert (
        client.post(
            _add_url(world.a, ans), {"target": f"p:{bert.pk}", "origin": "knew"}
        ).status_code
        == 403
    )
    end = reverse("network:connection_end", args=[world.a.slug, connection.pk])
    assert client.post(end, {"ended": "2025-01-01"}).status_code == 403


def test_search_select_options(world, client_for):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans")
    f.person(nb, "Fatima")
    Organisation.objects.create(neighbourhood=nb, name="Fietsclub", kind="informal")
    f.person(world.b.neighbourhood, "Fenna Elders")
    url = reverse("network:options", args=[world.a.slug])
    text = client_for(world.a.builder).get(url, {"q": "F", "exclude": ans.pk}).content.decode()
    assert "Fatima" in text and "Fietsclub" in text
    assert "Fenna" not in text
    people = client_for(world.a.builder).get(url, {"q": "an", "what": "people"}).content.decode()
    assert f'value="{ans.pk}"' in people

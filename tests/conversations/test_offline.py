"""Starting a conversation offline: the page a phone keeps, and the one post that sends it."""

from django.urls import reverse

from conversations.models import Conversation, Introduction, Status
from residents.models import Person

from .factories import make_person


def _url(side):
    return reverse("conversations:offline", args=[side.neighbourhood.slug])


def _payload(**extra):
    data = {
        "client_token": "a1b2c3d4e5f6",
        "first_name": "Fatima",
        "street": "Lindenlaan",
        "consent_fields": ["name", "street", "gifts", "conversations"],
        "consent_audience": "builders",
        "consent_given": "on",
        "cares_about": "De moestuin",
        "gift_kind": ["hands", "head"],
        "gift_title": ["Fietsen repareren", "Turks koken"],
        "meet_name": ["ans", "Niemand Bekend"],
        "meet_reason": ["Beiden houden van tuinieren", ""],
    }
    data.update(extra)
    return data


def test_the_offline_page_holds_nobodys_data(world, client_for):
    make_person(world.a.neighbourhood, "Geheime Gerda", street="Verstopte Straat")
    page = client_for(world.a.builder).get(_url(world.a)).content.decode()
    assert "Geheime Gerda" not in page and "Verstopte Straat" not in page
    assert 'id="offline-form"' in page


def test_one_post_starts_the_draft_with_everything_in_order(world, client_for):
    ans = make_person(world.a.neighbourhood, "Ans")
    client = client_for(world.a.builder)
    response = client.post(_url(world.a), _payload(), headers={"X-Offline-Sync": "1"})
    assert response.status_code == 201
    conversation = Conversation.objects.get()
    assert response.json()["url"] == conversation.get_absolute_url()
    assert conversation.status == Status.DRAFT and conversation.builder == world.a.builder
    assert conversation.person.name == "Fatima" and conversation.cares_about == "De moestuin"
    assert [g.title for g in conversation.draft_gifts.order_by("pk")] == [
        "Fietsen repareren",
        "Turks koken",
    ]
    [introduction] = Introduction.objects.all()
    assert introduction.to_person == ans and introduction.reason == "Beiden houden van tuinieren"
    # a name that matches nobody is kept for the builder, in the private notes
    assert "Niemand Bekend" in conversation.private_notes


def test_sent_twice_it_is_started_once(world, client_for):
    client = client_for(world.a.builder)
    first = client.post(_url(world.a), _payload(), headers={"X-Offline-Sync": "1"})
    again = client.post(_url(world.a), _payload(), headers={"X-Offline-Sync": "1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["url"] == first.json()["url"]
    assert Conversation.objects.count() == 1 and Person.objects.filter(name="Fatima").count() == 1


def test_a_refusal_says_why_and_starts_nothing(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        _url(world.a), _payload(consent_given=""), headers={"X-Offline-Sync": "1"}
    )
    assert response.status_code == 422
    assert "consent_given" in response.json()["errors"]
    assert not Conversation.objects.exists()
    # without a script: the page again, with everything typed
    page = client.post(_url(world.a), _payload(consent_given=""))
    assert page.status_code == 422
    assert "Turks koken" in page.content.decode() and "De moestuin" in page.content.decode()


def test_without_a_script_a_plain_post_opens_the_draft(world, client_for):
    response = client_for(world.a.builder).post(_url(world.a), _payload())
    assert response.status_code == 302
    assert response["Location"] == Conversation.objects.get().get_absolute_url()


def test_residents_may_not(world, client_for):
    client = client_for(world.a.resident)
    assert client.get(_url(world.a)).status_code == 403
    assert client.post(_url(world.a), _payload()).status_code == 403


def test_the_service_worker_is_served_from_the_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b"conversations" in response.content

"""Recording who carries an initiative and who started it; bad input changes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation
from ownership import services
from ownership.models import CarrierPeriod, InitiativeStart, StartedBy
from tests.network import factories as nf

from . import factories as f


@pytest.fixture
def club(world):
    nb = world.a.neighbourhood
    initiative = nf.initiative(nb, "Koffieclub")
    people = [nf.person(nb, name) for name in ("Ans", "Bep", "Cor", "Dirk")]
    for person in people:
        nf.member(initiative, person, joined=datetime.date(2025, 1, 8))
    welfare = Organisation.objects.create(neighbourhood=nb, name="Participe", kind="institution")
    return initiative, people, welfare


def carriers_url(world, initiative) -> str:
    return reverse("ownership:carriers", args=[world.a.slug, initiative.pk])


def test_builder_records_a_hand_over_and_the_page_tells_the_history(world, client_for, club):
    initiative, people, welfare = club
    client = client_for(world.a.builder)
    url = carriers_url(world, initiative)
    response = client.post(
        url,
        {
            "since": "2025-01-08",
            "people": [p.pk for p in people],
            "organisations": [welfare.pk],
            "note": "Participe regelt de ruimte",
        },
    )
    assert response.status_code == 302
    response = client.post(url, {"since": "2025-04-09", "people": [p.pk for p in people]})
    assert response.status_code == 302
    response = client.post(
        reverse("ownership:start", args=[world.a.slug, initiative.pk]),
        {"started_by": StartedBy.BUILDER},
    )
    assert response.status_code == 302
    first, second = CarrierPeriod.objects.order_by("since")
    assert set(first.organisations.all()) == {welfare}
    assert set(second.people.all()) == set(people) and not second.organisations.exists()
    assert first.recorded_by == world.a.builder
    page = client.get(url).content.decode()
    assert (
        "Started by a community builder who brought 4 residents together; carried by 4 "
        "residents together with Participe from January 2025; carried by 4 residents alone "
        "since April 2025."
    ) in page
    # The initiative page shows the same sentence, to residents too (counts, no names).
    detail = client_for(world.a.resident).get(initiative.get_absolute_url()).content.decode()
    assert "carried by 4 residents alone since April 2025" in detail


def test_same_day_replaces_and_nobody_ends_it(world, client_for, club):
    initiative, people, welfare = club
    client = client_for(world.a.builder)
    url = carriers_url(world, initiative)
    client.post(url, {"since": "2025-01-08", "organisations": [welfare.pk]})
    client.post(url, {"since": "2025-01-08", "people": [people[0].pk]})
    period = CarrierPeriod.objects.get()
    assert list(period.people.all()) == [people[0]] and not period.organisations.exists()
    assert client.post(url, {"since": "2025-05-01", "nobody": "on"}).status_code == 302
    assert CarrierPeriod.objects.count() == 2
    ended = CarrierPeriod.objects.get(since=datetime.date(2025, 5, 1))
    assert not ended.people.exists() and not ended.organisations.exists()
    delete = reverse("ownership:period_delete", args=[world.a.slug, initiative.pk, ended.pk])
    assert client.post(delete).status_code == 302
    assert CarrierPeriod.objects.count() == 1


def test_a_carrier_from_another_neighbourhood_is_refused(world, client_for, club):
    initiative, people, _welfare = club
    elsewhere = nf.person(world.b.neighbourhood, "Buurvrouw Elders")
    other_org = Organisation.objects.create(
        neighbourhood=world.b.neighbourhood, name="Elders Welzijn", kind="institution"
    )
    client = client_for(world.a.builder)
    response = client.post(
        carriers_url(world, initiative),
        {"since": "2025-02-01", "people": [people[0].pk, elsewhere.pk], "note": "houd mij vast"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose residents of this neighbourhood who take part in this initiative." in page
    assert "houd mij vast" in page  # what was typed stays
    response = client.post(
        carriers_url(world, initiative), {"since": "2025-02-01", "organisations": [other_org.pk]}
    )
    assert response.status_code == 422
    assert "Choose organisations of this neighbourhood." in response.content.decode()
    assert not CarrierPeriod.objects.exists()
    # The service refuses the same, whoever calls it.
    with pytest.raises(ValidationError):
        services.record_carriers(initiative, datetime.date(2025, 2, 1), [elsewhere])
    with pytest.raises(ValidationError):
        services.record_carriers(initiative, datetime.date(2025, 2, 1), [], [other_org])
    assert not CarrierPeriod.objects.exists()


@pytest.mark.parametrize("bad", ["9" * 25, "-" + "9" * 25, str(2**63), "0", "²"])
def test_a_carrier_id_no_database_has_is_refused(world, client_for, club, bad):
    """An id beyond the database's integers is refused like a foreign one, not a crash."""
    initiative, people, welfare = club
    client = client_for(world.a.builder)
    url = carriers_url(world, initiative)
    response = client.post(url, {"since": "2025-02-01", "people": [people[0].pk, bad]})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose residents of this neighbourhood who take part in this initiative." in page
    response = client.post(url, {"since": "2025-02-01", "organisations": [welfare.pk, bad]})
    assert response.status_code == 422
    assert "Choose organisations of this neighbourhood." in response.content.decode()
    assert not CarrierPeriod.objects.exists()


def test_a_change_in_the_future_and_an_empty_change_are_refused(world, client_for, club):
    initiative, people, _welfare = club
    client = client_for(world.a.builder)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        carriers_url(world, initiative), {"since": tomorrow.isoformat(), "people": [people[0].pk]}
    )
    assert response.status_code == 422
    assert "A change of who carries it cannot be in the future." in response.content.decode()
    response = client.post(carriers_url(world, initiative), {"since": "2025-02-01"})
    assert response.status_code == 422
    assert "Choose who carries it, or tick" in response.content.decode()
    response = client.post(
        carriers_url(world, initiative),
        {"since": "2025-02-01", "people": [people[0].pk], "nobody": "on"},
    )
    assert response.status_code == 422
    assert not CarrierPeriod.objects.exists()


def test_start_form_bad_input(world, client_for, club):
    initiative, _people, welfare = club
    other_org = Organisation.objects.create(
        neighbourhood=world.b.neighbourhood, name="Elders Welzijn", kind="institution"
    )
    client = client_for(world.a.builder)
    url = reverse("ownership:start", args=[world.a.slug, initiative.pk])
    response = client.post(url, {"started_by": "professional", "organisation": other_org.pk})
    assert response.status_code == 422
    assert "Choose an organisation of this neighbourhood." in response.content.decode()
    response = client.post(url, {"started_by": "residents", "organisation": welfare.pk})
    assert response.status_code == 422
    assert "Only a professional&#x27;s project has an organisation" in response.content.decode()
    assert client.post(url, {}).status_code == 422
    assert not InitiativeStart.objects.exists()
    assert client.get(url).status_code == 405
    response = client.post(url, {"started_by": "professional", "organisation": welfare.pk})
    assert response.status_code == 302
    assert InitiativeStart.objects.get().organisation == welfare


def test_other_neighbourhoods_initiative_is_not_found(world, client_for, club):
    initiative, _people, _welfare = club
    response = client_for(world.b.builder).get(
        reverse("ownership:carriers", args=[world.b.slug, initiative.pk])
    )
    assert response.status_code == 404
    period = f.period(initiative, datetime.date(2025, 1, 1))
    response = client_for(world.b.builder).post(
        reverse("ownership:period_delete", args=[world.b.slug, initiative.pk, period.pk])
    )
    assert response.status_code == 404
    assert CarrierPeriod.objects.exists()


def test_a_new_period_starts_empty_and_deleting_asks_first(world, client_for, club):
    initiative, people, _welfare = club
    client = client_for(world.a.builder)
    url = carriers_url(world, initiative)
    client.post(url, {"since": "2025-01-08", "people": [people[0].pk, people[1].pk]})
    page = client.get(url).content.decode()
    assert "checked" not in page.split('id="change-heading"')[1]  # nobody pre-ticked
    period = CarrierPeriod.objects.get()
    delete = reverse("ownership:period_delete", args=[world.a.slug, initiative.pk, period.pk])
    assert f'href="{delete}"' in page  # a link to a page that asks, not a button that deletes
    confirm = client.get(delete)
    assert confirm.status_code == 200 and b"Remove the change of 8 January 2025?" in confirm.content
    assert CarrierPeriod.objects.count() == 1
    assert client.post(delete).status_code == 302
    assert not CarrierPeriod.objects.exists()


def test_a_period_before_the_records_start_is_refused(world, client_for, club):
    initiative, people, _welfare = club
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2024, 1, 1)
    nb.save()
    response = client_for(world.a.builder).post(
        carriers_url(world, initiative), {"since": "2023-12-31", "people": [people[0].pk]}
    )
    assert response.status_code == 422 and b"start on 1 January 2024" in response.content
    assert not CarrierPeriod.objects.exists()


@pytest.mark.parametrize("typed", ["future", "2023-12-31", "31-31-2025"])
def test_a_refused_date_stays_in_its_field(world, client_for, club, typed):
    initiative, people, _welfare = club
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2024, 1, 1)
    nb.save()
    if typed == "future":
        typed = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(world.a.builder).post(
        carriers_url(world, initiative), {"since": typed, "people": [people[0].pk]}
    )
    assert response.status_code == 422
    assert f'value="{typed}"' in response.content.decode()
    assert not CarrierPeriod.objects.exists()

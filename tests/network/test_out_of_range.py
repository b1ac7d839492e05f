"""Ids beyond the database's integers and dates off the calendar: a message or an ignored
filter, never a crash (the audit found 500s on the network page and the suggestions)."""

import datetime
import json

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from neighbourhoods.fields import MAX_ID, DayField, IdField, IdsField, is_id
from network.forms import NetworkFilterForm
from network.models import Initiative
from residents.models import GiftKind

from . import factories as f

HUGE = "9" * 25


def test_ids_are_plain_numbers_that_fit_a_bigint():
    assert is_id("1") and is_id(str(MAX_ID)) and is_id(MAX_ID)
    for value in ("0", "-1", str(MAX_ID + 1), HUGE, "", " 1", "1.0", "²", "١٢", "0x1F", None):
        assert not is_id(value), value


def test_id_field_refuses_what_no_id_can_be_with_its_own_message():
    field = IdField(error_messages={"invalid": "Choose a person."})
    assert field.clean(str(MAX_ID)) == MAX_ID
    for value in (HUGE, str(MAX_ID + 1), "0", "-5", "x"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.messages == ["Choose a person."], value


def test_day_field_takes_1900_to_2100():
    field = DayField()
    assert field.clean("1900-01-01") == datetime.date(1900, 1, 1)
    assert field.clean("2100-12-31") == datetime.date(2100, 12, 31)
    for value in ("0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.messages == ["Choose a date between 1900 and 2100."]


def test_ids_field_refuses_huge_ids_before_the_query(world, django_assert_num_queries):
    field = IdsField(Initiative.objects.all(), error_messages={"invalid_pk_value": "No."})
    for value in ([HUGE], ["1", f"-{HUGE}"], ["0"], ["²"]):
        with django_assert_num_queries(0), pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert refused.value.messages == ["No."]


@pytest.mark.parametrize("name", ["network:network", "network:data", "network:figures"])
@pytest.mark.parametrize(
    "params",
    [
        {"now": "0001-01-01"},
        {"then": "0001-01-01"},
        {"now": "9999-12-31", "then": "9999-12-31"},
        {"initiative": HUGE},
        {"initiative": f"-{HUGE}"},
        {"tag": HUGE},
    ],
)
def test_network_filters_out_of_range_are_ignored(world, client_for, name, params):
    nb = world.a.neighbourhood
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    f.link(ans, bert, datetime.date(2025, 1, 1))
    client = client_for(world.a.builder)
    url = reverse(name, args=[world.a.slug])
    response = client.get(url, params)
    assert response.status_code == 200
    if name == "network:data":  # the filter is ignored: the whole network
        assert json.loads(response.content) == json.loads(client.get(url).content)


def test_network_filter_form_falls_back_to_the_default_period():
    today = timezone.localdate()
    filters = NetworkFilterForm({"now": "0001-01-01", "then": "9999-12-31"}).filters()
    assert filters.now == NetworkFilterForm({}).filters().now
    assert filters.then < filters.now <= today
    assert NetworkFilterForm({"initiative": HUGE, "tag": HUGE}).filters().active() is False
    edge = NetworkFilterForm({"now": "1900-01-01", "then": "1900-01-01"}).filters()
    assert (edge.then, edge.now) == (datetime.date(1900, 1, 1), datetime.date(1900, 1, 1))


@pytest.mark.parametrize("name", ["network:introduce", "network:dismiss"])
@pytest.mark.parametrize("bad", [HUGE, f"-{HUGE}", str(MAX_ID + 1)])
def test_suggestion_with_a_huge_person_id_is_refused(world, client_for, name, bad):
    nb = world.a.neighbourhood
    ans = f.person(nb, "Ans")
    client = client_for(world.a.builder)
    for data in ({"person": bad, "other": ans.pk}, {"person": ans.pk, "other": bad}):
        response = client.post(reverse(name, args=[world.a.slug]), data)
        assert response.status_code == 422
        assert "This suggestion is incomplete; reload the page." in response.content.decode()


def test_member_with_a_huge_person_id_is_refused(world, client_for):
    initiative = f.initiative(world.a.neighbourhood, "Koffieclub")
    response = client_for(world.a.builder).post(
        reverse("network:member_add", args=[world.a.slug, initiative.pk]),
        {"person": HUGE, "joined": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "Choose a person of this neighbourhood." in response.content.decode()
    assert not initiative.members.exists()


def test_initiative_with_a_huge_gift_id_is_refused(world, client_for):
    nb = world.a.neighbourhood
    initiative = f.initiative(nb, "Koffieclub")
    ans = f.person(nb, "Ans")
    f.member(initiative, ans)
    gift = f.gift(ans, "Koffie zetten", GiftKind.HANDS)
    url = reverse("network:initiative_edit", args=[world.a.slug, initiative.pk])
    data = {"name": "Koffieclub", "status": initiative.status, "gifts": [gift.pk, HUGE]}
    response = client_for(world.a.builder).post(url, data)
    assert response.status_code == 422
    assert not initiative.gifts.exists()


def test_connection_to_a_huge_id_is_refused(world, client_for):
    ans = f.person(world.a.neighbourhood, "Ans")
    url = reverse("network:connection_new", args=[world.a.slug, ans.pk])
    for target in (f"p:{HUGE}", f"o:{HUGE}", "p:²"):
        response = client_for(world.a.builder).post(url, {"target": target, "origin": "knew"})
        assert response.status_code == 422
        assert "Choose a person or an organisation." in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("future", "in the future"),
        ("2023-06-01", "start on 1 January 2024"),
        ("14-13-2025", "Enter a valid date."),
    ],
)
@pytest.mark.parametrize("page", ["confirm", "confirm_group", "member_add", "member_edit"])
def test_a_refused_date_is_explained_and_kept(world, client_for, page, typed, reason):
    """Confirming ties and memberships take a date like an introduction does: a refused one
    re-renders the form with the reason and the typed date still in its field."""
    nb = world.a.neighbourhood
    nb.data_starts_on = datetime.date(2024, 1, 1)
    nb.save()
    if typed == "future":
        typed = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    initiative = f.initiative(nb, "Koffieclub")
    ans, bert = f.person(nb, "Ans"), f.person(nb, "Bert")
    joined = datetime.date(2024, 2, 1)
    f.member(initiative, ans, joined)
    member_bert = f.member(initiative, bert, joined)
    args = [world.a.slug, initiative.pk]
    data: dict = {
        "confirm": {"person": ans.pk, "others": [bert.pk], "since": typed},
        "confirm_group": {"people": [ans.pk, bert.pk], "since": typed},
        "member_add": {"person": f.person(nb, "Cor").pk, "joined": typed},
        "member_edit": {"joined": typed},
    }[page]
    if page == "member_edit":
        args.append(member_bert.pk)
    response = client_for(world.a.builder).post(reverse(f"network:{page}", args=args), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert reason in html
    assert f'value="{typed}"' in html
    member_bert.refresh_from_db()
    assert member_bert.joined == joined

"""Histories people can read: every tracked field has a label as its form shows it, and
values read as the forms show them (choices, yes/no, who sees what as words)."""

from __future__ import annotations

import json

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from audit import readable, trail
from audit.trail import acting_as
from residents.models import Audience

from ..residents.factories import make_gift, make_person


def _sample(field: models.Field):
    """A stored value of the field's type, as the audit trail keeps it."""
    if field.choices:
        return next(iter(dict(field.flatchoices)))
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.JSONField):
        return {"name": Audience.RESIDENTS.value}
    if field.is_relation:
        return 1
    if isinstance(field, models.DateTimeField):
        return "2026-03-01T10:00:00+00:00"
    if isinstance(field, models.DateField):
        return "2026-03-01"
    if isinstance(field, models.FileField):
        return "people/photo-1.jpg"
    if isinstance(field, models.FloatField | models.IntegerField | models.DecimalField):
        return 3
    return "tekst"


def test_every_tracked_field_has_a_readable_label_and_value():
    checked = 0
    with translation.override("nl"):
        for model in trail.tracked_models():
            tracked = trail.TRACKED[model._meta.label]
            for field in trail._fields(model, tracked):
                if field.name in readable.NOT_SHOWN:
                    continue
                where = f"{model._meta.label}.{field.name}"
                # an explicit, translatable label (not the attribute name Django makes up)
                assert isinstance(field.verbose_name, Promise), where
                label = readable.label(model, field.name)
                assert label[:1].isupper() and "_" not in label, where
                raw = _sample(field)
                shown = readable.value(model, field.name, raw, names={})
                assert shown and "{" not in shown and "[" not in shown, (where, shown)
                if field.choices or isinstance(field, models.BooleanField):
                    assert shown != str(raw), (where, shown)
                checked += 1
    assert checked >= 30


def test_the_examples_of_the_issue_in_dutch():
    from residents.models import Gift, Person

    with translation.override("nl"):
        assert readable.rows(
            "residents.Gift", {"kind": [None, "hands"], "learn": [False, True]}
        ) == [
            ("Soort", None, "handen (vaardigheden)"),
            ("Wil leren", "nee", "ja"),
        ]
        [(label, old, new)] = readable.rows(
            "residents.Person",
            {"visibility": [{"name": "builders"}, {"name": "residents", "phone": "public"}]},
        )
        assert label == "Wie wat ziet"
        assert old == "naam: alleen buurtverbinders"
        assert "telefoon: iedereen (openbaar)" in new and "{" not in new
    assert Gift._meta.label and Person._meta.label


@pytest.mark.parametrize("language", ["nl", "en"])
def test_histories_and_the_change_log_show_words_not_raw_values(world, client_for, language):
    nb = world.a.neighbourhood
    with acting_as(world.a.builder):
        person = make_person(nb, "Kees")
        gift = make_gift(person, "Fietsen maken", learn=False)
        gift.learn = True
        gift.save()
        person.visibility = {**person.visibility, "name": Audience.RESIDENTS.value}
        person.save()
    client = client_for(world.a.coordinator, language)
    for url in (
        reverse("audit:person_history", args=[world.a.slug, person.pk]),
        reverse("audit:changes", args=[world.a.slug]),
    ):
        text = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "True" not in text and "{&#x27;" not in text and "&quot;name&quot;" not in text
        if language == "nl":
            assert "Wil leren" in text and "ja" in text and "alleen buurtverbinders" in text
        else:
            assert "Wants to learn" in text and "yes" in text
    assert json.dumps(person.visibility)


def test_the_change_log_filters_by_who_kind_and_when(world, client_for):
    nb = world.a.neighbourhood
    with acting_as(world.a.builder):
        make_person(nb, "Door bouwer")
    with acting_as(world.a.coordinator):
        make_person(nb, "Door coordinator")
        from ..places.factories import make_place

        make_place(nb, "Plein")
    client = client_for(world.a.coordinator)
    url = reverse("audit:changes", args=[world.a.slug])
    everything = client.get(url).content.decode()
    assert "Door bouwer" in everything and "Plein" in everything
    by_builder = client.get(url, {"who": world.a.builder.pk}).content.decode()
    assert "Door bouwer" in by_builder and "Door coordinator" not in by_builder
    places = client.get(url, {"kind": "places.Place"}).content.decode()
    assert "Plein" in places and "Door bouwer" not in places
    assert "Plein" not in client.get(url, {"until": "2000-01-01"}).content.decode()
    assert client.get(url, {"kind": "nope", "who": "x", "page": "9"}).status_code == 200
    htmx = client.get(url, {"kind": "places.Place"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="rows")
    assert "<html" not in htmx.content.decode() and "Plein" in htmx.content.decode()
    assert client_for(world.a.builder).get(url).status_code == 403
    assert client_for(world.b.builder).get(url).status_code == 404


def test_an_initiative_has_a_readable_history(world, client_for):
    from ..outcomes.factories import make_initiative

    with acting_as(world.a.builder):
        club = make_initiative(world.a.neighbourhood, "Koffieclub", status="idea")
        other = make_initiative(world.a.neighbourhood, "Andere club")
        club.status = "active"
        club.public = True
        club.save()
    client = client_for(world.a.coordinator)
    page = client.get(reverse("network:initiative", args=[world.a.slug, club.pk])).content.decode()
    history = reverse("audit:changes", args=[world.a.slug])
    assert f"{history}?kind=network.Initiative&amp;record={club.pk}" in page
    text = client.get(history, {"kind": "network.Initiative", "record": club.pk}).content.decode()
    assert "Koffieclub" in text and "Andere club" not in text
    assert "Status" in text and "idea" in text and "active" in text  # as the form shows it
    assert "Show on the published page" in text and "yes" in text
    assert other.pk

"""The audit trail: who created, changed or deleted people, gifts, organisations, places and
conversations, and when; coordinators read a person's history."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEntry
from audit.trail import acting_as
from neighbourhoods.models import Neighbourhood
from organisations.models import Organisation, OrganisationKind
from places.models import Place, PlaceKind
from residents.models import Person
from tests.conversations.factories import make_conversation
from tests.residents.factories import make_gift, make_person

SECRET = "PRIVATE-AUDIT-MARKER-1234"


def test_a_builder_creating_a_person_through_the_page_is_recorded(world, client_for):
    client = client_for(world.a.builder)
    response = client.post(
        reverse("residents:person_new", args=[world.a.slug]),
        {"name": "Kees de Boer", "street": "Lindenlaan", **_visible_builders()},
    )
    assert response.status_code == 302
    person = Person.objects.get(name="Kees de Boer")
    entry = AuditEntry.objects.get(model_label="residents.Person", object_id=str(person.pk))
    assert entry.action == Action.CREATE
    assert entry.actor == world.a.builder
    assert entry.neighbourhood == world.a.neighbourhood
    assert entry.person_id == person.pk
    assert entry.changes["name"] == [None, "Kees de Boer"]


def _visible_builders():
    from residents.forms import visibility_field_name
    from residents.models import PERSON_FIELDS

    return {visibility_field_name(f): "builders" for f in PERSON_FIELDS}


def test_changes_keep_old_and_new_values_of_changed_fields_only(world):
    person = make_person(world.a.neighbourhood, "Kees", phone="06 1")
    with acting_as(world.a.coordinator):
        person.phone = "06 2"
        person.save()
        person.save()  # nothing changed: no row
    updates = AuditEntry.objects.filter(action=Action.UPDATE, person_id=person.pk)
    assert updates.count() == 1
    entry = updates.get()
    assert entry.changes == {"phone": ["06 1", "06 2"]}
    assert entry.actor == world.a.coordinator


def test_gifts_are_recorded_under_their_person(world):
    person = make_person(world.a.neighbourhood, "Kees")
    with acting_as(world.a.builder):
        gift = make_gift(person, "Fietsen")
        gift.delete()
    actions = list(
        AuditEntry.objects.filter(model_label="residents.Gift", person_id=person.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [Action.CREATE, Action.DELETE]
    assert AuditEntry.objects.filter(model_label="residents.Gift").first().neighbourhood_id == (
        world.a.neighbourhood.pk
    )


def test_organisations_and_places_are_recorded(world):
    with acting_as(world.a.builder):
        organisation = Organisation.objects.create(
            neighbourhood=world.a.neighbourhood, name="Buurtclub", kind=OrganisationKind.INFORMAL
        )
        place = Place.objects.create(
            neighbourhood=world.a.neighbourhood, name="Speeltuin", kind=PlaceKind.PLAYGROUND
        )
        place.name = "Grote speeltuin"
        place.save()
    assert AuditEntry.objects.filter(
        model_label="organisations.Organisation", object_id=str(organisation.pk), person_id=None
    ).exists()
    update = AuditEntry.objects.get(model_label="places.Place", action=Action.UPDATE)
    assert update.changes == {"name": ["Speeltuin", "Grote speeltuin"]}


def test_conversations_keep_field_names_but_never_their_text(world):
    conversation = make_conversation(world.a.neighbourhood, world.a.builder)
    with acting_as(world.a.builder):
        conversation.private_notes = SECRET
        conversation.cares_about = SECRET
        conversation.save()
    entry = AuditEntry.objects.get(model_label="conversations.Conversation", action=Action.UPDATE)
    assert entry.person_id == conversation.person_id
    assert entry.changes == {"cares_about": None, "private_notes": None}
    assert SECRET not in str(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_bulk_operations_are_not_recorded(world):
    Person.objects.bulk_create(
        [Person(neighbourhood=world.a.neighbourhood, name="Bulk", street="x")]
    )
    assert not AuditEntry.objects.exists()


def test_deleting_a_neighbourhood_takes_its_trail_along(world):
    person = make_person(world.b.neighbourhood, "Kees")
    make_gift(person, "Fietsen")
    Neighbourhood.objects.filter(pk=world.b.neighbourhood.pk).delete()
    assert not AuditEntry.objects.filter(neighbourhood_id=world.b.neighbourhood.pk).exists()


def test_coordinator_reads_a_persons_history(world, client_for):
    person = make_person(world.a.neighbourhood, "Kees", phone="06 1")
    with acting_as(world.a.builder):
        person.phone = "06 2"
        person.save()
    url = reverse("audit:person_history", args=[world.a.slug, person.pk])
    page = client_for(world.a.coordinator).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "builder_a" in text and "06 1" in text and "06 2" in text
    assert client_for(world.a.builder).get(url).status_code == 403
    other = reverse("audit:person_history", args=[world.b.slug, person.pk])
    assert client_for(world.staff).get(other).status_code == 404


def test_history_query_count_does_not_grow(world, client_for):
    person = make_person(world.a.neighbourhood, "Kees")
    url = reverse("audit:person_history", args=[world.a.slug, person.pk])
    client = client_for(world.a.coordinator)

    def changes(n):
        with acting_as(world.a.builder):
            for i in range(n):
                person.languages = f"nl {i} {person.languages}"[:100]
                person.save()

    changes(5)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    changes(45)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small), [q["sql"][:150] for q in large.captured_queries]


def test_a_missing_tracked_model_is_skipped(monkeypatch):
    from audit import trail

    monkeypatch.setitem(trail.TRACKED, "nowhere.Missing", trail.Tracked())
    labels = [m._meta.label for m in trail.tracked_models()]
    assert "nowhere.Missing" not in labels and "residents.Person" in labels

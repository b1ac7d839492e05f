"""Noor: one resident with data in every corner of the app, for erasure and export tests."""

import io
from pathlib import Path

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from audit.trail import acting_as
from me.models import Invite, InviteKind, RetentionKeep
from neighbourhoods.images import process_image
from neighbourhoods.models import Membership, Role
from network.models import Origin, connect
from organisations.models import Organisation, OrganisationKind, OrganisationMember
from places.models import Place, PlaceKind
from residents.models import Audience, ConsentHow, ConsentRecord, Person
from tests.conversations.factories import (
    make_draft_gift,
    make_finished,
    make_follow_up,
    make_introduction,
    make_known,
)
from tests.network.factories import initiative, member
from tests.outcomes.factories import add_step, make_outcome
from tests.residents.factories import make_gift, make_person

User = get_user_model()

NAME = "Noor Haddou"
EMAIL = "noor.haddou@example.org"
PHONE = "06 4242 4242"
USERNAME = "noor_claimed"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def make_noor(world) -> dict:
    """Noor with something in every corner of the app (MEDIA_ROOT should be a tmp dir)."""
    nb = world.a.neighbourhood
    user = User.objects.create_user(
        USERNAME, email=EMAIL, password="x-long-password-1", first_name=NAME
    )
    with acting_as(world.a.builder):
        person = Person(
            neighbourhood=nb,
            name=NAME,
            street="Populierenlaan",
            phone=PHONE,
            email=EMAIL,
            street_wish=f"Bel {NAME} over de moestuin",
            user=user,
            visibility=dict.fromkeys(["name", "street", "gifts"], Audience.RESIDENTS),
        )
        clean = process_image(SimpleUploadedFile("noor.png", _png(), content_type="image/png"))
        person.photo.save(clean.name, clean, save=False)
        person.photo_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        person.save()
        sewing = make_gift(person, "Naaien en verstellen", tags=["naaien"], share=True)
        sewing.description = f"{NAME} naait gordijnen"
        sewing.save()
    Membership.objects.create(user=user, neighbourhood=nb, role=Role.RESIDENT)
    ConsentRecord.objects.create(
        person=person,
        fields=["name", "street", "phone"],
        audience=Audience.RESIDENTS,
        text=f"{NAME} gaf toestemming",
        text_version="2026-1",
        how=ConsentHow.KITCHEN_TABLE,
        given_at=timezone.now(),
        recorded_by=world.a.builder,
    )
    piet = make_person(nb, "Piet Vermeulen", street="Lindenlaan")
    conversation = make_finished(
        nb,
        world.a.builder,
        person,
        cares_about=f"{NAME} wil een moestuin",
        private_notes=f"{NAME} belt liever op {PHONE}",
    )
    make_draft_gift(conversation, "Verstellen")
    make_known(conversation, piet)
    make_introduction(conversation, to_person=piet, reason=f"{NAME} en Piet houden van tuinieren")
    make_follow_up(conversation, world.a.builder, what=f"Mail {EMAIL}")
    connect(person, piet, origin=Origin.KNEW, origin_note=f"buren van {NAME}")
    club = initiative(nb, "Naaicafé")
    member(club, person, initiator=True)
    with acting_as(world.a.builder):
        organisation = Organisation.objects.create(
            neighbourhood=nb,
            name="Buurtnaaiclub",
            kind=OrganisationKind.INFORMAL,
            contact=NAME,
            email=EMAIL,
        )
        place = Place.objects.create(
            neighbourhood=nb,
            name="Moestuin",
            kind=PlaceKind.GARDEN,
            managed_by_person=person,
            availability=f"Sleutel bij {NAME}",
        )
    OrganisationMember.objects.create(organisation=organisation, person=person, role="voorzitter")
    outcome = make_outcome(
        nb,
        f"{NAME} eet drie keer per week met buren",
        story=f"Sinds {NAME} het naaicafé begon ziet Noor haar buren.",
    )
    outcome.for_whom_people.add(person)
    add_step(outcome, "gift", sewing, note=f"de naailessen van {NAME}")
    other_outcome = make_outcome(nb, "Het naaicafé groeit", story=f"Gestart door {NAME}.")
    Invite.make(person, InviteKind.CODE, world.a.builder)
    RetentionKeep.objects.create(person=person, kept_by=world.a.coordinator)
    LogEntry.objects.create(
        user=world.a.coordinator,
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="[]",
    )
    return {
        "person": person,
        "piet": piet,
        "outcome": outcome,
        "other_outcome": other_outcome,
        "place": place,
        "organisation": organisation,
        "club": club,
        "photo_names": [Path(person.photo.name).name, Path(person.photo_thumbnail.name).name],
    }

"""Demo data: one unclaimed person with an open invite code, so a visitor can claim."""

from __future__ import annotations

import sys
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from neighbourhoods.demo import DemoWorld, register_seeder

DEMO_EXTERNAL_ID = "demo-claim"
DEMO_CODE = "DEMA7KQX"  # fixed, so the demo reads the same every time


@register_seeder(order=90)
@transaction.atomic
def seed_claimable_person(world: DemoWorld) -> None:
    from residents.models import Gift, GiftKind, Person

    from .models import Invite, InviteKind, format_code, hash_secret

    neighbourhood = world.neighbourhoods[0]
    person = Person.objects.filter(
        neighbourhood=neighbourhood, external_id=DEMO_EXTERNAL_ID
    ).first()
    if person is None:
        person = Person.objects.create(
            neighbourhood=neighbourhood,
            external_id=DEMO_EXTERNAL_ID,
            name="Noor Haddou",
            street="Populierenlaan",
            house_number="12",
            phone="06 1234 5678",
            languages="Nederlands, Arabisch",
            street_wish="Een boekenkastje op de hoek, waar iedereen boeken ruilt.",
            created_by=world.users.get("builder"),
        )
        Gift.objects.create(
            person=person, kind=GiftKind.HANDS, title="Naaien en verstellen", share=True
        )
        Gift.objects.create(person=person, kind=GiftKind.HEART, title="Voorlezen aan kinderen")
    if person.user_id is not None:
        world.claim_code = None
        return
    Invite.objects.update_or_create(
        secret_hash=hash_secret(DEMO_CODE),
        defaults={
            "person": person,
            "kind": InviteKind.CODE,
            "created_by": world.users.get("builder"),
            "expires_at": timezone.now() + timedelta(days=14),
            "used_at": None,
            "revoked_at": None,
        },
    )
    world.claim_code = format_code(DEMO_CODE)
    sys.stdout.write(f"Claim code for {person.name} (demo): {world.claim_code} at /claim/\n")

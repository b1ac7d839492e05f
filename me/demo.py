"""Demo data: an open invite code for one recorded, unclaimed person, so a visitor can claim.

The person is one of the residents app's demo people (``demo-0`` of the first neighbourhood),
so the number of people stays what ``seed_demo --people`` asked for.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from neighbourhoods.demo import DemoWorld, register_seeder
from residents.models import Person

DEMO_CODE = "DEMA7KQX"  # fixed, so the demo reads the same every time


@register_seeder(order=90)
@transaction.atomic
def seed_claimable_person(world: DemoWorld) -> None:

    from .models import Invite, InviteKind, format_code, hash_secret

    world.claim_code = None
    unclaimed = Person.objects.filter(
        neighbourhood=world.neighbourhoods[0], user__isnull=True, external_id__startswith="demo-"
    )
    person = unclaimed.filter(external_id="demo-0").first() or unclaimed.order_by("pk").first()
    if person is None:
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

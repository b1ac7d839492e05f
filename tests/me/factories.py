"""Plain factories for claimed profiles and invites."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from me.models import Invite, InviteKind
from residents.models import Person
from tests.residents.factories import make_person


def make_claimed(neighbourhood, user, name: str = "Ans Jansen", **extra) -> Person:
    """The user's own profile in this neighbourhood (reused when it exists)."""
    existing = Person.objects.filter(neighbourhood=neighbourhood, user=user).first()
    if existing is not None:
        return existing
    return make_person(neighbourhood, name, user=user, **extra)


def make_invite(person, kind: str = InviteKind.LINK, by=None, *, days: int = 14):
    """(invite, secret). ``days`` below zero makes an expired one."""
    invite, secret = Invite.make(person, kind, by, days=max(days, 1))
    if days <= 0:
        invite.expires_at = timezone.now() - timedelta(days=1 - days)
        invite.save(update_fields=["expires_at"])
    return invite, secret

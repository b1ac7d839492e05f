"""Claiming a profile: find the invite, then hand the person to a login in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.trail import acting_as
from neighbourhoods.access import membership_for
from neighbourhoods.models import Membership, Neighbourhood, Role
from residents.consent import give_online_for_visibility
from residents.models import Person

from .models import ClaimCodeAttempt, Invite, hash_secret

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Codes are short, so wrong guesses are limited per client address (counted in the database,
# so every app server sees the same count).
CODE_ATTEMPTS = 10
CODE_WINDOW_SECONDS = 15 * 60


class InviteProblem(Exception):
    """Why an invite cannot be used, with the text the visitor reads."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


REASONS = {
    "unknown": (
        _("We do not know this invite."),
        _(
            "The link or code may be mistyped or incomplete. Check it, or ask your community "
            "builder for a new one."
        ),
        404,
    ),
    "expired": (
        _("This invite has expired."),
        _("Invites are valid for 14 days. Ask your community builder for a new one."),
        410,
    ),
    "used": (
        _("This invite has already been used."),
        _(
            "Each invite works once. If you claimed your profile already, log in. Otherwise "
            "ask your community builder for a new invite."
        ),
        410,
    ),
    "revoked": (
        _("This invite was withdrawn."),
        _("Ask your community builder for a new one."),
        410,
    ),
    "claimed": (
        _("This profile has already been claimed."),
        _(
            "Someone already took charge of this profile. If that was you, log in. If it was "
            "not you, tell your community builder at once."
        ),
        409,
    ),
    "taken": (
        _("You already have a profile in this neighbourhood."),
        _("One login can own one profile per neighbourhood. Log in with another account."),
        409,
    ),
    "helper": (
        _("A resident claims their profile on their own account."),
        _("Community builders, coordinators and staff cannot take a resident's profile."),
        403,
    ),
    "throttled": (
        _("Too many wrong codes."),
        _("Wait a quarter of an hour and try again, or ask your community builder for help."),
        429,
    ),
}


def problem(reason: str) -> InviteProblem:
    return InviteProblem(reason, REASONS[reason][2])


def check(invite: Invite | None) -> Invite:
    """The invite if it can still be used, else the reason it cannot (raised)."""
    if invite is None:
        raise problem("unknown")
    if invite.person.user_id is not None:
        raise problem("claimed")
    if invite.used_at is not None:
        raise problem("used")
    if invite.revoked_at is not None:
        raise problem("revoked")
    if invite.is_expired:
        raise problem("expired")
    return invite


def find(secret: str) -> Invite:
    invite = (
        Invite.objects.select_related("person", "person__neighbourhood")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
    return check(invite)


def find_by_code(code: str, address: str) -> Invite:
    """The invite of ``code``; after CODE_ATTEMPTS wrong codes from ``address``, none for a while.

    The try is written down before it is counted, so parallel guesses (on any app server) see
    each other. Only wrong codes stay: a code that names an invite takes its row back, and
    rows older than the window are deleted with the next wrong code (an indexed range).
    """
    attempt = ClaimCodeAttempt.objects.create(
        address=(address or "unknown")[:45], tried_at=timezone.now()
    )
    since = attempt.tried_at - timedelta(seconds=CODE_WINDOW_SECONDS)
    tries = ClaimCodeAttempt.objects.filter(address=attempt.address, tried_at__gt=since).count()
    if tries > CODE_ATTEMPTS:
        attempt.delete()
        raise problem("throttled")
    try:
        invite = find(code)
    except InviteProblem as error:
        if error.reason == "unknown":
            ClaimCodeAttempt.objects.filter(tried_at__lte=since).delete()
        else:
            attempt.delete()
        raise
    attempt.delete()
    return invite


def is_helper(user, neighbourhood: Neighbourhood) -> bool:
    """Staff, or a builder or coordinator of the neighbourhood: they never take its profiles.

    A builder who opens a resident's invite on their own phone would otherwise claim the
    resident's profile onto the builder's login.
    """
    membership = membership_for(user, neighbourhood)
    return membership is not None and membership.at_least(Role.BUILDER)


@dataclass
class Claimed:
    person: Person
    user: User
    created_user: bool


@transaction.atomic
def claim(invite_id: int, *, user=None, username: str = "", password: str = "") -> Claimed:
    """Give the invite's person to ``user`` (or to a new login); refuses stale invites."""
    invite = Invite.objects.select_for_update().filter(pk=invite_id).first()
    if invite is None:
        raise problem("unknown")
    person = Person.objects.select_for_update().get(pk=invite.person_id)
    invite.person = person
    check(invite)
    created = user is None
    if created:
        User = get_user_model()
        user = User(username=username, email=person.email, first_name=person.name[:150])
        user.set_password(password)
        user.save()
    elif is_helper(user, person.neighbourhood):
        raise problem("helper")
    elif Person.objects.filter(neighbourhood_id=person.neighbourhood_id, user=user).exists():
        raise problem("taken")
    person.user = user
    person.updated_by = user
    with acting_as(user):  # the trail says the resident took it, not "unknown"
        person.save(update_fields=["user", "updated_by", "updated_at"])
    Membership.objects.get_or_create(
        user=user, neighbourhood_id=person.neighbourhood_id, defaults={"role": Role.RESIDENT}
    )
    now = timezone.now()
    invite.used_at = now
    invite.save(update_fields=["used_at"])
    Invite.objects.filter(person=person, used_at__isnull=True, revoked_at__isnull=True).exclude(
        pk=invite.pk
    ).update(revoked_at=now)
    give_online_for_visibility(person, person.visibility or {}, user)
    return Claimed(person=person, user=user, created_user=created)

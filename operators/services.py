"""Every write of the operators app: one atomic action each, audited where people are concerned."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.models import Action, AuditEntry
from exchange.boundaries import centroid
from neighbourhoods import freshness
from neighbourhoods.models import Membership, Neighbourhood, Role, remove_member
from network.models import Street
from residents.models import normalise

from .models import (
    CbsArea,
    Invitation,
    Level,
    Operator,
    OperatorAdmin,
    OperatorNeighbourhood,
    hash_token,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User as AuthUser  # what get_user_model() gives

User = get_user_model()


def _audit(user, action: str, membership: Membership, note: str) -> None:
    AuditEntry.objects.create(
        neighbourhood_id=membership.neighbourhood_id,
        actor=user,
        action=action,
        model_label="neighbourhoods.Membership",
        object_id=str(membership.pk),
        changes={
            "role": [None, membership.role] if action == Action.CREATE else [membership.role, None]
        },
        note=note[:200],
    )


def unique_slug(name: str, model=Neighbourhood) -> str:
    base = (slugify(name) or "buurt")[:70]
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_operator(*, name: str, kind: str, admins=()) -> Operator:
    operator = Operator.objects.create(name=name, slug=unique_slug(name, Operator), kind=kind)
    for user in admins:
        OperatorAdmin.objects.get_or_create(operator=operator, user=user)
    return operator


@transaction.atomic
def create_neighbourhood(
    operator: Operator,
    *,
    by,
    name: str = "",
    area: CbsArea | None = None,
    boundary: dict | None = None,
    municipality: str = "",
    streets: Sequence[str] = (),
    coordinator: bool = True,
) -> Neighbourhood:
    """A neighbourhood of ``operator``: from a CBS area (name, codes, boundary, centre come
    with it), from an uploaded boundary, or with none (a village without a code)."""
    if area is not None:
        name = name or area.name
        municipality = municipality or area.gemeente_name
        boundary = area.boundary
        lat, lon = area.centre_lat, area.centre_lon
    else:
        lat = lon = None
        if boundary:
            centre = centroid(boundary)
            lat, lon = centre if centre else (None, None)
    if not name:
        raise ValidationError(_("Give the neighbourhood a name."))
    neighbourhood = Neighbourhood.objects.create(
        name=name,
        slug=unique_slug(name),
        municipality=municipality,
        cbs_code=area.code if area else "",
        boundary=boundary,
        centre_lat=lat,
        centre_lon=lon,
    )
    OperatorNeighbourhood.objects.create(
        operator=operator,
        neighbourhood=neighbourhood,
        wijk_code=area.wijk_code if area else "",
        wijk_name=(area.wijk_name or (area.name if area.level == Level.WIJK else ""))
        if area
        else "",
        gemeente_code=area.gemeente_code if area else "",
    )
    for street in streets:
        street = street.strip()[:120]
        if street:
            Street.objects.get_or_create(
                neighbourhood=neighbourhood, normalised=normalise(street), defaults={"name": street}
            )
    if coordinator and by is not None:
        membership = Membership.objects.create(
            user=by, neighbourhood=neighbourhood, role=Role.COORDINATOR
        )
        _audit(by, Action.CREATE, membership, _("started the neighbourhood"))
    freshness.touch(neighbourhood.pk)
    return neighbourhood


@dataclass
class Invited:
    invitation: Invitation
    token: str


@transaction.atomic
def invite(operator: Operator, *, by, email: str, role: str, neighbourhoods) -> Invited:
    neighbourhoods = list(neighbourhoods)
    own = set(
        OperatorNeighbourhood.objects.filter(
            operator=operator, neighbourhood__in=neighbourhoods
        ).values_list("neighbourhood_id", flat=True)
    )
    if not neighbourhoods or any(n.pk not in own for n in neighbourhoods):
        raise ValidationError(_("Choose one or more neighbourhoods of this organisation."))
    if role not in Role.values:
        raise ValidationError(_("Choose a role."))
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        operator=operator, email=email, role=role, token_hash=hash_token(token), created_by=by
    )
    invitation.neighbourhoods.set(neighbourhoods)
    return Invited(invitation, token)


class InvitationProblem(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def find_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("operator").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None:
        raise InvitationProblem("unknown")
    if invitation.accepted_at is not None:
        raise InvitationProblem("used")
    if invitation.revoked_at is not None:
        raise InvitationProblem("revoked")
    if invitation.is_expired:
        raise InvitationProblem("expired")
    return invitation


@transaction.atomic
def accept(token: str, *, user=None, username: str = "", password: str = "") -> AuthUser:
    """Use an invitation once: the (new or signed-in) user gets its role in its neighbourhoods."""
    invitation = find_invitation(token)
    # Lock the row: two tabs accepting at once give one acceptance.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationProblem("used")
    if user is None:
        user = User(username=username, email=invitation.email)
        user.set_password(password)
        user.save()
    for neighbourhood in invitation.neighbourhoods.all():
        membership, created = Membership.objects.get_or_create(
            user=user, neighbourhood=neighbourhood, defaults={"role": invitation.role}
        )
        if not created and not membership.at_least(Role(invitation.role)):
            membership.role = invitation.role
            membership.save(update_fields=["role"])
            created = True
        if created:
            _audit(user, Action.CREATE, membership, _("accepted an invitation"))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def revoke(invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def remove(operator: Operator, membership: Membership, *, by) -> None:
    """Remove someone's role in one of the operator's neighbourhoods (never the last coordinator)."""
    if not OperatorNeighbourhood.objects.filter(
        operator=operator, neighbourhood_id=membership.neighbourhood_id
    ).exists():
        raise ValidationError(_("This neighbourhood is not run by this organisation."))
    _audit(by, Action.DELETE, membership, _("removed by the organisation"))
    remove_member(membership)

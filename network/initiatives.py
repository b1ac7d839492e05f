"""Initiatives: who is in them, how many of their members know each other, and growth.

*Potential* relations of a group of n members are n(n−1)/2 (14 → 91). *Confirmed* ones are
connections (of any origin, active that day) between two people who are both members that
day. Joining connects nobody; a builder confirms who knows whom with :func:`confirm`, which
records "met in an initiative" connections.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import trail
from audit.models import Action
from neighbourhoods import freshness
from neighbourhoods.models import Membership
from residents.disclosure import sees_ties_of
from residents.models import Person

from . import figures as fig
from .models import Connection, Initiative, InitiativeMember, Origin, connect


@dataclass(frozen=True)
class Relations:
    members: int
    potential: int
    confirmed: int

    @property
    def share(self) -> float:
        return self.confirmed / self.potential if self.potential else 0.0


@dataclass(frozen=True)
class GrowthPoint:
    month: datetime.date
    members: int
    potential: int
    confirmed: int


def _members(initiative: Initiative) -> list[InitiativeMember]:
    return list(initiative.members.all().order_by())


def _pairs_among(person_ids: set[int]) -> list[Connection]:
    if not person_ids:
        return []
    return list(
        Connection.objects.filter(person_id__in=person_ids, other_person_id__in=person_ids)
        .order_by()
        .only("person_id", "other_person_id", "since", "ended")
    )


def relations_on(
    members: list[InitiativeMember], connections: list[Connection], day: datetime.date
) -> Relations:
    current = {m.person_id for m in members if m.is_current_on(day)}
    confirmed = sum(
        1
        for c in connections
        if c.person_id in current and c.other_person_id in current and c.is_active_on(day)
    )
    return Relations(len(current), fig.potential_relations(len(current)), confirmed)


def relations(initiative: Initiative, day: datetime.date | None = None) -> Relations:
    members = _members(initiative)
    return relations_on(
        members, _pairs_among({m.person_id for m in members}), day or timezone.localdate()
    )


def growth(initiative: Initiative, months: int = 24) -> list[GrowthPoint]:
    """Members, potential and confirmed relations at the end of each month, up to today."""
    members = _members(initiative)
    if not members:
        return []
    today = timezone.localdate()
    first = min(m.joined for m in members)
    if initiative.started_on and initiative.started_on < first:
        first = initiative.started_on
    starts = fig.month_starts(max(first, fig.months_back(today, months - 1)), today)
    connections = _pairs_among({m.person_id for m in members})
    points = []
    for month in starts:
        day = min(fig.month_end(month), today)
        r = relations_on(members, connections, day)
        points.append(GrowthPoint(month, r.members, r.potential, r.confirmed))
    return points


# ------------------------------------------------------------------------------ members


@dataclass(frozen=True)
class MemberRow:
    member: InitiativeMember
    name: str | None  # None: the viewer may not see this member's name
    current: bool


@dataclass(frozen=True)
class MemberList:
    shown: list[MemberRow]
    hidden_count: int


def member_rows(initiative: Initiative, membership: Membership) -> MemberList:
    """Members as one viewer may see them: hidden names are counted, never shown."""
    today = timezone.localdate()
    shown, hidden = [], 0
    members = initiative.members.select_related("person").order_by("person__name", "pk")
    for member in members:
        if sees_ties_of(member.person, membership):
            shown.append(MemberRow(member, member.person.name, member.is_current_on(today)))
        else:
            hidden += 1
    return MemberList(shown, hidden)


@dataclass(frozen=True)
class PairState:
    person: Person
    connection: Connection | None


def pairs_for(initiative: Initiative, person: Person) -> list[PairState]:
    """The other current members, each with the connection to ``person`` if there is one."""
    today = timezone.localdate()
    others = [
        m.person
        for m in initiative.members.current_on(today)
        .select_related("person")
        .exclude(person=person)
        .order_by("person__name", "pk")
    ]
    ids = [p.pk for p in others]
    found = {
        (c.other_person_id if c.person_id == person.pk else c.person_id): c
        for c in Connection.objects.filter(
            Q(person=person, other_person_id__in=ids) | Q(other_person=person, person_id__in=ids)
        )
    }
    return [PairState(p, found.get(p.pk)) for p in others]


@transaction.atomic
def confirm(
    initiative: Initiative, person: Person, others: list[Person], since: datetime.date, by
) -> tuple[list[Connection], list[Person]]:
    """Record that ``person`` knows ``others`` (fellow members): "met in an initiative".

    Pairs that are connected already (in any way) are left as they are and returned as
    skipped; nothing is ever duplicated.
    """
    today = timezone.localdate()
    current = set(initiative.members.current_on(today).values_list("person_id", flat=True))
    if person.pk not in current:
        raise ValidationError(_("%(name)s is not a member of this initiative.") % {"name": person})
    made, skipped = [], []
    for other in others:
        if other.pk not in current or other.pk == person.pk:
            raise ValidationError(
                _("%(name)s is not another member of this initiative.") % {"name": other}
            )
        low, high = sorted([person.pk, other.pk])
        if Connection.objects.filter(person_id=low, other_person_id=high).exists():
            skipped.append(other)
            continue
        try:
            with transaction.atomic():
                made.append(
                    connect(
                        person,
                        other,
                        origin=Origin.INITIATIVE,
                        since=since,
                        initiative=initiative,
                        recorded_by=by,
                    )
                )
        except IntegrityError:  # made by someone else a moment ago
            skipped.append(other)
    return made, skipped


@dataclass(frozen=True)
class GroupConfirmed:
    members: int
    pairs: int  # n(n−1)/2 among the chosen members
    made: int  # new connections
    existing: int  # pairs that were connected already, left as they were


def confirm_group(
    initiative: Initiative, people: list[Person], since: datetime.date, by
) -> GroupConfirmed:
    """ "These members know each other since ``since``": every pair among ``people`` (current
    members) is connected, "met in an initiative"; pairs connected already in any way are
    left alone. A constant number of queries whatever the group's size; one audit entry."""
    ids = sorted({p.pk for p in people})
    if len(ids) < 2:
        raise ValidationError(_("Choose at least two members."))
    with transaction.atomic(), freshness.batch(initiative.neighbourhood_id):
        current = set(
            initiative.members.current_on(timezone.localdate()).values_list("person_id", flat=True)
        )
        if not set(ids) <= current:
            raise ValidationError(_("Choose current members of this initiative only."))
        pairs = {(low, high) for i, low in enumerate(ids) for high in ids[i + 1 :]}
        before = set(
            Connection.objects.filter(person_id__in=ids, other_person_id__in=ids).values_list(
                "person_id", "other_person_id"
            )
        )
        new = [
            Connection(
                neighbourhood_id=initiative.neighbourhood_id,
                person_id=low,
                other_person_id=high,
                origin=Origin.INITIATIVE,
                since=since,
                initiative=initiative,
                recorded_by=by,
            )
            for low, high in sorted(pairs - before)
        ]
        Connection.objects.bulk_create(new, ignore_conflicts=True)  # one made meanwhile stays
        after = Connection.objects.filter(person_id__in=ids, other_person_id__in=ids).count()
        made = after - len(before)
        result = GroupConfirmed(len(ids), len(pairs), made, len(pairs) - made)
        trail.record(
            Action.TIES,
            initiative,
            {
                "members": ids,
                "since": since.isoformat(),
                "pairs": result.pairs,
                "made": result.made,
            },
            by=by,
        )
    return result

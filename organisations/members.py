"""Members of an organisation as one viewer may see them.

Whether a member shows is decided by ``residents.disclosure`` (the one place for that):
builders and coordinators see every member; residents see a member only where that person
shows their name and their memberships to residents (or it is their own profile). Hidden
members are counted, not named.
"""

from __future__ import annotations

from dataclasses import dataclass

from neighbourhoods.models import Membership
from residents.disclosure import sees_ties_of

from .models import Organisation, OrganisationMember


@dataclass(frozen=True)
class MemberRow:
    member: OrganisationMember
    name: str | None  # None: this viewer may not see the name

    @property
    def pk(self) -> int:
        return self.member.pk


@dataclass(frozen=True)
class MemberList:
    shown: list[MemberRow]
    hidden_count: int

    @property
    def total(self) -> int:
        return len(self.shown) + self.hidden_count


def member_rows(organisation: Organisation, membership: Membership) -> MemberList:
    members = organisation.memberships.select_related("person").order_by("person__name", "pk")
    shown: list[MemberRow] = []
    hidden = 0
    for member in members:
        if sees_ties_of(member.person, membership):
            shown.append(MemberRow(member=member, name=member.person.name))
        else:
            hidden += 1
    return MemberList(shown=shown, hidden_count=hidden)

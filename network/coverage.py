"""Coverage: per street, how many residents we know, how many conversations were held there,
and how many of its people have no connection yet; and the streets on the neighbourhood's
street list that nobody has talked to yet.

Street names are matched case- and accent-insensitively (``residents.models.normalise``).
Finished conversations are counted by the street of the person talked with.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from conversations.models import Conversation
from neighbourhoods import freshness
from neighbourhoods.models import Neighbourhood
from residents.models import Person, normalise

from .models import Connection, Street


@dataclass
class StreetRow:
    street: str
    people: int = 0
    conversations: int = 0
    without_connection: int = 0
    on_list: bool = False

    @property
    def share_without(self) -> float:
        return self.without_connection / self.people if self.people else 0.0


@dataclass
class Coverage:
    rows: list[StreetRow] = field(default_factory=list)
    not_talked_to: list[str] = field(default_factory=list)
    has_street_list: bool = False

    @property
    def totals(self) -> StreetRow:
        total = StreetRow(street="")
        for row in self.rows:
            total.people += row.people
            total.conversations += row.conversations
            total.without_connection += row.without_connection
        return total


def _people_by_street(neighbourhood: Neighbourhood, today: datetime.date) -> list[dict]:
    """People and people without an active connection, per street as typed: the one heavy
    query of the page (an anti-join over every person), kept until the people or their
    connections change (the data version) or the day does."""

    def count() -> list[dict]:
        active = Connection.objects.active_on(today)
        rows = (
            Person.objects.in_neighbourhood(neighbourhood)
            .annotate(
                linked=Exists(active.filter(person=OuterRef("pk")))
                | Exists(active.filter(other_person=OuterRef("pk")))
            )
            .order_by()
            .values("street")
            .annotate(n=Count("pk"), alone=Count("pk", filter=Q(linked=False)))
        )
        return [dict(row) for row in rows]

    return freshness.kept(neighbourhood, None, f"coverage:streets:{today.isoformat()}", count)


def coverage(neighbourhood: Neighbourhood) -> Coverage:
    rows: dict[str, StreetRow] = {}
    for row in _people_by_street(neighbourhood, timezone.localdate()):
        key = normalise(row["street"])
        item = rows.setdefault(key, StreetRow(street=row["street"] or ""))
        item.people += row["n"]
        item.without_connection += row["alone"]

    report = Coverage()
    talks = (
        Conversation.objects.in_neighbourhood(neighbourhood)
        .finished()
        .order_by()
        .values("person__street")
        .annotate(n=Count("pk"))
    )
    for talk in talks:
        key = normalise(talk["person__street"])
        item = rows.setdefault(key, StreetRow(street=talk["person__street"] or ""))
        item.conversations += talk["n"]

    streets = list(Street.objects.in_neighbourhood(neighbourhood))
    report.has_street_list = bool(streets)
    for street in streets:
        item = rows.setdefault(street.normalised, StreetRow(street=street.name))
        item.on_list = True
        if item.conversations == 0:
            report.not_talked_to.append(street.name)
    report.rows = sorted(
        rows.values(), key=lambda r: (normalise(r.street) == "", normalise(r.street))
    )
    return report

"""Builders' reflections: the balance per builder and per month, and what each is about.

The balance counts reflections (strengthening / harmful / neutral) of the builders' own work;
it never scores residents, and nothing here is shown to residents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Reflection, ReflectionKind


@dataclass
class Tally:
    strengthening: int = 0
    harmful: int = 0
    neutral: int = 0

    @property
    def total(self) -> int:
        return self.strengthening + self.harmful + self.neutral

    def add(self, kind: str, count: int) -> None:
        setattr(self, kind, getattr(self, kind) + count)


@dataclass
class BuilderRow:
    name: str
    months: list[Tally]
    total: Tally = field(default_factory=Tally)


@dataclass
class Balance:
    months: list[datetime.date]
    rows: list[BuilderRow]
    month_totals: list[Tally]
    total: Tally

    @property
    def by_month(self) -> list[tuple[datetime.date, Tally]]:
        return list(zip(self.months, self.month_totals, strict=True))


def month_starts(end: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the ``count`` months up to and including ``end``'s month."""
    year, month = end.year, end.month
    months = []
    for _i in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    day = start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def builder_name(user) -> str:
    if user is None:
        return _("a former community builder")
    return user.get_full_name() or user.get_username()


def balance(reflections: QuerySet[Reflection], months: list[datetime.date]) -> Balance:
    """Counts per builder and month (one query, plus one for the builders' names)."""
    if not months:
        return Balance([], [], [], Tally())
    end = (months[-1] + datetime.timedelta(days=32)).replace(day=1)
    rows = (
        reflections.filter(written_on__gte=months[0], written_on__lt=end)
        .annotate(month=TruncMonth("written_on"))
        .values_list("author_id", "month", "kind")
        .annotate(count=Count("pk"))
        .order_by()
    )
    index = {month: i for i, month in enumerate(months)}
    by_author: dict[int | None, list[Tally]] = {}
    month_totals = [Tally() for _m in months]
    total = Tally()
    for author_id, month, kind, count in rows:
        if isinstance(month, datetime.datetime):
            month = month.date()
        tallies = by_author.setdefault(author_id, [Tally() for _m in months])
        position = index.get(month)
        if position is None or kind not in ReflectionKind.values:
            continue
        tallies[position].add(kind, count)
        month_totals[position].add(kind, count)
        total.add(kind, count)
    users = get_user_model().objects.in_bulk([a for a in by_author if a is not None])
    builder_rows = []
    for author_id, tallies in by_author.items():
        row = BuilderRow(builder_name(users.get(author_id)), tallies)
        for tally in tallies:
            for kind in ReflectionKind.values:
                row.total.add(kind, getattr(tally, kind))
        builder_rows.append(row)
    builder_rows.sort(key=lambda r: r.name.lower())
    return Balance(months, builder_rows, month_totals, total)


def with_subjects(reflections: QuerySet[Reflection]) -> QuerySet[Reflection]:
    """With what each is about, for its text: not the conversation's own words, and not the
    neighbourhood of its initiative or conversation (links name the page's own; joined, its
    27 kB boundary was decoded for every row: 12 of the list's 16 ms of SQL at 20,000
    people, issue #19)."""
    return (
        reflections.select_related("author", "conversation__person", "introduction", "initiative")
        .defer("conversation__cares_about", "conversation__ideas", "conversation__private_notes")
        # fetched apart: one join of all eight tables took PostgreSQL 6 ms to plan (0.5 to run)
        .prefetch_related(
            "introduction__person", "introduction__to_person", "introduction__to_organisation"
        )
    )


def subject_text(reflection: Reflection, *, names: bool = True) -> str:
    """What the reflection is about; ``names=False`` leaves residents' names out."""
    if (initiative := reflection.initiative) is not None:
        return _("initiative %(name)s") % {"name": initiative.name}
    if (conversation := reflection.conversation) is not None:
        when = date_format(conversation.held_on, "j F Y")
        if names:
            return _("conversation with %(name)s on %(date)s") % {
                "name": conversation.person.name,
                "date": when,
            }
        return _("a conversation on %(date)s") % {"date": when}
    if (introduction := reflection.introduction) is not None:
        if names:
            return _("introduction of %(person)s to %(other)s") % {
                "person": introduction.person.name,
                "other": str(introduction.target),
            }
        return _("an introduction")
    return ""

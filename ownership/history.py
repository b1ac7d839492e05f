"""The history sentence of an initiative, from plain facts (no database access).

"Started by a community builder who brought 4 residents together; carried by 4 residents
together with Participe Amstelland from January 2025; carried by 4 residents alone since April 2025."
Residents are counted, never named: the sentence shows on pages residents see too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import StartedBy


@dataclass(frozen=True)
class PeriodFacts:
    since: datetime.date
    residents: int
    organisations: tuple[str, ...]


def start_phrase(started_by: str | None, organisation: str | None, first_residents: int) -> str:
    if started_by == StartedBy.RESIDENTS:
        return _("Started as residents' own idea")
    if started_by == StartedBy.BUILDER:
        if first_residents:
            return ngettext(
                "Started by a community builder together with %(count)s resident",
                "Started by a community builder who brought %(count)s residents together",
                first_residents,
            ) % {"count": first_residents}
        return _("Started by a community builder who brought people together")
    if started_by == StartedBy.PROFESSIONAL:
        if organisation:
            return _("Started as a project of %(organisation)s") % {"organisation": organisation}
        return _("Started as a professional's project")
    return ""


def carried_phrase(period: PeriodFacts) -> str:
    names = ", ".join(period.organisations)
    if period.residents and names:
        return ngettext(
            "carried by %(count)s resident together with %(organisations)s",
            "carried by %(count)s residents together with %(organisations)s",
            period.residents,
        ) % {"count": period.residents, "organisations": names}
    if names:
        return _("carried by %(organisations)s alone") % {"organisations": names}
    if period.residents:
        return ngettext(
            "carried by %(count)s resident alone",
            "carried by %(count)s residents alone",
            period.residents,
        ) % {"count": period.residents}
    return _("carried by nobody")


def sentence(started_by: str | None, organisation: str | None, periods: list[PeriodFacts]) -> str:
    """The whole history in one sentence; empty when nothing was recorded."""
    periods = sorted(periods, key=lambda p: p.since)
    parts = []
    start = start_phrase(started_by, organisation, periods[0].residents if periods else 0)
    if start:
        parts.append(start)
    changes: list[tuple[str, datetime.date]] = []
    for period in periods:
        phrase = carried_phrase(period)
        if not changes or changes[-1][0] != phrase:
            changes.append((phrase, period.since))
    for index, (phrase, since) in enumerate(changes):
        values = {"carried": phrase, "date": date_format(since, "F Y")}
        if index == len(changes) - 1:
            parts.append(_("%(carried)s since %(date)s") % values)
        else:
            parts.append(_("%(carried)s from %(date)s") % values)
    if not parts:
        return ""
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."

"""Plain factories for connections, initiatives and their members."""

from __future__ import annotations

import datetime
import itertools
import re

from network.models import (
    Connection,
    Initiative,
    InitiativeMember,
    InitiativeStatus,
    Origin,
    Street,
    connect,
)
from residents.models import Audience, Gift, GiftKind, Person, Tag

_seq = itertools.count(1)


def person(
    neighbourhood,
    name: str | None = None,
    *,
    street="Lindenlaan",
    shown=Audience.RESIDENTS,
    **extra,
) -> Person:
    """A person whose every field is shown to ``shown`` (residents by default)."""
    from residents.models import PERSON_FIELDS

    visibility = dict.fromkeys(PERSON_FIELDS, Audience(shown).value)
    visibility.update(extra.pop("visibility", {}))
    return Person.objects.create(
        neighbourhood=neighbourhood,
        name=name or f"Netwerk {next(_seq)}",
        street=street,
        visibility=visibility,
        **extra,
    )


def gift(
    owner: Person, title: str, kind=GiftKind.HEART, *, tags=(), share=False, learn=False
) -> Gift:
    made = Gift.objects.create(person=owner, kind=kind, title=title, share=share, learn=learn)
    if tags:
        made.tags.set(Tag.objects.resolve(owner.neighbourhood, list(tags)))
    return made


def link(a: Person, b: Person, since=None, *, origin=Origin.KNEW, **extra) -> Connection:
    return connect(a, b, origin=origin, since=since, **extra)


def initiative(neighbourhood, name: str | None = None, **extra) -> Initiative:
    extra.setdefault("status", InitiativeStatus.ACTIVE)
    return Initiative.objects.create(
        neighbourhood=neighbourhood, name=name or f"Initiatief {next(_seq)}", **extra
    )


def member(initiative_: Initiative, who: Person, joined=None, **extra) -> InitiativeMember:
    return InitiativeMember.objects.create(
        initiative=initiative_,
        person=who,
        joined=joined or datetime.date(2025, 1, 1),
        **extra,
    )


def street(neighbourhood, name: str) -> Street:
    made = Street(neighbourhood=neighbourhood, name=name)
    made.save()
    return made


def recorded(obj, day: datetime.date) -> None:
    """Backdate when a row was entered (``created_at``, noon local time on ``day``)."""
    from django.utils import timezone

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def dashboard_network_figures(html: str) -> dict[str, int]:
    """The network panel's figures as the dashboard shows them ({"People": 12, ...}): the
    panel is cached as HTML, so tests read what the page says."""
    start = html.index('aria-labelledby="network-heading"')
    panel = html[start : html.index("</section>", start)]
    pairs = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)", panel)
    return {label: int(value) for label, value in pairs}

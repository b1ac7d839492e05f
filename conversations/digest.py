"""Reminders of follow-ups by e-mail: each team member's digest of what is due and overdue.

A scheduled command (``manage.py send_digests``, from cron or the demo's scheduler) queues
:func:`conversations.tasks.send_digests`; the task sends every digest due that day. Never
from a web request. A digest lists only follow-ups its reader may see: open ones assigned to
them, in neighbourhoods where they are a community builder or coordinator today; someone
with nothing due gets no mail. ``DigestSetting.last_sent_on`` is claimed with one conditional
UPDATE before sending, so a digest goes out once a day at most, however often the job runs.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from neighbourhoods.models import Membership, Role
from residents.disclosure import name_of

from .models import DigestFrequency, DigestSetting, FollowUp

log = logging.getLogger(__name__)

# A weekly digest also lists what falls due in the coming week.
WEEK_AHEAD = datetime.timedelta(days=6)


@dataclass(frozen=True)
class Line:
    what: str
    person: str
    due_on: datetime.date
    overdue: bool
    url: str


@dataclass(frozen=True)
class Digest:
    setting: DigestSetting
    day: datetime.date
    lines: list[Line]

    @property
    def overdue(self) -> int:
        return sum(line.overdue for line in self.lines)


def digest_for(setting: DigestSetting, day: datetime.date) -> Digest:
    """What ``setting.user`` is reminded of on ``day`` (maybe nothing)."""
    user = setting.user
    memberships = {
        m.neighbourhood_id: m
        for m in Membership.objects.filter(
            user=user, role__in=[Role.BUILDER, Role.COORDINATOR]
        ).select_related("neighbourhood", "user")
    }
    until = day + WEEK_AHEAD if setting.frequency == DigestFrequency.WEEKLY else day
    rows = (
        FollowUp.objects.filter(neighbourhood_id__in=list(memberships), assignee=user)
        .due_by(until)
        .select_related("neighbourhood", "person", "conversation__person")
        .order_by("due_on", "pk")
    )
    base = settings.SITE_URL.rstrip("/")
    lines = []
    for row in rows:
        person = row.person or (row.conversation.person if row.conversation else None)
        lines.append(
            Line(
                what=row.what,
                person=name_of(person, memberships[row.neighbourhood_id]),
                due_on=row.due_on,
                overdue=row.due_on < day,
                url=base + reverse("conversations:follow_ups", args=[row.neighbourhood.slug]),
            )
        )
    return Digest(setting, day, lines)


def due_settings(day: datetime.date):
    """Settings of active users with an e-mail address whose digest may go out on ``day``."""
    candidates = (
        DigestSetting.objects.exclude(frequency=DigestFrequency.OFF)
        .filter(Q(last_sent_on__isnull=True) | ~Q(last_sent_on=day))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    return [setting for setting in candidates if setting.is_due(day)]


def send_digest(setting: DigestSetting, day: datetime.date) -> bool:
    """Send ``setting``'s digest for ``day`` once: claim the day first; nothing due, no mail."""
    digest = digest_for(setting, day)
    if not digest.lines:
        return False
    claimed = (
        DigestSetting.objects.filter(pk=setting.pk)
        .filter(Q(last_sent_on__isnull=True) | ~Q(last_sent_on=day))
        .update(last_sent_on=day)
    )
    if not claimed:  # another run sent it meanwhile
        return False
    with translation.override(setting.language or settings.LANGUAGE_CODE):
        context = {"digest": digest, "user": setting.user, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string("conversations/digest_subject.txt", context).split())
        body = render_to_string("conversations/digest_email.txt", context)
    try:
        send_mail(subject, body, None, [setting.user.email])
    except Exception:
        # Give the day back, so the next run tries again; then let the task retry or report.
        DigestSetting.objects.filter(pk=setting.pk, last_sent_on=day).update(
            last_sent_on=setting.last_sent_on
        )
        raise
    return True


def send_due_digests(day: datetime.date | None = None) -> int:
    """Every digest due on ``day`` (today by default); returns how many were sent."""
    day = day or timezone.localdate()
    sent = 0
    for setting in due_settings(day):
        try:
            sent += send_digest(setting, day)
        except Exception:
            log.exception("follow-up digest for user %s not sent", setting.user_id)
    return sent

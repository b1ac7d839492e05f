"""Queue the follow-up reminder digests (run it from cron, e.g. every hour or each morning).

Sending twice a day is harmless: a digest goes out once per day at most. ``--every N`` keeps
queueing every N seconds (the demo runs it so beside the task worker); ``--now`` sends in
this process instead of queueing (for a quick look without a worker).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from conversations import digest, tasks
from jobs import queue


class Command(BaseCommand):
    help = "Queue the e-mail digests of follow-ups due and overdue (once a day per person)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send here instead of queueing.")
        parser.add_argument(
            "--every", type=int, default=0, help="Repeat every this many seconds (a scheduler)."
        )

    def handle(self, *args, now: bool, every: int, **options) -> None:
        while True:
            day = timezone.localdate()
            if now:
                sent = digest.send_due_digests(day)
                self.stdout.write(f"{sent} digest(s) sent for {day.isoformat()}.")
            else:
                queue.enqueue(tasks.send_digests, day.isoformat())
                self.stdout.write(f"Follow-up digests for {day.isoformat()} queued.")
            if every <= 0:
                return
            time.sleep(every)

from django.conf import settings
from django.core.management.base import BaseCommand

from ...access import prune


class Command(BaseCommand):
    help = "Delete access log entries older than ACCESS_LOG_DAYS (run it daily)."

    def handle(self, *args, **options) -> None:
        deleted = prune()
        self.stdout.write(
            f"Deleted {deleted} access log rows older than {settings.ACCESS_LOG_DAYS} days."
        )

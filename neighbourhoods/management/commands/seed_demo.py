from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from neighbourhoods.demo import USERS, seed


class Command(BaseCommand):
    help = "Create or refresh the demo neighbourhoods, users and data (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--password",
            default=settings.ASSETMAP_DEMO_PASSWORD,
            help="Password for every demo user (default: %(default)s).",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=None,
            help="People in the first demo neighbourhood (default 150; 20000 for benchmarks).",
        )

        parser.add_argument(
            "--neighbourhoods",
            type=int,
            default=0,
            help="Extra neighbourhoods of --people people each, spread over organisations "
            "(for scale tests).",
        )

    def handle(
        self, *args, password: str, people: int | None, neighbourhoods: int, **options
    ) -> None:
        if (people is not None and people < 0) or neighbourhoods < 0:
            self.stderr.write("--people and --neighbourhoods must be zero or more.")
            raise SystemExit(2)
        world = seed(password=password, people=people, neighbourhoods=neighbourhoods)
        names = ", ".join(n.name for n in world.neighbourhoods)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {names}."))
        self.stdout.write("Logins: " + ", ".join(u[0] for u in USERS) + f" (password: {password})")

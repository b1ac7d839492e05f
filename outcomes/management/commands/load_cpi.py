"""manage.py load_cpi [PATH] [--source TEXT]: load or update the CBS price index per year."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outcomes.prices import CPI, CPI_SOURCE, PriceFileError, load_cpi


class Command(BaseCommand):
    help = (
        "Load the CBS consumer price index (CSV with year and cpi_<base>, e.g. a newer "
        "cpi_2025eq100_yearly.csv); years are matched and updated, nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CPI))
        parser.add_argument("--source", default=CPI_SOURCE)

    def handle(self, *args, path, source, **options):
        if not Path(path).is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with transaction.atomic():
                count = load_cpi(path=Path(path), source=source)
        except (PriceFileError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"{count} years of the price index loaded from {path}.")

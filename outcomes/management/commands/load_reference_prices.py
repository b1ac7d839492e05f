"""manage.py load_reference_prices [PATH] [--source TEXT]: load or update reference prices."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from outcomes.prices import PRICE_SOURCE, REFERENCE_PRICES, PriceFileError, load_reference_prices


class Command(BaseCommand):
    help = (
        "Load the costing manual's reference prices (CSV with Category, Unit, key and "
        "price_eur_<year>); rows are matched by key and updated, nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(REFERENCE_PRICES))
        parser.add_argument("--source", default=PRICE_SOURCE)

    def handle(self, *args, path, source, **options):
        if not Path(path).is_file():
            raise CommandError(f"No such file: {path}")
        try:
            with transaction.atomic():
                count = load_reference_prices(path=Path(path), source=source)
        except (PriceFileError, KeyError) as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"{count} reference prices loaded from {path}.")

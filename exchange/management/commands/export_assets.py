from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from audit import access
from neighbourhoods.models import Neighbourhood

from ... import exporting
from ...columns import INVENTORIES


class Command(BaseCommand):
    help = (
        "Export a neighbourhood: csv/csv-nl/xlsx per inventory (--what; csv-nl: semicolons for "
        "Dutch spreadsheet programs), GeoJSON of places, an Open "
        "Referral HSDS data package (ZIP; hsds-json for JSON) or the network for Kumu (XLSX; kumu-json for a blueprint)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", help="The file to write, or a folder (the file is named for you)."
        )
        parser.add_argument("--neighbourhood", required=True, help="Slug of the neighbourhood.")
        parser.add_argument("--format", required=True, choices=exporting.FORMATS)
        parser.add_argument("--what", choices=INVENTORIES, help="For csv, csv-nl and xlsx.")

    def handle(self, *args, path: str, neighbourhood: str, **options) -> None:
        translation.activate("en")
        nb = Neighbourhood.objects.filter(slug=neighbourhood).first()
        if nb is None:
            raise CommandError(f"There is no neighbourhood with slug {neighbourhood!r}.")
        try:
            result = exporting.export(
                exporting.as_coordinator(nb), options["format"], options.get("what")
            )
        except exporting.ExportRefused as refused:
            raise CommandError(refused.message) from refused
        access.record(
            None,
            access.AccessAction.EXPORT,
            nb,
            result.count,
            subjects=result.person_ids,
            what=result.what,
        )
        target = Path(path)
        if target.is_dir():
            target = target / result.file_name
        try:
            target.write_bytes(result.content)
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error.strerror}.") from error
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({len(result.content)} bytes)."))

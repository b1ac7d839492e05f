from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from neighbourhoods.models import Neighbourhood

from ... import importing, reading
from ...models import What


class Command(BaseCommand):
    help = (
        "Import people with gifts, organisations or places (CSV/XLSX), places (GeoJSON), a "
        "neighbourhood boundary (CBS buurten GeoJSON) or Open Referral HSDS (JSON, or a CSV data "
        "package as ZIP or folder) into a neighbourhood. Bad rows are reported by line number; "
        "nothing is imported unless every row is valid (or --valid-rows-only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The file, or a folder holding datapackage.json.")
        parser.add_argument("--neighbourhood", required=True, help="Slug of the neighbourhood.")
        parser.add_argument(
            "--what",
            default=What.AUTO,
            choices=[w.value for w in What],
            help="What the file holds (default: decide from the columns or contents).",
        )
        parser.add_argument(
            "--feature", default="", help="For a file of several boundaries: the buurtcode."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--valid-rows-only",
            action="store_true",
            help="Import the valid rows even when some rows have problems.",
        )

    def handle(self, *args, path: str, neighbourhood: str, **options) -> None:
        translation.activate("en")
        nb = Neighbourhood.objects.filter(slug=neighbourhood).first()
        if nb is None:
            raise CommandError(f"There is no neighbourhood with slug {neighbourhood!r}.")
        source = Path(path)
        try:
            if source.is_dir():
                plan = importing.build_plan_from_folder(source, nb)
                name = source.name
            elif source.is_file():
                reading.check_size(source.stat().st_size)  # before reading any of it
                name = source.name
                plan = importing.build_plan(
                    name,
                    source.read_bytes(),
                    nb,
                    what=options["what"],
                    feature=options["feature"],
                    progress=self._progress("checked"),
                )
            else:
                raise CommandError(f"{path}: no such file or folder.")
        except reading.Refused as refused:
            raise CommandError(f"{path}: {refused.message}") from refused
        self._report(plan)
        if plan.has_errors and not options["valid_rows_only"]:
            raise CommandError(
                "Nothing was imported: correct the rows above, or use --valid-rows-only."
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            outcome = importing.apply_plan(
                plan,
                nb,
                file_name=name,
                valid_only=options["valid_rows_only"],
                progress=self._progress("saved"),
            )
        except reading.Refused as refused:
            raise CommandError(refused.message) from refused
        if outcome.boundary:
            self.stdout.write(
                self.style.SUCCESS(f"Boundary of {nb.name} set from {outcome.boundary}.")
            )
        for inventory, counts in outcome.counts.items():
            self.stdout.write(
                self.style.SUCCESS(
                    f"{importing.SECTION_LABELS[inventory]}: {counts['created']} created, "
                    f"{counts['updated']} updated, {counts['unchanged']} unchanged."
                )
            )
        if outcome.skipped:
            self.stdout.write(f"{outcome.skipped} rows with problems were skipped.")

    def _progress(self, verb: str):
        def report(done: int, total: int) -> None:
            if total >= importing.CHUNK:
                self.stdout.write(f"… {verb} {done}/{total} rows")

        return report

    def _report(self, plan: importing.Plan) -> None:
        self.stdout.write(f"Format: {plan.format_label}.")
        for notice in plan.notices:
            self.stdout.write(f"Note: {notice}")
        if plan.boundary is not None:
            chosen = plan.boundary.chosen
            if chosen is not None:
                self.stdout.write(f"Boundary: {chosen.label} ({plan.boundary.reason}).")
            elif plan.boundary.options:
                codes = ", ".join(o.label for o in plan.boundary.options[:50])
                self.stdout.write(f"Boundaries in the file: {codes}")
            for error in plan.boundary.errors:
                self.stderr.write(f"Problem: {error}")
            return
        if plan.mapping:
            used = ", ".join(f"{h} → {c}" for h, c in plan.mapping if c)
            ignored = ", ".join(h for h, c in plan.mapping if not c and h)
            self.stdout.write(f"Columns: {used}." + (f" Ignored: {ignored}." if ignored else ""))
        for section in plan.sections:
            self.stdout.write(
                f"{section.label}: {len(section.rows)} rows — {section.count('create')} new, "
                f"{section.count('update')} to update, {section.count('unchanged')} unchanged, "
                f"{len(section.bad_rows)} with problems."
            )
        for row in plan.rows:
            for error in row.errors:
                self.stderr.write(f"{row.where}: {error}")
            for warning in row.warnings:
                self.stdout.write(f"{row.where}: note: {warning}")

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operators import cbs

DATA = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load a CBS buurten boundary file (GeoJSON, WGS 84; national or municipal) and, "
        "optionally, the CBS key figures per buurt (CSV), matched on buurtcode. Without "
        "arguments: the Amstelveen files shipped in operators/data/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("boundaries", nargs="?", help="CBS/PDOK buurten GeoJSON")
        parser.add_argument("--figures", help="CBS Kerncijfers wijken en buurten CSV")

    def handle(self, *args, boundaries: str | None, figures: str | None, **options) -> None:
        if boundaries is None and figures is None:
            boundaries = str(DATA / "amstelveen_buurten.geojson")
            figures = str(DATA / "amstelveen_kerncijfers_2024.csv")
        try:
            if boundaries:
                loaded = cbs.load_boundaries(Path(boundaries).read_bytes())
                self.stdout.write(f"{loaded.buurten} buurten in {loaded.wijken} wijken loaded.")
            if figures:
                loaded = cbs.load_figures(Path(figures).read_bytes())
                self.stdout.write(
                    f"Key figures for {loaded.matched} buurten"
                    + (
                        f"; {loaded.unmatched} rows without a loaded buurt."
                        if loaded.unmatched
                        else "."
                    )
                )
        except (OSError, cbs.CbsError) as error:
            raise CommandError(str(error)) from error

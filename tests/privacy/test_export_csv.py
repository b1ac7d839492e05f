"""The export's CSV files are safe to open in a spreadsheet: no cell runs as a formula.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) is a formula to
Excel and LibreOffice. The resident's own text may start that way; the export writes such
cells prefixed (e.g. with ``'``) so they read as text. Every CSV of the ZIP is read back
with :mod:`csv` and every cell holding one of the payloads is checked.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.urls import reverse

from residents.models import Audience
from tests.residents.factories import make_gift, make_person, visibility

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = {
    "title": ['=HYPERLINK("https://evil.example/";"klik")', "+1 taart", "-1 koekjes", "@x"],
    "description": ["=1+1"],
    "street_wish": ["=cmd|' /C calc'!A0"],
}


def test_export_csv_cells_never_start_a_formula(world, client_for):
    person = make_person(
        world.a.neighbourhood,
        "Formule Bewoner",
        user=world.a.resident,
        visibility=visibility(Audience.BUILDERS),
        street_wish=PAYLOADS["street_wish"][0],
    )
    for title in PAYLOADS["title"]:
        make_gift(person, title, description=PAYLOADS["description"][0])
    response = client_for(world.a.resident).post(reverse("me:export", args=[world.a.slug]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    wanted = {p for values in PAYLOADS.values() for p in values}
    found: dict[str, list[str]] = {p: [] for p in wanted}
    bad = []
    for name in archive.namelist():
        if not name.endswith(".csv"):
            continue
        rows = csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        for line, row in enumerate(rows, start=1):
            for cell in row:
                for payload in wanted:
                    if payload in cell:
                        found[payload].append(name)
                        if cell.startswith(DANGEROUS):
                            bad.append(f"{name} row {line}: {cell!r}")
    missing = [p for p, where in found.items() if not where]
    assert not missing, f"the export's CSV files lost the resident's own text: {missing}"
    assert not bad, "CSV cells a spreadsheet would run as a formula:\n" + "\n".join(bad)

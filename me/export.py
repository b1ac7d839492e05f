"""The resident's own data export (GDPR art. 15 and 20): one ZIP, JSON and CSV.

Only what is about the person by an explicit link (``me.records.own_records``), each record
as ``residents.disclosure`` lets the person see it: other people by name only where a
resident may see it (else "a neighbour"), nothing written about anyone else. Builders' notes
of conversations held with the person are included (they are about them). Spreadsheet
cells go through the same formula guard as every other export (``exchange.cells``).

Layout::

    README.txt
    everything.json             all of it in one file
    <app>.<model>.csv           one table per kind of record (e.g. residents.gift.csv)
    history.csv                 who changed what of the person's own records
    photos/<file name>          the person's photo
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePosixPath

from django.utils import timezone

from audit.models import AuditEntry
from exchange.exporting import write_csv
from neighbourhoods.models import Membership, Role
from residents.disclosure import subject_row, user_name

from .records import own_records


def subject_viewer(person) -> Membership:
    """The person as a viewer of their own neighbourhood: a resident who owns this profile."""
    return Membership(neighbourhood=person.neighbourhood, role=Role.RESIDENT, user=person.user)


def history_rows(person) -> list[dict]:
    """The audit rows of the person's own records (their row, gifts, conversations)."""
    trail = AuditEntry.objects.about_person(person.pk).select_related("actor").order_by("pk")
    return [
        {
            "when": entry.created_at.isoformat(timespec="seconds"),
            "by": user_name(entry.actor),
            "action": entry.get_action_display(),
            "record": f"{entry.model_label}#{entry.object_id}",
            "changes": entry.changes,
        }
        for entry in trail
    ]


def export_data(person) -> dict:
    """Everything about the person as plain data (what goes into everything.json)."""
    viewer = subject_viewer(person)
    data: dict = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "person_id": person.pk,
        "neighbourhood": person.neighbourhood.name,
        "records": {},
    }
    for section in own_records(person):
        data["records"][section.table] = [
            {"id": record.pk, **subject_row(record, person, viewer)} for record in section.records
        ]
    data["history"] = history_rows(person)
    return data


def _cell(value):
    if isinstance(value, list):
        return " | ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv(rows: list[dict]) -> bytes:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    stream = io.BytesIO()
    write_csv(columns, [{k: _cell(v) for k, v in row.items()} for row in rows], stream)
    return stream.getvalue()


def build_zip(person) -> bytes:
    data = export_data(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person))
        archive.writestr(
            "everything.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        for table, rows in data["records"].items():
            archive.writestr(f"{table}.csv", _csv(rows))
        if data["history"]:
            archive.writestr("history.csv", _csv(data["history"]))
        photo = person.photo
        if photo and photo.name:
            try:
                with photo.storage.open(photo.name, "rb") as handle:
                    archive.writestr(f"photos/{PurePosixPath(photo.name).name}", handle.read())
            except OSError:
                pass
    return buffer.getvalue()


def _readme(person) -> str:
    return (
        "Your data in Assetmap\n"
        "=====================\n\n"
        f"Person #{person.pk}, neighbourhood {person.neighbourhood.name}.\n"
        f"Made at {timezone.now():%Y-%m-%d %H:%M %Z}.\n\n"
        "everything.json holds all of it; every *.csv file is one kind of record about you.\n"
        "history.csv lists who changed what of your records, and when.\n"
        "photos/ holds your photo.\n"
        "This export includes community builders' notes of conversations with you.\n"
        "Other people appear by name only where they show their name to residents;\n"
        "otherwise as 'a neighbour'. What others wrote about other people is not included.\n"
    )

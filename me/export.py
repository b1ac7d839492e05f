"""The resident's own data export (GDPR art. 15 and 20): one ZIP, JSON and CSV.

Everything that belongs to the person (the same walk as erasure, ``me.records``), records
that link to them, outcomes that mention them, the audit trail about them, and their photo
files. Builders' private notes of conversations are included here, and only here.

Layout::

    README.txt
    everything.json             all of it in one file
    <app>.<model>.csv           one table per kind of record (e.g. residents.gift.csv)
    photos/<field>-<file name>  the files
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import PurePosixPath

from django.db import models
from django.utils import timezone

from audit.models import AuditEntry
from neighbourhoods.models import Membership, Role

from .records import Describer, collect, mentioning_outcomes


def _table_name(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }
        )
    return out.getvalue()


def export_data(person, records=None) -> dict:
    """Everything about the person as plain data (what goes into everything.json)."""
    # Other people appear by name only where a resident of the neighbourhood may see it.
    viewer = Membership(neighbourhood=person.neighbourhood, role=Role.RESIDENT, user=person.user)
    describer = Describer(person, viewer)
    records = records or collect(person)
    data: dict = {
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "person_id": person.pk,
        "neighbourhood": person.neighbourhood.name,
        "records": {},
        "linked_records": {},
    }
    for model, objs in records.owned.items():
        data["records"][_table_name(model)] = [describer.row(o, hide_private=False) for o in objs]
    for model, objs in records.linked.items():
        data["linked_records"][_table_name(model)] = [
            describer.row(o, hide_private=False) for o in objs
        ]
    outcomes = mentioning_outcomes(person, records)
    if outcomes:
        data["records"]["outcomes.outcome (mentioning you)"] = [
            describer.row(o, hide_private=False) for o in outcomes
        ]
    trail = AuditEntry.objects.about_person(person.pk).select_related("actor")
    data["records"]["audit.auditentry"] = [
        {
            "when": entry.created_at.isoformat(timespec="seconds"),
            "by": describer.user_name(entry.actor_id),
            "action": entry.action,
            "record": f"{entry.model_label}#{entry.object_id}",
            "changes": entry.changes,
        }
        for entry in trail
    ]
    return data


def _photos(records) -> list[tuple[str, object]]:
    files = []
    for _model, obj in records.all_owned():
        for f in obj._meta.concrete_fields:
            if isinstance(f, models.FileField):
                file = getattr(obj, f.attname)
                if file and file.name:
                    name = PurePosixPath(file.name).name
                    files.append((f"photos/{obj._meta.model_name}-{obj.pk}-{f.name}-{name}", file))
    return files


def build_zip(person) -> bytes:
    records = collect(person)
    data = export_data(person, records)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", _readme(person))
        archive.writestr(
            "everything.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        for section in ("records", "linked_records"):
            for table, rows in data[section].items():
                if rows:
                    prefix = "" if section == "records" else "linked-"
                    archive.writestr(f"{prefix}{table}.csv".replace(" ", "_"), _csv(rows))
        for arcname, file in _photos(records):
            try:
                with file.storage.open(file.name, "rb") as handle:
                    archive.writestr(arcname, handle.read())
            except OSError:
                continue
    return buffer.getvalue()


def _readme(person) -> str:
    return (
        "Your data in Assetmap\n"
        "=====================\n\n"
        f"Person #{person.pk}, neighbourhood {person.neighbourhood.name}.\n"
        f"Made at {timezone.now():%Y-%m-%d %H:%M %Z}.\n\n"
        "everything.json holds all of it; every *.csv file is one kind of record.\n"
        "Files starting with linked- are records of others that refer to you.\n"
        "photos/ holds your photo files.\n"
        "This export includes community builders' notes of conversations with you.\n"
    )

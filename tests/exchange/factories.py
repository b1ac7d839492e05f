"""Plain factories for the exchange tests: inventory rows and files to import."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from exchange.models import ImportJob, What
from organisations.models import Organisation
from places.models import Place
from residents.models import Gift, Person

DATA = Path(__file__).parent / "data"

PLACES_CSV = (
    "name,kind,street,house_number,postcode,latitude,longitude,description,external_id\n"
    "Buurthuis De Populier,community_centre,Populierenlaan,12,1181 AB,52.3001,4.8601,Koffie,bh-1\n"
    "Speeltuin Eikhof,speeltuin,Eikenlaan,,,52.3010,4.8610,,\n"
)


def make_place(neighbourhood, name="Buurthuis", **extra) -> Place:
    extra.setdefault("kind", "community_centre")
    return Place.objects.create(neighbourhood=neighbourhood, name=name, **extra)


def make_organisation(neighbourhood, name="Wijkvereniging", **extra) -> Organisation:
    extra.setdefault("kind", "association")
    return Organisation.objects.create(neighbourhood=neighbourhood, name=name, **extra)


def make_person(neighbourhood, name="Ans Jansen", street="Populierenlaan", **extra) -> Person:
    gifts = extra.pop("gifts", [])
    person = Person.objects.create(neighbourhood=neighbourhood, name=name, street=street, **extra)
    for kind, title in gifts:
        Gift.objects.create(person=person, kind=kind, title=title)
    return person


def xlsx_bytes(rows: list[list[object]], title: str = "Sheet") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def make_job(neighbourhood, user=None, content: bytes = PLACES_CSV.encode(), name="places.csv"):
    job = ImportJob(neighbourhood=neighbourhood, created_by=user, file_name=name, what=What.AUTO)
    job.stored_name = default_storage.save(f"imports/{job.token}/{name}", ContentFile(content))
    job.size = len(content)
    job.save()
    return job

"""Exporting: the neighbourhood's inventories in open formats, as plain functions.

Every export is made *for a viewer* (a membership): people are listed and their fields
filled only as ``residents.disclosure`` allows that viewer, and person-level exports need the
coordinator role. Text cells that a spreadsheet could run as a formula are escaped.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Membership, Neighbourhood, Role
from network.models import Connection, Initiative, InitiativeMember
from organisations.models import Organisation, OrganisationMember
from places.models import Place
from residents import disclosure as visibility
from residents.models import Gift, Person

from . import hsds
from .cells import escape
from .columns import COLUMNS, ORGANISATIONS, PEOPLE, PLACES

CSV = "csv"
CSV_NL = "csv-nl"  # for Dutch spreadsheet programs: semicolons, decimal commas
XLSX = "xlsx"
GEOJSON = "geojson"
HSDS = "hsds"
HSDS_JSON = "hsds-json"
KUMU = "kumu"
KUMU_JSON = "kumu-json"
FORMATS = (CSV, CSV_NL, XLSX, GEOJSON, HSDS, HSDS_JSON, KUMU, KUMU_JSON)
TABLE_FORMATS = (CSV, CSV_NL, XLSX)
PERSON_LEVEL = {KUMU, KUMU_JSON}
MAX_WIDTH = 50  # characters: a column of long descriptions stays readable  # and csv/xlsx of people


class ExportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def as_coordinator(neighbourhood: Neighbourhood) -> Membership:
    """The viewer of a command-line export: a coordinator (unsaved, no user)."""
    return Membership(neighbourhood=neighbourhood, role=Role.COORDINATOR)


def needs_coordinator(fmt: str, what: str | None) -> bool:
    return fmt in PERSON_LEVEL or (fmt in TABLE_FORMATS and what == PEOPLE)


def _check(membership: Membership, fmt: str, what: str | None) -> None:
    if needs_coordinator(fmt, what) and not membership.is_coordinator:
        raise PermissionDenied


# --- rows ------------------------------------------------------------------------------


def header(inventory: str) -> list[str]:
    return [column.name for column in COLUMNS[inventory]]


def places(neighbourhood: Neighbourhood):
    return Place.objects.in_neighbourhood(neighbourhood).order_by("name", "pk")


def organisations(neighbourhood: Neighbourhood):
    return (
        Organisation.objects.in_neighbourhood(neighbourhood)
        .select_related("usual_place")
        .order_by("name", "pk")
    )


def place_rows(neighbourhood: Neighbourhood) -> list[dict]:
    return [
        {
            "name": p.name,
            "kind": p.kind,
            "street": p.street,
            "house_number": p.house_number,
            "postcode": p.postcode,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "description": p.description,
            "external_id": p.external_id,
        }
        for p in places(neighbourhood)
    ]


def _place_ref(place: Place | None) -> str:
    if place is None:
        return ""
    return place.external_id or place.name


def organisation_rows(neighbourhood: Neighbourhood) -> list[dict]:
    return [
        {
            "name": o.name,
            "kind": o.kind,
            "description": o.description,
            "email": o.email,
            "phone": o.phone,
            "website": o.website,
            "street": o.street,
            "external_id": o.external_id,
            "house_number": o.house_number,
            "postcode": o.postcode,
            "contact": o.contact,
            "usual_place": _place_ref(o.usual_place),
        }
        for o in organisations(neighbourhood)
    ]


def gifts_cell(gifts) -> str:
    """Gifts as ``kind: title`` separated by ``|`` (a ``|`` in a title becomes ``/``)."""
    return "|".join(f"{g.kind}: {g.title.replace('|', '/')}" for g in gifts)


def people(membership: Membership):
    visible_gifts = Gift.objects.visible_to(membership).order_by("kind", "title", "pk")
    return (
        Person.objects.in_neighbourhood(membership.neighbourhood)
        .visible_to(membership)
        .prefetch_related(Prefetch("gifts", queryset=visible_gifts))
        .order_by("name", "pk")
    )


def person_rows(membership: Membership) -> list[dict]:
    """People as the viewer may see them; hidden fields are left empty."""
    rows = []
    full = visibility.sees_everything(membership)
    for person in people(membership):
        values = visibility.visible_values(person, membership)
        fields = visibility.visible_fields(person, membership)
        rows.append(
            {
                "name": values.get("name", ""),
                "street": values.get("street", ""),
                "email": values.get("email", ""),
                "phone": values.get("phone", ""),
                "gifts": gifts_cell(person.gifts.all()) if "gifts" in fields else "",
                "external_id": person.external_id if full else "",
                "house_number": values.get("house_number", ""),
                "postcode": values.get("postcode", ""),
                "languages": values.get("languages", ""),
            }
        )
    return rows


def rows_for(membership: Membership, inventory: str) -> list[dict]:
    neighbourhood = membership.neighbourhood
    if inventory == PLACES:
        return place_rows(neighbourhood)
    if inventory == ORGANISATIONS:
        return organisation_rows(neighbourhood)
    if inventory == PEOPLE:
        return person_rows(membership)
    raise ExportRefused(_("Choose what to export: people, organisations or places."))


# --- writers ---------------------------------------------------------------------------


def _dutch(value: object) -> object:
    """A cell as Dutch spreadsheet programs read it: a decimal comma in numbers, dates as
    ISO dates (which they read as dates), text as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, decimal.Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def write_csv(columns: list[str], rows: list[dict], stream, *, dutch: bool = False) -> None:
    """UTF-8 with a byte-order mark (so Excel reads the accents), comma separated; ``dutch``:
    semicolon separated with decimal commas, as Excel and LibreOffice in Dutch expect (a
    comma-separated file opens there in one column)."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";" if dutch else ",", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = ["" if row.get(c) is None else escape(row.get(c)) for c in columns]
        writer.writerow([_dutch(cell) for cell in cells] if dutch else cells)
    stream.write(text.getvalue().encode("utf-8-sig"))


def write_xlsx(sheets: list[tuple[str, list[str], list[dict]]], stream) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    empty = workbook.active  # the sheet a new workbook starts with
    assert empty is not None
    workbook.remove(empty)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([escape(row.get(c)) if row.get(c) is not None else None for c in columns])
        widths = [len(str(c)) for c in columns]
        for cell in (c for line in sheet.iter_rows(min_row=2) for c in line):
            if cell.data_type == "f":  # never a formula, whatever openpyxl guessed
                cell.data_type = "s"
            if isinstance(cell.value, datetime.datetime):
                cell.value = timezone.localtime(cell.value).replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            index = cell.column - 1
            widths[index] = max(widths[index], min(len(str(cell.value or "")), MAX_WIDTH))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(width, 6) + 2
        sheet.freeze_panes = "A2"
    workbook.save(stream)


def place_features(neighbourhood: Neighbourhood) -> dict:
    features = []
    for row, place in zip(place_rows(neighbourhood), places(neighbourhood), strict=True):
        if place.latitude is None or place.longitude is None:
            continue
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "name": neighbourhood.name,
        "features": features,
    }


def _hsds_tables(neighbourhood: Neighbourhood) -> hsds.Tables:
    initiatives = Initiative.objects.in_neighbourhood(neighbourhood).order_by("name", "pk")
    return hsds.build_tables(
        neighbourhood,
        list(organisations(neighbourhood)),
        list(places(neighbourhood)),
        initiatives,
    )


# --- Kumu ------------------------------------------------------------------------------


@dataclass
class Kumu:
    elements: list[dict]
    connections: list[dict]


def kumu(membership: Membership) -> Kumu:
    """Elements (people, organisations, initiatives) and their connections, for Kumu.

    Kumu joins connections to elements by label, so equal names get " (2)", " (3)" …
    """
    neighbourhood = membership.neighbourhood
    labels: dict[tuple[str, int | None], str] = {}
    used: dict[str, int] = {}
    elements: list[dict] = []

    def add(key: tuple[str, int], name: str, kind: str, description: str, tags: list[str]):
        count = used.get(name, 0) + 1
        used[name] = count
        label = name if count == 1 else f"{name} ({count})"
        labels[key] = label
        elements.append(
            {
                "Label": label,
                "Type": kind,
                "Description": description,
                "Tags": "|".join(tags),
                "_id": f"{key[0]}-{key[1]}",
            }
        )

    visible_gifts = Gift.objects.visible_to(membership).prefetch_related("tags")
    people_qs = (
        Person.objects.in_neighbourhood(neighbourhood)
        .visible_to(membership)
        .prefetch_related(Prefetch("gifts", queryset=visible_gifts))
        .order_by("name", "pk")
    )
    for person in people_qs:
        values = visibility.visible_values(person, membership)
        fields = visibility.visible_fields(person, membership)
        tags: list[str] = []
        if "gifts" in fields:
            for gift in person.gifts.all():
                tags += [t.name for t in gift.tags.all() if t.name not in tags]
        name, street = cast(str, values["name"]), cast(str, values.get("street", ""))  # CharFields
        add(("person", person.pk), name, _("Person"), street, tags)
    for org in organisations(neighbourhood):
        add(("organisation", org.pk), org.name, _("Organisation"), org.description,
            [str(org.get_kind_display())])  # fmt: skip
    for initiative in Initiative.objects.in_neighbourhood(neighbourhood).order_by("name", "pk"):
        add(("initiative", initiative.pk), initiative.name, _("Initiative"),
            initiative.description, [str(initiative.get_status_display())])  # fmt: skip

    connections: list[dict] = []

    def link(
        a: tuple[str, int | None], b: tuple[str, int | None], kind: str, direction: str
    ) -> None:
        if a in labels and b in labels:
            connections.append(
                {
                    "From": labels[a],
                    "To": labels[b],
                    "Type": kind,
                    "_from": f"{a[0]}-{a[1]}",
                    "_to": f"{b[0]}-{b[1]}",
                    "_direction": direction,
                }
            )

    today = timezone.localdate()
    active = Connection.objects.in_neighbourhood(neighbourhood).active_on(today)
    for c in active.order_by("pk"):
        other = (
            ("person", c.other_person_id)
            if c.other_person_id
            else ("organisation", c.organisation_id)
        )
        # Knowing each other goes both ways; a person's tie to an organisation is theirs.
        direction = "undirected" if c.other_person_id else "directed"
        link(("person", c.person_id), other, str(c.get_origin_display()), direction)
    members = OrganisationMember.objects.in_neighbourhood(neighbourhood).order_by("pk")
    for m in members:
        link(("person", m.person_id), ("organisation", m.organisation_id), _("member"), "directed")
    current = InitiativeMember.objects.in_neighbourhood(neighbourhood).current_on(today)
    for member in current.order_by("pk"):
        kind = _("initiator") if member.initiator else _("member")
        link(("person", member.person_id), ("initiative", member.initiative_id), kind, "directed")
    measured = measures(elements, connections)
    for element in elements:
        element.update(measured.get(element["_id"], {}))
    return Kumu(elements=elements, connections=connections)


MEASURES = ["Degree"]  # the measure fields of each element, in the workbook and the blueprint


def measures(elements: list[dict], connections: list[dict]) -> dict[str, dict[str, int]]:
    """Network measures per element id, from the exported ties (what the viewer may see).

    Today the degree: how many ties, memberships and initiatives an element has. The one
    place to switch to the network app's measures (ties, betweenness, reach) when it has them.
    """
    degree = dict.fromkeys((e["_id"] for e in elements), 0)
    for connection in connections:
        degree[connection["_from"]] += 1
        degree[connection["_to"]] += 1
    return {key: {"Degree": value} for key, value in degree.items()}


def kumu_blueprint(data: Kumu) -> dict:
    """Kumu's JSON import ("blueprint"): elements with unique ids, connections from and to
    those ids with a ``direction`` (directed or undirected), measures as element fields."""
    return {
        "elements": [
            {
                "id": e["_id"],
                "label": e["Label"],
                "type": e["Type"],
                "description": e["Description"],
                "tags": [t for t in e["Tags"].split("|") if t],
                **{name.lower(): e.get(name, 0) for name in MEASURES},
            }
            for e in data.elements
        ],
        "connections": [
            {
                "id": f"connection-{number}",
                "from": c["_from"],
                "to": c["_to"],
                "direction": c["_direction"],
                "type": c["Type"],
            }
            for number, c in enumerate(data.connections, start=1)
        ],
    }


def write_kumu(data: Kumu, stream) -> None:
    write_xlsx(
        [
            ("Elements", ["Label", "Type", "Description", "Tags", *MEASURES], data.elements),
            ("Connections", ["From", "To", "Type"], data.connections),
        ],
        stream,
    )


# --- one entry point for the command and the views -----------------------------------


@dataclass
class Export:
    file_name: str
    content_type: str
    content: bytes
    count: int = 0  # records in it, for the access log
    person_ids: list[int] = field(default_factory=list)  # the people it includes
    what: str = ""  # a fixed description for the access log, e.g. "people (csv-nl)"


CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    CSV_NL: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    GEOJSON: "application/geo+json",
    HSDS: "application/zip",
    HSDS_JSON: "application/json",
    KUMU: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    KUMU_JSON: "application/json",
}


def export(membership: Membership, fmt: str, what: str | None = None) -> Export:
    """Make one export for this viewer; ``what`` (people/organisations/places) for csv/xlsx."""
    if fmt not in FORMATS:
        raise ExportRefused(
            _("Unknown format “%(format)s”; use one of: %(formats)s.")
            % {"format": fmt, "formats": ", ".join(FORMATS)}
        )
    if fmt in TABLE_FORMATS and what not in (PEOPLE, ORGANISATIONS, PLACES):
        raise ExportRefused(_("Choose what to export: people, organisations or places."))
    if fmt not in TABLE_FORMATS:
        # Only tables come per inventory. Anything else given is ignored, so it never
        # reaches ``Export.what``: the access log keeps a fixed description, never text
        # from the request (its readers include organisation admins and every resident
        # the export included).
        what = None
    _check(membership, fmt, what)
    neighbourhood = membership.neighbourhood
    stamp = timezone.localdate().isoformat()
    base = f"{neighbourhood.slug}-{stamp}"
    stream = io.BytesIO()
    count, person_ids = 0, []
    if fmt in TABLE_FORMATS:
        assert what is not None  # refused above
        rows = rows_for(membership, what)
        count = len(rows)
        if what == PEOPLE:
            person_ids = list(people(membership).values_list("pk", flat=True))
        if fmt in (CSV, CSV_NL):
            write_csv(header(what), rows, stream, dutch=fmt == CSV_NL)
        else:
            write_xlsx([(what, header(what), rows)], stream)
        name = f"{base}-{what}{'-nl' if fmt == CSV_NL else ''}.{'csv' if fmt == CSV_NL else fmt}"
    elif fmt == GEOJSON:
        features = place_features(neighbourhood)
        count = len(features["features"])
        stream.write(json.dumps(features, ensure_ascii=False, indent=1).encode())
        name = f"{base}-places.geojson"
    elif fmt in (HSDS, HSDS_JSON):
        tables = _hsds_tables(neighbourhood)
        count = len(tables.organization) + len(tables.location) + len(tables.service)
        if fmt == HSDS:
            hsds.write_package(tables, stream)
            name = f"{base}-hsds.zip"
        else:
            data = hsds.as_json(tables)
            stream.write(json.dumps(data, ensure_ascii=False, indent=1).encode())
            name = f"{base}-hsds.json"
    else:
        network = kumu(membership)
        count = len(network.elements)
        person_ids = [
            int(e["_id"].removeprefix("person-"))
            for e in network.elements
            if e["_id"].startswith("person-")
        ]
        if fmt == KUMU_JSON:
            blueprint = kumu_blueprint(network)
            stream.write(json.dumps(blueprint, ensure_ascii=False, indent=1).encode())
            name = f"{base}-kumu.json"
        else:
            write_kumu(network, stream)
            name = f"{base}-kumu.xlsx"
    return Export(
        file_name=name,
        content_type=CONTENT_TYPES[fmt],
        content=stream.getvalue(),
        count=count,
        person_ids=person_ids,
        what=f"{what} ({fmt})" if what else fmt,
    )

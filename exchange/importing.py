"""Importing: from a file to a *plan* (every row checked and matched), then applying it.

``build_plan`` reads a file and checks every row without writing anything; the preview shows
the plan. ``apply_plan`` writes it in one transaction: a plan with bad rows writes nothing
unless only the valid rows were asked for. Rows are matched to what the neighbourhood has by
external id, else by name and address, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from neighbourhoods import freshness, geo
from neighbourhoods.models import Neighbourhood
from network.models import Initiative, InitiativeStatus
from organisations.models import Organisation, OrganisationKind
from places.models import Place, PlaceKind
from residents.models import (
    Audience,
    ConsentHow,
    ConsentRecord,
    Gift,
    Person,
    default_visibility,
    normalise,
)

from . import boundaries, columns, hsds, reading
from .cells import cell_text
from .columns import ORGANISATIONS, PEOPLE, PLACES

INITIATIVES = "initiatives"
BOUNDARY = "boundary"
SECTION_ORDER = (PLACES, ORGANISATIONS, PEOPLE, INITIATIVES)
SECTION_LABELS = {
    **columns.INVENTORY_LABELS,
    INITIATIVES: gettext_lazy("initiatives"),
}
CHUNK = 500
CONSENT_VERSION = "import-1"

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class Row:
    where: str  # "line 4", "feature 12": what the person finds in their file
    number: int
    values: dict[str, Any]  # column → cleaned value: text, number, gifts … per column
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    action: str = ""  # create | update | unchanged | skip
    match: models.Model | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Section:
    inventory: str
    rows: list[Row]
    columns: list[str]
    default_kind: str = ""

    @property
    def label(self) -> str:
        return str(SECTION_LABELS[self.inventory])

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]


@dataclass
class Plan:
    format: str
    what: str
    sections: list[Section] = field(default_factory=list)
    mapping: list[tuple[str, str | None]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    boundary: boundaries.BoundaryPlan | None = None

    @property
    def format_label(self) -> str:
        return reading.FORMAT_LABELS.get(self.format, self.format)

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    @property
    def bad_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def has_errors(self) -> bool:
        if self.boundary is not None:
            return bool(self.boundary.errors)
        return any(row.errors for row in self.rows)

    @property
    def work(self) -> int:
        """How many rows would change something (for the progress element)."""
        if self.boundary is not None:
            return 1
        return sum(1 for row in self.rows if row.action in ("create", "update"))

    @property
    def empty(self) -> bool:
        return self.boundary is None and not self.rows


# --- cleaning one value ----------------------------------------------------------------

# Lenient on purpose: internationalised addresses (renée@…) are real, though Django's
# EmailValidator refuses them; what matters is that it is one address, not a sentence.
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
_url = URLValidator(schemes=["http", "https"])
_number = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _max_length(model: type[models.Model], name: str) -> int | None:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    return field.max_length


def _text(row: Row, model, name: str, value: object, label: str) -> str:
    text = cell_text(value)
    limit = _max_length(model, name)
    if limit and len(text) > limit:
        row.errors.append(
            _("%(column)s is longer than %(limit)s characters.") % {"column": label, "limit": limit}
        )
    return text


def _coordinate(row: Row, value: object, label: str, low: float, high: float) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = cell_text(value).replace(" ", "")
        if not text:
            return None
        if not _number.match(text):
            row.errors.append(
                _("%(column)s “%(value)s” is not a number.") % {"column": label, "value": text}
            )
            return None
        number = float(text.replace(",", "."))
    if not low <= number <= high:
        row.errors.append(
            _("%(column)s %(value)s is not between %(low)s and %(high)s.")
            % {"column": label, "value": f"{number:g}", "low": int(low), "high": int(high)}
        )
        return None
    return number


def _coordinates(row: Row, values: dict) -> tuple[float | None, float | None]:
    lat = _coordinate(row, values.get("latitude"), _("latitude"), -90, 90)
    lon = _coordinate(row, values.get("longitude"), _("longitude"), -180, 180)
    given_lat = cell_text(values.get("latitude")) != ""
    given_lon = cell_text(values.get("longitude")) != ""
    if given_lat != given_lon:
        row.errors.append(_("Give both latitude and longitude, or neither."))
    return lat, lon


def _email_value(row: Row, model, value: object) -> str:
    text = _text(row, model, "email", value, _("email"))
    if text and not _EMAIL.match(text):
        row.errors.append(_("email “%(value)s” is not an email address.") % {"value": text})
    return text


def _website(row: Row, model, value: object) -> str:
    text = _text(row, model, "website", value, _("website"))
    if text and "://" not in text:
        text = f"https://{text}"
    if text:
        try:
            _url(text)
        except ValidationError:
            row.errors.append(_("website “%(value)s” is not a web address.") % {"value": text})
    return text


def _kind(row: Row, value: object, find, choices) -> str:
    text = cell_text(value)
    if not text:
        return ""
    kind = find(text)
    if kind is None:
        row.errors.append(
            _("Unknown kind “%(value)s”; use one of: %(kinds)s.")
            % {"value": text, "kinds": ", ".join(choices.values)}
        )
        return ""
    return kind


def _name(row: Row, model, values: dict) -> str:
    name = _text(row, model, "name", values.get("name"), _("name"))
    if not name:
        row.errors.append(_("The name is missing."))
    return name


GIFT_SPLIT = re.compile(r"\s*\|\s*")


def parse_gifts(row: Row, value: object) -> list[tuple[str, str]]:
    """ "hands: fietsen repareren|heart: buurtmoestuin" → [(kind, title), …]."""
    gifts = []
    limit = _max_length(Gift, "title")
    assert limit is not None  # Gift.title is a CharField with a max_length
    for part in GIFT_SPLIT.split(cell_text(value)):
        if not part:
            continue
        kind_text, colon, title = part.partition(":")
        kind = columns.gift_kind(kind_text) if colon else None
        title = title.strip()
        if not colon or not title:
            row.errors.append(
                _("Gift “%(gift)s” needs a kind and a title, like “hands: cooking”.")
                % {"gift": part}
            )
        elif kind is None:
            row.errors.append(
                _(
                    "Gift “%(gift)s” has an unknown kind; use head, hands or heart (hoofd, handen, hart)."
                )
                % {"gift": part}
            )
        elif len(title) > limit:
            row.errors.append(
                _("Gift “%(gift)s” is longer than %(limit)s characters.")
                % {"gift": title[:40] + "…", "limit": limit}
            )
        else:
            gifts.append((kind, title))
    return gifts


# --- cleaning one record per inventory -------------------------------------------------


def clean_place(row: Row) -> None:
    v = row.values
    lat, lon = _coordinates(row, v)
    row.values = {
        "name": _name(row, Place, v),
        "kind": _kind(row, v.get("kind"), columns.place_kind, PlaceKind),
        "street": _text(row, Place, "street", v.get("street"), _("street")),
        "house_number": _text(row, Place, "house_number", v.get("house_number"), _("house number")),
        "postcode": _text(row, Place, "postcode", v.get("postcode"), _("postcode")),
        "latitude": lat,
        "longitude": lon,
        "description": _text(row, Place, "description", v.get("description"), _("description")),
        "external_id": _text(row, Place, "external_id", v.get("external_id"), _("external id")),
    }


def clean_organisation(row: Row) -> None:
    v = row.values
    row.values = {
        "name": _name(row, Organisation, v),
        "kind": _kind(row, v.get("kind"), columns.organisation_kind, OrganisationKind),
        "description": _text(
            row, Organisation, "description", v.get("description"), _("description")
        ),
        "email": _email_value(row, Organisation, v.get("email")),
        "phone": _text(row, Organisation, "phone", v.get("phone"), _("phone")),
        "website": _website(row, Organisation, v.get("website")),
        "street": _text(row, Organisation, "street", v.get("street"), _("street")),
        "house_number": _text(
            row, Organisation, "house_number", v.get("house_number"), _("house number")
        ),
        "postcode": _text(row, Organisation, "postcode", v.get("postcode"), _("postcode")),
        "contact": _text(row, Organisation, "contact", v.get("contact"), _("contact person")),
        "external_id": _text(
            row, Organisation, "external_id", v.get("external_id"), _("external id")
        ),
        "usual_place": cell_text(v.get("usual_place")),
    }


def clean_person(row: Row) -> None:
    v = row.values
    row.values = {
        "name": _name(row, Person, v),
        "street": _text(row, Person, "street", v.get("street"), _("street")),
        "house_number": _text(
            row, Person, "house_number", v.get("house_number"), _("house number")
        ),
        "postcode": _text(row, Person, "postcode", v.get("postcode"), _("postcode")),
        "email": _email_value(row, Person, v.get("email")),
        "phone": _text(row, Person, "phone", v.get("phone"), _("phone")),
        "languages": _text(row, Person, "languages", v.get("languages"), _("languages")),
        "external_id": _text(row, Person, "external_id", v.get("external_id"), _("external id")),
        "gifts": parse_gifts(row, v.get("gifts")),
    }
    if not row.values["street"]:
        row.errors.append(_("The street is missing."))


HSDS_STATUS = {
    "active": InitiativeStatus.ACTIVE,
    "inactive": InitiativeStatus.PAUSED,
    "temporarily closed": InitiativeStatus.PAUSED,
    "defunct": InitiativeStatus.ENDED,
}


def clean_initiative(row: Row) -> None:
    v = row.values
    status = cell_text(v.get("status")).lower()
    row.values = {
        "name": _name(row, Initiative, v),
        "description": _text(
            row, Initiative, "description", v.get("description"), _("description")
        ),
        "status": HSDS_STATUS.get(status, InitiativeStatus.ACTIVE),
        "meeting_place": cell_text(v.get("meeting_place")),
    }


CLEANERS = {
    PLACES: clean_place,
    ORGANISATIONS: clean_organisation,
    PEOPLE: clean_person,
    INITIATIVES: clean_initiative,
}
# Rows are written by column name (setattr), whichever of these models it is.
MODELS: dict[str, Any] = {
    PLACES: Place,
    ORGANISATIONS: Organisation,
    PEOPLE: Person,
    INITIATIVES: Initiative,
}


# --- matching --------------------------------------------------------------------------


def match_key(inventory: str, values: dict) -> tuple:
    name = normalise(values.get("name", ""))
    if inventory == INITIATIVES:
        return (name,)
    street = normalise(values.get("street", ""))
    if inventory == PLACES:
        return (name, street, normalise(values.get("house_number", "")))
    return (name, street)


def _current(obj: models.Model, name: str) -> object:
    return getattr(obj, name)


def _diff(inventory: str, obj: models.Model, values: dict, extra: dict) -> list[str]:
    changes = []
    for name, value in values.items():
        if name in ("gifts", "usual_place", "meeting_place"):
            continue
        if value in ("", None):
            continue  # an empty cell never erases what is known
        if _current(obj, name) != value:
            changes.append(name)
    if inventory == PEOPLE:
        known = extra.get(obj.pk, set())
        if any((kind, normalise(title)) not in known for kind, title in values["gifts"]):
            changes.append("gifts")
    if inventory == ORGANISATIONS and values.get("usual_place"):
        place_id = extra.get(values["usual_place"])
        if place_id is not None and place_id != _current(obj, "usual_place_id"):
            changes.append("usual_place")
    if inventory == INITIATIVES and values.get("meeting_place"):
        place_id = extra.get(values["meeting_place"])
        if place_id is not None and place_id != _current(obj, "meeting_place_id"):
            changes.append("meeting_place")
    return changes


def place_refs(neighbourhood: Neighbourhood) -> dict[str, int]:
    """Reference text → place id: external ids first, then names (normalised)."""
    refs: dict[str, int] = {}
    rows = list(
        Place.objects.in_neighbourhood(neighbourhood).values_list("pk", "name", "external_id")
    )
    for pk, name, _external_id in rows:
        refs.setdefault(normalise(name), pk)
    for pk, _name, external_id in rows:
        if external_id:
            refs[external_id] = pk
    return refs


def resolve_place(refs: dict[str, int], ref: str) -> int | None:
    return refs.get(ref) or refs.get(normalise(ref))


def match_section(section: Section, neighbourhood: Neighbourhood, planned_places: set[str]) -> None:
    """Check duplicates within the file and find each row's existing object, if any."""
    model = MODELS[section.inventory]
    existing = list(model.objects.in_neighbourhood(neighbourhood))
    by_id = {obj.external_id: obj for obj in existing if getattr(obj, "external_id", "")}
    by_key: dict[tuple, Any] = {}
    for obj in existing:
        if not getattr(obj, "external_id", ""):
            by_key.setdefault(match_key(section.inventory, obj.__dict__), obj)
    extra: dict = {}
    if section.inventory == PEOPLE:
        for person_id, kind, title in Gift.objects.filter(person__in=existing).values_list(
            "person_id", "kind", "title"
        ):
            extra.setdefault(person_id, set()).add((kind, normalise(title)))
    if section.inventory in (ORGANISATIONS, INITIATIVES):
        extra = place_refs(neighbourhood)
    seen_ids: dict[str, str] = {}
    seen_keys: dict[tuple, str] = {}
    for row in section.rows:
        values = row.values
        external_id = values.get("external_id", "")
        key = match_key(section.inventory, values)
        if external_id:
            if external_id in seen_ids:
                row.errors.append(
                    _("External id “%(id)s” is also on %(where)s.")
                    % {"id": external_id, "where": seen_ids[external_id]}
                )
            else:
                seen_ids[external_id] = row.where
        elif values.get("name"):
            if key in seen_keys:
                row.errors.append(
                    _("The same name and address are also on %(where)s.")
                    % {"where": seen_keys[key]}
                )
            else:
                seen_keys[key] = row.where
        ref_field = {ORGANISATIONS: "usual_place", INITIATIVES: "meeting_place"}.get(
            section.inventory
        )
        ref = values.get(ref_field) if ref_field else ""
        missing = ref and ref not in planned_places and normalise(ref) not in planned_places
        if missing and ref and resolve_place(extra, ref) is None:
            row.errors.append(
                _("There is no place “%(place)s” in this neighbourhood; import the places first.")
                % {"place": ref}
            )
        if row.errors:
            row.action = "skip"
            continue
        obj = by_id.get(external_id) if external_id else None
        if obj is None:
            obj = by_key.pop(key, None)
        if obj is None:
            row.action = "create"
            continue
        row.match = obj
        if section.inventory == PEOPLE and obj.user_id:
            row.action = "unchanged"
            row.warnings.append(
                _("%(name)s manages their own profile; the file does not change it.")
                % {"name": obj.name}
            )
            continue
        row.changes = _diff(section.inventory, obj, values, extra)
        row.action = "update" if row.changes else "unchanged"


# --- building a plan -------------------------------------------------------------------


def _where_line(number: int) -> str:
    return _("line %(number)s") % {"number": number}


def section_from_table(
    table: reading.Table, inventory: str, progress: Progress = _no_progress
) -> tuple[Section, list[tuple[str, str | None]], list[str]]:
    lookup = columns.lookup(inventory)
    mapping: list[tuple[str, str | None]] = []
    used: dict[str, int] = {}
    notices: list[str] = []
    for index, header in enumerate(table.headers):
        column = lookup.get(columns.header_key(header))
        if column is not None and column in used:
            notices.append(
                _("Column “%(header)s” is a second “%(column)s” and is ignored.")
                % {"header": header, "column": column}
            )
            column = None
        if column is not None:
            used[column] = index
        mapping.append((header, column))
    if "name" not in used:
        raise reading.Refused(
            _(
                "There is no column “name” (or “naam”), so the rows cannot be read as %(what)s. "
                "The columns found are: %(found)s."
            )
            % {
                "what": columns.INVENTORY_LABELS[inventory],
                "found": ", ".join(h for h in table.headers if h) or "—",
            }
        )
    rows = []
    total = len(table.rows)
    for count, (line, cells) in enumerate(table.rows, start=1):
        values = {col: cells[i] if i < len(cells) else None for col, i in used.items()}
        row = Row(where=_where_line(line), number=line, values=values)
        CLEANERS[inventory](row)
        rows.append(row)
        if count % CHUNK == 0:
            progress(count, total)
    names = [c.name for c in columns.COLUMNS[inventory] if c.name in used]
    return Section(inventory=inventory, rows=rows, columns=names), mapping, notices


def _guess(table: reading.Table) -> str | None:
    kind_columns = [
        i
        for i, h in enumerate(table.headers)
        if columns.lookup(PLACES).get(columns.header_key(h)) == "kind"
    ]
    kinds = [
        cell_text(cells[i])
        for _line, cells in table.rows[:200]
        for i in kind_columns
        if i < len(cells)
    ]
    return columns.guess_inventory(table.headers, kinds)


def _planned_places(plan: Plan) -> tuple[set[str], dict[str, str]]:
    """References to the plan's own places: those that will be made, and bad ones → where."""
    good: set[str] = set()
    bad: dict[str, str] = {}
    for section in plan.sections:
        if section.inventory == PLACES:
            for row in section.rows:
                refs = [normalise(row.values["name"]), row.values["external_id"]]
                for ref in filter(None, refs):
                    if row.ok:
                        good.add(ref)
                    else:
                        bad.setdefault(ref, row.where)
    return good, bad


def _drop_bad_place_refs(plan: Plan, bad: dict[str, str]) -> None:
    """A row whose place has problems is kept, without that place, and says so."""
    for section in plan.sections:
        field_name = {ORGANISATIONS: "usual_place", INITIATIVES: "meeting_place"}.get(
            section.inventory
        )
        if not field_name:
            continue
        for row in section.rows:
            ref = row.values.get(field_name) or ""  # bad's keys are never empty
            where = bad.get(ref) or bad.get(normalise(ref))
            if ref and where:
                row.values[field_name] = ""
                row.warnings.append(
                    _("Its place (%(where)s) has problems; it is imported without a place.")
                    % {"where": where}
                )


def finish(plan: Plan, neighbourhood: Neighbourhood) -> Plan:
    planned, bad = _planned_places(plan)
    _drop_bad_place_refs(plan, bad)
    for section in plan.sections:
        match_section(section, neighbourhood, planned)
    if plan.sections and not plan.rows:
        plan.notices.append(_("The file has column names but no rows."))
    return plan


def build_plan(
    name: str,
    data: bytes,
    neighbourhood: Neighbourhood,
    *,
    what: str = "auto",
    feature: str = "",
    progress: Progress = _no_progress,
) -> Plan:
    """Read and check a file against the neighbourhood; raises ``Refused`` when unreadable."""
    reading.check_size(len(data))
    kind = reading.sniff(name, data)
    if kind in (reading.CSV, reading.XLSX):
        if what == BOUNDARY:
            raise reading.Refused(_("A boundary must be a GeoJSON file, not a spreadsheet."))
        table = reading.read_csv(data) if kind == reading.CSV else reading.read_xlsx(data)
        if not table.headers:
            raise reading.Refused(_("The file is empty."))
        inventory = what if what in columns.INVENTORIES else _guess(table)
        if inventory is None:
            raise reading.Refused(
                _(
                    "None of the columns is known, so it is unclear what the file holds. "
                    "Expected columns such as name, kind, street (naam, soort, straat); found: %(found)s."
                )
                % {"found": ", ".join(h for h in table.headers if h) or "—"}
            )
        section, mapping, notices = section_from_table(table, inventory, progress)
        plan = Plan(format=kind, what=inventory, sections=[section], mapping=mapping)
        plan.notices += table.notices + notices
        if what == "auto":
            plan.notices.append(
                _("The columns say this is a list of %(what)s.")
                % {"what": columns.INVENTORY_LABELS[inventory]}
            )
        return finish(plan, neighbourhood)
    if kind == reading.GEOJSON:
        value = reading.read_json(data)
        assert isinstance(value, dict)  # sniff() saw GeoJSON: an object
        if what == BOUNDARY or (what == "auto" and boundaries.looks_like_boundaries(value)):
            plan = Plan(format=kind, what=BOUNDARY)
            plan.boundary = boundaries.plan(value, neighbourhood, feature)
            return plan
        if what not in ("auto", PLACES):
            raise reading.Refused(
                _("A GeoJSON file holds places or a boundary, not %(what)s.")
                % {"what": columns.INVENTORY_LABELS.get(what, what)}
            )
        rows, notices = boundaries.place_rows(value)
        for row in rows:
            clean_place(row)
            _outside_warning(row, neighbourhood)
        plan = Plan(format=kind, what=PLACES, notices=notices)
        plan.sections = [Section(PLACES, rows, [c.name for c in columns.COLUMNS[PLACES]])]
        plan.sections[0].default_kind = PlaceKind.OTHER
        return finish(plan, neighbourhood)
    if what not in ("auto",):
        raise reading.Refused(
            _(
                "An Open Referral (HSDS) file holds organisations, places and services together; "
                "choose “decide from the file”."
            )
        )
    if kind == reading.HSDS_JSON:
        source = hsds.from_json(reading.read_json(data))
    else:
        source = hsds.from_package(reading.read_package_zip(data))
    return plan_hsds(source, neighbourhood, kind)


def build_plan_from_folder(folder, neighbourhood: Neighbourhood) -> Plan:
    source = hsds.from_package(reading.read_package_folder(folder))
    return plan_hsds(source, neighbourhood, reading.HSDS_PACKAGE)


def _outside_warning(row: Row, neighbourhood: Neighbourhood) -> None:

    lat, lon = row.values.get("latitude"), row.values.get("longitude")
    if (
        lat is not None
        and lon is not None
        and geo.contains(neighbourhood.boundary, lat, lon) is False
    ):
        row.warnings.append(_("This point lies outside the neighbourhood's boundary."))


def plan_hsds(source: hsds.Source, neighbourhood: Neighbourhood, kind: str) -> Plan:
    plan = Plan(format=kind, what="hsds", notices=list(source.notices))
    for inventory, records, default in (
        (PLACES, source.places, PlaceKind.OTHER),
        (ORGANISATIONS, source.organisations, OrganisationKind.INSTITUTION),
        (INITIATIVES, source.initiatives, ""),
    ):
        rows = []
        for where, number, values in records:
            row = Row(where=where, number=number, values=values)
            CLEANERS[inventory](row)
            if inventory == PLACES:
                _outside_warning(row, neighbourhood)
            rows.append(row)
        if rows:
            names = list(rows[0].values)
            plan.sections.append(Section(inventory, rows, names, default_kind=default))
    if not plan.sections:
        raise reading.Refused(_("The HSDS file holds no organisations, locations or services."))
    return finish(plan, neighbourhood)


# --- applying a plan -------------------------------------------------------------------


@dataclass
class Outcome:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: int = 0
    boundary: str = ""

    def as_dict(self) -> dict:
        return {"counts": self.counts, "skipped": self.skipped, "boundary": self.boundary}


def _chunks[T](items: list[T], size: int = CHUNK) -> Iterable[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


FIELDS = {
    PLACES: (
        "name", "kind", "street", "house_number", "postcode", "latitude", "longitude",
        "description", "external_id",
    ),
    ORGANISATIONS: (
        "name", "kind", "description", "email", "phone", "website", "street", "house_number",
        "postcode", "contact", "external_id",
    ),
    PEOPLE: (
        "name", "street", "house_number", "postcode", "email", "phone", "languages", "external_id",
    ),
    INITIATIVES: ("name", "description", "status"),
}  # fmt: skip


def _consent_text(file_name: str, user) -> str:
    return _(
        "Imported from the list “%(file)s” by %(user)s, who holds the consent given for that "
        "list. Visible to community builders only until the person chooses otherwise."
    ) % {"file": file_name, "user": user.get_username() if user else "—"}


@transaction.atomic
def apply_plan(
    plan: Plan,
    neighbourhood: Neighbourhood,
    *,
    user=None,
    file_name: str = "",
    valid_only: bool = False,
    progress: Progress = _no_progress,
) -> Outcome:
    """Write the plan. Raises ``Refused`` (and writes nothing) for bad rows unless ``valid_only``."""
    if plan.has_errors and not valid_only:
        count = len(plan.bad_rows) or 1
        raise reading.Refused(
            ngettext(
                "Nothing was imported: %(count)s row has problems. Correct it and upload the "
                "file again, or choose to import only the valid rows.",
                "Nothing was imported: %(count)s rows have problems. Correct them and upload the "
                "file again, or choose to import only the valid rows.",
                count,
            )
            % {"count": count}
        )
    outcome = Outcome(skipped=len(plan.bad_rows))
    if plan.boundary is not None:
        with freshness.batch(neighbourhood.pk):  # the map's list says whether it has one
            outcome.boundary = boundaries.apply(plan.boundary, neighbourhood)
        progress(1, 1)
        return outcome
    # one touch of the cached lists at the end (bulk inserts send no signals; the per-row
    # updates would each touch and hold the neighbourhood's row for the whole import)
    with freshness.batch(neighbourhood.pk):
        return _write_rows(plan, neighbourhood, outcome, user, file_name, progress)


def _write_rows(
    plan: Plan, neighbourhood, outcome: Outcome, user, file_name: str, progress: Progress
) -> Outcome:
    total = plan.work
    done = 0
    now = timezone.now()
    for inventory in SECTION_ORDER:
        for section in [s for s in plan.sections if s.inventory == inventory]:
            model = MODELS[inventory]
            fields = FIELDS[inventory]
            refs = place_refs(neighbourhood) if inventory in (ORGANISATIONS, INITIATIVES) else {}
            creates = [row for row in section.rows if row.action == "create"]
            updates = [row for row in section.rows if row.action == "update"]
            for chunk in _chunks(creates):
                objects = []
                for row in chunk:
                    obj = model(neighbourhood=neighbourhood)
                    for name in fields:
                        setattr(obj, name, row.values[name])
                    if "kind" in fields and not row.values["kind"]:
                        obj.kind = section.default_kind or _default_kind(inventory)
                    _set_refs(inventory, obj, row.values, refs)
                    _set_people_defaults(inventory, obj, user)
                    objects.append(obj)
                model.objects.bulk_create(objects)
                if inventory == PEOPLE:
                    _create_gifts_and_consent(chunk, objects, user, file_name, now)
                done += len(chunk)
                progress(done, total)
            for row in updates:
                obj = row.match
                assert obj is not None  # an update always has its match
                changed = []
                for name in row.changes:
                    if name in fields:
                        setattr(obj, name, row.values[name])
                        changed.append(name)
                if _set_refs(inventory, obj, row.values, refs):
                    changed += [n for n in ("usual_place", "meeting_place") if n in row.changes]
                if inventory == PEOPLE and "gifts" in row.changes:
                    assert isinstance(obj, Person)
                    _add_gifts(obj, row.values["gifts"], user)
                if changed:
                    if hasattr(obj, "updated_by"):
                        obj.updated_by = user
                        changed.append("updated_by")
                    obj.save(update_fields=[*changed, "updated_at"])
                done += 1
                if done % 50 == 0:
                    progress(done, total)
            outcome.counts[inventory] = {
                "created": len(creates),
                "updated": len(updates),
                "unchanged": section.count("unchanged"),
            }
    progress(total, total)
    return outcome


def _default_kind(inventory: str) -> str:
    return {PLACES: PlaceKind.OTHER, ORGANISATIONS: OrganisationKind.INFORMAL}.get(inventory, "")


def _set_refs(inventory: str, obj, values: dict, refs: dict[str, int]) -> bool:
    if inventory == ORGANISATIONS and values.get("usual_place"):
        obj.usual_place_id = resolve_place(refs, values["usual_place"])
        return True
    if inventory == INITIATIVES and values.get("meeting_place"):
        obj.meeting_place_id = resolve_place(refs, values["meeting_place"])
        return True
    return False


def _set_people_defaults(inventory: str, obj, user) -> None:
    if hasattr(obj, "created_by"):
        obj.created_by = user
    if hasattr(obj, "updated_by"):
        obj.updated_by = user
    if inventory == PEOPLE:
        obj.visibility = default_visibility()


def _create_gifts_and_consent(rows: list[Row], people: list[Person], user, file_name, now) -> None:
    gifts = []
    consents = []
    text = _consent_text(file_name, user)
    for row, person in zip(rows, people, strict=True):
        for kind, title in row.values["gifts"]:
            gifts.append(Gift(person=person, kind=kind, title=title, created_by=user))
        recorded = [f for f in FIELDS[PEOPLE] if f != "external_id" and row.values.get(f)]
        if row.values["gifts"]:
            recorded.append("gifts")
        consents.append(
            ConsentRecord(
                person=person,
                fields=recorded,
                audience=Audience.BUILDERS,
                text=text,
                text_version=CONSENT_VERSION,
                how=ConsentHow.IMPORT,
                given_at=now,
                recorded_by=user,
            )
        )
    Gift.objects.bulk_create(gifts)
    ConsentRecord.objects.bulk_create(consents)


def _add_gifts(person: Person, gifts: list[tuple[str, str]], user) -> None:
    known = {(g.kind, normalise(g.title)) for g in person.gifts.all()}
    new = []
    for kind, title in gifts:
        key = (kind, normalise(title))
        if key not in known:
            known.add(key)
            new.append(Gift(person=person, kind=kind, title=title, created_by=user))
    Gift.objects.bulk_create(new)

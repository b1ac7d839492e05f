"""Open Referral HSDS 3.0: reading organisations, locations and services; writing them.

Mapping: HSDS organization ↔ organisation, location ↔ place, service ↔ initiative (a service
runs at its first service_at_location's location, which becomes the initiative's meeting
place). Ids are UUIDs in HSDS: an object's own external id is used when it is one, otherwise a
stable UUID made from the neighbourhood and the row id, so exporting twice gives the same ids.
On import, the HSDS id (or a location's ``external_identifier``) becomes the external id.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from organisations.models import OrganisationKind
from outcomes.models import Domain
from places.models import PlaceKind

from . import reading
from .cells import cell_text, escape

DESCRIPTOR = Path(__file__).parent / "hsds" / "datapackage.json"
# Marks the organisation that stands for a neighbourhood's residents (owner of initiatives).
RESIDENTS_URI = "urn:assetmap:residents"
ADDRESS = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[A-Za-z]?(?:[-\s]?\w{1,4})?)$")


def split_address(text: str) -> tuple[str, str]:
    """ "Dorpsstraat 12 A" → ("Dorpsstraat", "12 A"); text without a number is all street."""
    text = " ".join((text or "").split())
    match = ADDRESS.match(text)
    if match and match["street"].strip():
        return match["street"].strip().rstrip(","), match["number"].strip()
    return text, ""


# --- reading ---------------------------------------------------------------------------

Record = tuple[str, int, dict]


@dataclass
class Source:
    places: list[Record] = field(default_factory=list)
    organisations: list[Record] = field(default_factory=list)
    initiatives: list[Record] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


@dataclass
class _Collected:
    organisations: dict[str, dict] = field(default_factory=dict)
    locations: dict[str, dict] = field(default_factory=dict)
    services: dict[str, dict] = field(default_factory=dict)
    addresses: dict[str, list[dict]] = field(default_factory=dict)  # location id → addresses
    phones: dict[str, str] = field(default_factory=dict)  # organisation id → number
    service_locations: dict[str, list[str]] = field(default_factory=dict)
    where: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)


def _id(record: dict, fallback: str) -> str:
    return cell_text(record.get("id")) or fallback


def _collect_location(c: _Collected, location: dict, org_id: str = "") -> str:
    loc_id = _id(location, f"location-{len(c.locations) + 1}")
    location = dict(location)
    if org_id and not location.get("organization_id"):
        location["organization_id"] = org_id
    c.locations.setdefault(loc_id, location)
    for address in location.get("addresses") or []:
        if isinstance(address, dict):
            c.addresses.setdefault(loc_id, []).append(address)
    return loc_id


def _collect_organisation(c: _Collected, org: dict) -> str:
    org_id = _id(org, f"organisation-{len(c.organisations) + 1}")
    c.organisations.setdefault(org_id, org)
    for phone in org.get("phones") or []:
        if isinstance(phone, dict) and phone.get("number"):
            c.phones.setdefault(org_id, cell_text(phone["number"]))
    for location in org.get("locations") or []:
        if isinstance(location, dict):
            _collect_location(c, location, org_id)
    for service in org.get("services") or []:
        if isinstance(service, dict):
            _collect_service(c, service, org_id)
    return org_id


def _collect_service(c: _Collected, service: dict, org_id: str = "") -> str:
    service_id = _id(service, f"service-{len(c.services) + 1}")
    org = service.get("organization")
    if isinstance(org, dict):
        org_id = _collect_organisation(c, org)
    service = dict(service)
    if org_id and not service.get("organization_id"):
        service["organization_id"] = org_id
    c.services.setdefault(service_id, service)
    for link in service.get("service_at_locations") or []:
        if isinstance(link, dict) and isinstance(link.get("location"), dict):
            loc_id = _collect_location(c, link["location"])
            c.service_locations.setdefault(service_id, []).append(loc_id)
    return service_id


def from_json(value: object) -> Source:
    if isinstance(value, dict) and isinstance(value.get("contents"), list):
        items = value["contents"]
    elif isinstance(value, list):
        items = value
    else:
        items = [value]
    c = _Collected()
    for item in items:
        if not isinstance(item, dict):
            continue
        if "status" in item or "service_at_locations" in item:
            _collect_service(c, item)
        elif "location_type" in item:
            _collect_location(c, item)
        else:
            _collect_organisation(c, item)
    return _source(c, package=False)


def _rows(package: reading.Package, resource: str) -> list[tuple[int, dict]]:
    paths = {
        r.get("name"): r.get("path")
        for r in package.descriptor.get("resources", [])
        if isinstance(r, dict)
    }
    path = paths.get(resource)
    if not isinstance(path, str):
        return []
    table = package.table(Path(path).name)
    if table is None:
        return []
    headers = [h.strip() for h in table.headers]
    return [
        (line, {h: cells[i] if i < len(cells) else "" for i, h in enumerate(headers)})
        for line, cells in table.rows
    ]


def from_package(package: reading.Package) -> Source:
    c = _Collected()
    for line, org in _rows(package, "organization"):
        org_id = _collect_organisation(c, org)
        c.where[("org", org_id)] = ("organizations.csv", line)
    for line, location in _rows(package, "location"):
        loc_id = _collect_location(c, location)
        c.where[("loc", loc_id)] = ("locations.csv", line)
    for _line, address in _rows(package, "address"):
        loc_id = cell_text(address.get("location_id"))
        if loc_id:
            c.addresses.setdefault(loc_id, []).append(address)
    for _line, phone in _rows(package, "phone"):
        org_id = cell_text(phone.get("organization_id"))
        if org_id and phone.get("number"):
            c.phones.setdefault(org_id, cell_text(phone["number"]))
    for line, service in _rows(package, "service"):
        service_id = _collect_service(c, service)
        c.where[("service", service_id)] = ("services.csv", line)
    for _line, link in _rows(package, "service_at_location"):
        service_id, loc_id = cell_text(link.get("service_id")), cell_text(link.get("location_id"))
        if service_id and loc_id:
            c.service_locations.setdefault(service_id, []).append(loc_id)
    return _source(c, package=True)


def _where(c: _Collected, kind: str, key: str, number: int, label: str) -> tuple[str, int]:
    if (kind, key) in c.where:
        file_name, line = c.where[(kind, key)]
        return _("%(file)s line %(line)s") % {"file": file_name, "line": line}, line
    return f"{label} {number}", number


def _source(c: _Collected, *, package: bool) -> Source:
    source = Source()
    location_ref: dict[str, str] = {}
    virtual = 0
    org_locations: dict[str, str] = {}
    for number, (loc_id, location) in enumerate(c.locations.items(), start=1):
        if cell_text(location.get("location_type")).lower() == "virtual":
            virtual += 1
            continue
        addresses = c.addresses.get(loc_id, [])
        address = next(
            (a for a in addresses if cell_text(a.get("address_type")).lower() == "physical"),
            addresses[0] if addresses else {},
        )
        street, house_number = split_address(cell_text(address.get("address_1")))
        org_id = cell_text(location.get("organization_id"))
        org_name = cell_text(c.organisations.get(org_id, {}).get("name"))
        external_id = cell_text(location.get("external_identifier")) or loc_id
        location_ref[loc_id] = external_id
        if org_id:
            org_locations.setdefault(org_id, loc_id)
        where, line = _where(c, "loc", loc_id, number, _("location"))
        source.places.append(
            (
                where,
                line,
                {
                    "name": cell_text(location.get("name")) or org_name or street,
                    "kind": "",
                    "street": street,
                    "house_number": house_number,
                    "postcode": cell_text(address.get("postal_code")),
                    "latitude": location.get("latitude"),
                    "longitude": location.get("longitude"),
                    "description": cell_text(location.get("description")),
                    "external_id": external_id,
                    "_address": address,
                },
            )
        )
    for values in (record[2] for record in source.places):
        values.pop("_address")
    places_by_id = {loc_id: rec for loc_id, rec in zip(location_ref, source.places, strict=False)}
    for number, (org_id, org) in enumerate(c.organisations.items(), start=1):
        if cell_text(org.get("uri")).startswith(RESIDENTS_URI):
            continue  # stands for the residents themselves: their initiatives come as services
        loc_id = org_locations.get(org_id, "")
        place = places_by_id.get(loc_id)
        where, line = _where(c, "org", org_id, number, _("organisation"))
        source.organisations.append(
            (
                where,
                line,
                {
                    "name": cell_text(org.get("name")),
                    "kind": "",
                    "description": cell_text(org.get("description")),
                    "email": cell_text(org.get("email")),
                    "phone": c.phones.get(org_id, ""),
                    "website": cell_text(org.get("website")),
                    "street": place[2]["street"] if place else "",
                    "house_number": place[2]["house_number"] if place else "",
                    "postcode": place[2]["postcode"] if place else "",
                    "external_id": org_id,
                    "usual_place": location_ref.get(loc_id, ""),
                },
            )
        )
    for number, (service_id, service) in enumerate(c.services.items(), start=1):
        locations = c.service_locations.get(service_id, [])
        meeting = next((location_ref[i] for i in locations if i in location_ref), "")
        where, line = _where(c, "service", service_id, number, _("service"))
        source.initiatives.append(
            (
                where,
                line,
                {
                    "name": cell_text(service.get("name")),
                    "description": cell_text(service.get("description")),
                    "status": cell_text(service.get("status")),
                    "meeting_place": meeting,
                },
            )
        )
    if virtual:
        source.notices.append(
            _("%(count)s virtual locations (websites, phone lines) are left out.")
            % {"count": virtual}
        )
    if source.initiatives:
        source.notices.append(_("HSDS services become initiatives of the neighbourhood."))
    return source


# --- writing ---------------------------------------------------------------------------


def descriptor() -> dict:
    return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def resource_fields(name: str) -> list[str]:
    for resource in descriptor()["resources"]:
        if resource["name"] == name:
            return [f["name"] for f in resource["schema"]["fields"]]
    raise KeyError(name)


def stable_id(neighbourhood, kind: str, pk: int, external_id: str = "") -> str:
    """The object's external id when it is a UUID, else a UUID derived from the row."""
    if external_id:
        try:
            return str(uuid.UUID(external_id))
        except ValueError:
            pass
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"assetmap:{neighbourhood.slug}:{kind}:{pk}"))


@dataclass
class Tables:
    """HSDS tables as lists of row dicts (keys are HSDS field names)."""

    organization: list[dict] = field(default_factory=list)
    location: list[dict] = field(default_factory=list)
    address: list[dict] = field(default_factory=list)
    phone: list[dict] = field(default_factory=list)
    service: list[dict] = field(default_factory=list)
    service_at_location: list[dict] = field(default_factory=list)
    attribute: list[dict] = field(default_factory=list)  # taxonomy terms of the rows above


INITIATIVE_STATUS = {
    "idea": "inactive",
    "active": "active",
    "paused": "temporarily closed",
    "ended": "defunct",
}


def residents_id(neighbourhood) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"assetmap:{neighbourhood.slug}:residents"))


def _stamp(value) -> str:
    return value.isoformat() if value else ""


def build_tables(neighbourhood, organisations, places, initiatives, *, published=False) -> Tables:
    """HSDS rows for the given querysets (organisations with ``usual_place`` selected).

    The one mapping of our records to HSDS, for the files and the API. ``published``: only
    what the neighbourhood's published page shows (the API): no email, phone, coordinates,
    house number, postcode or external ids; the caller passes only published records.
    """
    tables = Tables()
    organisations, places = list(organisations), list(places)
    org_ids: dict[int, str] = {}
    for org in organisations:
        org_ids[org.pk] = stable_id(neighbourhood, "organisation", org.pk, org.external_id)
    place_ids: dict[int, str] = {}
    for place in places:
        place_ids[place.pk] = stable_id(neighbourhood, "place", place.pk, place.external_id)
    place_org: dict[int, str] = {}
    for org in organisations:
        row = {
            "id": org_ids[org.pk],
            "name": org.name,
            "description": org.description,
            "email": "" if published else org.email,
            "website": org.website,
            "_modified": _stamp(org.updated_at),
        }
        tables.organization.append(row)
        tables.attribute.append(kind_attribute(neighbourhood, "organisation", org, org_ids[org.pk]))
        if org.phone and not published:
            tables.phone.append(
                {
                    "id": stable_id(neighbourhood, "organisation-phone", org.pk),
                    "organization_id": org_ids[org.pk],
                    "number": org.phone,
                }
            )
        if org.usual_place_id in place_ids:
            place_org.setdefault(org.usual_place_id, org_ids[org.pk])
    for place in places:
        organisation_id = org_ids.get(place.managed_by_organisation_id) or place_org.get(place.pk)
        external_id = "" if published else place.external_id
        tables.location.append(
            {
                "id": place_ids[place.pk],
                "location_type": "physical",
                "organization_id": organisation_id or "",
                "name": place.name,
                "description": place.description,
                "latitude": None if published else place.latitude,
                "longitude": None if published else place.longitude,
                "external_identifier": external_id,
                "external_identifier_type": "assetmap" if external_id else "",
                "_modified": _stamp(place.updated_at),
            }
        )
        tables.attribute.append(kind_attribute(neighbourhood, "place", place, place_ids[place.pk]))
        if place.street or (place.postcode and not published):
            number = "" if published else place.house_number
            tables.address.append(
                {
                    "id": stable_id(neighbourhood, "place-address", place.pk),
                    "location_id": place_ids[place.pk],
                    "address_1": f"{place.street} {number}".strip(),
                    "city": neighbourhood.municipality,
                    "state_province": "",
                    "postal_code": "" if published else place.postcode,
                    "country": "NL",
                    "address_type": "physical",
                }
            )
    initiatives = list(initiatives)
    owner = ""
    if initiatives:
        # Initiatives are residents' own; HSDS wants an organisation for every service.
        owner = residents_id(neighbourhood)
        tables.organization.append(
            {
                "id": owner,
                "name": _("Residents of %(name)s") % {"name": neighbourhood.name},
                "description": _("Initiatives that residents of %(name)s started.")
                % {"name": neighbourhood.name},
                "uri": f"{RESIDENTS_URI}:{neighbourhood.slug}",
                "_modified": "",
            }
        )
    for initiative in initiatives:
        service_id = stable_id(neighbourhood, "initiative", initiative.pk)
        tables.service.append(
            {
                "id": service_id,
                "organization_id": owner,
                "name": initiative.name,
                "description": initiative.description,
                "status": INITIATIVE_STATUS.get(initiative.status, "active"),
                "last_modified": _stamp(initiative.updated_at),
            }
        )
        if initiative.meeting_place_id in place_ids:
            tables.service_at_location.append(
                {
                    "id": stable_id(neighbourhood, "initiative-place", initiative.pk),
                    "service_id": service_id,
                    "location_id": place_ids[initiative.meeting_place_id],
                }
            )
    return tables


# --- taxonomy: our kinds of places and organisations, and the policy domains -----------

TAXONOMY_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "assetmap:taxonomy"))
TAXONOMY_URI = "https://assetmap.nl/taxonomy"  # a name, not a page


def term_id(group: str, code: str = "") -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"assetmap:taxonomy:{group}:{code}"))


def taxonomy() -> dict:
    return {
        "id": TAXONOMY_ID,
        "name": "Assetmap",
        "description": _(
            "Kinds of places and organisations and the policy domains of outcomes, as "
            "Assetmap uses them."
        ),
        "uri": TAXONOMY_URI,
        "version": "1",
    }


def _groups():
    return [
        ("place", _("Kinds of places"), PlaceKind.choices),
        ("organisation", _("Kinds of organisations"), OrganisationKind.choices),
        ("domain", _("Policy domains"), Domain.choices),
    ]


def taxonomy_terms() -> list[dict]:
    """One top term per group (kinds of places, of organisations, policy domains), its
    kinds below it; ids are the same everywhere (derived from the code)."""
    terms = []
    for group, label, choices in _groups():
        parent = term_id(group)
        terms.append(
            {
                "id": parent,
                "code": group,
                "name": str(label),
                "description": str(label),
                "taxonomy": "Assetmap",
                "taxonomy_id": TAXONOMY_ID,
            }
        )
        for code, name in choices:
            terms.append(
                {
                    "id": term_id(group, code),
                    "code": f"{group}:{code}",
                    "name": str(name),
                    "description": f"{label}: {name}",
                    "parent_id": parent,
                    "taxonomy": "Assetmap",
                    "taxonomy_id": TAXONOMY_ID,
                }
            )
    return terms


def kind_attribute(neighbourhood, group: str, record, link_id: str) -> dict:
    """The attribute linking a place or organisation to the term of its kind."""
    return {
        "id": stable_id(neighbourhood, f"{group}-kind", record.pk),
        "link_id": link_id,
        "link_type": "kind",
        "link_entity": "location" if group == "place" else "organization",
        "taxonomy_term_id": term_id(group, record.kind),
        "value": record.kind,
    }


PATHS = {
    "organization": "organizations.csv",
    "location": "locations.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "service": "services.csv",
    "service_at_location": "service_at_location.csv",
}


def _csv(fields: list[str], rows: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["" if row.get(f) is None else escape(row.get(f, "")) for f in fields])
    return buffer.getvalue().encode("utf-8")


def write_package(tables: Tables, stream) -> None:
    """A ZIP with datapackage.json and one CSV per table (header row even when empty)."""
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor(), indent=2, ensure_ascii=False))
        for name, path in PATHS.items():
            archive.writestr(path, _csv(resource_fields(name), getattr(tables, name)))


def _clean(record: dict, keep: tuple[str, ...] = ()) -> dict:
    """Leave out empty values, except required text fields (empty text is still text), and
    our own bookkeeping keys (starting with ``_``)."""
    return {
        k: v
        for k, v in record.items()
        if not k.startswith("_") and v is not None and (v != "" or k in keep)
    }


ADDRESS_REQUIRED = ("address_1", "city", "state_province", "postal_code", "country")


@dataclass
class Objects:
    """The tables as nested HSDS objects, each kind by id (in the tables' order)."""

    organizations: dict[str, dict]
    locations: dict[str, dict]
    services: dict[str, dict]
    service_at_locations: dict[str, dict]
    modified: dict[str, str]  # id → ISO timestamp of the record's last change


def objects(tables: Tables) -> Objects:
    """Organizations with their locations and phones, locations with their addresses,
    services with their service_at_locations (each with its location); kinds as attributes."""
    attributes: dict[str, list[dict]] = {}
    for attribute in tables.attribute:
        attributes.setdefault(attribute["link_id"], []).append(_clean(attribute))
    addresses: dict[str, list[dict]] = {}
    for address in tables.address:
        addresses.setdefault(address["location_id"], []).append(_clean(address, ADDRESS_REQUIRED))
    modified = {}
    locations: dict[str, dict] = {}
    locations_by_org: dict[str, list[dict]] = {}
    for location in tables.location:
        item = _clean(location)
        item["addresses"] = addresses.get(location["id"], [])
        item["attributes"] = attributes.get(location["id"], [])
        locations[location["id"]] = item
        modified[location["id"]] = location.get("_modified", "")
        if location.get("organization_id"):
            locations_by_org.setdefault(location["organization_id"], []).append(item)
    phones: dict[str, list[dict]] = {}
    for phone in tables.phone:
        phones.setdefault(phone["organization_id"], []).append(_clean(phone))
    organizations: dict[str, dict] = {}
    for org in tables.organization:
        item = _clean(org, ("description",))
        item["locations"] = locations_by_org.get(org["id"], [])
        item["phones"] = phones.get(org["id"], [])
        item["attributes"] = attributes.get(org["id"], [])
        organizations[org["id"]] = item
        modified[org["id"]] = org.get("_modified", "")
    links: dict[str, list[dict]] = {}
    service_at_locations: dict[str, dict] = {}
    for link in tables.service_at_location:
        entry = _clean(link)
        entry["location"] = locations.get(link["location_id"], {})
        links.setdefault(link["service_id"], []).append(entry)
        service_at_locations[link["id"]] = entry
    services: dict[str, dict] = {}
    for service in tables.service:
        item = _clean(service)
        item["service_at_locations"] = links.get(service["id"], [])
        services[service["id"]] = item
        modified[service["id"]] = service.get("last_modified", "")
    for link in tables.service_at_location:
        modified[link["id"]] = modified.get(link["service_id"], "")
    return Objects(organizations, locations, services, service_at_locations, modified)


def as_json(tables: Tables) -> list[dict]:
    """Organizations with nested locations, phones and services; then services and locations
    that belong to no organisation, each as its own HSDS object."""
    found = objects(tables)
    result: list[dict] = [*found.organizations.values(), *found.services.values()]
    for location in tables.location:
        if not location.get("organization_id"):
            result.append(found.locations[location["id"]])
    return result

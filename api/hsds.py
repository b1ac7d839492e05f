"""What the HSDS API serves: a published neighbourhood's records as HSDS 3 objects, filtered
and paginated as the HSDS 3 OpenAPI description says.

The mapping itself is ``exchange.hsds`` (the same one the HSDS files use) with
``published=True``: only the records and fields the neighbourhood's published page shows.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from exchange import hsds
from neighbourhoods.models import Neighbourhood
from outcomes.models import PublicationSettings
from outcomes.public import published_initiatives, published_organisations, published_places

VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/v3.0/"
PER_PAGE = 50
MAX_PER_PAGE = 200


class BadQuery(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def published(slug: str) -> tuple[Neighbourhood, PublicationSettings] | None:
    row = (
        PublicationSettings.objects.select_related("neighbourhood")
        .filter(neighbourhood__slug=slug, published=True)
        .first()
    )
    return (row.neighbourhood, row) if row else None


def collection(neighbourhood: Neighbourhood, settings_row: PublicationSettings) -> hsds.Objects:
    """Every published organisation, place and initiative as HSDS objects."""
    places = published_places(neighbourhood, settings_row)
    organisations = published_organisations(neighbourhood, settings_row).select_related(
        "usual_place"
    )
    initiatives = published_initiatives(neighbourhood, settings_row)
    tables = hsds.build_tables(neighbourhood, organisations, places, initiatives, published=True)
    return hsds.objects(tables)


def service_detail(found: hsds.Objects, item: dict) -> dict:
    """A service with its organisation (without the organisation's own lists)."""
    org = found.organizations.get(item.get("organization_id", ""))
    if org is None:
        return item
    brief = {k: v for k, v in org.items() if k not in ("locations", "phones")}
    return item | {"organization": brief}


# --- query parameters ------------------------------------------------------------------


@dataclass
class Query:
    search: str = ""
    modified_after: datetime.datetime | None = None
    page: int = 1
    per_page: int = PER_PAGE
    organization_id: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    parent_id: str = ""


def _number(params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery(_("%(name)s must be a whole number.") % {"name": name}) from None
    if not low <= value <= high:
        raise BadQuery(
            _("%(name)s must be between %(low)s and %(high)s.")
            % {"name": name, "low": low, "high": high}
        )
    return value


def _moment(raw: str) -> datetime.datetime | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # a '+' in a URL arrives as a space
        if moment is None:
            day = parse_date(raw)
            if day is None:
                raise ValueError(raw)
            moment = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        raise BadQuery(
            _("modified_after must be a date or date and time, e.g. 2026-01-31T12:00:00Z.")
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def read_query(params) -> Query:
    return Query(
        search=params.get("search", "").strip()[:200],
        modified_after=_moment(params.get("modified_after", "")),
        page=_number(params, "page", 1, 1, 1_000_000),
        per_page=_number(params, "per_page", PER_PAGE, 1, MAX_PER_PAGE),
        organization_id=params.get("organization_id", "").strip()[:100],
        taxonomy_term_id=params.get("taxonomy_term_id", "").strip()[:100],
        taxonomy_id=params.get("taxonomy_id", "").strip()[:100],
        parent_id=params.get("parent_id", "").strip()[:100],
    )


# --- filtering and paging ----------------------------------------------------------------


def _text(item: dict) -> str:
    parts = [str(item.get(k, "")) for k in ("name", "description", "code")]
    for address in item.get("addresses", []):
        parts += [address.get("address_1", ""), address.get("city", "")]
    location = item.get("location")
    if isinstance(location, dict):
        parts += [location.get("name", ""), location.get("description", "")]
    return " ".join(parts).casefold()


def _terms(item: dict) -> set[str]:
    terms = {a.get("taxonomy_term_id") for a in item.get("attributes", [])}
    location = item.get("location")
    if isinstance(location, dict):
        terms |= _terms(location)
    return {t for t in terms if t}


def filtered(items: list[dict], query: Query, modified: dict[str, str] | None = None) -> list:
    result = []
    words = query.search.casefold().split()
    for item in items:
        if words and not all(w in _text(item) for w in words):
            continue
        if query.modified_after is not None:
            stamp = (modified or {}).get(item["id"], "")
            moment = parse_datetime(stamp) if stamp else None
            if moment is None or moment <= query.modified_after:
                continue
        if query.organization_id and item.get("organization_id") != query.organization_id:
            continue
        if query.taxonomy_term_id and query.taxonomy_term_id not in _terms(item):
            continue
        if query.taxonomy_id and item.get("taxonomy_id", hsds.TAXONOMY_ID) != query.taxonomy_id:
            continue
        if query.parent_id and item.get("parent_id") != query.parent_id:
            continue
        result.append(item)
    return result


def page(items: list[dict], query: Query) -> dict:
    """One page as the HSDS 3 OpenAPI's ``Page`` with ``contents``."""
    total = len(items)
    pages = max(1, math.ceil(total / query.per_page))
    start = (query.page - 1) * query.per_page
    contents = items[start : start + query.per_page]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": query.per_page,
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": not contents,
        "contents": contents,
    }

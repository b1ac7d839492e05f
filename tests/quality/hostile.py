"""What the hostile-input tests send and what they check afterwards.

- payloads: crafted strings (markup, SQL, template syntax, RTL, emoji, control characters,
  NUL, very long text, odd numbers and dates) and hypothesis strategies per field type, for
  posts and for query parameters;
- edges: ids beyond any database integer and dates the calendar cannot step past, tried
  in every field that takes an id or a date (random examples seldom pick them);
- invariants: neighbourhood B unchanged (a digest of every row scoped to it), no row that
  links objects of two neighbourhoods, markup payloads only ever escaped in HTML, redirects
  only to this site;
- bad files: a 100-megapixel PNG of a few KB, a GIF, an HTML page named .jpg, a JPEG with
  PHP and HTML appended, a tiny ZIP that unpacks to 64 MB.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from urllib.parse import urlsplit

from django.apps import apps
from hypothesis import strategies as st

from neighbourhoods.models import Neighbourhood, NeighbourhoodQuerySet

from .forms import Field

# -- payloads -------------------------------------------------------------------------------

# Markup that must never reach a page unescaped (checked literally in every HTML answer).
MARKUP = [
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert("xss-2")>',
    "'><svg onload=alert('xss-3')>",
    "<a href=\"javascript:alert('xss-4')\">x</a>",
]
CRAFTED = [
    *MARKUP,
    "'; DROP TABLE residents_person; --",
    "' OR '1'='1",
    '" OR ""="',
    "1; SELECT pg_sleep(5)",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s %d {0}",
    "\u202egnirts desrever\u202c",  # right-to-left override
    "שלום, עולם",
    "مرحبا بالعالم",
    "👩‍👩‍👧‍👦🏳️‍🌈🇳🇱",
    "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
    "a\x00b",
    "\x00",
    "\x1b[31mred\x07\x08",
    "line\r\nSet-Cookie: hacked=1",
    "\ufeff\u200b\u2028\u2029",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "//evil.example/",
    "https://evil.example/path",
    " ",
    "",
    "x" * 20_000,
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999999999",
    "-99999999999999999999999999999999",
    "1.5",
    "0x1F",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "1900-01-01",
    "31-12-2025",
    "true",
    "null",
    "[]",
    '{"a": 1}',
]

# Ids and dates at the edge: a 25-digit id overflows the database driver (SQLite: 64-bit,
# PostgreSQL: bigint) unless a form bounds it; a year 1 or 9999 date overflows as soon as
# the code steps a month or a year past it.
HUGE_ID = "9" * 25
EDGE_IDS = [HUGE_ID, f"-{HUGE_ID}", "0", "-1", "99999999999", "²"]  # ² passes str.isdigit()
EDGE_DATES = {
    "date": ["0001-01-01", "9999-12-31"],
    "datetime-local": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "month": ["0001-01", "9999-12"],
}

# Keys a form never offers: a post that adds them must not reassign what they name.
SMUGGLED = ["id", "pk", "neighbourhood", "neighbourhood_id", "slug", "user", "user_id",
            "created_by", "is_staff", "role", "status", "version", "person_id"]  # fmt: skip


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(CRAFTED),
        st.text(st.characters(codec="utf-8"), max_size=40),
        st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "So"]), max_size=20),
    )


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
    )


def dates() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(lambda d: d.isoformat()),
        st.sampled_from(["2026-02-30", *EDGE_DATES["date"], "2026-13-01", "1-1-1"]),
    )


def id_prefix(f: Field) -> str:
    """ "initiative" for a field whose values read "initiative:12" ("" for plain ids)."""
    values = [f.value, *f.options]
    return next((v.split(":", 1)[0] for v in values if ":" in v), "")


def edges(f: Field) -> list[str]:
    """The edge ids and dates for one field (both when the kind is unknown, as for a query
    parameter no form on the page offers)."""
    values = []
    unknown = f.kind == ""
    if f.takes_id or f.kind in {"number", "range"} or unknown:
        prefix = id_prefix(f)
        values += [f"{prefix}:{pk}" if prefix else pk for pk in EDGE_IDS]
    if unknown:
        values += EDGE_DATES["date"]
    values += EDGE_DATES.get(f.kind, [])
    return values


def value_for(f: Field, guesses: list[str]) -> st.SearchStrategy:
    """Random and crafted values for one field; ``guesses``: ids of the other neighbourhood."""
    own = [o for o in f.options if o] or ([f.value] if f.value else [])
    choices = [hostile_text()]
    if own:
        choices.append(st.sampled_from(own))
    if edge := edges(f):
        choices.append(st.sampled_from(edge))
    if f.takes_id:
        choices.append(st.sampled_from(guesses))
        if prefix := id_prefix(f):  # e.g. "initiative:12"
            choices.append(st.sampled_from(guesses).map(lambda pk: f"{prefix}:{pk}"))
    if f.kind in {"number", "range"}:
        choices.append(numbers())
    if f.kind in {"date", "datetime-local", "month"}:
        choices.append(dates())
    if f.kind in {"checkbox", "checkbox-multiple"}:
        choices.append(st.sampled_from(["on", "1", "true", "off", "0"]))
    single = st.one_of(*choices)
    return st.one_of(st.none(), single, st.lists(single, min_size=2, max_size=3))


def post_data(fields: dict[str, Field], guesses: list[str]) -> st.SearchStrategy[dict]:
    """A whole post: each field left out, one value or several; sometimes smuggled keys."""
    parts = {name: value_for(f, guesses) for name, f in fields.items() if f.kind != "file"}
    smuggled = st.dictionaries(
        st.sampled_from(SMUGGLED), st.one_of(st.sampled_from(guesses), hostile_text()), max_size=2
    )
    return st.tuples(st.fixed_dictionaries(parts), smuggled).map(
        lambda pair: {k: v for k, v in {**pair[1], **pair[0]}.items() if v is not None}
    )


def query_data(params: dict[str, Field], guesses: list[str]) -> st.SearchStrategy[dict]:
    """A query string: each parameter left out, one value or several (NUL included)."""
    parts = {name: value_for(f, guesses) for name, f in params.items()}

    def query(data: dict) -> dict:
        return {k: v for k, v in data.items() if v is not None}

    return st.fixed_dictionaries(parts).map(query)


# -- invariants -----------------------------------------------------------------------------


def scoped_models() -> list[type]:
    found = []
    for model in apps.get_models():
        if isinstance(model._default_manager.all(), NeighbourhoodQuerySet):
            found.append(model)
    return found


def _path(model) -> str:
    return getattr(model, "neighbourhood_path", "neighbourhood")


def digest(neighbourhood: Neighbourhood) -> dict[str, str]:
    """A fingerprint per model of every row that belongs to the neighbourhood."""
    prints = {"neighbourhood": repr(Neighbourhood.objects.filter(pk=neighbourhood.pk).values())}
    for model in scoped_models():
        rows = model._default_manager.all().in_neighbourhood(neighbourhood).order_by("pk")
        fields = [f.attname for f in model._meta.concrete_fields]
        data = repr(list(rows.values_list(*fields)))
        for m2m in model._meta.many_to_many:
            data += repr(list(rows.values_list("pk", m2m.name).order_by("pk", m2m.name)))
        prints[model._meta.label] = hashlib.sha256(data.encode()).hexdigest()
    return prints


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [label for label, value in after.items() if before.get(label) != value]


def cross_links() -> list[str]:
    """Rows that link an object of one neighbourhood to an object of another."""
    scoped = set(scoped_models())
    problems = []
    for model in scoped:
        own = _path(model)
        relations = [
            f
            for f in model._meta.get_fields()
            if f.is_relation and f.concrete and f.related_model in scoped
        ]
        for f in relations:
            other = f"{f.name}__{_path(f.related_model)}"
            pairs = (
                model._default_manager.filter(**{f"{f.name}__isnull": False})
                .values_list(own, other)
                .distinct()
            )
            for mine, theirs in pairs:
                if mine != theirs:
                    problems.append(f"{model._meta.label}.{f.name}: {mine} → {theirs}")
    return problems


WRITES = ("INSERT", "UPDATE", "DELETE")
QUIET_TABLES = ("django_session", "axes_")


def wrote(queries: list[dict]) -> bool:
    """Did these queries change application rows (not sessions or lockout counters)?"""
    for query in queries:
        sql = query["sql"].lstrip().upper()
        if sql.startswith(WRITES) and not any(t.upper() in sql[:80] for t in QUIET_TABLES):
            return True
    return False


def unescaped(response, sent: list[str]) -> list[str]:
    """Markup payloads that appear literally in an HTML answer."""
    if "html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return []
    html = response.content.decode(errors="replace")
    return [payload for payload in sent if payload in MARKUP and payload in html]


def off_site(response) -> str | None:
    """The Location of a redirect that leaves this site, if any."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return None
    location = response["Location"]
    parts = urlsplit(location)
    if location.startswith("//") or parts.scheme not in ("", "http", "https"):
        return location
    if parts.netloc and parts.netloc != "testserver":
        return location
    return None


def flat(data: dict) -> list[str]:
    values = []
    for value in data.values():
        values += value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


# -- bad files ------------------------------------------------------------------------------

PAYLOAD = b'<?php system($_GET["c"]); ?><script>alert("polyglot")</script><html><body>x'


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(side: int = 10_000) -> bytes:
    """A 1-bit PNG of side × side pixels (100 MP by default) in a few kilobytes."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def gif() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, "GIF")
    return out.getvalue()


def jpeg_with_payload() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(out, "JPEG")
    return out.getvalue() + PAYLOAD


def html_page() -> bytes:
    return b"<!doctype html><html><body><script>alert('not a photo')</script></body></html>"


def zip_bomb(megabytes: int = 64) -> bytes:
    """A ZIP of about 64 KB that unpacks to ``megabytes`` MB of zeros (a datapackage.json)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("datapackage.json", "w", force_zip64=True) as member,
    ):
        block = b"\x00" * (1 << 20)
        for _ in range(megabytes):
            member.write(block)
    return out.getvalue()


def xlsx_bomb(megabytes: int = 64) -> bytes:
    """An .xlsx (a ZIP) whose sheet unpacks to ``megabytes`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"></Types>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return out.getvalue()


BAD_FILES = {
    "100-megapixel PNG": ("bomb.png", "image/png", png_bomb),
    "GIF": ("animation.gif", "image/gif", gif),
    "HTML named .jpg": ("photo.jpg", "image/jpeg", html_page),
    "JPEG with PHP and HTML appended": ("polyglot.jpg", "image/jpeg", jpeg_with_payload),
}
BAD_IMPORTS = {
    "ZIP that unpacks to 64 MB": ("datapackage.zip", "application/zip", zip_bomb),
    "XLSX that unpacks to 64 MB": ("people.xlsx", "application/vnd.ms-excel", xlsx_bomb),
    "HTML named .csv": ("people.csv", "text/csv", html_page),
}

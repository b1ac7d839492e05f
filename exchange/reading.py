"""Reading uploaded files: what kind of file it is, its text encoding, its rows.

Plain functions over bytes; nothing here touches the database. Every problem a person can
fix is raised as :class:`Refused` with a message for them (never a traceback).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CSV = "csv"
XLSX = "xlsx"
GEOJSON = "geojson"
HSDS_JSON = "hsds-json"
HSDS_PACKAGE = "hsds-package"
FORMAT_LABELS = {
    CSV: "CSV",
    XLSX: "Excel (XLSX)",
    GEOJSON: "GeoJSON",
    HSDS_JSON: "Open Referral HSDS (JSON)",
    HSDS_PACKAGE: "Open Referral HSDS (CSV data package)",
}

MAX_UNPACKED = 100 * 1024 * 1024  # a ZIP may not unpack to more than this (zip bombs)
MAX_ZIP_ENTRIES = 2000


def max_bytes() -> int:
    """The largest file we read (``EXCHANGE_IMPORT_MAX_BYTES``, 10 MB by default)."""
    return int(getattr(settings, "EXCHANGE_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


class Refused(Exception):
    """A file we cannot read, with a message that says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise Refused(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


@dataclass
class Table:
    """Rows of a spreadsheet: headers, then (line number, cells) per non-empty row."""

    headers: list[str]
    rows: list[tuple[int, list[object]]]
    notices: list[str] = field(default_factory=list)


# --- text ------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str | None]:
    """The text of a file and, when it was not UTF-8, a notice saying how it was read."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), None
        except UnicodeDecodeError as error:
            raise Refused(
                _(
                    "The file says it is UTF-8 but is not (byte %(position)s). Save it again as UTF-8."
                )
                % {"position": error.start + 3}
            ) from error
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as error:
            raise Refused(
                _("The file is not valid UTF-16 text. Save it again as UTF-8.")
            ) from error
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    notice = _(
        "The file is not UTF-8; it was read as Latin-1 (Windows-1252), as older Excel versions "
        "save it. Check that letters such as é and ë look right in the preview."
    )
    return text, notice


def _delimiter(text: str) -> str:
    """Comma, semicolon (Dutch Excel) or tab: whichever splits the header line most."""
    first = text.split("\n", 1)[0]
    counts = {}
    for delimiter in (",", ";", "\t"):
        try:
            counts[delimiter] = len(next(csv.reader([first], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            counts[delimiter] = 0
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best


def _empty(cells: Sequence[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def read_csv(data: bytes) -> Table:
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Refused(_("This is not a text (CSV) file. Upload a CSV, XLSX, GeoJSON or JSON file."))
    text, notice = decode(data)
    if not text.strip():
        raise Refused(_("The file is empty."))
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if _empty(cells):
                continue
            if headers is None:
                headers = [c.strip() for c in cells]
                continue
            rows.append((line, list(cells)))
    except csv.Error as error:
        raise Refused(
            _("Line %(line)s cannot be read as CSV: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    table = Table(headers=headers or [], rows=rows)
    if notice:
        table.notices.append(notice)
    if delimiter == ";":
        table.notices.append(_("Columns are separated by semicolons (as Dutch Excel saves them)."))
    return table


# --- zip, xlsx -------------------------------------------------------------------------


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Refused(_("The ZIP file is damaged and cannot be opened.")) from error
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise Refused(
            _("The ZIP file unpacks to more than %(limit)s; it is refused.")
            % {"limit": filesizeformat(MAX_UNPACKED)}
        )
    return archive


def read_xlsx(data: bytes) -> Table:
    import openpyxl  # a heavy import, only when needed

    open_zip(data)  # size checks before openpyxl unpacks anything
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise Refused(_("The Excel file cannot be opened: %(error)s") % {"error": error}) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        headers: list[str] | None = None
        rows: list[tuple[int, list[object]]] = []
        if sheet is not None:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells: list[object] = list(values)
                if _empty(cells):
                    continue
                if headers is None:
                    headers = ["" if c is None else str(c).strip() for c in cells]
                    continue
                rows.append((number, cells))
    finally:
        workbook.close()
    if headers is None:
        raise Refused(_("The file is empty."))
    table = Table(headers=headers, rows=rows)
    if len(workbook.sheetnames) > 1:
        table.notices.append(
            _("Only the first sheet (%(sheet)s) was read.") % {"sheet": workbook.sheetnames[0]}
        )
    return table


# --- json ------------------------------------------------------------------------------


def read_json(data: bytes) -> object:
    text, _notice = decode(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise Refused(
            _("The JSON is not valid at line %(line)s, column %(column)s: %(error)s")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from error


def is_geojson(value: object) -> bool:
    return isinstance(value, dict) and value.get("type") in ("FeatureCollection", "Feature")


def is_hsds(value: object) -> bool:
    if isinstance(value, dict) and isinstance(value.get("contents"), list):
        value = value["contents"]
    if isinstance(value, list):
        return bool(value) and all(isinstance(v, dict) and "name" in v for v in value)
    return isinstance(value, dict) and "name" in value and "id" in value


# --- data packages ---------------------------------------------------------------------


@dataclass
class Package:
    """A tabular data package: its descriptor and a reader for each CSV it names."""

    descriptor: dict
    files: dict[str, bytes]  # path inside the package → bytes

    def table(self, path: str) -> Table | None:
        data = self.files.get(path)
        return read_csv(data) if data is not None else None


def read_package_zip(data: bytes) -> Package:
    archive = open_zip(data)
    names = [n for n in archive.namelist() if not n.endswith("/")]
    descriptors = [n for n in names if PurePosixPath(n).name == "datapackage.json"]
    if not descriptors:
        raise Refused(
            _(
                "This ZIP file is not an HSDS data package: it has no datapackage.json. "
                "Upload the data package as exported, or a CSV, XLSX or GeoJSON file."
            )
        )
    descriptor_name = min(descriptors, key=len)
    root = PurePosixPath(descriptor_name).parent
    files = {}
    for name in names:
        path = PurePosixPath(name)
        if name.endswith(".csv") and path.parent == root:
            files[path.name] = archive.read(name)
    return Package(descriptor=_descriptor(archive.read(descriptor_name)), files=files)


def read_package_folder(folder) -> Package:
    from pathlib import Path

    folder = Path(folder)
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise Refused(_("The folder has no datapackage.json, so it is not an HSDS data package."))
    files = {}
    for path in folder.glob("*.csv"):
        check_size(path.stat().st_size)
        files[path.name] = path.read_bytes()
    return Package(descriptor=_descriptor(descriptor.read_bytes()), files=files)


def _descriptor(data: bytes) -> dict:
    value = read_json(data)
    if not isinstance(value, dict) or not isinstance(value.get("resources"), list):
        raise Refused(_("datapackage.json lists no resources, so there is nothing to import."))
    return value


# --- what is it? -----------------------------------------------------------------------


def sniff(name: str, data: bytes) -> str:
    """The format of a file from its first bytes (the name only breaks ties)."""
    stripped = data.lstrip(codecs.BOM_UTF8).lstrip()
    if not stripped:
        raise Refused(_("The file is empty."))
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        archive = open_zip(data)
        names = archive.namelist()
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return XLSX
        if any(PurePosixPath(n).name == "datapackage.json" for n in names):
            return HSDS_PACKAGE
        if name.lower().endswith((".xlsx", ".xlsm")):
            raise Refused(_("The Excel file is damaged and cannot be opened."))
        raise Refused(
            _(
                "This ZIP file is not an HSDS data package: it has no datapackage.json. "
                "Upload the data package as exported, or a CSV, XLSX or GeoJSON file."
            )
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise Refused(
            _("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload that.")
        )
    if stripped[:1] in (b"{", b"["):
        value = read_json(data)
        if is_geojson(value):
            return GEOJSON
        if is_hsds(value):
            return HSDS_JSON
        raise Refused(
            _("This JSON is neither GeoJSON nor Open Referral HSDS, so it cannot be imported.")
        )
    return CSV

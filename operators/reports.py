"""The side-by-side table as CSV, XLSX and PDF; the PDF is made by a background job."""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from exchange.cells import escape
from jobs.tasks import JobRefused, describe_download, handler
from outcomes.money import euro_range
from outcomes.report import FONT, FONT_FILES, FONTS, pdf_text

from .models import Operator
from .rollup import DOMAINS, Rollup, Row, rollup

PDF_KIND = "operator-report-pdf"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def header() -> list[str]:
    return [
        _("Neighbourhood"), _("Level"), _("Wijk"), _("Gemeente"), _("CBS code"),
        _("People known"), _("New people"), _("Households (CBS)"), _("Coverage %"),
        _("Conversations"), _("Connections"), _("Density at start"), _("Density at end"),
        _("Density growth"), _("Initiatives"), _("Residents carrying"), _("Outcomes"),
        _("Estimated value, low (€)"), _("Estimated value, high (€)"),
        *[_("%(domain)s: outcomes") % {"domain": d.label} for d in DOMAINS],
        *[_("%(domain)s: value, low (€)") % {"domain": d.label} for d in DOMAINS],
        *[_("%(domain)s: value, high (€)") % {"domain": d.label} for d in DOMAINS],
        _("Reflections: strengthening"), _("Reflections: harmful"), _("Reflections: neutral"),
    ]  # fmt: skip


def cells(row: Row) -> list:
    domains = row.domain_cells()
    level = {"neighbourhood": _("neighbourhood"), "wijk": _("wijk"), "gemeente": _("gemeente")}
    return [
        row.label, level.get(row.level, _("total")), row.wijk, row.gemeente, row.cbs_code,
        row.people, row.new_people, row.households if row.households is not None else "",
        _pct(row.coverage), row.conversations, row.ties, round(row.density_start, 4),
        round(row.density, 4), round(row.density_growth, 4), row.initiatives, row.carriers,
        row.outcomes, float(row.value_low), float(row.value_high),
        *[count for _label, count, _low, _high in domains],
        *[float(low) for _label, _count, low, _high in domains],
        *[float(high) for _label, _count, _low, high in domains],
        row.strengthening, row.harmful, row.neutral,
    ]  # fmt: skip


def table(result: Rollup) -> list[list]:
    return [header(), *(cells(r) for r in result.rows), cells(result.total)]


def as_csv(result: Rollup) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in table(result):
        writer.writerow([escape(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(result: Rollup) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Side by side")[:31])
    for line in table(result):
        sheet.append([escape(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def file_stem(result: Rollup) -> str:
    return f"{result.operator.slug}-{result.start:%Y%m%d}-{result.end:%Y%m%d}"


def as_pdf(result: Rollup, progress=lambda done, total: None) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, FONTS / name)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, pdf_text(result.operator.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    period = _("%(start)s to %(end)s") % {
        "start": formats.date_format(result.start),
        "end": formats.date_format(result.end),
    }
    pdf.multi_cell(
        0, 6, pdf_text(_("Neighbourhoods side by side, %(period)s") % {"period": period}),
        new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    columns = [
        (_("Neighbourhood"), 52, lambda r: r.label),
        (_("People"), 16, lambda r: r.people),
        (_("Coverage %"), 18, lambda r: _pct(r.coverage)),
        (_("Conversations"), 22, lambda r: r.conversations),
        (_("Connections"), 20, lambda r: r.ties),
        (_("Density growth"), 22, lambda r: f"{100 * r.density_growth:+.2f} pp"),
        (_("Initiatives"), 18, lambda r: r.initiatives),
        (_("Carrying"), 16, lambda r: r.carriers),
        (_("Outcomes"), 17, lambda r: r.outcomes),
        (_("Value (€)"), 24, lambda r: euro_range(r.value_low, r.value_high)),
        (_("Reflections +/−/0"), 30, lambda r: f"{r.strengthening}/{r.harmful}/{r.neutral}"),
    ]
    pdf.ln(2)
    pdf.set_font(FONT, "B", 8)
    for label, width, _get in columns:
        pdf.cell(width, 6, pdf_text(label), border=1)
    pdf.ln()
    rows = [*result.rows, result.total]
    for index, row in enumerate(rows):
        pdf.set_font(FONT, "" if row.level == "neighbourhood" else "B", 8)
        for _label, width, get in columns:
            pdf.cell(width, 6, pdf_text(str(get(row)))[:40], border=1)
        pdf.ln()
        progress(index + 1, len(rows))
    pdf.ln(3)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(
        0,
        6,
        pdf_text(_("Outcomes and estimated value per policy domain")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 8)
    for label, count, low, high in result.total.domain_cells():
        pdf.cell(
            0,
            5,
            pdf_text(f"{label}: {count} · {euro_range(low, high)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(2)
    pdf.set_font(FONT, "I", 7)
    pdf.multi_cell(
        0, 4,
        pdf_text(_("Aggregates only; no person is named. Coverage: people known as a share of "
                   "private households. Bron: CBS, Kerncijfers wijken en buurten (CC BY 4.0).")),
    )  # fmt: skip
    return bytes(pdf.output())


@handler(PDF_KIND)
def make_pdf(job, progress):
    operator = Operator.objects.filter(pk=job.params.get("operator")).first()
    if operator is None or job.scope != operator.scope:
        raise JobRefused(_("The organisation of this report no longer exists."))
    start = datetime.date.fromisoformat(job.params["start"])
    end = datetime.date.fromisoformat(job.params["end"])
    result = rollup(operator, start, end)
    content = as_pdf(result, progress)
    describe_download(job, "organisation report (pdf)", len(result.rows))
    return content, f"{file_stem(result)}.pdf", "application/pdf"

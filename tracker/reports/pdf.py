"""The matriks tindak lanjut as a PDF on A4 landscape, ready to attach to a letter: a header,
the summary charts (reports/summary.py), the table (its heading row repeated on every page),
"Halaman X dari Y", and the koordinator's signature block.

A row taller than a page is cut into continuation rows, line by line, so a long text runs on
over the next pages instead of being lost (fpdf2's table refuses a row higher than a page).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import TableHeadingsDisplay, WrapMode
from fpdf.fonts import FontFace

from tracker.core.filters import long_date
from tracker.reports.matrix import COLUMNS, Matrix, MatrixRow
from tracker.reports.summary import for_pdf, summary_charts

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT = "DejaVu"
# Replaced by the number of pages when the file is written; a private-use character that
# people's text never holds (it is stripped from it anyway), unlike fpdf2's default "{nb}".
TOTAL_PAGES = "\ue000nb\ue000"

MARGIN = 10  # mm
BOTTOM = 14  # mm: room for the page number
SIZE = 7  # pt, table text
LINE = 3.3  # mm per line of table text
PAD = 1  # mm inside each cell
# Column widths in mm (A4 landscape minus margins = 277 mm), in the order of COLUMNS.
WIDTHS = (8, 19, 28, 30, 25, 20, 18, 29, 27, 19, 13, 22, 19)
SIGNATURE_HEIGHT = 45  # mm

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000]")


def _clean(text: str) -> str:
    """Text as fpdf2 can lay it out: Unix line ends, tabs as spaces, no control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", text)


class _MatrixPDF(FPDF):
    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.running_title = running_title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSansCondensed.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSansCondensed-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.alias_nb_pages(TOTAL_PAGES)

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(FONT, "", 7)
            self.set_text_color(90)
            self.cell(0, 4, self.running_title, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(1)

    def footer(self) -> None:
        self.set_y(-BOTTOM + 4)
        self.set_font(FONT, "", 7)
        self.cell(
            0,
            4,
            _("Halaman %(page)s dari %(total)s", page=self.page_no(), total=TOTAL_PAGES),
            align="C",
        )


def _cells(row: MatrixRow) -> list[str]:
    return [
        _clean(text)
        for text in (
            str(row.no),
            row.component,
            row.findings,
            row.recommendation,
            row.action_plan,
            row.pic_text,
            long_date(row.due_date) if row.due_date else "—",
            row.realisation,
            row.evidence_text,
            row.status_label,
            f"{row.progress}%",
            row.verifier_note,
            row.remarks,
        )
    ]


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    return pdf.multi_cell(
        width, LINE, text, dry_run=True, output="LINES", padding=PAD, wrapmode=WrapMode.WORD
    )


def _pieces(pdf: FPDF, cells: list[str], max_lines: int) -> list[list[str]]:
    """The row as one table row, or as several when it would not fit on one page."""
    # A cheap bound first: a line holds at least five characters of these widths.
    if all(text.count("\n") + 1 + len(text) // 5 <= max_lines for text in cells):
        return [cells]
    wrapped = [_lines(pdf, text, width) for text, width in zip(cells, WIDTHS, strict=True)]
    longest = max(len(lines) for lines in wrapped)
    if longest <= max_lines:
        return [cells]
    return [
        ["\n".join(lines[start : start + max_lines]) for lines in wrapped]
        for start in range(0, longest, max_lines)
    ]


def _title_block(pdf: FPDF, matrix: Matrix) -> None:
    header = matrix.header
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, _("Matriks Tindak Lanjut"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 5.5, _clean(header.institution), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    lines = [
        _("Tahun evaluasi: %(year)s", year=header.year),
        _("Evaluator: %(name)s", name=_clean(header.evaluator) or "—"),
    ]
    if header.document_number:
        lines.append(_("Nomor laporan: %(number)s", number=_clean(header.document_number)))
    dates = []
    if header.report_date is not None:
        dates.append(_("Tanggal laporan: %(date)s", date=long_date(header.report_date)))
    dates.append(_("Dicetak: %(date)s", date=long_date(header.printed_date)))
    lines.append(" · ".join(dates))
    for line in lines:
        pdf.multi_cell(0, 4.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _summary(pdf: FPDF, matrix: Matrix) -> None:
    """The charts of summary.py side by side under the title, then the table."""
    charts = summary_charts(matrix)
    if not charts:
        return
    width = (pdf.w - 2 * MARGIN - 10) / 2
    top, lowest = pdf.get_y(), pdf.get_y()
    for i, chart in enumerate(charts):
        placed = pdf.image(
            io.BytesIO(for_pdf(chart, FONT)), x=MARGIN + i * (width + 10), y=top, w=width
        )
        lowest = max(lowest, top + placed.rendered_height)
    pdf.set_y(lowest + 4)


def _signature(pdf: FPDF, matrix: Matrix, signer_name: str, signer_title: str, place: str):
    if pdf.will_page_break(SIGNATURE_HEIGHT):
        pdf.add_page()
    pdf.ln(6)
    width = 90
    left = pdf.w - MARGIN - width
    pdf.set_font(FONT, "", 9)
    place_text = _clean(place).strip() or "...................."
    for text in (f"{place_text}, {long_date(matrix.header.printed_date)}", signer_title):
        pdf.set_x(left)
        pdf.multi_cell(width, 5, _clean(text), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(20)
    pdf.set_x(left)
    pdf.set_font(FONT, "B", 9)
    name = _clean(signer_name).strip() or "(" + "." * 50 + ")"
    pdf.multi_cell(width, 5, name, align="C", new_x="LMARGIN", new_y="NEXT")


def build_pdf(matrix: Matrix, signer_name: str, signer_title: str, place: str = "") -> bytes:
    """The PDF's bytes. `signer_name` may be empty: a dotted line is left to sign on."""
    header = matrix.header
    pdf = _MatrixPDF(_clean(f"{_('Matriks Tindak Lanjut')} — {header.institution} ({header.year})"))
    pdf.set_title(_clean(f"{_('Matriks Tindak Lanjut')} {header.institution} {header.year}"))
    pdf.set_creator("tracker")
    pdf.add_page()
    _title_block(pdf, matrix)
    _summary(pdf, matrix)

    headings = [str(name) for name in COLUMNS]
    pdf.set_font(FONT, "B", SIZE)
    heading_lines = max(
        len(_lines(pdf, text, width)) for text, width in zip(headings, WIDTHS, strict=True)
    )
    pdf.set_font(FONT, "", SIZE)
    running_header = 5  # mm, see _MatrixPDF.header
    room = pdf.h - MARGIN - running_header - BOTTOM - heading_lines * LINE - 2 * PAD
    max_lines = max(1, int((room - 2 * PAD) // LINE) - 1)

    with pdf.table(
        col_widths=WIDTHS,
        width=sum(WIDTHS),
        line_height=LINE,
        padding=PAD,
        text_align="LEFT",
        v_align="TOP",
        headings_style=FontFace(emphasis="BOLD", fill_color=(217, 225, 242)),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
        wrapmode=WrapMode.WORD,
    ) as table:
        heading_row = table.row()
        for text in headings:
            heading_row.cell(text, align="C", v_align="M")
        for row in matrix.rows:
            for piece in _pieces(pdf, _cells(row), max_lines):
                table_row = table.row()
                for text in piece:
                    table_row.cell(text)

    _signature(pdf, matrix, signer_name, signer_title, place)
    return bytes(pdf.output())

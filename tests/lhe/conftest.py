"""Shared helpers for the LHE parser tests: sample paths and PDF/DOCX renderings of a text."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

SAMPLES = Path(__file__).parent / "samples"
SHARED_SAMPLE = Path(__file__).parents[3] / "shared" / "samples" / "lhe-polman-babel-2024.txt"
needs_shared_sample = pytest.mark.skipif(
    not SHARED_SAMPLE.exists(), reason=f"{SHARED_SAMPLE} is missing (../shared is not there)"
)
# A score table to put in front of a test's own findings and recommendations.
TABLE = """Hasil Evaluasi Akuntabilitas Kinerja
Kantor Wilayah Contoh
Tahun 2024

No\tKomponen\tBobot\tNilai
1\tPerencanaan Kinerja\t30\t24,00
2\tPengukuran Kinerja\t30\t22,50
3\tPelaporan Kinerja\t15\t11,25
4\tEvaluasi Akuntabilitas Kinerja Internal\t25\t18,75
\tNilai Akhir\t100\t76,50
\tPredikat\t\tBB

"""
_TABLE_LINE = re.compile(r"[\t|\u2502]|\S {2,}\S")


def expected(path: Path) -> dict:
    """The expected parse stored beside a sample text."""
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def _cells(line: str) -> list[str]:
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if "|" in line or "\u2502" in line:
        return [cell.strip() for cell in re.split(r"[|\u2502]", line.strip().strip("|\u2502"))]
    return re.split(r" {2,}", line.strip())


class _Report(FPDF):
    def header(self):
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, "Salinan elektronik - dokumen evaluasi", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, f"Halaman {self.page_no()} dari {{nb}}", align="C")


def text_to_pdf(text: str, lines_per_page: int = 30) -> bytes:
    """A multi-page A4 PDF of `text` (latin-1): table-like lines as cells, a header and a
    footer on every page, a new page at each form feed and after `lines_per_page` lines."""
    pdf = _Report(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    for page in text.split("\f"):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 10)
        for number, line in enumerate(page.split("\n"), start=1):
            if number % lines_per_page == 0:
                pdf.add_page()
            if _TABLE_LINE.search(line.strip()) and re.search(r"\w", line):
                cells = _cells(line)
                widths = [12, 78] + [100 / max(1, len(cells) - 2)] * (len(cells) - 2)
                for width, cell in zip(widths, cells, strict=False):
                    pdf.cell(width, 6, cell)
                pdf.ln(6)
            elif line.strip():
                pdf.multi_cell(0, 6, line.strip(), new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(3)
    return bytes(pdf.output())


def text_to_docx(text: str) -> bytes:
    """A DOCX of `text`: runs of table-like lines become one Word table, the rest paragraphs."""
    document = docx.Document()
    rows: list[list[str]] = []

    def flush_table():
        if rows:
            width = max(len(row) for row in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for cells, row in zip(rows, table.rows, strict=True):
                for value, cell in zip(cells, row.cells, strict=False):
                    cell.text = value
            rows.clear()

    for line in text.replace("\f", "\n").split("\n"):
        if _TABLE_LINE.search(line.strip()):
            if re.search(r"\w", line):
                rows.append(_cells(line))
            continue
        if line.strip() and not re.search(r"\w", line):
            continue  # box-drawing borders
        flush_table()
        document.add_paragraph(line.strip())
    flush_table()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""The XLSX matrix, opened with openpyxl: title and header rows, values, dates, progress, print
setup, and text that stays text whatever it starts with."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.reports import support
from tracker.core.clock import today_local
from tracker.reports.matrix import COLUMNS, Matrix, MatrixHeader, MatrixRow, load_matrix
from tracker.reports.xlsx import MAX_CELL, build_xlsx

HEADINGS = [
    "No",
    "Komponen",
    "Catatan",
    "Rekomendasi",
    "Rencana Aksi",
    "PIC (Unit, Nama)",
    "Batas Waktu",
    "Realisasi Tindak Lanjut",
    "Data Dukung",
    "Status",
    "Progres",
    "Catatan Verifikator",
    "Keterangan",
]
TOP = 7  # the header row (1-based)


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


@pytest.fixture
def sheet(report):
    data = build_xlsx(load_matrix(report.evaluation, None, today_local()))
    return load_workbook(io.BytesIO(data)).active


def _row(sheet, index: int) -> list:
    return [cell.value for cell in sheet[TOP + index]]


def test_title_rows(sheet):
    assert sheet["A1"].value == "Matriks Tindak Lanjut"
    assert sheet["A2"].value == "Politeknik Negeri Contoh"
    assert sheet["A3"].value == "Tahun evaluasi: 2024"
    assert sheet["A4"].value == "Evaluator: Inspektorat Jenderal Kemendikbudristek"
    assert sheet["A5"].value == "Tanggal laporan: 10 Maret 2025 · Dicetak: 2 Juni 2025"
    assert sheet.title == "Matriks Tindak Lanjut"


def test_header_row_frozen_and_filtered(sheet):
    assert [str(name) for name in COLUMNS] == HEADINGS
    assert [cell.value for cell in sheet[TOP]] == HEADINGS
    assert sheet.freeze_panes == f"A{TOP + 1}"
    assert sheet.auto_filter.ref == f"A{TOP}:M{TOP + 5}"
    assert sheet.max_row == TOP + 5


def test_values(sheet, report):
    first = _row(sheet, 1)
    assert first[0] == 1
    assert first[1:6] == [
        "Perencanaan Kinerja",
        "IKU belum berorientasi hasil.",
        "Reviu IKU agar berorientasi hasil (outcome).",
        "Membentuk tim reviu IKU.\n- Rapat tim (selesai)",
        "Bagian Perencanaan\nPic",
    ]
    assert first[7] == "IKU telah direviu dan ditetapkan — SK Direktur 12/2025."
    assert first[8].startswith("1. SK Tim IKU\nhttp://127.0.0.1:5000/evidence/")
    assert "\n2. Notulen rapat\nhttp://127.0.0.1:5000/evidence/" in first[8]
    assert first[8].endswith("\n3. Folder reviu IKU\nhttps://drive.example.com/iku")
    assert first[9:] == ["Sesuai", 1, "Lengkap.", "Selesai 5 Mei 2025"]
    assert _row(sheet, 2)[9:] == [
        "Belum Sesuai",
        0,
        "Lampirkan Renstra yang sudah ditandatangani.",
        "Dikembalikan untuk diperbaiki; Terlambat 13 hari",
    ]
    assert [sheet.cell(TOP + i, 4).value for i in range(1, 6)] == [
        "Reviu IKU agar berorientasi hasil (outcome).",
        "Selaraskan Renstra dengan RPJMN — termasuk kegiatan prioritas.",
        "Bangun aplikasi pengukuran kinerja.",
        support.INJECTIONS[0],
        "Lengkapi SOP pengumpulan data.",
    ]


def test_dates_are_dates_and_progress_a_percentage(sheet):
    due = sheet.cell(TOP + 1, 7)
    assert due.is_date
    assert due.value == datetime(2025, 5, 20)
    assert due.number_format == "dd/mm/yyyy"
    progress = sheet.cell(TOP + 1, 11)
    assert progress.data_type == "n"
    assert progress.value == 1
    assert progress.number_format == "0%"


def test_formula_injection_stays_text(sheet, report):
    untouched = TOP + 4  # "Pelaporan Kinerja": the texts of support.INJECTIONS
    cells = {col: sheet.cell(untouched, col) for col in (3, 4, 5, 8)}
    assert {col: cell.value for col, cell in cells.items()} == {
        3: "@x",
        4: '=HYPERLINK("http://evil.example","klik")',
        5: "+1",
        8: "-1",
    }
    assert all(cell.data_type == "s" for cell in cells.values())


def test_no_formula_anywhere_in_the_file(report):
    data = build_xlsx(load_matrix(report.evaluation, None, today_local()))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def _matrix(*rows: MatrixRow, institution: str = "Politeknik Negeri Contoh") -> Matrix:
    header = MatrixHeader(institution, 2024, "=cmd|' /C calc'!A0", "", None, date(2025, 6, 2))
    return Matrix(header, list(rows))


def test_every_text_column_resists_formulas(app_ctx):
    texts = {
        "component": "=1+1",
        "findings": "+cmd",
        "recommendation": "-2",
        "action_plan": "@SUM(A1)",
        "realisation": '=HYPERLINK("http://x")',
        "verifier_note": "\t=1",
        "remarks": "0123",  # a number-like text keeps its leading zero
    }
    sheet = load_workbook(io.BytesIO(build_xlsx(_matrix(support.matrix_row(**texts))))).active
    values = [cell.value for cell in sheet[TOP + 1]]
    assert values[1:4] == ["=1+1", "+cmd", "-2"]
    assert values[4] == "@SUM(A1)"
    assert values[7] == '=HYPERLINK("http://x")'
    assert values[11:] == ["\t=1", "0123"]
    assert all(cell.data_type == "s" for cell in sheet[TOP + 1][1:6])
    assert sheet["A4"].value == "Evaluator: =cmd|' /C calc'!A0"  # the header's text too
    assert sheet["A5"].value == "Dicetak: 2 Juni 2025"  # no report date
    assert sheet.cell(TOP + 1, 7).value is None  # no due date


def test_indonesian_text_intact(app_ctx):
    text = "Rapat koordinasi — tahap Ⅱ; “dokumen” ‘final’ … Rp1.500.000,00 (ñ, é)"
    sheet = load_workbook(
        io.BytesIO(
            build_xlsx(_matrix(support.matrix_row(realisation=text), institution="Dinas PU — ’"))
        )
    ).active
    assert sheet.cell(TOP + 1, 8).value == text
    assert sheet["A2"].value == "Dinas PU — ’"


def test_overlong_text_is_cut_at_excel_limit(app_ctx):
    sheet = load_workbook(
        io.BytesIO(build_xlsx(_matrix(support.matrix_row(realisation="a" * (MAX_CELL + 100)))))
    ).active
    value = sheet.cell(TOP + 1, 8).value
    assert len(value) == MAX_CELL
    assert value.endswith("a…")


def test_empty_matrix(app_ctx):
    sheet = load_workbook(io.BytesIO(build_xlsx(_matrix()))).active
    assert [cell.value for cell in sheet[TOP]] == HEADINGS
    assert sheet.max_row == TOP


def test_print_setup(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == f"${TOP}:${TOP}"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.cell(TOP + 1, 4).alignment.wrap_text is True
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert sheet.oddFooter.center.text == "Halaman &P dari &N"

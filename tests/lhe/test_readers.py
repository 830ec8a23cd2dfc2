"""read_document: plain text encodings, PDF (text layer, pages, scanned, damaged, locked) and
DOCX (paragraphs and Word tables in body order, automatic list numbers); the same documents
as PDF and DOCX parse exactly like their text."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from tests.lhe.conftest import (
    SAMPLES,
    SHARED_SAMPLE,
    TABLE,
    needs_shared_sample,
    text_to_docx,
    text_to_pdf,
)
from tracker.lhe.document import UnreadableDocument
from tracker.lhe.parser import parse_document, parse_text
from tracker.lhe.readers import (
    DAMAGED_DOCX,
    DAMAGED_PDF,
    LOCKED_PDF,
    NOT_TEXT,
    SCANNED,
    read_document,
)

LATIN1_VARIANTS = [
    SAMPLES / "lhe-dinas-kominfo-2023.txt",
    SAMPLES / "lhe-politeknik-2024-dua-tahun.txt",
    SAMPLES / "lhe-fakultas-2024-berpasangan.txt",
    pytest.param(SHARED_SAMPLE, marks=needs_shared_sample, id="shared-sample"),
]
ALL_VARIANTS = [*LATIN1_VARIANTS, SAMPLES / "lhe-universitas-2020-lima-komponen.txt"]


def _read(data: bytes, kind: str) -> str:
    return read_document(io.BytesIO(data), kind)


# --- plain text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Rekomendasi – évaluasi".encode(), "Rekomendasi – évaluasi"),
        ("Rekomendasi – évaluasi".encode("utf-8-sig"), "Rekomendasi – évaluasi"),
        ("Rekomendasi – évaluasi".encode("cp1252"), "Rekomendasi – évaluasi"),
        ("Rekomendasi – évaluasi".encode("utf-16"), "Rekomendasi – évaluasi"),
        (b"", ""),
    ],
)
def test_text_encodings(data, text):
    assert _read(data, "text") == text


def test_binary_file_sent_as_text_is_refused():
    with pytest.raises(UnreadableDocument, match=f"^{re.escape(NOT_TEXT)}$"):
        _read(b"PK\x03\x04\x00\x00binary", "text")


def test_windows_1252_document_parses_like_its_utf8_version():
    text = TABLE + (
        "Catatan\n\u2013 Dokumen \u201cRenstra\u201d belum direviu.\n"
        "Rekomendasi\n\u2013 Mereviu \u2018Renstra\u2019 \u2014 paling lambat Juni.\n"
    )
    parsed = parse_document(io.BytesIO(text.encode("cp1252")), "text")
    assert parsed == parse_text(text)
    assert (
        parsed.recommendations[0].text == "Mereviu \u2018Renstra\u2019 \u2014 paling lambat Juni."
    )


# --- PDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LATIN1_VARIANTS, ids=lambda p: getattr(p, "stem", p))
def test_pdf_parses_like_the_text(path):
    text = path.read_text(encoding="utf-8")
    pdf = text_to_pdf(text)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    extracted = _read(pdf, "pdf")
    assert "Salinan elektronik - dokumen evaluasi" in extracted  # the repeated page header
    assert "Halaman 2 dari" in extracted  # the footer
    assert parse_document(io.BytesIO(pdf), "pdf") == parse_text(text)


def test_pdf_pages_are_separated_by_form_feeds_and_table_rows_stay_on_one_line():
    pdf = text_to_pdf(TABLE + "Rekomendasi\n" + "1. Mereviu Renstra.\n" * 40)
    pages = _read(pdf, "pdf").split("\f")
    assert len(pages) == len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    rows = [line.split() for line in pages[0].splitlines() if "Pengukuran Kinerja" in line]
    assert rows == [["2", "Pengukuran", "Kinerja", "30", "22,50"]]


def _pdf_with_pages(*draw) -> bytes:
    pdf = FPDF()
    for page in draw:
        pdf.add_page()
        page(pdf)
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "page",
    [
        lambda pdf: pdf.image(Image.new("RGB", (300, 400), "white"), x=10, y=10, w=150),
        lambda pdf: None,
    ],
    ids=["image only", "blank"],
)
def test_scanned_pdf_is_unreadable(page):
    with pytest.raises(UnreadableDocument) as raised:
        _read(_pdf_with_pages(page, page), "pdf")
    assert str(raised.value) == (
        "Berkas PDF ini tidak memiliki lapisan teks (hasil pindaian). "
        "Unggah PDF asli atau berkas DOCX/teks."
    )
    assert str(raised.value) == SCANNED


@pytest.mark.parametrize(
    "data",
    [b"", b"bukan pdf sama sekali", b"%PDF-1.7\n1 0 obj << /Type /Catalog", b"%PDF-1.4\n" * 50],
    ids=["empty", "text", "truncated", "garbage"],
)
def test_damaged_pdf_is_unreadable(data):
    with pytest.raises(UnreadableDocument, match=f"^{re.escape(DAMAGED_PDF)}$"):
        _read(data, "pdf")


def _encrypted(**passwords) -> bytes:
    pdf = FPDF()
    pdf.set_encryption(**passwords)
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.cell(0, 10, "Rekomendasi: mereviu Renstra dan indikator kinerja utama.")
    return bytes(pdf.output())


def test_pdf_locked_with_a_password_is_unreadable():
    with pytest.raises(UnreadableDocument, match=f"^{re.escape(LOCKED_PDF)}$"):
        _read(_encrypted(owner_password="rahasia", user_password="kunci"), "pdf")


def test_pdf_with_only_an_owner_password_is_read():
    assert "mereviu Renstra" in _read(_encrypted(owner_password="rahasia"), "pdf")


# --- DOCX ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL_VARIANTS, ids=lambda p: getattr(p, "stem", p))
def test_docx_parses_like_the_text(path):
    text = path.read_text(encoding="utf-8")
    data = text_to_docx(text)
    assert docx.Document(io.BytesIO(data)).tables  # the score table is a real Word table
    assert parse_document(io.BytesIO(data), "docx") == parse_text(text)


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_body_order_and_tables_as_tab_separated_rows():
    def build(document):
        document.add_paragraph("Hasil Evaluasi")
        table = document.add_table(rows=2, cols=3)
        values_by_row = [("No", "Komponen", "Nilai"), ("1", "Pelaporan", "9")]
        for row, values in zip(table.rows, values_by_row, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        merged = document.add_table(rows=1, cols=3)
        merged.rows[0].cells[0].merge(merged.rows[0].cells[1]).text = "Nilai Akhir"
        merged.rows[0].cells[2].text = "9"
        document.add_paragraph("Rekomendasi")

    assert _read(_docx(build), "docx").split("\n") == [
        "Hasil Evaluasi",
        "No\tKomponen\tNilai",
        "1\tPelaporan\t9",
        "Nilai Akhir\t9",
        "Rekomendasi",
    ]


def test_docx_automatic_numbering_is_printed_and_parsed():
    def build(document):
        document.add_paragraph("Rekomendasi")
        document.add_paragraph("Mereviu Renstra.", style="List Number")
        document.add_paragraph("Menyusun rencana aksi yang memuat:", style="List Number")
        document.add_paragraph("jadwal;", style="List Bullet")
        document.add_paragraph("penanggung jawab.", style="List Bullet")
        document.add_paragraph("Mempublikasikan laporan kinerja.", style="List Number")

    data = _docx(build)
    assert _read(data, "docx").split("\n") == [
        "Rekomendasi",
        "1. Mereviu Renstra.",
        "2. Menyusun rencana aksi yang memuat:",
        "\u2022 jadwal;",
        "\u2022 penanggung jawab.",
        "3. Mempublikasikan laporan kinerja.",
    ]
    assert [
        (i.number, i.text) for i in parse_document(io.BytesIO(data), "docx").recommendations
    ] == [
        (1, "Mereviu Renstra."),
        (2, "Menyusun rencana aksi yang memuat: \u2022 jadwal; \u2022 penanggung jawab."),
        (3, "Mempublikasikan laporan kinerja."),
    ]


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"", b"bukan docx", _zip({"hello.txt": "halo"}), _docx(lambda d: None)[:200]],
    ids=["empty", "text", "other zip", "truncated"],
)
def test_damaged_docx_is_unreadable(data):
    with pytest.raises(UnreadableDocument, match=f"^{re.escape(DAMAGED_DOCX)}$"):
        _read(data, "docx")

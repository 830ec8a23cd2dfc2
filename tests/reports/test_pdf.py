"""The PDF matrix, read back with pypdf: header, rows, page numbers, signature block, and a long
text that runs over several pages without losing a word."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from tests.reports import support
from tracker.core.clock import today_local
from tracker.followups.models import FollowUpStatus
from tracker.reports.matrix import Matrix, MatrixHeader, MatrixRow, load_matrix
from tracker.reports.pdf import build_pdf


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


def _pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_header_rows_and_signature(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    data = build_pdf(matrix, "Dra. Sri Wahyuni, M.Si.", "Koordinator", place="Semarang")
    assert data.startswith(b"%PDF-")
    pages = _pages(data)
    first = _flat(pages[0])
    assert "Matriks Tindak Lanjut" in first
    assert "Politeknik Negeri Contoh" in first
    assert "Tahun evaluasi: 2024" in first
    assert "Evaluator: Inspektorat Jenderal Kemendikbudristek" in first
    assert "Nomor laporan: LHE-12/IJ/2025" in first
    assert "Tanggal laporan: 10 Maret 2025 · Dicetak: 2 Juni 2025" in first
    everything = _flat(" ".join(pages))
    for text in (
        "Reviu IKU agar berorientasi hasil (outcome).",
        "Bangun aplikasi pengukuran kinerja.",
        "Lengkapi SOP pengumpulan data.",
        "Belum Ditindaklanjuti",
        "Dikembalikan untuk diperbaiki; Terlambat 13 hari",
        "Lampirkan Renstra yang sudah ditandatangani.",
        "20 Mei 2025",
        "100%",
    ):
        assert text in everything, text
    assert "RPJMN — termasuk" in everything  # the em dash survives
    last = _flat(pages[-1])
    assert "Semarang, 2 Juni 2025" in last
    assert re.search(r"Semarang, 2 Juni 2025 Koordinator .*Dra\. Sri Wahyuni, M\.Si\.", last)


def test_page_numbers(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    matrix.rows = matrix.rows * 12  # 60 rows: several pages
    pages = _pages(build_pdf(matrix, "", "Koordinator"))
    total = len(pages)
    assert total >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Halaman {number} dari {total}" in text
    for text in pages:
        if "Perencanaan" in text:  # a page of the table: its headings are repeated
            assert "Rekomendasi" in text and "Catatan Verifikator" in text
    assert sum("Perencanaan" in text for text in pages) >= 3


def test_blank_signer_leaves_a_line(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    last = _flat(_pages(build_pdf(matrix, "", "Koordinator"))[-1])
    assert re.search(r"\.{10,}, 2 Juni 2025 Koordinator \(\.{20,}\)", last)


def _row(**changes) -> MatrixRow:
    """A follow-up in progress (the PDF tests' usual row), `changes` applied."""
    values = dict(
        findings="Catatan.",
        recommendation="Rekomendasi panjang.",
        units=["Bagian Perencanaan"],
        pics=["Budi"],
        due_date=date(2025, 5, 20),
        status=FollowUpStatus.PROSES,
        status_label="Belum Sesuai",
        progress=40,
    )
    values.update(changes)
    return support.matrix_row(**values)


def _matrix(*rows: MatrixRow) -> Matrix:
    header = MatrixHeader("Dinas Contoh", 2024, "Inspektorat Daerah", "", None, date(2025, 6, 2))
    return Matrix(header, list(rows))


def test_long_text_spans_pages_without_loss(app_ctx):
    words = [f"kata{n:04d}" for n in range(1, 1501)]
    long_row = _row(realisation=" ".join(words), remarks="akhir-baris-panjang")
    after = _row(no=2, number=2, recommendation="Baris sesudahnya.")
    pages = _pages(build_pdf(_matrix(long_row, after), "Budi", "Koordinator"))
    assert len(pages) >= 3
    text = " ".join(pages)
    found = re.findall(r"kata\d{4}", text)
    assert found == words  # every word, once, in order
    assert "Baris sesudahnya." in text
    pages_with_words = [i for i, page in enumerate(pages) if "kata" in page]
    assert len(pages_with_words) >= 3


def test_long_unbroken_link_and_odd_characters(app_ctx):
    url = "https://drive.example.com/" + "a1b2c3" * 30
    row = _row(
        evidence=[("Folder bukti", url)],
        realisation="Tab\tdan\r\nbaris; {nb} tetap; “kutip” — Ⅱ\x00",
    )
    text = " ".join(_pages(build_pdf(_matrix(row), "Budi", "Koordinator")))
    assert "".join(text.split()).count("a1b2c3" * 30) == 1  # wrapped by character, none lost
    assert "{nb} tetap" in text  # not taken for the page count
    assert "“kutip” — Ⅱ" in text


def test_the_first_page_summarises_the_rows_in_charts(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    first = _flat(_pages(build_pdf(matrix, "", "Koordinator"))[0])
    total = len(matrix.rows)
    belum = sum(1 for row in matrix.rows if row.status == FollowUpStatus.BELUM)
    assert f"Belum Ditindaklanjuti: {belum} ({round(100 * belum / total)} %)" in first
    for name in {row.component for row in matrix.rows}:
        rows = [row for row in matrix.rows if row.component == name]
        closed = (FollowUpStatus.SESUAI, FollowUpStatus.TIDAK_DAPAT)
        average = sum(100 if r.status in closed else r.progress for r in rows) / len(rows)
        assert f"{name} {round(average)} % · {len(rows)} rekomendasi" in first, name


def test_an_empty_matrix_has_no_charts(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    matrix.rows.clear()
    first = _flat(_pages(build_pdf(matrix, "", "Koordinator"))[0])
    assert "Belum Ditindaklanjuti:" not in first

"""The evidence ZIP: folders by component and recommendation, only accepted evidence, safe and
unique names, the matrix inside, links listed, files streamed, and a PIC's share only."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.evidence.support import pdf
from tests.reports import support
from tracker.core.clock import today_local
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.monitoring.filters import FollowUpFilter, matching_ids
from tracker.reports.evidence_zip import (
    EvidenceFile,
    accepted_evidence,
    build_zip,
    safe_name,
    segment,
)
from tracker.reports.matrix import load_matrix

IKU = "1 Perencanaan Kinerja/Rekomendasi 01"
EXPECTED = [
    f"{IKU}/Tautan.txt",
    f"{IKU}/SK Tim IKU.pdf",
    f"{IKU}/SK Tim IKU (2).pdf",
    "2 Pengukuran Kinerja/Rekomendasi 01/Aplikasi.pdf",
    "matriks-tindak-lanjut-2024.xlsx",
]


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


def _zip(evaluation, followup_ids=None, **kwargs) -> zipfile.ZipFile:
    matrix = load_matrix(evaluation, followup_ids, today_local())
    out = io.BytesIO()
    build_zip(matrix, accepted_evidence(evaluation, followup_ids), out, **kwargs)
    out.seek(0)
    return zipfile.ZipFile(out)


def test_folders_in_component_order_with_accepted_evidence_only(report):
    archive = _zip(report.evaluation)
    assert archive.namelist() == EXPECTED
    assert archive.testzip() is None
    # Returned (Renstra draf), removed (Renstra cadangan) and waiting (SOP) evidence is left out.
    names = " ".join(archive.namelist())
    assert "Renstra" not in names and "SOP" not in names


def test_files_and_links_content(report):
    archive = _zip(report.evaluation)
    assert archive.read(f"{IKU}/SK Tim IKU.pdf") == pdf("sk")
    assert archive.read(f"{IKU}/SK Tim IKU (2).pdf") == pdf("notulen")
    assert archive.read(f"{IKU}/Tautan.txt").decode() == (
        "Folder reviu IKU\nhttps://drive.example.com/iku\n"
    )


def test_matrix_inside(report):
    archive = _zip(report.evaluation)
    sheet = load_workbook(io.BytesIO(archive.read("matriks-tindak-lanjut-2024.xlsx"))).active
    assert sheet["A2"].value == "Politeknik Negeri Contoh"
    assert [sheet.cell(row, 4).value for row in range(8, 13)][0] == (
        "Reviu IKU agar berorientasi hasil (outcome)."
    )
    assert sheet.max_row == 12


def test_recommendation_numbers_sort_as_text(report, world):
    for number in (2, 10):
        followup = support.add_recommendation(
            report.evaluation, 4, number, f"Rekomendasi {number}.", [world.unit_a], [world.pic]
        )
        support.upload(followup, world.pic, "Bukti.pdf", f"bukti-{number}")
        support.submit(followup, world.pic)
        support.accept(followup, world.koordinator)
    names = [n for n in _zip(report.evaluation).namelist() if n.startswith("4 ")]
    assert names == [
        "4 Evaluasi Akuntabilitas Kinerja Internal/Rekomendasi 02/Bukti.pdf",
        "4 Evaluasi Akuntabilitas Kinerja Internal/Rekomendasi 10/Bukti.pdf",
    ]


def test_names_sanitised(report):
    items = db.session.scalars(
        select(Evidence).where(
            Evidence.followup_id == report.iku.id, Evidence.storage_key.is_not(None)
        )
    ).all()
    # Names straight in the database, as an older import or another client might leave them.
    items[0].original_name = "../../etc/passwd"
    items[1].original_name = "C:\\Windows\\..\\laporan\x07:final?.pdf"
    db.session.commit()
    names = _zip(report.evaluation).namelist()
    assert f"{IKU}/passwd" in names
    assert f"{IKU}/laporan_final_.pdf" in names
    for name in names:
        parts = name.split("/")
        assert not name.startswith("/") and ".." not in parts and "" not in parts
        assert "\\" not in name and not any(ch in name for ch in ':*?"<>|\x07')


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..", "berkas"),
        ("  .hidden.pdf  ", "hidden.pdf"),
        ("a\\b\\c.docx", "c.docx"),
        ("Laporan — Triwulan Ⅲ.pdf", "Laporan — Triwulan Ⅲ.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_component_names_keep_their_number(app_ctx):
    assert segment("1 Perencanaan/Kinerja") == "1 Perencanaan_Kinerja"


def test_pic_gets_only_their_units(report, world):
    ids = matching_ids(world.pic, FollowUpFilter(evaluation=report.evaluation.id), today_local())
    archive = _zip(report.evaluation, ids)
    assert archive.namelist() == [n for n in EXPECTED if not n.startswith("2 ")]
    other = _zip(
        report.evaluation,
        matching_ids(
            world.other_pic, FollowUpFilter(evaluation=report.evaluation.id), today_local()
        ),
    )
    assert other.namelist() == [
        "2 Pengukuran Kinerja/Rekomendasi 01/Aplikasi.pdf",
        "matriks-tindak-lanjut-2024.xlsx",
    ]


def test_file_missing_from_storage_is_listed(report):
    def opener(key):
        if key == db.session.scalar(
            select(Evidence.storage_key).where(Evidence.title == "SK Tim IKU")
        ):
            raise FileNotFoundError(key)
        from tracker.core.storage import get_storage

        return get_storage().open(key)

    archive = _zip(report.evaluation, opener=opener)
    assert f"{IKU}/SK Tim IKU.pdf" not in archive.namelist()
    assert archive.read("Berkas hilang.txt").decode() == (
        f"Berkas berikut tidak ditemukan di penyimpanan:\n{IKU}/SK Tim IKU.pdf\n"
    )


class _Recording(io.BytesIO):
    """A stored file that remembers the largest read asked of it."""

    largest = 0

    def read(self, size=-1):
        _Recording.largest = max(_Recording.largest, size if size >= 0 else 1 << 62)
        return super().read(size)


def test_files_streamed_in_chunks(report):
    big = b"%PDF-1.7\n" + bytes(range(256)) * (12 * 1024)  # 3 MiB
    archive = _zip(report.evaluation, opener=lambda key: _Recording(big))
    assert archive.read(f"{IKU}/SK Tim IKU.pdf") == big
    assert 0 < _Recording.largest <= 1024 * 1024


def test_build_zip_skips_evidence_outside_the_matrix(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    stray = EvidenceFile(999_999, 1, "Lain", "lain.pdf", None, "https://x.example", None)
    out = io.BytesIO()
    build_zip(matrix, [stray], out)
    assert zipfile.ZipFile(out).namelist() == ["matriks-tindak-lanjut-2024.xlsx"]

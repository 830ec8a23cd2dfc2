"""GET /reports/evaluation/<id>/matrix.<fmt>: each format downloads, the list's filters apply,
a PIC's export holds only their units' follow-ups and evidence, and the usual refusals."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests import factories
from tests.conftest import login
from tests.reports import support
from tracker.followups.models import FollowUpStatus

TOP = 7  # the XLSX header row


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


def _url(report, fmt: str, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/reports/evaluation/{report.evaluation.id}/matrix.{fmt}" + (
        f"?{query}" if query else ""
    )


def get(client, url: str):
    """GET a download, read and close it (the ZIP streams from a temporary file until closed)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _recommendations(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [sheet.cell(row, 4).value for row in range(TOP + 1, sheet.max_row + 1)]


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


ALL = [
    "Reviu IKU agar berorientasi hasil (outcome).",
    "Selaraskan Renstra dengan RPJMN — termasuk kegiatan prioritas.",
    "Bangun aplikasi pengukuran kinerja.",
    support.INJECTIONS[0],
    "Lengkapi SOP pengumpulan data.",
]


@pytest.mark.parametrize(
    ("fmt", "mimetype", "name", "magic"),
    [
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "matriks-tindak-lanjut-2024.xlsx",
            b"PK\x03\x04",
        ),
        ("pdf", "application/pdf", "matriks-tindak-lanjut-2024.pdf", b"%PDF-"),
        ("zip", "application/zip", "berkas-data-dukung-2024.zip", b"PK\x03\x04"),
    ],
)
def test_each_format_downloads(client, report, world, fmt, mimetype, name, magic):
    login(client, world.koordinator)
    response = get(client, _url(report, fmt))
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.data.startswith(magic)


def test_xlsx_holds_every_row_with_links_to_this_server(client, report, world):
    login(client, world.koordinator)
    response = get(client, _url(report, "xlsx"))
    assert _recommendations(response) == ALL
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert "http://localhost/evidence/" in sheet.cell(TOP + 1, 9).value


def test_pdf_signed_by_the_koordinator(client, report, world):
    login(client, world.koordinator)
    text = _pdf_text(get(client, _url(report, "pdf")))
    assert "Matriks Tindak Lanjut" in text and "Politeknik Negeri Contoh" in text
    assert f"2 Juni 2025 Koordinator {world.koordinator.name}" in text


def test_pimpinan_exports_with_a_blank_signature(client, report, world):
    login(client, world.pimpinan)
    text = _pdf_text(get(client, _url(report, "pdf")))
    assert "2 Juni 2025 Koordinator (" in text
    assert world.pimpinan.name not in text.split("Koordinator")[-1]


def test_zip_holds_the_accepted_evidence(client, report, world):
    login(client, world.koordinator)
    archive = zipfile.ZipFile(io.BytesIO(get(client, _url(report, "zip")).data))
    assert archive.namelist() == [
        "1 Perencanaan Kinerja/Rekomendasi 01/Tautan.txt",
        "1 Perencanaan Kinerja/Rekomendasi 01/SK Tim IKU.pdf",
        "1 Perencanaan Kinerja/Rekomendasi 01/SK Tim IKU (2).pdf",
        "2 Pengukuran Kinerja/Rekomendasi 01/Aplikasi.pdf",
        "matriks-tindak-lanjut-2024.xlsx",
    ]


def test_status_filter_narrows_rows(client, report, world):
    login(client, world.koordinator)
    response = get(client, _url(report, "xlsx", status=FollowUpStatus.SESUAI.value))
    assert _recommendations(response) == [ALL[0], ALL[2]]
    text = _pdf_text(get(client, _url(report, "pdf", status=FollowUpStatus.SESUAI.value)))
    assert "Bangun aplikasi" in text and "Lengkapi SOP" not in text


def test_other_filters_apply(client, report, world):
    login(client, world.koordinator)
    assert _recommendations(get(client, _url(report, "xlsx", q="Renstra"))) == [ALL[1]]
    assert _recommendations(get(client, _url(report, "xlsx", unit=world.unit_b.id))) == [
        ALL[2],
        ALL[4],
    ]
    overdue = _recommendations(get(client, _url(report, "xlsx", overdue=1)))
    assert overdue == [ALL[1], ALL[3], ALL[4]]
    # A bad filter value is ignored, as on the list; the export still works.
    assert _recommendations(get(client, _url(report, "xlsx", status="nonsense"))) == ALL
    # The evaluation in the query string cannot widen the export to another evaluation.
    other = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    response = get(client, _url(report, "xlsx", evaluation=other.id))
    assert _recommendations(response) == ALL


def test_zip_follows_the_filters(client, report, world):
    login(client, world.koordinator)
    response = get(client, _url(report, "zip", unit=world.unit_b.id))
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist() == [
        "2 Pengukuran Kinerja/Rekomendasi 01/Aplikasi.pdf",
        "matriks-tindak-lanjut-2024.xlsx",
    ]


def test_pic_exports_only_their_units(client, report, world):
    login(client, world.pic)
    assert _recommendations(get(client, _url(report, "xlsx"))) == [ALL[0], ALL[1], ALL[3]]
    text = _pdf_text(get(client, _url(report, "pdf")))
    assert "Bangun aplikasi" not in text and "Lengkapi SOP" not in text
    archive = zipfile.ZipFile(io.BytesIO(get(client, _url(report, "zip")).data))
    assert archive.namelist() == [
        "1 Perencanaan Kinerja/Rekomendasi 01/Tautan.txt",
        "1 Perencanaan Kinerja/Rekomendasi 01/SK Tim IKU.pdf",
        "1 Perencanaan Kinerja/Rekomendasi 01/SK Tim IKU (2).pdf",
        "matriks-tindak-lanjut-2024.xlsx",
    ]
    inner = load_workbook(io.BytesIO(archive.read("matriks-tindak-lanjut-2024.xlsx"))).active
    assert inner.max_row == TOP + 3


def test_pic_filtering_on_another_unit_gets_nothing(client, report, world):
    login(client, world.pic)
    assert _recommendations(get(client, _url(report, "xlsx", unit=world.unit_b.id))) == []
    response = get(client, _url(report, "zip", unit=world.unit_b.id))
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist() == [
        "matriks-tindak-lanjut-2024.xlsx"
    ]


def test_pic_cannot_export_an_evaluation_of_another_unit(client, world, app_ctx):
    other = factories.make_evaluation([world.unit_b], [world.other_pic])
    login(client, world.pic)
    for fmt in ("xlsx", "pdf", "zip"):
        assert get(client, f"/reports/evaluation/{other.id}/matrix.{fmt}").status_code == 404


def test_unknown_evaluation_and_format(client, report, world):
    login(client, world.koordinator)
    assert get(client, "/reports/evaluation/999999/matrix.xlsx").status_code == 404
    assert get(client, _url(report, "csv")).status_code == 404
    assert get(client, _url(report, "XLSX")).status_code == 404


def test_logged_out_goes_to_login(client, report):
    response = get(client, _url(report, "xlsx"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")

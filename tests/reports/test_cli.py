"""`flask report matrix`: each format written whole, the format from the file name, and clear
refusals (exit code 2) for an unknown evaluation, a bad format or an unwritable file."""

from __future__ import annotations

import io
import stat
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports import support


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["report", "matrix", *map(str, args)])

    return invoke


def test_xlsx_holds_every_follow_up(run, report, tmp_path):
    out = tmp_path / "matriks.xlsx"
    result = run(report.evaluation.id, "--format", "xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Wrote {out} (xlsx, 5 follow-ups of evaluation {report.evaluation.id}: "
        "Politeknik Negeri Contoh 2024).\n"
    )
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "Matriks Tindak Lanjut"
    assert sheet.max_row == 7 + 5
    # A file people open, not a private temporary one.
    assert stat.S_IMODE(out.stat().st_mode) & 0o044 == 0o044
    assert [p.name for p in tmp_path.iterdir()] == ["matriks.xlsx"]


def test_pdf_with_signer(run, report, tmp_path):
    out = tmp_path / "matriks.pdf"
    result = run(
        report.evaluation.id, "--format", "pdf", "-o", out, "--signer", "Budi", "--place", "Solo"
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(out)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Politeknik Negeri Contoh" in text
    assert "Solo, 2 Juni 2025 Koordinator Budi" in text


def test_zip_format_from_the_file_name(run, report, tmp_path):
    out = tmp_path / "berkas.zip"
    result = run(report.evaluation.id, "-o", out)
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert names[-1] == "matriks-tindak-lanjut-2024.xlsx"
    assert "2 Pengukuran Kinerja/Rekomendasi 01/Aplikasi.pdf" in names


def test_existing_file_replaced(run, report, tmp_path):
    out = tmp_path / "matriks.xlsx"
    out.write_bytes(b"old")
    assert run(report.evaluation.id, "-o", out).exit_code == 0
    assert load_workbook(io.BytesIO(out.read_bytes())).active["A2"].value == (
        "Politeknik Negeri Contoh"
    )


def test_unknown_evaluation(run, app_ctx, tmp_path):
    out = tmp_path / "matriks.xlsx"
    result = run(999999, "--format", "xlsx", "-o", out)
    assert result.exit_code == 2
    assert "No evaluation with id 999999." in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "csv", "-o", "x.csv"), "'csv' is not one of 'xlsx', 'pdf', 'zip'"),
        (("-o", "matriks.txt"), "Give --format xlsx, pdf or zip"),
        (("--format", "xlsx"), "Missing option '-o'"),
    ],
)
def test_bad_options(run, report, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(report.evaluation.id, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_evaluation_id(run, app_ctx):
    result = run("abc", "-o", "x.xlsx")
    assert result.exit_code == 2
    assert "'abc' is not a valid integer" in result.output


def test_unwritable_file(run, report, tmp_path):
    missing = tmp_path / "no-such-folder" / "matriks.xlsx"
    result = run(report.evaluation.id, "-o", missing)
    assert result.exit_code == 2
    assert f"Cannot write {missing}: No such file or directory." in result.output
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    result = run(report.evaluation.id, "--format", "xlsx", "-o", folder)
    assert result.exit_code == 2
    assert "is a directory" in result.output

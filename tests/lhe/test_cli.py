"""`flask lhe parse` and `flask lhe import`: output, exit codes, duplicates."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.lhe.import_helpers import (
    SAMPLE,
    SAMPLE_JSON,
    hand_parse,
    install_fake_parser,
)
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.lhe.models import ImportStatus, LheImport


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["lhe", *args])

    return invoke


@pytest.fixture
def lhe_file(tmp_path):
    path = tmp_path / "LHE Politeknik Contoh.txt"
    path.write_text("Laporan Hasil Evaluasi Politeknik Contoh\n", encoding="utf-8")
    return path


def count(model, *where) -> int:
    db.session.rollback()  # see what the command committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_parse_json(run, monkeypatch, lhe_file):
    install_fake_parser(monkeypatch)
    result = run("parse", str(lhe_file), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == hand_parse().to_json()


def test_parse_summary(run, monkeypatch, lhe_file):
    install_fake_parser(monkeypatch)
    result = run("parse", str(lhe_file))
    assert result.exit_code == 0, result.output
    assert "Institution:     Politeknik Contoh" in result.stdout
    assert "Recommendations: 4" in result.stdout
    assert "Warning: Halaman 2: kop berulang dibuang." in result.stdout


def test_parse_refusals(run, monkeypatch, tmp_path):
    install_fake_parser(monkeypatch)
    not_lhe = tmp_path / "surat.txt"
    not_lhe.write_bytes(b"BUKAN LHE, hanya surat undangan\n")
    result = run("parse", str(not_lhe), "--json")
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "NotAnLHE" in result.stderr
    renamed = tmp_path / "lhe.pdf"
    renamed.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 64)
    result = run("parse", str(renamed))
    assert result.exit_code != 0
    assert "not a PDF, DOCX or text file" in result.stderr


def test_import_creates_the_evaluation(run, world, monkeypatch, lhe_file):
    install_fake_parser(monkeypatch)
    result = run("import", str(lhe_file), "--as", world.koordinator.email)
    assert result.exit_code == 0, result.output
    evaluation = db.session.scalar(select(Evaluation))
    assert f"Evaluation {evaluation.id} created: Politeknik Contoh (2024)" in result.stdout
    assert "4 components, 3 findings, 4 recommendations" in result.stdout
    assert "Warning: Halaman 2: kop berulang dibuang." in result.stdout
    record = db.session.scalar(select(LheImport))
    assert (record.status, record.evaluation_id) == (ImportStatus.SAVED, evaluation.id)
    assert record.original_filename == "LHE Politeknik Contoh.txt"
    assert record.uploaded_by_id == world.koordinator.id
    assert count(Recommendation) == 4


def test_duplicate_needs_a_choice(run, world, monkeypatch, lhe_file, tmp_path):
    install_fake_parser(monkeypatch)
    assert run("import", str(lhe_file)).exit_code == 0
    first = db.session.scalar(select(Evaluation.id))
    again = tmp_path / "lhe-lagi.txt"
    again.write_text("LHE yang sama, dipindai ulang\n", encoding="utf-8")

    result = run("import", str(again))
    assert result.exit_code != 0
    assert f"(id {first})" in result.stderr
    assert "--revision-of" in result.stderr and "--new" in result.stderr
    assert count(Evaluation) == 1
    assert count(LheImport) == 1  # the refused import left no row

    result = run("import", str(again), "--revision-of", str(first))
    assert result.exit_code == 0, result.output
    assert f"Evaluation {first} revised" in result.stdout
    assert "4 updated, 0 added, 0 deleted, 0 kept" in result.stdout
    assert count(Evaluation) == 1

    result = run("import", str(again), "--new")
    assert result.exit_code == 0, result.output
    assert count(Evaluation) == 2
    assert count(LheImport, LheImport.status == ImportStatus.SAVED) == 3


def test_import_option_errors(run, world, monkeypatch, lhe_file):
    install_fake_parser(monkeypatch)
    assert run("import", str(lhe_file), "--as", "nobody@example.com").exit_code != 0
    result = run("import", str(lhe_file), "--as", world.pic.email)
    assert result.exit_code != 0
    assert "may not import" in result.stderr
    assert run("import", str(lhe_file), "--revision-of", "999").exit_code != 0
    assert run("import", str(lhe_file), "--new", "--revision-of", "1").exit_code != 0
    assert count(Evaluation) == 0


def test_import_refused_document(run, world, monkeypatch, tmp_path):
    install_fake_parser(monkeypatch)
    path = tmp_path / "kosong.txt"
    path.write_bytes(b"")
    result = run("import", str(path))
    assert result.exit_code != 0
    assert "Berkas kosong" in result.stderr
    assert count(LheImport) == 0


# --- with the real parser and the shared sample ----------------------------------------------


def _real_parser():
    pytest.importorskip(
        "tracker.lhe.parser", reason="the parser (tracker/lhe/parser.py) is missing"
    )
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing (../shared is not there)")


def test_parse_sample_json_equals_expected(run):
    _real_parser()
    result = run("parse", str(SAMPLE), "--json")
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.stdout)
    expected = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    for key, value in expected.items():
        if key in ("findings", "recommendations"):
            got = [{"component": i["component"], "text": i["text"]} for i in parsed[key]]
            assert got == value, key
        else:
            assert parsed[key] == value, key


def test_import_sample(run, world):
    _real_parser()
    result = run("import", str(SAMPLE))
    assert result.exit_code == 0, result.output
    assert "4 components, 12 findings, 10 recommendations" in result.stdout
    assert count(Recommendation) == 10
    placed = dict(db.session.execute(select(Recommendation.id, Recommendation.component_id)).all())
    evaluation_id = db.session.scalar(select(Evaluation.id))
    result = run("import", str(SAMPLE), "--revision-of", str(evaluation_id))
    assert result.exit_code == 0, result.output
    assert "10 updated, 0 added, 0 deleted, 0 kept" in result.stdout
    db.session.rollback()
    after = dict(db.session.execute(select(Recommendation.id, Recommendation.component_id)).all())
    assert after == placed  # the twin texts stayed in their own components

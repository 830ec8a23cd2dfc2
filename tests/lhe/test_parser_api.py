"""The parser's public API: NotAnLHE, parse_document, warnings, no Flask in parser modules."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import tracker.lhe
from tests.lhe.conftest import TABLE
from tracker.lhe.document import NotAnLHE, ParsedLHE, UnreadableDocument
from tracker.lhe.parser import NOT_AN_LHE, parse_document, parse_text

NOT_LHES = [
    "",
    "   \n\t\n",
    "\f\f",
    "Yth. Bapak/Ibu Pimpinan\nBersama ini kami sampaikan undangan rapat koordinasi SAKIP.\n",
    "Catatan\n1. Rapat dimulai pukul 09.00.\n2. Peserta membawa laptop.\n",
    "Komponen\tBobot\tNilai\nRapat koordinasi\t30\t20\n",
    "Rekomendasi\n",
]


@pytest.mark.parametrize("text", NOT_LHES)
def test_not_an_lhe(text):
    with pytest.raises(NotAnLHE) as raised:
        parse_text(text)
    assert str(raised.value) == NOT_AN_LHE
    assert str(raised.value) == (
        "Dokumen ini tidak tampak seperti LHE: tidak ditemukan tabel nilai maupun rekomendasi."
    )


def test_a_table_without_recommendations_is_an_lhe():
    parsed = parse_text(TABLE)
    assert len(parsed.components) == 4 and parsed.recommendations == []
    assert parsed.warnings == [
        "Tanggal laporan tidak ditemukan.",
        "Tidak ditemukan catatan hasil evaluasi.",
        "Tidak ditemukan rekomendasi.",
    ]


def test_recommendations_without_a_table_are_an_lhe():
    parsed = parse_text("Rekomendasi\n1. Mereviu Renstra.\n")
    assert parsed.components == [] and parsed.recommendations[0].text == "Mereviu Renstra."
    assert "Tabel nilai komponen tidak ditemukan." in parsed.warnings
    assert "Predikat tidak ditemukan." in parsed.warnings


def test_missing_total_and_component_score_are_warned_about():
    text = TABLE.replace("\tNilai Akhir\t100\t76,50\n", "").replace("\t18,75", "\t-")
    parsed = parse_text(text + "Catatan\n1. A.\nRekomendasi\n1. B.\n")
    assert parsed.total_score is None and parsed.components[3].score is None
    assert parsed.warnings == [
        "Tanggal laporan tidak ditemukan.",
        "Nilai akhir (total) tidak ditemukan.",
        "Nilai komponen tidak ditemukan: Evaluasi Akuntabilitas Kinerja Internal.",
    ]


def test_parse_document_reads_then_parses():
    data = (TABLE + "Rekomendasi\n1. Mereviu Renstra.\n").encode("utf-8-sig")
    parsed = parse_document(io.BytesIO(data), "text")
    assert isinstance(parsed, ParsedLHE)
    assert parsed.institution == "Kantor Wilayah Contoh"
    with pytest.raises(NotAnLHE):
        parse_document(io.BytesIO(b""), "text")
    with pytest.raises(UnreadableDocument):
        parse_document(io.BytesIO(data), "xlsx")


def test_parser_modules_do_not_import_flask():
    package = Path(tracker.lhe.__file__).parent
    modules = [package / "parser.py", package / "readers.py", package / "docx_text.py"]
    modules += sorted((package / "parsing").glob("*.py"))
    for module in modules:
        source = module.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+flask", source, re.MULTILINE), module.name

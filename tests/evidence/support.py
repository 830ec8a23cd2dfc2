"""Small real files of every accepted kind, and helpers shared by the evidence tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.evidence import services
from tracker.evidence.models import Evidence
from tracker.extensions import db

DOC_DATE = date(2025, 5, 20)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
UNICODE_NAME = "Laporan Kinerja — Triwulan Ⅲ (ñ, é, 中文).pdf"


# --- the smallest real file of each kind ------------------------------------------------------


def pdf(marker: str = "") -> bytes:
    """A tiny PDF; `marker` makes its content (and so its hash) distinct."""
    return b"%PDF-1.7\n1 0 obj <<>> endobj\n% " + marker.encode() + b"\ntrailer <<>>\n%%EOF\n"


def _zip(entries: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, compression in entries:
            archive.writestr(name, data, compress_type=compression)
    return buffer.getvalue()


def ooxml(part: str) -> bytes:
    """An Office Open XML package holding `part` (word/document.xml, xl/workbook.xml, ...)."""
    return _zip(
        [
            ("[Content_Types].xml", b"<Types/>", zipfile.ZIP_DEFLATED),
            (part, b"<root/>", zipfile.ZIP_DEFLATED),
        ]
    )


def odf(media_type: str) -> bytes:
    """An OpenDocument file: first entry "mimetype", stored uncompressed."""
    return _zip(
        [
            ("mimetype", media_type.encode(), zipfile.ZIP_STORED),
            ("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED),
        ]
    )


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

ACCEPTED = {
    "laporan.pdf": (pdf(), "application/pdf"),
    "notulen.docx": (
        ooxml("word/document.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "anggaran.xlsx": (
        ooxml("xl/workbook.xml"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "paparan.pptx": (
        ooxml("ppt/presentation.xml"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "surat.odt": (
        odf("application/vnd.oasis.opendocument.text"),
        "application/vnd.oasis.opendocument.text",
    ),
    "rekap.ods": (
        odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    "foto.jpg": (JPG, "image/jpeg"),
    "pindaian.png": (PNG, "image/png"),
}


def stored_files(root: Path) -> list[Path]:
    """Every file kept in the upload folder (the `incoming` scratch folder aside)."""
    return [p for p in root.rglob("*") if p.is_file() and "incoming" not in p.parts]


def count_evidence() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Evidence))


def add(followup, actor, content: bytes, name: str, title: str = "") -> Evidence:
    return services.add_file(
        followup, actor, io.BytesIO(content), name, title=title, document_date=DOC_DATE
    )


def refusal(followup, actor, content: bytes, name: str) -> str:
    with pytest.raises(services.EvidenceError) as caught:
        add(followup, actor, content, name)
    db.session.rollback()
    return str(caught.value.message)

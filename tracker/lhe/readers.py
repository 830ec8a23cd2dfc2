"""Turn an uploaded LHE (PDF, DOCX or plain text) into text in reading order.

PDF pages come from pypdf's layout mode (it keeps a table row on one line with its cells
spaced apart, which the score-table parser needs) and are separated by form feeds, so the
parser can tell page headers and footers apart. Damaged, locked or scanned files raise
UnreadableDocument with a message for the user.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import BinaryIO

import docx
from pypdf import PdfReader

from tracker.lhe.document import UnreadableDocument
from tracker.lhe.docx_text import docx_text

SCANNED = (
    "Berkas PDF ini tidak memiliki lapisan teks (hasil pindaian). "
    "Unggah PDF asli atau berkas DOCX/teks."
)
DAMAGED_PDF = "Berkas PDF ini rusak atau tidak dapat dibaca. Periksa berkasnya lalu unggah ulang."
LOCKED_PDF = "Berkas PDF ini dilindungi kata sandi. Unggah PDF tanpa kata sandi."
DAMAGED_DOCX = (
    "Berkas DOCX ini rusak atau bukan dokumen Word (.docx). Periksa berkasnya lalu unggah ulang."
)
NOT_TEXT = "Berkas ini bukan berkas teks. Unggah PDF, DOCX atau teks biasa."
UNKNOWN_KIND = "Jenis berkas tidak didukung. Unggah PDF, DOCX atau teks biasa."
_MIN_TEXT_CHARACTERS = 20


def read_document(stream: BinaryIO, kind: str) -> str:
    """The document's text: kind is "pdf", "docx" or "text"."""
    data = stream.read()
    if kind == "text":
        return decode_text(data)
    if kind == "pdf":
        return _pdf_text(data)
    if kind == "docx":
        return _docx_text(data)
    raise UnreadableDocument(UNKNOWN_KIND)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data:
        raise UnreadableDocument(NOT_TEXT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypt(reader):
            raise UnreadableDocument(LOCKED_PDF)
        pages = [_page_text(page) for page in reader.pages]
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise UnreadableDocument(DAMAGED_PDF) from exc
    text = "\f".join(pages)
    if len(re.findall(r"\w", text)) < _MIN_TEXT_CHARACTERS:
        raise UnreadableDocument(SCANNED)
    return text


def _decrypt(reader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # missing crypto backend or a real password
        return False


def _page_text(page) -> str:
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # layout mode gives up on some odd pages; the plain mode rarely does
        return page.extract_text()


def _docx_text(data: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
        return docx_text(document)
    except Exception as exc:  # not a zip, not a Word package, broken XML, ...
        raise UnreadableDocument(DAMAGED_DOCX) from exc

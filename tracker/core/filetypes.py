"""What a file is, decided by its content; its name's extension must agree.

Used for LHE documents now and for evidence later: each kind is one `Kind` row (extensions,
content type), and a content test in `_detect`. A file whose extension names another kind than
its content (an .exe renamed .pdf, a .docx that is not a Word document) is refused (None).
"""

from __future__ import annotations

import codecs
import io
import struct
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import BinaryIO

HEAD_BYTES = 64 * 1024  # enough to judge a text file and the first ZIP entry


@dataclass(frozen=True)
class Kind:
    name: str
    extensions: tuple[str, ...]
    content_type: str


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("pdf", (".pdf",), "application/pdf"),
        Kind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        Kind(
            "xlsx", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
        Kind(
            "pptx",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        Kind("odt", (".odt",), "application/vnd.oasis.opendocument.text"),
        Kind("ods", (".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
        Kind("jpg", (".jpg", ".jpeg"), "image/jpeg"),
        Kind("png", (".png",), "image/png"),
        Kind("text", (".txt", ".text"), "text/plain"),
    )
}

# Office Open XML: the part that only a document of that kind has.
_OOXML_PARTS = (
    ("word/document.xml", "docx"),
    ("xl/workbook.xml", "xlsx"),
    ("ppt/presentation.xml", "pptx"),
)
# OpenDocument: an uncompressed first entry "mimetype" holding the media type.
_ODF_TYPES = {KINDS["odt"].content_type: "odt", KINDS["ods"].content_type: "ods"}
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_PRINTABLE_SHARE = 0.95


def extension(filename: str) -> str:
    """The lower-cased extension of a file name from any system ("C:\\a\\LHE.PDF" → ".pdf")."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    return PurePosixPath(name).suffix.lower()


def clean_filename(filename: str | None) -> str:
    """The original name as data: no folders, no control characters, at most 255 characters."""
    name = PureWindowsPath((filename or "").replace("/", "\\")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + dot + ext if dot and len(ext) < 20 else name[:255]
    return name or "lhe"


def content_type(kind: str) -> str:
    """The media type to serve a file of `kind` with."""
    return KINDS[kind].content_type if kind in KINDS else "application/octet-stream"


def sniff(head: bytes, filename: str) -> str | None:
    """The kind of a file from its first bytes (for ZIP kinds, ideally the whole file), or None
    when the content is unknown or the extension of `filename` does not match it."""
    return _agree(_detect(head, _zip_names_from_bytes), filename)


def sniff_stream(stream: BinaryIO, filename: str) -> str | None:
    """Like `sniff`, reading a seekable stream: the head, and for a ZIP its central directory.
    The stream is left at its start."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)

    def zip_names(_head: bytes) -> list[str] | None:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as archive:
                return archive.namelist()
        except (zipfile.BadZipFile, OSError, EOFError):
            return None

    try:
        return _agree(_detect(head, zip_names), filename)
    finally:
        stream.seek(0)


def _agree(kind: str | None, filename: str) -> str | None:
    if kind is None or extension(filename) not in KINDS[kind].extensions:
        return None
    return kind


def _detect(head: bytes, zip_names) -> str | None:
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(_ZIP_LOCAL_HEADER):
        return _zip_kind(head, zip_names)
    if _is_text(head):
        return "text"
    return None


def _zip_kind(head: bytes, zip_names) -> str | None:
    odf = _odf_mimetype(head)
    if odf is not None:
        return _ODF_TYPES.get(odf)
    names = zip_names(head)
    if names is None:
        return None
    for part, kind in _OOXML_PARTS:
        if part in names:
            return kind
    return None


def _odf_mimetype(head: bytes) -> str | None:
    """The media type stored (uncompressed, first) by an OpenDocument file, if any."""
    if len(head) < 30 or head[26:28] != b"\x08\x00" or head[30:38] != b"mimetype":
        return None
    compressed = struct.unpack("<I", head[18:22])[0]
    extra = struct.unpack("<H", head[28:30])[0]
    start = 38 + extra
    return head[start : start + compressed].decode("ascii", "replace")


def _zip_names_from_bytes(data: bytes) -> list[str] | None:
    """Entry names from the ZIP's central directory (needs the whole file)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def _is_text(head: bytes) -> bool:
    """No NUL byte, decodes as UTF-8 or Windows-1252, and mostly printable characters."""
    if b"\x00" in head:
        return False
    text = _decode(head)
    if not text:
        return False
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f")
    return printable / len(text) >= _PRINTABLE_SHARE


def _decode(head: bytes) -> str | None:
    # The head may end inside a UTF-8 sequence: an incremental decoder tolerates that.
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        return decoder.decode(head, final=False)
    except UnicodeDecodeError:
        pass
    try:
        return head.decode("cp1252")
    except UnicodeDecodeError:
        return None

"""Content sniffing: the kind comes from the bytes, and the extension must agree."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from tracker.core.filetypes import clean_filename, content_type, extension, sniff, sniff_stream


def _zip(entries: dict[str, bytes], first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, uncompressed
        for name, data in entries.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Laporan Hasil Evaluasi")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"


def test_pdf_by_content():
    assert sniff(PDF, "LHE 2024.pdf") == "pdf"
    assert sniff(PDF, "LHE.PDF") == "pdf"


def test_docx_needs_word_document_in_the_zip_directory():
    assert sniff(_docx(), "lhe.docx") == "docx"
    assert sniff_stream(io.BytesIO(_docx()), "lhe.docx") == "docx"


def test_zip_that_is_not_a_word_document_is_refused():
    data = _zip({"readme.txt": b"halo", "word/other.xml": b"<x/>"})
    assert sniff(data, "lhe.docx") is None
    assert sniff_stream(io.BytesIO(data), "lhe.docx") is None


def test_truncated_zip_is_refused():
    assert sniff(_docx()[:100], "lhe.docx") is None


def test_plain_utf8_text():
    text = "Hasil Evaluasi\nNilai 78,55 — predikat BB\nBalai Sertifikasi Elektronik (BSrE)\n"
    assert sniff(text.encode("utf-8"), "lhe.txt") == "text"
    assert sniff(b"\xef\xbb\xbf" + text.encode("utf-8"), "lhe.txt") == "text"  # with a BOM


def test_windows_1252_text():
    data = "Catatan \u201cpenting\u201d \u2013 BSR\xe9\n".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert sniff(data, "lhe.txt") == "text"


def test_text_cut_inside_a_utf8_character_is_still_text():
    data = ("é" * 100).encode("utf-8")[:-1]
    assert sniff(data, "lhe.txt") == "text"


def test_binary_is_not_text():
    assert sniff(EXE, "lhe.txt") is None
    assert sniff(bytes(range(1, 32)) * 10, "lhe.txt") is None  # control characters


def test_executable_renamed_pdf_is_refused():
    assert sniff(EXE, "lhe.pdf") is None


@pytest.mark.parametrize(
    ("data", "filename"),
    [(PDF, "lhe.docx"), (PDF, "lhe.txt"), (PDF, "lhe"), (b"teks biasa\n", "lhe.pdf")],
)
def test_extension_must_agree_with_the_content(data, filename):
    assert sniff(data, filename) is None


def test_empty_is_nothing():
    assert sniff(b"", "lhe.txt") is None
    assert sniff_stream(io.BytesIO(b""), "lhe.pdf") is None


def test_evidence_kinds():
    assert sniff(PNG, "scan.png") == "png"
    assert sniff(JPG, "scan.JPEG") == "jpg"
    assert sniff(_zip({"xl/workbook.xml": b"<w/>"}), "matriks.xlsx") == "xlsx"
    assert sniff(_zip({"ppt/presentation.xml": b"<p/>"}), "paparan.pptx") == "pptx"
    odt = _zip(
        {"content.xml": b"<c/>"}, first=("mimetype", b"application/vnd.oasis.opendocument.text")
    )
    assert sniff(odt[:200], "surat.odt") == "odt"  # the head alone is enough
    ods = _zip(
        {"content.xml": b"<c/>"},
        first=("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
    )
    assert sniff(ods, "data.ods") == "ods"
    assert sniff(odt, "surat.ods") is None


def test_sniff_stream_rewinds():
    stream = io.BytesIO(PDF)
    stream.read(3)
    assert sniff_stream(stream, "a.pdf") == "pdf"
    assert stream.tell() == 0


def test_extension_and_content_type():
    assert extension("C:\\Dokumen\\LHE Polman.PDF") == ".pdf"
    assert extension("/home/spi/arsip.tar.gz") == ".gz"
    assert extension("tanpa-ekstensi") == ""
    assert content_type("docx").endswith("wordprocessingml.document")
    assert content_type("text") == "text/plain"
    assert content_type("unknown") == "application/octet-stream"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\spi\\LHE Tahun 2024 – revisi.pdf", "LHE Tahun 2024 – revisi.pdf"),
        ("lhe\x00\n.pdf", "lhe.pdf"),
        ("", "lhe"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),  # 255 characters, extension kept
    ],
)
def test_clean_filename(name, expected):
    assert clean_filename(name) == expected

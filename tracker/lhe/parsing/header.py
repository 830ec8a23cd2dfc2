"""Header fields of an LHE: institution, year evaluated, evaluator, report number and date.

The institution and year come from a labelled line ("Nama Instansi : ...") or from the title
block ("Laporan Hasil Evaluasi Akuntabilitas Kinerja / Politeknik ... / Tahun 2024"). The
evaluator is taken only when the report names it: a labelled line ("Evaluator : ...") or a
letterhead line such as "Inspektorat Jenderal ..." at the top; otherwise it stays None (the
signatory's title, e.g. "Inspektur IV", does not name the unit reliably).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.lhe.parsing.dates import DATE_RE, parse_date
from tracker.lhe.parsing.lines import is_place_date, list_marker, section_heading

_HEADER_LINES = 60
_LABEL = r"\s*[:\uff1a]\s*(?P<v>\S.*)$"
_INSTITUTION_LABEL = re.compile(
    r"^(?:nama\s+)?(?:instansi|unit\s+kerja|satuan\s+kerja|satker|entitas|objek\s+evaluasi"
    r"|instansi\s+yang\s+dievaluasi)" + _LABEL,
    re.IGNORECASE,
)
_YEAR_LABEL = re.compile(
    r"^(?:tahun(?:\s+(?:evaluasi|anggaran|yang\s+dievaluasi))?|periode(?:\s+evaluasi)?)"
    r"\s*[:\uff1a]\s*(?P<y>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_EVALUATOR_LABEL = re.compile(
    r"^(?:evaluator|tim\s+evaluator|tim\s+evaluasi|dievaluasi\s+oleh|pelaksana\s+evaluasi)"
    + _LABEL,
    re.IGNORECASE,
)
_EVALUATOR_LINE = re.compile(
    r"^(?:inspektorat\b|satuan\s+pengawas(?:an)?\s+intern(?:al)?\b|kementerian\s+pendayagunaan"
    r"\s+aparatur\s+negara|deputi\s+bidang\s+reformasi\s+birokrasi)",
    re.IGNORECASE,
)
_BARE_EVALUATOR = re.compile(
    r"inspektorat(?:\s+(?:jenderal|utama))?|satuan\s+pengawas(?:an)?\s+intern(?:al)?", re.IGNORECASE
)
_PARENT = re.compile(
    r"^(?:kementerian|universitas|politeknik|institut|sekolah\s+tinggi|lembaga|badan)\b",
    re.IGNORECASE,
)
_NUMBER_LABEL = re.compile(
    r"^(?:nomor|no\.?)(?:\s+(?:laporan|lhe|surat))?\s*[:\uff1a]\s*(?P<v>\S.*?)"
    r"(?:\s+tanggal\b.*|\s*,\s*tanggal\b.*)?$",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(
    rf"^tanggal(?:\s+(?:laporan|lhe|surat))?\s*[:\uff1a]\s*(?P<v>{DATE_RE})", re.IGNORECASE
)
_TITLE = re.compile(
    r"^(?:laporan\s+)?hasil\s+evaluasi\s+(?:atas\s+)?(?:implementasi\s+)?(?:sistem\s+)?"
    r"(?:akuntabilitas\s+kinerja(?:\s+instansi\s+pemerintah(?:an)?)?|sakip|akip|lakip)"
    r"(?:\s*\((?:sakip|akip)\))?(?P<rest>.*)$",
    re.IGNORECASE,
)
_YEAR_IN = re.compile(r"\btahun(?:\s+anggaran)?\s+(?P<y>(?:19|20)\d{2})\b", re.IGNORECASE)
_LEADING_LINK = re.compile(r"^(?:pada|di\s+lingkungan|di|atas|terhadap|untuk)\s+", re.IGNORECASE)
_INSTITUTION_LINE = re.compile(
    r"^(?:politeknik|universitas|institut|sekolah\s+tinggi|akademi|dinas|badan|balai|kantor"
    r"|fakultas|pemerintah\s+(?:kabupaten|kota|provinsi)|rumah\s+sakit|biro|lembaga|pusat"
    r"|direktorat|sekretariat)\b",
    re.IGNORECASE,
)


@dataclass
class Header:
    """The header fields found; None when the document does not give one."""

    institution: str | None = None
    year: int | None = None
    evaluator: str | None = None
    number: str | None = None
    report_date: date | None = None


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:-")


def parse_header(lines: list[str]) -> Header:
    """Header fields found in `lines` (number and date anywhere, the rest near the top)."""
    header = Header()
    top = [line for line in lines if line][:_HEADER_LINES]
    for line in top:
        label = _INSTITUTION_LABEL.match(line)
        if label and header.institution is None:
            header.institution = _tidy(label.group("v"))
        year = _YEAR_LABEL.match(line)
        if year and header.year is None:
            header.year = int(year.group("y"))
        label = _EVALUATOR_LABEL.match(line)
        if label and header.evaluator is None:
            header.evaluator = _tidy(label.group("v"))
    if header.institution is None or header.year is None:
        _title_block(top, header)
    if header.institution is None:
        header.institution = next(
            (_tidy(line) for line in top[:15] if _INSTITUTION_LINE.match(line)), None
        )
    if header.year is None:
        header.year = next((int(m.group("y")) for m in map(_YEAR_IN.search, top[:15]) if m), None)
    if header.evaluator is None:
        header.evaluator = _letterhead(top[:15])
    _number_and_date(lines, header)
    return header


def _title_block(top: list[str], header: Header) -> None:
    """ "Hasil Evaluasi Akuntabilitas Kinerja / Politeknik X / Tahun 2024" and one-line titles."""
    for start, line in enumerate(top):
        match = _TITLE.match(line)
        if not match:
            continue
        parts: list[str] = []
        year: int | None = None
        for text in [match.group("rest"), *top[start + 1 : start + 6]]:
            found = _YEAR_IN.search(text)
            if found:
                year = year or int(found.group("y"))
                text = text[: found.start()]
            text = _tidy(_LEADING_LINK.sub("", _tidy(text)))
            if text and _ends_title(text):
                break
            if text:
                parts.append(text)
            if parts and year is not None:
                break  # the year closes the block; a year above takes just the next line
        if header.institution is None and parts:
            header.institution = _tidy(" ".join(parts))
        if header.year is None:
            header.year = year
        return


def _ends_title(text: str) -> bool:
    lower = text.lower()
    return bool(
        "komponen" in lower
        or section_heading(text)
        or list_marker(text)
        or _NUMBER_LABEL.match(text)
        or is_place_date(text)
        or re.match(r"^(?:nomor|tanggal|kepada|yth)\b", lower)
    )


def _letterhead(top: list[str]) -> str | None:
    """ "Inspektorat Jenderal" / "Satuan Pengawasan Internal", with the ministry or institution
    printed right below or above a bare unit name."""
    for i, line in enumerate(top):
        if _EVALUATOR_LINE.match(line):
            name = _tidy(line)
            if _BARE_EVALUATOR.fullmatch(name):
                below = top[i + 1] if i + 1 < len(top) else ""
                for neighbour in (below, top[i - 1] if i else ""):
                    if _PARENT.match(neighbour):
                        return f"{name} {_tidy(neighbour)}"
            return name
    return None


def _number_and_date(lines: list[str], header: Header) -> None:
    place_date = None
    for line in lines:
        if not line:
            continue
        number = _NUMBER_LABEL.match(line)
        if number and header.number is None and re.search(r"\d", number.group("v")):
            header.number = _tidy(number.group("v"))
        labelled = _DATE_LABEL.match(line)
        if labelled and header.report_date is None:
            header.report_date = parse_date(labelled.group("v"))
        if is_place_date(line):
            place_date = parse_date(line) or place_date
    if header.report_date is None:
        header.report_date = place_date

"""Turn the text of an LHE (Laporan Hasil Evaluasi) into a ParsedLHE; flask-free.

`parse_text` cleans the page noise, reads the header fields, the score table and the findings
and recommendations, and lists in `warnings` (Indonesian) whatever is missing or inconsistent.
Disagreements are reported, never fixed silently.
"""

from __future__ import annotations

from typing import BinaryIO

from tracker.evaluations.predikat import check_scores
from tracker.lhe.document import NotAnLHE, ParsedLHE
from tracker.lhe.parsing.cleanup import clean
from tracker.lhe.parsing.header import Header, parse_header
from tracker.lhe.parsing.items import parse_items
from tracker.lhe.parsing.lines import section_heading
from tracker.lhe.parsing.scores import parse_scores
from tracker.lhe.readers import read_document

NOT_AN_LHE = "Dokumen ini tidak tampak seperti LHE: tidak ditemukan tabel nilai maupun rekomendasi."


def parse_text(text: str) -> ParsedLHE:
    """The parse of an LHE's text; raises NotAnLHE without a score table and recommendations."""
    cleaned = clean(text)
    header = parse_header(cleaned.lines)
    light = parse_header(cleaned.light)
    for name in ("institution", "year", "evaluator", "number", "report_date"):
        if getattr(header, name) is None:
            setattr(header, name, getattr(light, name))
    first_heading = next(
        (i for i, line in enumerate(cleaned.lines) if line and section_heading(line)),
        len(cleaned.lines),
    )
    table = parse_scores(cleaned.lines, header.year, first_heading)
    findings, recommendations = parse_items(cleaned.lines, table.used)
    if not table.components and not recommendations:
        raise NotAnLHE(NOT_AN_LHE)
    parsed = ParsedLHE(
        institution=header.institution,
        year=header.year,
        evaluator=header.evaluator,
        number=header.number,
        report_date=header.report_date,
        components=table.components,
        total_score=table.total,
        predikat=table.predikat,
        findings=findings,
        recommendations=recommendations,
    )
    parsed.warnings = _missing(parsed, header) + table.warnings + _check(parsed)
    return parsed


def parse_document(stream: BinaryIO, kind: str) -> ParsedLHE:
    """Read a document ("pdf", "docx" or "text") and parse it."""
    return parse_text(read_document(stream, kind))


def _missing(parsed: ParsedLHE, header: Header) -> list[str]:
    warnings = []
    if parsed.institution is None:
        warnings.append("Nama instansi tidak ditemukan.")
    if parsed.year is None:
        warnings.append("Tahun yang dievaluasi tidak ditemukan.")
    if parsed.report_date is None:
        warnings.append("Tanggal laporan tidak ditemukan.")
    if not parsed.components:
        warnings.append("Tabel nilai komponen tidak ditemukan.")
    else:
        if parsed.total_score is None:
            warnings.append("Nilai akhir (total) tidak ditemukan.")
        missing = [c.name for c in parsed.components if c.score is None]
        if missing:
            warnings.append("Nilai komponen tidak ditemukan: " + ", ".join(missing) + ".")
    if parsed.predikat is None:
        warnings.append("Predikat tidak ditemukan.")
    if not parsed.findings:
        warnings.append("Tidak ditemukan catatan hasil evaluasi.")
    if not parsed.recommendations:
        warnings.append("Tidak ditemukan rekomendasi.")
    return warnings


def _check(parsed: ParsedLHE) -> list[str]:
    """The foundation's consistency rule (total vs predikat, sum of scores and weights), with its
    default number format so that the review pages can recognise these messages."""
    return [str(w) for w in check_scores(parsed, inclusive=False)]

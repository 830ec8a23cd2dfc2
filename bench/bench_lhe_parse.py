"""Benchmark of the LHE parser: a ~30-page report as text, and the same as a PDF.

Run: .venv/bin/python bench/bench_lhe_parse.py [--runs N]
Prints the median time of parse_text on the text, of read_document on the PDF and of the two
together. fpdf2 (a dev dependency) draws the PDF.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from fpdf import FPDF

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.lhe.parser import parse_text  # noqa: E402
from tracker.lhe.readers import read_document  # noqa: E402

COMPONENTS = [
    ("Perencanaan Kinerja", 30, "24,10"),
    ("Pengukuran Kinerja", 30, "22,50"),
    ("Pelaporan Kinerja", 15, "11,25"),
    ("Evaluasi Akuntabilitas Kinerja Internal", 25, "19,80"),
]
LINES_PER_PAGE = 50
ITEMS_PER_COMPONENT = 45


def _finding(component: str, n: int) -> list[str]:
    return [
        f"{n}. Pada komponen {component.lower()} masih ditemukan kelemahan nomor {n}: dokumen",
        "pendukung belum lengkap, data capaian belum divalidasi oleh atasan langsung, dan hasil",
        f"pengukur-\nan belum dimanfaatkan untuk perbaikan kinerja unit kerja ke-{n}.",
    ]


def _recommendation(component: str, n: int) -> list[str]:
    return [
        f"{n}. Agar unit kerja melengkapi dokumen {component.lower()} yang meliputi:",
        "a) data dukung capaian kinerja setiap triwulan;",
        "b) berita acara validasi oleh atasan langsung; dan",
        f"c) tindak lanjut atas rekomendasi evaluasi nomor {n} tahun sebelumnya.",
    ]


def body_lines() -> list[str]:
    """The report's lines, before page headers and footers are added."""
    lines = [
        "Inspektorat Jenderal",
        "Kementerian Contoh",
        "Nomor : LHE-99/IJ/PW.02/2025",
        "Laporan Hasil Evaluasi Akuntabilitas Kinerja",
        "Politeknik Negeri Tolok Ukur",
        "Tahun 2024",
        "",
        "No\tKomponen\tBobot\tNilai",
    ]
    lines += [f"{i}\t{name}\t{w}%\t{s}" for i, (name, w, s) in enumerate(COMPONENTS, 1)]
    lines += ["\tNilai Akhir\t100%\t77,65", "\tPredikat\t\tBB", ""]
    for heading, make in (("CATATAN", _finding), ("REKOMENDASI", _recommendation)):
        lines += [heading, ""]
        for letter, (name, _w, _s) in zip("ABCD", COMPONENTS, strict=True):
            lines.append(f"{letter}. {name}")
            for n in range(1, ITEMS_PER_COMPONENT + 1):
                lines += "\n".join(make(name, n)).split("\n")
            lines.append("")
    return [*lines, "Jakarta, 10 Februari 2025", "Inspektur Jenderal,"]


def report_text() -> str:
    """The report as text: a header and a footer every LINES_PER_PAGE lines, pages by \\f."""
    body = body_lines()
    pages = [body[i : i + LINES_PER_PAGE] for i in range(0, len(body), LINES_PER_PAGE)]
    header = "LHE AKIP Politeknik Negeri Tolok Ukur 2024"
    return "\f".join(
        "\n".join([header, *page, f"Halaman {n} dari {len(pages)}"])
        for n, page in enumerate(pages, 1)
    )


class _Report(FPDF):
    def header(self):
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, "LHE AKIP Politeknik Negeri Tolok Ukur 2024", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 5, f"Halaman {self.page_no()} dari {{nb}}", align="C")


def report_pdf() -> bytes:
    """The same report as a PDF, one text page per PDF page."""
    pdf = _Report()
    pdf.set_auto_page_break(True, margin=15)
    body = body_lines()
    for start in range(0, len(body), LINES_PER_PAGE):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 9)
        for line in body[start : start + LINES_PER_PAGE]:
            if "\t" in line:
                for width, cell in zip((10, 80, 20, 30), line.split("\t"), strict=False):
                    pdf.cell(width, 5, cell)
                pdf.ln(5)
            else:
                pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def median_seconds(action, runs: int) -> float:
    """The median wall time of `action()` over `runs` runs."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    text = report_text()
    parsed = parse_text(text)
    pages = text.count("\f") + 1
    print(
        f"text: {pages} pages, {len(text.splitlines())} lines, {len(text)} characters; "
        f"{len(parsed.findings)} findings, {len(parsed.recommendations)} recommendations, "
        f"{len(parsed.warnings)} warnings"
    )
    assert len(parsed.findings) == len(parsed.recommendations) == 4 * ITEMS_PER_COMPONENT
    assert parsed.findings[-1].text == (
        f"Pada komponen evaluasi akuntabilitas kinerja internal masih ditemukan kelemahan nomor "
        f"{ITEMS_PER_COMPONENT}: dokumen pendukung belum lengkap, data capaian belum divalidasi "
        "oleh atasan langsung, dan hasil pengukuran belum dimanfaatkan untuk perbaikan kinerja "
        f"unit kerja ke-{ITEMS_PER_COMPONENT}."
    ), parsed.findings[-1].text
    assert parsed.recommendations[0].text.endswith(
        "tindak lanjut atas rekomendasi evaluasi nomor 1 tahun sebelumnya."
    )
    parse = median_seconds(lambda: parse_text(text), runs)
    print(f"parse_text (text):             median {parse:.3f} s")
    pdf = report_pdf()
    pdf_runs = max(1, runs // 4)
    read = median_seconds(lambda: read_document(io.BytesIO(pdf), "pdf"), pdf_runs)
    pdf_text = read_document(io.BytesIO(pdf), "pdf")
    from_pdf = parse_text(pdf_text)
    assert from_pdf.findings == parsed.findings, "PDF parse differs from text"
    assert from_pdf.recommendations == parsed.recommendations, "PDF parse differs from text"
    print(f"PDF: {pdf_text.count(chr(12)) + 1} pages, {len(pdf)} bytes")
    print(f"read_document (pdf, layout):   median {read:.3f} s")
    parse = median_seconds(lambda: parse_text(pdf_text), runs)
    print(f"parse_text (pdf text):         median {parse:.3f} s")


if __name__ == "__main__":
    main()

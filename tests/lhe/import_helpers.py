"""Helpers for the LHE import tests: a parse built by hand, a stand-in parser, stored files.

Plain functions (not fixtures) so that each test module wires what it needs; the stand-in
parser lets the import be tested apart from the real parser.
"""

from __future__ import annotations

import copy
import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

from flask import current_app

from tracker.lhe import services
from tracker.lhe.document import Component, Item, NotAnLHE, ParsedLHE, UnreadableDocument

PLAN = "Perencanaan Kinerja"
MEASURE = "Pengukuran Kinerja"
REPORT = "Pelaporan Kinerja"
INTERNAL = "Evaluasi Akuntabilitas Kinerja Internal"
SAMPLE = Path(__file__).resolve().parents[2].parent / "shared/samples/lhe-polman-babel-2024.txt"
SAMPLE_JSON = SAMPLE.with_suffix(".expected.json")


def hand_parse(institution: str = "Politeknik Contoh", year: int = 2024) -> ParsedLHE:
    """An LHE with 4 components, 3 findings and 4 recommendations."""
    return ParsedLHE(
        institution=institution,
        year=year,
        evaluator="Inspektorat Jenderal",
        number="LHE-12/2024",
        components=[
            Component(PLAN, Decimal(30), Decimal("23.7")),
            Component(MEASURE, Decimal(30), Decimal("23.1")),
            Component(REPORT, Decimal(15), Decimal("12.75")),
            Component(INTERNAL, Decimal(25), Decimal(19)),
        ],
        total_score=Decimal("78.55"),
        predikat="BB",
        findings=[
            Item(PLAN, 1, "Target kinerja belum menantang."),
            Item(MEASURE, 1, "Belum ada kebijakan reward dan punishment."),
            Item(REPORT, 1, "Laporan kinerja belum dimanfaatkan."),
        ],
        recommendations=[
            Item(PLAN, 1, "Capaian tahun sebelumnya agar dijadikan dasar penetapan target."),
            Item(MEASURE, 1, "Agar dibuat kebijakan reward dan punishment secara formal."),
            Item(MEASURE, 2, "Dokumen wawancara agar disusun secara rapi sesuai komponennya."),
            Item(INTERNAL, 1, "Disarankan membuat inovasi untuk efektivitas kinerja."),
        ],
        warnings=["Halaman 2: kop berulang dibuang."],
    )


def install_fake_parser(monkeypatch, parsed: ParsedLHE | None = None) -> list[ParsedLHE]:
    """Replace the parser: a document containing "BUKAN LHE" is not an LHE, "RUSAK" is
    unreadable, anything else reads as `parsed` (default `hand_parse()`). Returns a list the
    test may replace item 0 of, to change what the next document reads as."""
    current = [parsed or hand_parse()]

    def fake(stream, kind):
        data = stream.read()
        if b"BUKAN LHE" in data:
            raise NotAnLHE("no score table and no recommendations")
        if b"RUSAK" in data:
            raise UnreadableDocument("damaged")
        return copy.deepcopy(current[0])

    monkeypatch.setattr(services, "parse_document", fake)
    return current


def stored_files() -> set[Path]:
    """Every file in the upload folder (the folder is shared by the whole test session)."""
    root = Path(current_app.config["UPLOAD_FOLDER"])
    return {p for p in root.rglob("*") if p.is_file() and "incoming" not in p.parts}


def upload(actor, content: bytes = b"Laporan Hasil Evaluasi\n", filename: str = "lhe.txt"):
    """Upload `content` through the service."""
    return services.upload_lhe(actor, io.BytesIO(content), filename, "text/plain")


class _FormReader(HTMLParser):
    """Collects what a browser would submit from each POST form of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and not self.in_form:
            self.in_form = True
            self.fields = []
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "y"))
            elif kind not in ("submit", "file", "button"):
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value") or "", "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            fallback = self._options[0][0] if self._options else ""
            self.fields.append((self._select, chosen[0] if chosen else fallback))
            self._select = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.forms.append(self.fields)


def form_fields(html: str) -> dict[str, str]:
    """The fields of the page's largest POST form (the review form) as a browser would submit
    them, without a button."""
    reader = _FormReader()
    reader.feed(html)
    return dict(max(reader.forms, key=len))

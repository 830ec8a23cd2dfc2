"""What one line of an LHE is: a section heading, a component heading, a list item, a closing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tracker.lhe.parsing.components import ALIAS_RE, canonical, match_component
from tracker.lhe.parsing.dates import DATE_RE

FINDINGS = "findings"
RECOMMENDATIONS = "recommendations"

# An outline marker in front of a heading: "III.", "B.", "2)", "(a)".
_OUTLINE = (
    r"(?:(?:[IVX]{1,4}|[A-Za-z]|\d{1,2})[.)]\s*|\(\s*(?:[IVX]{1,4}|[A-Za-z]|\d{1,2})\s*\)\s*)?"
)
_FINDINGS_WORDS = (
    r"catatan(?:\s+(?:atas\s+)?(?:hasil\s+)?evaluasi)?|hasil\s+evaluasi"
    r"|(?:kelemahan|permasalahan)(?:\s+dan\s+(?:kelemahan|permasalahan))?"
    r"|temuan(?:\s+(?:hasil\s+)?evaluasi)?"
)
_RECOMMENDATION_WORDS = (
    r"rekomendasi(?:\s+(?:perbaikan|hasil\s+evaluasi))?|saran(?:\s+perbaikan)?"
    r"|saran\s+dan\s+rekomendasi|rekomendasi\s+dan\s+saran"
)
_HEADING = re.compile(
    rf"^{_OUTLINE}(?:(?P<f>{_FINDINGS_WORDS})|(?P<r>{_RECOMMENDATION_WORDS}))"
    r"(?:\s+(?:no\.?\s*)?(?P<num>\d{1,3}))?"
    rf"(?:\s+(?:atas\s+)?(?:komponen\s+)?(?P<comp>{ALIAS_RE}))?"
    r"\s*(?:[:\uff1a.]\s*(?P<inline>.*))?$",
    re.IGNORECASE,
)
_NEUTRAL_HEADING = re.compile(
    rf"^{_OUTLINE}(?:catatan|hasil\s+evaluasi)\s+dan\s+(?:rekomendasi|saran)\s*:?$", re.IGNORECASE
)
_MARK = r"(?:[IVX]{1,4}|[A-Za-z]|\d{1,2})"
_COMPONENT_OUTLINE = re.compile(rf"^(?:{_MARK}[.)]|\(\s*{_MARK}\s*\))\s*(?P<rest>.+)$")

# List markers, most specific first: (style, regex). The style tells levels apart.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("1.1", re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2})+\.?)\s+(?P<t>\S.*)$")),
    ("1.", re.compile(r"^(?P<m>\d{1,3})\.(?:\s*(?P<t>[^\d\s].*))?$")),
    ("1)", re.compile(r"^(?P<m>\d{1,3})\)(?:\s*(?P<t>\S.*))?$")),
    ("(1)", re.compile(r"^\(\s*(?P<m>\d{1,3})\s*\)\s*(?P<t>\S.*)$")),
    ("ii.", re.compile(r"^(?P<m>(?:ii|iii|iv|vi|vii|viii|ix|xi|xii))[.)]\s+(?P<t>\S.*)$")),
    ("a.", re.compile(r"^(?P<m>[a-z])\.(?:\s+(?P<t>\S.*))?$")),
    ("a)", re.compile(r"^(?P<m>[a-z])\)(?:\s*(?P<t>\S.*))?$")),
    ("(a)", re.compile(r"^\(\s*(?P<m>[a-z])\s*\)\s*(?P<t>\S.*)$")),
    ("I.", re.compile(r"^(?P<m>[IVX]{2,5})[.)]\s+(?P<t>\S.*)$")),
    ("A.", re.compile(r"^(?P<m>[A-Z])[.)]\s+(?P<t>\S.*)$")),
    (
        "-",
        re.compile(
            r"^(?P<m>[\u2022\u25cf\u25aa\u25a0\u25e6\u00b7\uf0b7\uf0a7\u27a2])\s*(?P<t>\S.*)$"
        ),
    ),
    ("-", re.compile(r"^(?P<m>[\u2013\u2014*-])\s+(?P<t>\S.*)$")),
)
_PLACE_DATE = re.compile(rf"^[A-Za-z][A-Za-z .'()-]{{1,40}},\s*{DATE_RE}\s*$", re.IGNORECASE)
_CLOSING = re.compile(
    r"^(?:demikian\s+(?:laporan|hasil|disampaikan|kami|atas|untuk)\b|tembusan\b|ditandatangani\b"
    r"|a\.\s?n\.?\s|lampiran\s*\d*\s*:?$|inspektur\b[^.]{0,60},$)",
    re.IGNORECASE,
)
_ITEM_LABEL = re.compile(
    rf"^(?:[\[(](?:komponen\s+)?(?P<bracketed>{ALIAS_RE})[\])]\s*[:\u2013\u2014-]?"
    rf"|(?:komponen\s+)?(?P<alias>{ALIAS_RE})\s*[:\u2013\u2014-])\s+(?P<t>\S.*)$",
    re.IGNORECASE,
)
_ITEM_TAIL_LABEL = re.compile(
    rf"^(?P<t>.*\S)\s*\((?:komponen\s+)?(?P<alias>{ALIAS_RE})\)(?P<end>[.;]?)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Heading:
    """A findings or recommendations heading, maybe numbered ("Catatan 1") or with inline text."""

    section: str
    number: int | None
    component: str | None
    inline: str


def section_heading(line: str) -> Heading | None:
    """The heading a line is, if any: "III. REKOMENDASI", "Catatan :", "Rekomendasi 2: Agar"."""
    match = _HEADING.match(line)
    if not match:
        return None
    number = match.group("num")
    comp = match.group("comp")
    return Heading(
        FINDINGS if match.group("f") else RECOMMENDATIONS,
        int(number) if number else None,
        canonical(comp) if comp else None,
        (match.group("inline") or "").strip(),
    )


def neutral_heading(line: str) -> bool:
    """A "Catatan dan Rekomendasi" heading: starts a new part without being either list."""
    return bool(_NEUTRAL_HEADING.match(line))


def component_heading(line: str, marked_only: bool = False) -> tuple[str, Decimal | None] | None:
    """(canonical name, weight) when the line is a component heading ("B. PENGUKURAN KINERJA")."""
    outlined = _COMPONENT_OUTLINE.match(line)
    if outlined:
        found = match_component(outlined.group("rest"))
        if found:
            return found
    return None if marked_only else match_component(line)


def list_marker(line: str) -> tuple[str, str, str] | None:
    """(style, marker, text) of a list item line ("1. Agar ..." -> ("1.", "1", "Agar ..."))."""
    for style, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            return style, match.group("m"), match.group("t") or ""
    return None


def is_place_date(line: str) -> bool:
    """A "Jakarta, 10 Desember 2024" line (the report's date above the signature)."""
    return bool(_PLACE_DATE.match(line))


def is_closing(line: str) -> bool:
    """The end of the lists: the place and date, the signature, "Demikian ...", "Tembusan"."""
    return is_place_date(line) or bool(_CLOSING.match(line))


def item_label(text: str) -> tuple[str | None, str]:
    """(component, text) for an item that names its component ("Pengukuran Kinerja: Agar ...")."""
    for pattern in (_ITEM_LABEL, _ITEM_TAIL_LABEL):
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            text = groups["t"].strip() + (groups.get("end") or "")
            return canonical(groups.get("bracketed") or groups["alias"]), text
    return None, text

"""Remove what a printed LHE repeats on every page: headers, footers, page numbers, e-sign notices.

Known patterns (page numbers, the UU ITE / BSrE electronic-signature notice with its "Catatan :"
heading, "Balai Sertifikasi Elektronik") go first; then lines that recur generically: at the top or
bottom of several pages (when pages are known, separated by form feeds) or several times anywhere.
Structural lines (headings, list items, place and date) never count as recurring noise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from tracker.lhe.parsing.lines import (
    component_heading,
    is_place_date,
    list_marker,
    neutral_heading,
    section_heading,
)

_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi"})
_PAGE_NUMBER = re.compile(
    r"^(?:[-\u2013\u2014]\s*)?(?:(?:halaman|hal\.?|page)\s*\d{1,4}(?:\s*(?:dari|of|/)\s*\d{1,4})?"
    r"|\d{1,3}(?:\s*/\s*\d{1,3})?)(?:\s*[-\u2013\u2014])?$",
    re.IGNORECASE,
)
_SIGNATURE_NOTICE = re.compile(
    r"\buu\s*ite\b|undang-undang\s+(?:nomor|no\.?)\s*11\s+tahun\s+2008"
    r"|informasi\s+elektronik\s+dan/atau\s+dokumen\s+elektronik|hasil\s+cetaknya\s+merupakan"
    r"|alat\s+bukti\s+hukum\s+yang\s+sah|ditandatangani\s+secara\s+elektronik"
    r"|sertifikat\s+elektronik\s+yang\s+diterbitkan|diterbitkan\s+oleh\s+(?:bsr|balai\s+sert)"
    r"|\bbsr[e\u00e9]?\b|balai\s+sertifikasi\s+elektronik|badan\s+siber\s+dan\s+sandi\s+negara",
    re.IGNORECASE,
)
_SPLIT_NOTICE = re.compile(
    r"^(?:balai\s+sertifikasi\s+elektronik|badan\s+siber\s+dan\s+sandi\s+negara)$", re.IGNORECASE
)
_SEAL_WORDS = re.compile(
    r"^(?:balai|sertifikasi|elektronik)(?:\s+(?:balai|sertifikasi|elektronik)){0,2}$", re.IGNORECASE
)
_EDGE_LINES = 4
_MIN_RECURRENCE = 3


@dataclass
class Cleaned:
    """`lines`: the body without noise; `light`: only known patterns removed (for header fields)."""

    lines: list[str]
    light: list[str]


def normalise(text: str) -> str:
    """Unify line ends and spaces, drop invisible characters, bold markers and soft hyphens."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text)).translate(_LIGATURES)
    text = re.sub(r"\u00ad[ \t]*\n[ \t]*", "", text).replace("\u00ad", "")
    return text.replace("**", "")


def clean(text: str) -> Cleaned:
    """The document's lines (pages joined, page breaks as blank lines) without repeated noise."""
    pages = [[line.strip() for line in page.split("\n")] for page in normalise(text).split("\f")]
    notices = [_blank_known_noise(page) for page in pages]
    if any(notices):
        # The seal's words may be split by a page break ("Balai / Sertifikasi" | "Elektronik").
        for page in pages:
            for i, line in enumerate(page):
                if _SEAL_WORDS.match(line):
                    page[i] = ""
    light = _join(pages)
    _blank_recurring(pages)
    return Cleaned(_join(pages), light)


def _join(pages: list[list[str]]) -> list[str]:
    lines: list[str] = []
    for page in pages:
        lines.extend(page)
        lines.append("")
    return lines


def _blank_known_noise(page: list[str]) -> bool:
    """Blank page numbers, separator lines and the e-signature notice; True if one was seen."""
    for i, line in enumerate(page):
        if not re.search(r"\w", line) or _PAGE_NUMBER.match(line):
            page[i] = ""
        elif _SIGNATURE_NOTICE.search(line):
            page[i] = "\0"  # marked: removed below, after it has exposed its "Catatan :" heading
    _blank_split_notices(page)
    # A "Catatan :" heading whose next line is the notice belongs to the notice.
    following = ""
    for i in range(len(page) - 1, -1, -1):
        if page[i] and page[i] != "\0" and following == "\0" and section_heading(page[i]):
            page[i] = "\0"
        if page[i]:
            following = page[i]
    seen = False
    for i, line in enumerate(page):
        if line == "\0":
            page[i], seen = "", True
    return seen


def _blank_split_notices(page: list[str]) -> None:
    """ "Balai / Sertifikasi / Elektronik" printed one word per line."""
    indexes = [i for i, line in enumerate(page) if line and line != "\0" and len(line) <= 30]
    for start in range(len(indexes)):
        for size in (2, 3, 4):
            window = indexes[start : start + size]
            if (
                len(window) == size
                and window[-1] - window[0] <= size * 3
                and _SPLIT_NOTICE.match(" ".join(page[i] for i in window))
            ):
                for i in window:
                    page[i] = "\0"


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _structural(line: str) -> bool:
    return bool(
        section_heading(line)
        or neutral_heading(line)
        or component_heading(line)
        or list_marker(line)
        or is_place_date(line)
    )


def _fragment(line: str) -> bool:
    """A piece of a sentence (starts in lower case or ends with punctuation): page furniture
    does not look like that, wrapped item text does."""
    return line[:1].islower() or line.endswith((".", ",", ";", ":"))


def _neighbour(keys: list[str], at: int, step: int, skip: set[str]) -> str | None:
    """The nearest line before or after `at` that is neither blank nor itself suspected."""
    at += step
    while 0 <= at < len(keys) and (not keys[at] or keys[at] in skip):
        at += step
    return keys[at] if 0 <= at < len(keys) else None


def _suspects(pages: list[list[str]], keys: list[str]) -> set[int]:
    """Indexes (over all pages) of lines recurring at page edges or often anywhere."""
    counts = Counter(key for key in keys if key)
    found = {
        at
        for at, key in enumerate(keys)
        if key and counts[key] >= _MIN_RECURRENCE and len(key) >= 8 and " " in key
    }
    if len(pages) >= 2:
        edges: list[set[int]] = []
        offset = 0
        for page in pages:
            filled = [offset + i for i, line in enumerate(page) if line]
            edges.append(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))
            offset += len(page)
        edge_pages = Counter(key for edge in edges for key in {keys[at] for at in edge})
        needed = max(2, min(_MIN_RECURRENCE, (len(pages) + 1) // 2))
        found.update(at for edge in edges for at in edge if edge_pages[keys[at]] >= needed)
    return found


def _blank_recurring(pages: list[list[str]]) -> None:
    """Blank page furniture: lines repeated at the top or bottom of several pages or often
    anywhere, unless they are structure (headings, items), sentence pieces, or always come with
    the same neighbours (a repeated paragraph, not a page header)."""
    places = [(number, i) for number, page in enumerate(pages) for i in range(len(page))]
    keys = [_key(pages[number][i]) for number, i in places]
    by_key: dict[str, list[int]] = {}
    for at in sorted(_suspects(pages, keys)):
        number, i = places[at]
        if not (_structural(pages[number][i]) or _fragment(pages[number][i])):
            by_key.setdefault(keys[at], []).append(at)
    suspect_keys = set(by_key)
    for found in by_key.values():
        before = {_neighbour(keys, at, -1, suspect_keys) for at in found}
        after = {_neighbour(keys, at, 1, suspect_keys) for at in found}
        if len(before) == 1 or len(after) == 1:
            continue
        for at in found:
            number, i = places[at]
            pages[number][i] = ""

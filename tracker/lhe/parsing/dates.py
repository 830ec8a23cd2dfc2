"""Indonesian dates as LHEs write them: "10 Desember 2024", "10 Des. 2024", "10/12/2024"."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_RE = (
    rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RE})\.?\s+(?P<y1>\d{{4}})"
    r"|(?P<d2>\d{1,2})\s*[/.-]\s*(?P<m2>\d{1,2})\s*[/.-]\s*(?P<y2>\d{4})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{1,2})-(?P<d3>\d{1,2}))"
)
_DATE = re.compile(rf"\b{DATE_RE}\b", re.IGNORECASE)


def to_date(match: re.Match[str]) -> date | None:
    """The date of a DATE_RE match, None when it is not a real calendar date."""
    groups = match.groupdict()
    try:
        if groups.get("m1"):
            month = _MONTHS[groups["m1"].lower()]
            return date(int(groups["y1"]), month, int(groups["d1"]))
        if groups.get("m2"):
            return date(int(groups["y2"]), int(groups["m2"]), int(groups["d2"]))
        if groups.get("m3"):
            return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
    except ValueError:
        return None
    return None


def parse_date(text: str) -> date | None:
    """The first valid date written anywhere in `text`."""
    for match in _DATE.finditer(text):
        found = to_date(match)
        if found:
            return found
    return None

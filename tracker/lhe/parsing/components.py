"""Canonical SAKIP component names, their spellings in real reports and the two weight schemes."""

from __future__ import annotations

import re
from decimal import Decimal

PERENCANAAN = "Perencanaan Kinerja"
PENGUKURAN = "Pengukuran Kinerja"
PELAPORAN = "Pelaporan Kinerja"
EVALUASI = "Evaluasi Akuntabilitas Kinerja Internal"
CAPAIAN = "Capaian Kinerja"

# PermenPANRB 88/2021 (reports from 2022 on) and the older five-component LKE.
SCHEME_2022 = {PERENCANAAN: 30, PENGUKURAN: 30, PELAPORAN: 15, EVALUASI: 25}
SCHEME_OLD = {PERENCANAAN: 30, PENGUKURAN: 25, PELAPORAN: 15, EVALUASI: 10, CAPAIAN: 20}

_ALIASES: dict[str, tuple[str, ...]] = {
    PERENCANAAN: ("perencanaan kinerja", "perencanaan"),
    PENGUKURAN: ("pengukuran kinerja", "pengukuran"),
    PELAPORAN: ("pelaporan kinerja", "pelaporan"),
    EVALUASI: (
        "evaluasi akuntabilitas kinerja internal",
        "evaluasi akuntabilitas kinerja instansi pemerintah internal",
        "evaluasi akip internal",
        "evaluasi sakip internal",
        "evaluasi kinerja internal",
        "evaluasi internal",
    ),
    CAPAIAN: (
        "capaian kinerja organisasi",
        "capaian kinerja",
        "pencapaian kinerja organisasi",
        "pencapaian kinerja",
        "pencapaian sasaran kinerja organisasi",
        "pencapaian sasaran/kinerja organisasi",
        "capaian",
    ),
}
_CANONICAL = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}


def _alias_pattern(alias: str) -> str:
    return r"\s*/\s*".join(r"\s+".join(map(re.escape, part.split())) for part in alias.split("/"))


# Longest spellings first so that "perencanaan kinerja" wins over "perencanaan".
ALIAS_RE = (
    "(?:" + "|".join(_alias_pattern(a) for a in sorted(_CANONICAL, key=len, reverse=True)) + ")"
)
WEIGHT_NOTE_RE = r"\(\s*(?:bobot\s*:?\s*)?(?P<weight>\d{1,3}(?:[.,]\d+)?)\s*%?\s*\)"
_NAME = re.compile(
    rf"^(?:komponen\s+)?(?P<alias>{ALIAS_RE})\s*(?:{WEIGHT_NOTE_RE})?\s*:?$", re.IGNORECASE
)


def canonical(alias: str) -> str:
    """The canonical name of a spelling matched by ALIAS_RE."""
    return _CANONICAL[" ".join(alias.lower().replace("/", " / ").split()).replace(" / ", "/")]


def match_component(text: str) -> tuple[str, Decimal | None] | None:
    """(canonical name, weight written in parentheses) when `text` is exactly a component name.

    Accepts "Perencanaan", "PERENCANAAN KINERJA", "Komponen Perencanaan Kinerja (30%)", ...
    """
    match = _NAME.match(" ".join(text.split()))
    if not match:
        return None
    weight = match.group("weight")
    return canonical(match.group("alias")), to_decimal(weight) if weight else None


def to_decimal(text: str) -> Decimal | None:
    """A number written with a decimal comma or point ("78,55", "30%", "23.7"), else None."""
    cleaned = text.strip().rstrip("%").strip().replace("\u2212", "-").replace(",", ".")
    if not re.fullmatch(r"-?\d{1,3}(?:\.\d{1,4})?", cleaned):
        return None
    return Decimal(cleaned)

"""The score table: components with weight and score, the total and the predikat.

Rows are found by their component name followed by numbers, whatever separates the cells
(tabs, pipes, box-drawing characters, aligned spaces). The header row ("Komponen | Bobot |
Nilai 2023 | Nilai 2024") tells which number is which; with several score columns the
evaluated year's column is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from tracker.lhe.document import Component
from tracker.lhe.parsing.components import match_component, to_decimal

CODES = ("AA", "A", "BB", "B", "CC", "C", "D")
_LABEL_CODES = {
    "sangat memuaskan": "AA",
    "memuaskan": "A",
    "sangat baik": "BB",
    "baik": "B",
    "cukup memadai": "CC",
    "cukup": "CC",
    "memadai": "CC",
    "sangat kurang": "D",
    "kurang": "C",
}
_CELL_SEPARATORS = re.compile(r"[\t|\u00a6\u2500-\u257f]")
_OUTLINE = re.compile(r"^(?:\d{1,2}|[A-Za-z]|[IVXivx]{1,4})[.)]?$")
_NAME_TOKENS = 10
_PLACEHOLDERS = {"-", "\u2013", "\u2014", "n/a"}
_HEADER_ROLES = re.compile(
    r"bobot|nilai|skor|selisih|kenaikan|penurunan|perubahan|peningkatan|capaian|persentase"
    r"|(?<!\d)(?:19|20)\d{2}(?!\d)",
    re.IGNORECASE,
)
_TOTAL_LABEL = re.compile(
    r"^(?:\d{1,2}[.)]?\s+)?(?:jumlah(?:\s+nilai)?|total(?:\s+nilai)?|nilai\s+(?:akhir|total)"
    r"|predikat|hasil\s+akhir)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_TOTAL_WORDS = {"dan", "/", ":", "=", "%", "predikat", "nilai", "akhir", "total", "jumlah", "akip"}
_LABEL_WORDS = {"sangat", "baik", "memuaskan", "cukup", "memadai", "kurang"}
_PROSE_PREDIKAT = re.compile(
    r"(?i:predikat)(?:\s+(?i:akhir|yang\s+diperoleh|adalah))?\s*[:=]?\s*[\"'\u201c\u2018(]?\s*"
    r"(?P<code>AA|BB|CC|A|B|C|D)\b"
)
_PROSE_TOTAL = re.compile(r"(?<![\d.,])(?P<n>\d{1,3}[.,]\d{1,2})(?![\d%])")


@dataclass
class ScoreTable:
    """What the table gave; `used` holds its line indexes (not findings or recommendations)."""

    components: list[Component] = field(default_factory=list)
    total: Decimal | None = None
    predikat: str | None = None
    used: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)


def _cells_text(line: str) -> str:
    text = " ".join(_CELL_SEPARATORS.sub("  ", line).split())
    return re.sub(r"(\d) %", r"\1%", text)


def _value(token: str) -> tuple[bool, Decimal | None]:
    """(is a value cell, the number or None for a placeholder such as "-")."""
    if token.lower() in _PLACEHOLDERS:
        return True, None
    number = to_decimal(token)
    return number is not None, number


def _row(line: str) -> tuple[str, Decimal | None, list[Decimal | None]] | None:
    """(component, weight written beside the name, value cells) of a component row."""
    tokens = re.findall(r"\([^)]*\)|\S+", _cells_text(line))
    if len(tokens) > 1 and _OUTLINE.match(tokens[0]):
        tokens = tokens[1:]
    # A component name is a few words long: look for the first number among the first tokens.
    first_value = next((i for i, t in enumerate(tokens[:_NAME_TOKENS]) if _value(t)[0]), None)
    if not first_value:
        return None
    found = match_component(" ".join(tokens[:first_value]))
    if not found:
        return None
    values: list[Decimal | None] = []
    for token in tokens[first_value:]:
        is_value, number = _value(token)
        if not is_value:
            if _CELL_SEPARATORS.search(line) or re.search(r"\S\s{2,}\S", line):
                break  # a trailing text column ("Keterangan")
            return None
        if number is not None and abs(number) > 100:
            return None
        values.append(number)
    if all(v is None for v in values):
        return None
    return found[0], found[1], values


def _header_roles(text: str) -> list[list]:
    """[[role, year], ...] for the columns after "Komponen": weight, score, other."""
    roles: list[list] = []
    for word in _HEADER_ROLES.findall(text.lower().split("komponen", 1)[-1]):
        if word == "bobot":
            roles.append(["weight", None])
        elif word in ("nilai", "skor"):
            roles.append(["score", None])
        elif word.isdigit():
            if roles and roles[-1] == ["score", None]:
                roles[-1][1] = int(word)
            else:
                roles.append(["score", int(word)])
        else:
            roles.append(["other", None])
    return roles


def _add_year_row(roles: list[list], years: list[int]) -> None:
    """A second header line holding only years ("| | 2023 | 2024") under one "Nilai" cell."""
    open_scores = [i for i, role in enumerate(roles) if role == ["score", None]]
    if len(open_scores) == 1 and len(years) > 1:
        at = open_scores[0]
        roles[at : at + 1] = [["score", year] for year in years]
    else:
        for i, year in zip(open_scores, years, strict=False):
            roles[i][1] = year


def _pick(
    scores: list[tuple[int | None, Decimal | None]], year: int | None, table: ScoreTable
) -> int:
    """The index of the score column to use: the evaluated year's, else the last one."""
    if len(scores) <= 1:
        return 0
    for i, column in enumerate(scores):
        if year is not None and column[0] == year:
            return i
    if not any("kolom nilai" in w for w in table.warnings):
        table.warnings.append(
            "Tabel nilai memuat beberapa kolom nilai tanpa kolom tahun evaluasi; "
            "dipakai kolom nilai terakhir."
        )
    return len(scores) - 1


def parse_scores(lines: list[str], year: int | None, prose_end: int) -> ScoreTable:
    """The score table in `lines`; the total and predikat may also come from a summary sentence
    in the lines before `prose_end` (before the findings)."""
    table = ScoreTable()
    roles: list[list] = []
    seen: set[str] = set()
    for i, line in enumerate(lines):
        lower = line.lower()
        if "komponen" in lower and re.search(r"bobot|nilai|skor", lower) and not seen:
            roles = _header_roles(line)
            table.used.add(i)
            continue
        years = re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", line)
        if roles and not seen and years and not re.sub(r"(?i)tahun|nilai|\d|\W", "", line):
            _add_year_row(roles, [int(y) for y in years])
            table.used.add(i)
            continue
        row = _row(line)
        if row:
            name, note_weight, values = row
            table.used.add(i)
            if name not in seen:
                seen.add(name)
                table.components.append(_component(name, note_weight, values, roles, year, table))
            continue
        if seen and _total_row(line, roles, year, table):
            table.used.add(i)
    if table.total is None or table.predikat is None:
        _prose(lines[:prose_end], table)
    return table


def _component(name, note_weight, values, roles, year, table) -> Component:
    """A component from its row's values, mapped by the header's roles when they fit."""
    scored = [i for i, role in enumerate(roles) if role[0] == "score"]
    if roles and len(values) == len(roles) and scored:
        weights = [values[i] for i, role in enumerate(roles) if role[0] == "weight"]
        scores = [(roles[i][1], values[i]) for i in scored]
        weight = weights[0] if weights else note_weight
        return Component(name, weight, scores[_pick(scores, year, table)][1])
    if len(values) == 1:
        return Component(name, note_weight, values[0])
    scores = [(None, v) for v in values[1:]]
    return Component(name, values[0], scores[_pick(scores, year, table)][1])


def _total_row(line: str, roles: list[list], year: int | None, table: ScoreTable) -> bool:
    """Read a "Nilai Akhir" / "Total" / "Predikat" row into the table; False if it is not one."""
    match = _TOTAL_LABEL.match(_cells_text(line))
    if not match:
        return False
    rest = re.sub(r"[()\"\u201c\u201d]", " ", match.group("rest"))
    values: list[Decimal | None] = []
    codes: list[str] = []
    words: list[str] = []
    for token in rest.split():
        bare = token.strip(".,;")
        is_value, number = _value(token.rstrip(";"))
        if bare in CODES:
            codes.append(bare)
        elif is_value:
            values.append(number)
        elif bare.lower() in _LABEL_WORDS:
            words.append(bare.lower())
        elif bare.lower() not in _TOTAL_WORDS and bare:
            return False
    if not codes and words:
        code = _LABEL_CODES.get(" ".join(words))
        codes = [code] if code else []
    if not codes and all(v is None for v in values):
        return False
    if table.predikat is None and codes:
        table.predikat = codes[_column(len(codes), roles, year, table)]
    numbers = [v for v in values if v is not None]
    if table.total is None and numbers:
        table.total = _total_value(values, roles, year, table)
    return True


def _column(count: int, roles: list[list], year, table) -> int:
    """Which of `count` values in a total row to use (one per score column, else the last)."""
    scores = [(role[1], None) for role in roles if role[0] == "score"]
    if count > 1 and len(scores) == count:
        return _pick(scores, year, table)
    return count - 1


def _total_value(values: list[Decimal | None], roles, year, table) -> Decimal | None:
    if roles and len(values) == len(roles):
        scores = [(role[1], values[i]) for i, role in enumerate(roles) if role[0] == "score"]
        if scores:
            return scores[_pick(scores, year, table)][1]
    numbers = [v for v in values if v is not None]
    weight_sum = sum((c.weight for c in table.components if c.weight is not None), Decimal(0))
    if len(numbers) > 1 and numbers[0] == 100:
        numbers = numbers[1:]  # the weights' sum
    elif numbers == [Decimal(100)] and weight_sum == 100:
        return None
    return numbers[_column(len(numbers), roles, year, table)]


def _prose(lines: list[str], table: ScoreTable) -> None:
    """ "... memperoleh nilai 78,55 dengan predikat BB (Sangat Baik)" in a summary paragraph."""
    for line in lines:
        lower = line.lower()
        if table.predikat is None and "predikat" in lower:
            match = _PROSE_PREDIKAT.search(line)
            if match:
                table.predikat = match.group("code")
        if (
            table.total is None
            and "nilai" in lower
            and re.search(r"predikat|akhir|total|memperoleh|mendapat|sebesar", lower)
        ):
            for match in _PROSE_TOTAL.finditer(line):
                number = to_decimal(match.group("n"))
                if number is not None and number <= 100:
                    table.total = number
                    break

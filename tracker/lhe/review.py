"""The koordinator's corrections of a parse: edits in, a corrected ParsedLHE out.

`apply_review` is pure (no database, no request): the review page turns its form into
`ReviewEdits`, and the result is what the draft stores. The edits describe the whole document
as the form shows it (header, score table, every item in display order), so a stale draft can
never mix with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from tracker.evaluations.predikat import CODES, MAX_SCORE, check_scores
from tracker.lhe.document import Component, Item, ParsedLHE

SPLIT_MARK = "---"
# Column sizes of the evaluation tables (tracker/evaluations/models.py).
MAX_INSTITUTION = 255
MAX_EVALUATOR = 255
MAX_NUMBER = 120
MAX_COMPONENT = 200


@dataclass
class ComponentEdit:
    """A row of the score table; `original` is the name it had when the form was shown."""

    name: str
    weight: Decimal | None = None
    score: Decimal | None = None
    original: str | None = None
    drop: bool = False


@dataclass
class ItemEdit:
    """A finding or recommendation as the form shows it; `new` rows left empty are ignored."""

    component: str | None
    text: str
    merge: bool = False
    drop: bool = False
    new: bool = False


@dataclass
class ReviewEdits:
    institution: str | None = None
    year: int | None = None
    evaluator: str | None = None
    number: str | None = None
    report_date: date | None = None
    total_score: Decimal | None = None
    predikat: str | None = None
    components: list[ComponentEdit] = field(default_factory=list)
    findings: list[ItemEdit] = field(default_factory=list)
    recommendations: list[ItemEdit] = field(default_factory=list)

    @classmethod
    def from_parsed(cls, parsed: ParsedLHE) -> ReviewEdits:
        """The edits that change nothing: a starting point (tests, the form's first display)."""
        return cls(
            institution=parsed.institution,
            year=parsed.year,
            evaluator=parsed.evaluator,
            number=parsed.number,
            report_date=parsed.report_date,
            total_score=parsed.total_score,
            predikat=parsed.predikat,
            components=[
                ComponentEdit(c.name, c.weight, c.score, c.name) for c in parsed.components
            ],
            findings=[ItemEdit(i.component, i.text) for i in parsed.findings],
            recommendations=[ItemEdit(i.component, i.text) for i in parsed.recommendations],
        )


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


def split_parts(text: str) -> list[str]:
    """The parts of an item's text cut at lines holding only `---` (empty parts dropped)."""
    parts, current = [], []
    for line in text.splitlines():
        if line.strip() == SPLIT_MARK:
            parts.append("\n".join(current))
            current = []
        else:
            current.append(line)
    parts.append("\n".join(current))
    return [part.strip() for part in parts if part.strip()]


def component_key(name: str | None) -> str:
    """Component names compare without case and extra spaces."""
    return " ".join((name or "").split()).casefold()


def _items(rows: Iterable[ItemEdit], renames: dict[str, str]) -> list[Item]:
    items: list[Item] = []
    for row in rows:
        parts = split_parts(row.text or "")
        if row.drop or (row.new and not parts):
            continue
        if not parts:
            raise ValueError("a kept item needs a text")
        component = _clean(row.component)
        component = renames.get(component_key(component), component)
        if row.merge and items:
            items[-1].text = f"{items[-1].text} {parts.pop(0)}"
        items.extend(Item(component, 0, part) for part in parts)
    return items


def order_items(items: list[Item], components: list[Component]) -> list[Item]:
    """Items in score-table order of their component (stable), components not in the table
    next, items without a component last; numbered 1..n within each component."""
    position = {component_key(c.name): index for index, c in enumerate(components)}
    extra: dict[str, int] = {}
    for item in items:
        key = component_key(item.component)
        if item.component and key not in position:
            extra.setdefault(key, len(position) + len(extra))

    def rank(item: Item) -> int:
        if not item.component:
            return len(position) + len(extra)
        key = component_key(item.component)
        return position.get(key, extra.get(key, 0))

    ordered = sorted(items, key=rank)
    counters: dict[str, int] = {}
    for item in ordered:
        key = component_key(item.component)
        counters[key] = counters.get(key, 0) + 1
        item.number = counters[key]
    return ordered


def apply_review(parsed: ParsedLHE, edits: ReviewEdits) -> ParsedLHE:
    """The parse corrected by `edits`: header and score table replaced; items edited, moved,
    merged into the previous one, split at `---` lines, dropped or added; then renumbered.
    The parser's own warnings are kept (they describe the document)."""
    renames = {
        component_key(c.original): _clean(c.name)
        for c in edits.components
        if c.original and not c.drop and _clean(c.name)
    }
    components = [
        Component(_clean(c.name), c.weight, c.score)
        for c in edits.components
        if not c.drop and _clean(c.name)
    ]
    predikat = (edits.predikat or "").strip().upper() or None
    return ParsedLHE(
        institution=_clean(edits.institution),
        year=edits.year,
        evaluator=_clean(edits.evaluator),
        number=_clean(edits.number),
        report_date=edits.report_date,
        components=components,
        total_score=edits.total_score,
        predikat=predikat,
        findings=order_items(_items(edits.findings, renames), components),
        recommendations=order_items(_items(edits.recommendations, renames), components),
        warnings=list(parsed.warnings),
    )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def save_problems(parsed: ParsedLHE, standard_weights: dict[str, Decimal]) -> list[str]:
    """What keeps a parse from becoming an evaluation (Indonesian messages); empty if none."""
    problems = []
    if not parsed.institution:
        problems.append(_("Nama instansi belum diisi."))
    elif len(parsed.institution) > MAX_INSTITUTION:
        problems.append(_("Nama instansi paling banyak %(max)d karakter.", max=MAX_INSTITUTION))
    if parsed.year is None or not 2000 <= parsed.year <= 2100:
        problems.append(_("Tahun yang dievaluasi harus antara 2000 dan 2100."))
    if parsed.evaluator and len(parsed.evaluator) > MAX_EVALUATOR:
        problems.append(_("Nama evaluator paling banyak %(max)d karakter.", max=MAX_EVALUATOR))
    if parsed.number and len(parsed.number) > MAX_NUMBER:
        problems.append(_("Nomor LHE paling banyak %(max)d karakter.", max=MAX_NUMBER))
    if parsed.predikat and parsed.predikat not in CODES:
        problems.append(_("Predikat %(code)s tidak dikenal.", code=parsed.predikat))
    if parsed.total_score is not None and not 0 <= parsed.total_score <= MAX_SCORE:
        problems.append(_("Nilai total harus antara 0 dan 100."))
    for component in parsed.components:
        if len(component.name) > MAX_COMPONENT:
            problems.append(_("Nama komponen paling banyak %(max)d karakter.", max=MAX_COMPONENT))
        weight = component.weight
        if weight is None and component_key(component.name) not in standard_weights:
            problems.append(_("Bobot komponen %(name)s belum diisi.", name=component.name))
        for value in (weight, component.score):
            if value is not None and not 0 <= value <= MAX_SCORE:
                problems.append(
                    _(
                        "Bobot dan nilai komponen %(name)s harus antara 0 dan 100.",
                        name=component.name,
                    )
                )
                break
    for item in [*parsed.findings, *parsed.recommendations]:
        if not item.text.strip():
            problems.append(_("Ada catatan atau rekomendasi tanpa uraian."))
            break
    return problems


def review_warnings(
    parsed: ParsedLHE, inclusive: bool, fmt: Callable[[Decimal], str] = _plain
) -> list[str]:
    """The parser's warnings, the score checks and items under a component missing from the
    score table: recomputed on every display."""
    warnings = list(parsed.warnings)
    warnings += check_scores(parsed, inclusive, fmt=fmt)
    known = {component_key(c.name) for c in parsed.components}
    missing: list[str] = []
    for item in [*parsed.findings, *parsed.recommendations]:
        name = item.component
        if name and component_key(name) not in known and name not in missing:
            missing.append(name)
    for name in missing:
        warnings.append(
            _(
                "Komponen %(name)s dipakai catatan atau rekomendasi tetapi tidak ada di tabel "
                "nilai: tambahkan ke tabel atau pindahkan butirnya. Bila disimpan begini, "
                "butirnya menjadi tanpa komponen.",
                name=name,
            )
        )
    return warnings


def document_warnings(parsed: ParsedLHE, inclusive: bool) -> list[str]:
    """The parser's warnings without its score checks: those are recomputed on every display
    (`review_warnings`), so they never go stale after an edit nor appear twice."""
    checks = {str(w) for w in check_scores(parsed, inclusive)}
    checks |= {str(w) for w in check_scores(parsed, False)}
    return [w for w in parsed.warnings if w not in checks]

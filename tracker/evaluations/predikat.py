"""Predikat from a total score (PermenPANRB 88/2021) and consistency checks of a score table.

Pure functions: the thresholds are data, the boundary rule is a parameter (callers pass the
PREDIKAT_LOWER_BOUND_INCLUSIVE setting).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# (code, lower bound, label), highest band first. A total above the lower bound is in the band;
# the last band (D) also holds its lower bound (0).
BANDS: tuple[tuple[str, Decimal, Any], ...] = (
    ("AA", Decimal(90), _l("Sangat Memuaskan")),
    ("A", Decimal(80), _l("Memuaskan")),
    ("BB", Decimal(70), _l("Sangat Baik")),
    ("B", Decimal(60), _l("Baik")),
    ("CC", Decimal(50), _l("Cukup/Memadai")),
    ("C", Decimal(30), _l("Kurang")),
    ("D", Decimal(0), _l("Sangat Kurang")),
)
CODES = tuple(code for code, _bound, _label in BANDS)
MAX_SCORE = Decimal(100)
TOLERANCE = Decimal("0.01")


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def predikat_for(total: Any, inclusive: bool = False) -> str | None:
    """The predikat code of `total` (None for None); `inclusive` puts a bound in the higher band."""
    value = _decimal(total)
    if value is None:
        return None
    if not Decimal(0) <= value <= MAX_SCORE:
        raise ValueError(f"total score out of range: {value}")
    for code, lower, _label in BANDS[:-1]:
        if value > lower or (inclusive and value == lower):
            return code
    return BANDS[-1][0]


def predikat_label(code: str | None) -> str:
    """The label of a predikat code ("Sangat Baik" for BB); empty when unknown."""
    for band_code, _lower, label in BANDS:
        if band_code == code:
            return str(label)
    return ""


def _plain_number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def check_scores(
    evaluation: Any,
    inclusive: bool = False,
    fmt: Callable[[Decimal], str] = _plain_number,
) -> list[str]:
    """Warnings (never errors) about an evaluation-like object's total, predikat and components.

    `evaluation` needs `total_score`, `predikat` and `components` (each with `name`, `weight`,
    `score`). `fmt` formats numbers in messages (the app passes its locale-aware filter).
    """
    warnings: list[str] = []
    total = _decimal(evaluation.total_score)
    entered = evaluation.predikat or None
    if entered and total is not None and Decimal(0) <= total <= MAX_SCORE:
        expected = predikat_for(total, inclusive)
        if entered != expected:
            warnings.append(
                _(
                    "Predikat %(entered)s tidak sesuai dengan nilai total %(total)s "
                    "(seharusnya %(expected)s).",
                    entered=entered,
                    total=fmt(total),
                    expected=expected,
                )
            )
    components: Iterable[Any] = list(evaluation.components or [])
    scores = [_decimal(c.score) for c in components if c.score is not None]
    if total is not None and scores and abs(sum(scores) - total) > TOLERANCE:
        warnings.append(
            _(
                "Jumlah nilai komponen (%(sum)s) tidak sama dengan nilai total (%(total)s).",
                sum=fmt(sum(scores)),
                total=fmt(total),
            )
        )
    for component in components:
        score, weight = _decimal(component.score), _decimal(component.weight)
        if score is not None and weight is not None and score > weight:
            warnings.append(
                _(
                    "Nilai komponen %(name)s (%(score)s) melebihi bobotnya (%(weight)s).",
                    name=component.name,
                    score=fmt(score),
                    weight=fmt(weight),
                )
            )
    weights = [_decimal(c.weight) for c in components if c.weight is not None]
    if weights and abs(sum(weights) - MAX_SCORE) > TOLERANCE:
        warnings.append(_("Jumlah bobot komponen %(sum)s, seharusnya 100.", sum=fmt(sum(weights))))
    return warnings

"""Repeated recommendations: a new recommendation that resembles one of an earlier year's LHE
of the same institution (text similarity) is flagged, so recurring weaknesses stand out."""

from __future__ import annotations

import re

from rapidfuzz import fuzz
from sqlalchemy import select

from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db

# A recommendation repeats an earlier one from this similarity (0-100) on. Tuned on pairs from
# real LHEs (tests/evaluations/test_repeats.py): reworded repeats score 87-100, different
# recommendations of the same field ("kinerja", "laporan", ...) 40-69.
REPEAT_THRESHOLD = 80
# Below this many words, one text is easily "contained" in any longer one: compare word order too.
MIN_WORDS = 3
# Indonesian words that carry no topic (connectives, "agar"/"disarankan" openers).
_STOP_WORDS = """
agar dan yang untuk dengan pada dalam serta di ke dari atau oleh secara sebagai bahwa ini itu
tersebut akan telah sudah dapat adalah setiap antara lain juga lebih perlu supaya sehingga nya
para bagi atas hal disarankan
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(name: str | None) -> str:
    """Institution and component names compare without case and extra spaces (as the LHE
    import does)."""
    return " ".join((name or "").split()).casefold()


def normalise(text: str) -> str:
    """Lowercase words without punctuation, stop words and list markers ("a)", "b.")."""
    words = _NOT_WORD.sub(" ", text.casefold()).split()
    return " ".join(w for w in words if w not in STOP_WORDS and not (len(w) == 1 and w.isalpha()))


def similarity(a: str, b: str) -> int:
    """0-100: how alike two recommendations are, on their normalised words."""
    return _compare(normalise(a), normalise(b))


def _compare(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if min(len(a.split()), len(b.split())) < MIN_WORDS:
        return round(fuzz.token_sort_ratio(a, b))
    return round(fuzz.token_set_ratio(a, b))


# --- repeated recommendations -----------------------------------------------------------------


def same_institution(evaluation: Evaluation) -> list[Evaluation]:
    """Evaluations of `evaluation`'s institution (itself included), oldest first."""
    key = name_key(evaluation.institution)
    rows = db.session.scalars(select(Evaluation).order_by(Evaluation.year, Evaluation.id)).all()
    return [e for e in rows if name_key(e.institution) == key]


def flag_repeats(evaluation: Evaluation, threshold: int = REPEAT_THRESHOLD) -> list[Recommendation]:
    """Set `repeat_of`/`repeat_score` on the evaluation's recommendations: the most similar
    recommendation of an EARLIER year of the same institution when at least `threshold`
    similar (ties: the latest year), else nothing. Carried-over ones are not new: never flagged.
    Returns the flagged recommendations."""
    earlier = [e.id for e in same_institution(evaluation) if e.year < evaluation.year]
    candidates = []
    if earlier:
        rows = db.session.execute(
            select(Recommendation, Evaluation.year)
            .join(Evaluation, Recommendation.evaluation_id == Evaluation.id)
            .where(Recommendation.evaluation_id.in_(earlier))
        ).all()
        candidates = [(r, year, normalise(r.text)) for r, year in rows]
    flagged = []
    for recommendation in db.session.scalars(
        select(Recommendation).where(Recommendation.evaluation_id == evaluation.id)
    ):
        best, best_key = None, (-1, 0, 0)
        if recommendation.carried_from_id is None:
            words = normalise(recommendation.text)
            for candidate, year, other in candidates:
                key = (_compare(words, other), year, -candidate.id)
                if key > best_key:
                    best, best_key = candidate, key
        if best is not None and best_key[0] >= threshold:
            recommendation.repeat_of, recommendation.repeat_score = best, best_key[0]
            flagged.append(recommendation)
        else:
            recommendation.repeat_of, recommendation.repeat_score = None, None
    db.session.flush()
    return flagged


def flag_repeats_from(evaluation: Evaluation) -> list[Recommendation]:
    """Flag `evaluation` and every later evaluation of its institution (an older LHE imported
    late can be the origin of their repeats). Returns `evaluation`'s flagged recommendations."""
    flagged = flag_repeats(evaluation)
    for later in same_institution(evaluation):
        if later.year > evaluation.year:
            flag_repeats(later)
    return flagged

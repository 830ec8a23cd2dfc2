"""An institution's evaluations across years, side by side: component scores and predikat by
year (table and chart), and the recurring weaknesses (repeats.py flags them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core.permissions import can_read_all, scoped_evaluations, visible_followup_ids
from tracker.dashboard.charts import score_chart
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.evaluations.repeats import name_key
from tracker.extensions import db


@dataclass
class ScoreRow:
    """One component across the columns (None where that year's LHE has no such component)."""

    name: str
    cells: list[ComponentScore | None]


@dataclass
class Repeat:
    """A recommendation flagged as repeating `earlier`; its text is shown only when the user
    may see that earlier follow-up."""

    recommendation: Recommendation
    earlier: Recommendation
    earlier_visible: bool


@dataclass
class History:
    institution: str
    evaluations: list[Evaluation]
    rows: list[ScoreRow] = field(default_factory=list)
    repeats: list[Repeat] = field(default_factory=list)
    carried: dict[int, int] = field(default_factory=dict)  # evaluation id: carried-in count


def visible_institutions(user) -> list[str]:
    """The institutions of the evaluations `user` may see (one spelling each, the latest)."""
    names: dict[str, str] = {}
    query = scoped_evaluations(user).order_by(Evaluation.year, Evaluation.id)
    for evaluation in db.session.scalars(query):
        names[name_key(evaluation.institution)] = evaluation.institution
    return sorted(names.values(), key=name_key)


def score_rows(evaluations: list[Evaluation]) -> list[ScoreRow]:
    """Components matched by name across the evaluations, in the newest LHE's order first."""
    keys: dict[str, str] = {}
    for evaluation in reversed(evaluations):
        for component in evaluation.components:
            keys.setdefault(name_key(component.name), component.name)
    rows = []
    for key, name in keys.items():
        cells = [
            next((c for c in e.components if name_key(c.name) == key), None) for e in evaluations
        ]
        rows.append(ScoreRow(name, cells))
    return rows


def institution_history(user, institution: str) -> History:
    """The institution's evaluations `user` may see, oldest first, with their score rows, the
    recommendations flagged as repeats and how many were carried into each."""
    key = name_key(institution)
    query = scoped_evaluations(user).order_by(Evaluation.year, Evaluation.id)
    evaluations = [
        e
        for e in db.session.scalars(query.options(selectinload(Evaluation.components)))
        if name_key(e.institution) == key
    ]
    if not evaluations:
        return History(institution, [])
    ids = [e.id for e in evaluations]
    visible = None if can_read_all(user) else set(db.session.scalars(visible_followup_ids(user)))

    def sees(recommendation: Recommendation) -> bool:
        return visible is None or recommendation.followup.id in visible

    recommendations = db.session.scalars(
        select(Recommendation)
        .where(
            Recommendation.evaluation_id.in_(ids),
            (Recommendation.repeat_of_id.is_not(None))
            | (Recommendation.carried_from_id.is_not(None)),
        )
        .options(
            selectinload(Recommendation.followup),
            selectinload(Recommendation.component),
            selectinload(Recommendation.repeat_of).selectinload(Recommendation.followup),
            selectinload(Recommendation.repeat_of).selectinload(Recommendation.evaluation),
        )
    ).all()
    history = History(evaluations[-1].institution, evaluations, score_rows(evaluations))
    years = {e.id: e.year for e in evaluations}
    for r in sorted(recommendations, key=lambda r: (-years[r.evaluation_id], r.number, r.id)):
        if not sees(r):
            continue
        if r.carried_from_id is not None:
            history.carried[r.evaluation_id] = history.carried.get(r.evaluation_id, 0) + 1
        if r.repeat_of is not None:
            history.repeats.append(Repeat(r, r.repeat_of, sees(r.repeat_of)))
    return history


def history_chart(history: History, fmt) -> Markup:
    """The component scores by year as grouped bars (the dashboard's chart), predikat below."""
    series = [
        (
            evaluation.year,
            {row.name: row.cells[i].score for row in history.rows if row.cells[i] is not None},
            evaluation.predikat,
        )
        for i, evaluation in enumerate(history.evaluations)
    ]
    return score_chart(str(_l("Nilai komponen per tahun")), series, fmt)

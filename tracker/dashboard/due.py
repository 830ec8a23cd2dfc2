"""The dashboard's two short lists: the overdue follow-ups (most late first) and those due soon
(nearest first), at most LIST_LIMIT each, with their units and PICs, in five queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.core.permissions import scoped_evaluations
from tracker.dashboard.queries import is_due_soon, is_overdue, of_evaluation
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, followup_pics, followup_units
from tracker.units.models import Unit

LIST_LIMIT = 20


@dataclass(frozen=True)
class DueItem:
    """A follow-up in the overdue or due-soon list; `days` late (overdue) or left (due soon)."""

    followup_id: int
    number: int
    text: str
    component: str | None
    units: tuple[str, ...]
    pics: tuple[str, ...]
    due_date: date
    days: int


def _first_rows(evaluation_id: int, condition) -> list:
    """(id, number, text, component name, due date) of the first LIST_LIMIT follow-ups that
    match, by due date. The order and limit are applied to narrow rows in a derived table:
    sorting whole rows, texts included, is what makes such a list slow on 50,000 rows."""
    first = (
        of_evaluation(select(FollowUp.id, FollowUp.due_date, Recommendation.number), evaluation_id)
        .where(condition)
        .order_by(FollowUp.due_date, Recommendation.number, FollowUp.id)
        .limit(LIST_LIMIT)
        .subquery()
    )
    return db.session.execute(
        select(
            FollowUp.id,
            Recommendation.number,
            Recommendation.text,
            ComponentScore.name,
            FollowUp.due_date,
        )
        .join(first, first.c.id == FollowUp.id)
        .join(Recommendation, Recommendation.id == FollowUp.recommendation_id)
        .outerjoin(ComponentScore, ComponentScore.id == Recommendation.component_id)
        .order_by(first.c.due_date, first.c.number, first.c.id)
    ).all()


def _names(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """({follow-up id: unit codes}, {follow-up id: PIC names}) of the listed follow-ups."""
    units: dict[int, list[str]] = {}
    for followup_id, code in db.session.execute(
        select(followup_units.c.followup_id, Unit.code)
        .join(Unit, Unit.id == followup_units.c.unit_id)
        .where(followup_units.c.followup_id.in_(ids))
        .order_by(Unit.code)
    ):
        units.setdefault(followup_id, []).append(code)
    pics: dict[int, list[str]] = {}
    for followup_id, name in db.session.execute(
        select(followup_pics.c.followup_id, User.name)
        .join(User, User.id == followup_pics.c.user_id)
        .where(followup_pics.c.followup_id.in_(ids))
        .order_by(User.name)
    ):
        pics.setdefault(followup_id, []).append(name)
    return units, pics


def due_lists(evaluation_id: int, today: date) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, most late first; due soon, nearest first)."""
    late = _first_rows(evaluation_id, is_overdue(today))
    soon = _first_rows(evaluation_id, is_due_soon(today))
    units, pics = _names([row[0] for row in late + soon])

    def items(rows, sign: int) -> list[DueItem]:
        return [
            DueItem(
                followup_id=followup_id,
                number=number,
                text=text,
                component=component,
                units=tuple(units.get(followup_id, ())),
                pics=tuple(pics.get(followup_id, ())),
                due_date=due,
                days=sign * (today - due).days,
            )
            for followup_id, number, text, component, due in rows
        ]

    return items(late, 1), items(soon, -1)


@dataclass(frozen=True)
class LateElsewhere:
    evaluation: Evaluation
    overdue: int


def late_elsewhere(user: User, shown_id: int | None, today: date, limit: int = 5):
    """The other evaluations `user` may see that have overdue follow-ups, most first: the
    dashboard shows one evaluation, and what is late in another must not go unnoticed. One
    query."""
    overdue = func.count(FollowUp.id).label("overdue")
    query = (
        select(Evaluation, overdue)
        .join(Recommendation, Recommendation.evaluation_id == Evaluation.id)
        .join(FollowUp, FollowUp.recommendation_id == Recommendation.id)
        .where(
            is_overdue(today),
            Evaluation.id.in_(scoped_evaluations(user).with_only_columns(Evaluation.id)),
        )
        .group_by(Evaluation.id)
        .order_by(overdue.desc(), Evaluation.year.desc(), Evaluation.id)
        .limit(limit)
    )
    if shown_id is not None:
        query = query.where(Evaluation.id != shown_id)
    return [LateElsewhere(evaluation, count) for evaluation, count in db.session.execute(query)]

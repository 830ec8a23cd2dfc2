"""A PIC's home page: what is on their desk (the follow-ups they may see), most urgent first.

The same definitions as the evaluation figures (queries.py): overdue = open and due before
today; due soon = open and due from today to today + DUE_SOON_DAYS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import User
from tracker.core.permissions import visible_followup_ids
from tracker.dashboard.figures import CategoryCount, category_counts
from tracker.dashboard.queries import IS_OPEN, count_if, is_due_soon, is_overdue
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp, FollowUpStatus


@dataclass(frozen=True)
class DeskCounts:
    total: int
    open: int
    overdue: int
    due_soon: int
    returned: int  # sent back by the koordinator: the PIC's move
    waiting: int  # with the koordinator
    categories: list[CategoryCount]


def desk_counts(user: User, today: date) -> DeskCounts:
    """Counts of the follow-ups `user` may see, in one grouped query."""
    status_counts: dict[FollowUpStatus, int] = {}
    overdue = due_soon = 0
    for status, count, late, soon in db.session.execute(
        select(
            FollowUp.status,
            func.count(),
            count_if(is_overdue(today)),
            count_if(is_due_soon(today)),
        )
        .where(FollowUp.id.in_(visible_followup_ids(user)))
        .group_by(FollowUp.status)
    ):
        status_counts[status] = int(count)
        overdue += int(late)
        due_soon += int(soon)
    total = sum(status_counts.values())
    closed = sum(status_counts.get(status, 0) for status in CLOSED_STATUSES)
    return DeskCounts(
        total=total,
        open=total - closed,
        overdue=overdue,
        due_soon=due_soon,
        returned=status_counts.get(FollowUpStatus.DIKEMBALIKAN, 0),
        waiting=status_counts.get(FollowUpStatus.MENUNGGU, 0),
        categories=category_counts(status_counts, total),
    )


def urgent_followups(user: User) -> Select:
    """The open follow-ups `user` may see, most urgent first: by due date (so the overdue ones
    come first, the latest of them first), those without a due date last."""
    undated_last = case((FollowUp.due_date.is_(None), 1), else_=0)
    return (
        select(FollowUp)
        .join(Recommendation, Recommendation.id == FollowUp.recommendation_id)
        .where(FollowUp.id.in_(visible_followup_ids(user)), IS_OPEN)
        .order_by(undated_last, FollowUp.due_date, Recommendation.number, FollowUp.id)
        .options(
            joinedload(FollowUp.recommendation).joinedload(Recommendation.evaluation),
            selectinload(FollowUp.units),
        )
    )

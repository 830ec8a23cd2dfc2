"""The figures of one evaluation's monitoring dashboard, computed by the database.

A fixed number of queries whatever the number of follow-ups: one pass grouped by component and
status gives the counts, progress, overdue, on-time and days-to-close figures; one grouped by
unit; the waiting submissions; the two short lists (due.py). Definitions, so that the numbers
mean the same everywhere:

- progress: a closed follow-up (Sesuai, Tidak Dapat Ditindaklanjuti) counts as 100 %, an open one
  as its `progress`; a component's, a unit's and the evaluation's progress are the averages. A
  follow-up owned by two units counts in both units' rows.
- overdue: open and its due date is before today; due soon: open and due from today to
  today + DUE_SOON_DAYS.
- on time: closed on (local date of `closed_at`) or before its due date, over the closed
  follow-ups that have a due date.
- days to close: from the day the institution received the LHE (`received_date`: the BPK's 60
  days count from there, and a follow-up typed into the tracker weeks later has not had less
  time) to the local date it was closed; from the local date it was created when the evaluation
  has no received date.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import and_, case, func, select

from tracker.core.clock import local_zone
from tracker.core.labels import BPK_CATEGORY_OF, BpkCategory
from tracker.dashboard.due import DueItem, due_lists
from tracker.dashboard.queries import (
    count_if,
    day_number,
    due_before,
    due_within,
    epoch_day,
    local_epoch_day,
    local_offset_seconds,
    of_evaluation,
)
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus, followup_units
from tracker.units.models import Unit
from tracker.verification.models import Submission


@dataclass(frozen=True)
class CategoryCount:
    """One BPK category: how many follow-ups, their share, and the workflow states inside it."""

    category: BpkCategory
    count: int
    percent: float
    statuses: tuple[tuple[FollowUpStatus, int], ...]


@dataclass(frozen=True)
class ProgressRow:
    """Progress of a component or a unit; `id` None is the row of follow-ups without one."""

    id: int | None
    label: str
    total: int
    closed: int
    progress: float | None  # average, %; None without follow-ups


@dataclass(frozen=True)
class Figures:
    evaluation_id: int
    today: date
    total: int
    closed: int
    progress: float | None
    categories: list[CategoryCount]
    by_component: list[ProgressRow]
    by_unit: list[ProgressRow]
    overdue_count: int
    overdue: list[DueItem]
    due_soon_count: int
    due_soon: list[DueItem]
    waiting_count: int
    oldest_waiting_since: date | None
    oldest_wait_days: int | None
    days_to_next_evaluation: int | None
    closed_with_due_date: int
    closed_on_time: int
    on_time_rate: float | None  # %
    average_days_to_close: float | None
    days_counted_from_received: bool


def _ratio(part: float, whole: float, scale: float = 1) -> float | None:
    """part/whole × scale to one decimal, as a float (MariaDB sums are Decimals); None of 0."""
    return None if not whole else round(float(part) * scale / float(whole), 1)


def category_counts(status_counts: dict[FollowUpStatus, int], total: int) -> list[CategoryCount]:
    """The four BPK categories (all of them, in order) from counts per workflow state."""
    result = []
    for category in BpkCategory:
        inside = tuple(
            (status, status_counts.get(status, 0))
            for status in FollowUpStatus
            if BPK_CATEGORY_OF[status] == category
        )
        count = sum(n for _status, n in inside)
        result.append(CategoryCount(category, count, _ratio(count, total, 100) or 0.0, inside))
    return result


@dataclass
class _Sums:
    """Sums over a group of follow-ups of one status (so whether they are closed is known, and
    the database need not test the status row by row)."""

    count: int = 0
    closed: int = 0
    progress: int = 0  # of the effective progress (closed = 100)
    overdue: int = 0
    due_soon: int = 0
    closed_with_due: int = 0
    on_time: int = 0
    timed: int = 0  # closed with a closing instant
    days: int = 0  # to close, summed over `timed`

    @classmethod
    def of(
        cls,
        status: FollowUpStatus,
        count,
        progress,
        before=0,
        soon=0,
        with_due=0,
        on_time=0,
        timed=0,
        days=0,
    ) -> _Sums:
        """From a row of a grouped query (None sums are 0): the due-date counts matter for open
        follow-ups, the closing ones for closed ones."""
        count = int(count)
        if status.is_closed:
            closing = (int(with_due), int(on_time), int(timed), int(days or 0))
            return cls(count, count, 100 * count, 0, 0, *closing)
        return cls(count, 0, int(progress or 0), int(before), int(soon))

    def add(self, other: _Sums) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def _grouped(evaluation: Evaluation, today: date) -> dict[tuple[int | None, FollowUpStatus], _Sums]:
    """One pass over the evaluation's follow-ups grouped by component and status."""
    offset = local_offset_seconds()
    closed_day = local_epoch_day(FollowUp.closed_at, offset)
    if evaluation.received_date is not None:
        days = closed_day - day_number(evaluation.received_date)
    else:
        days = closed_day - local_epoch_day(FollowUp.created_at, offset)
    due = FollowUp.due_date
    with_due = and_(due.is_not(None), FollowUp.closed_at.is_not(None))
    query = of_evaluation(
        select(
            Recommendation.component_id,
            FollowUp.status,
            func.count(),
            func.sum(FollowUp.progress),
            count_if(due_before(today)),
            count_if(due_within(today)),
            count_if(with_due),
            count_if(and_(with_due, closed_day <= epoch_day(due))),
            func.count(FollowUp.closed_at),
            func.sum(case((FollowUp.closed_at.is_not(None), days))),
        ).select_from(FollowUp),
        evaluation.id,
    ).group_by(Recommendation.component_id, FollowUp.status)
    return {
        (component_id, status): _Sums.of(status, *values)
        for component_id, status, *values in db.session.execute(query)
    }


def _by_component(evaluation_id: int, groups) -> list[ProgressRow]:
    """Every component of the evaluation in its order (with or without recommendations), then
    the recommendations under no component, if any."""
    sums: dict[int | None, _Sums] = {}
    for (component_id, _status), group in groups.items():
        sums.setdefault(component_id, _Sums()).add(group)
    components = db.session.execute(
        select(ComponentScore.id, ComponentScore.name)
        .where(ComponentScore.evaluation_id == evaluation_id)
        .order_by(ComponentScore.order, ComponentScore.id)
    ).all()
    keys = [(component_id, name) for component_id, name in components]
    if None in sums:
        keys.append((None, ""))
    return [_progress_row(key, label, sums.get(key, _Sums())) for key, label in keys]


def _progress_row(row_id: int | None, label: str, sums: _Sums) -> ProgressRow:
    return ProgressRow(row_id, label, sums.count, sums.closed, _ratio(sums.progress, sums.count))


def _by_unit(evaluation_id: int) -> list[ProgressRow]:
    """Every unit owning a follow-up of the evaluation, by code, then the unassigned ones.
    Grouped by unit and status first; the unit names are joined to those few rows."""
    per_unit = (
        of_evaluation(
            select(
                followup_units.c.unit_id.label("unit_id"),
                FollowUp.status.label("status"),
                func.count().label("total"),
                func.sum(FollowUp.progress).label("progress"),
            )
            .select_from(FollowUp)
            .outerjoin(followup_units, followup_units.c.followup_id == FollowUp.id),
            evaluation_id,
        )
        .group_by(followup_units.c.unit_id, FollowUp.status)
        .subquery()
    )
    labels: dict[int | None, str] = {}
    sums: dict[int | None, _Sums] = {}
    for unit_id, code, name, status, total, progress in db.session.execute(
        select(
            per_unit.c.unit_id,
            Unit.code,
            Unit.name,
            per_unit.c.status,
            per_unit.c.total,
            per_unit.c.progress,
        ).outerjoin(Unit, Unit.id == per_unit.c.unit_id)
    ):
        labels[unit_id] = f"{code} — {name}" if unit_id is not None else ""
        sums.setdefault(unit_id, _Sums()).add(_Sums.of(status, total, progress))
    rows = [_progress_row(unit_id, labels[unit_id], group) for unit_id, group in sums.items()]
    return sorted(rows, key=lambda row: (row.id is None, row.label))


def _waiting(evaluation_id: int):
    """(follow-ups waiting for verification, the oldest open submission's instant)."""
    return db.session.execute(
        of_evaluation(
            select(func.count(func.distinct(FollowUp.id)), func.min(Submission.submitted_at))
            .select_from(Submission)
            .join(FollowUp, FollowUp.id == Submission.followup_id),
            evaluation_id,
        ).where(FollowUp.status == FollowUpStatus.MENUNGGU, Submission.decision.is_(None))
    ).one()


def evaluation_figures(evaluation: Evaluation, today: date) -> Figures:
    """All the dashboard's figures of `evaluation` as of the local date `today`."""
    groups = _grouped(evaluation, today)
    whole = _Sums()
    status_counts: dict[FollowUpStatus, int] = {}
    for (_component, status), group in groups.items():
        whole.add(group)
        status_counts[status] = status_counts.get(status, 0) + group.count
    overdue, due_soon = due_lists(evaluation.id, today)
    waiting_count, oldest = _waiting(evaluation.id)
    oldest_day = oldest.astimezone(local_zone()).date() if oldest else None
    next_date = evaluation.next_evaluation_date
    return Figures(
        evaluation_id=evaluation.id,
        today=today,
        total=whole.count,
        closed=whole.closed,
        progress=_ratio(whole.progress, whole.count),
        categories=category_counts(status_counts, whole.count),
        by_component=_by_component(evaluation.id, groups),
        by_unit=_by_unit(evaluation.id),
        overdue_count=whole.overdue,
        overdue=overdue,
        due_soon_count=whole.due_soon,
        due_soon=due_soon,
        waiting_count=int(waiting_count),
        oldest_waiting_since=oldest_day,
        oldest_wait_days=(today - oldest_day).days if oldest_day else None,
        days_to_next_evaluation=(next_date - today).days if next_date else None,
        closed_with_due_date=whole.closed_with_due,
        closed_on_time=whole.on_time,
        on_time_rate=_ratio(whole.on_time, whole.closed_with_due, 100),
        average_days_to_close=_ratio(whole.days, whole.timed),
        days_counted_from_received=evaluation.received_date is not None,
    )

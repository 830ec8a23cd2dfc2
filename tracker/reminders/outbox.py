"""Writing to the outbox in bulk: a cycle inserts and updates reminders by the thousand, as
plain SQL statements rather than one ORM object at a time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import bindparam, insert, text, update
from sqlalchemy.dialects import mysql, sqlite

from tracker.core.types import UTCDateTime
from tracker.extensions import db
from tracker.reminders.models import Reminder, ReminderStatus
from tracker.reminders.planning import Wanted

CHUNK = 500  # ids per IN (...): well below every database's limit on parameters


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def insert_new(wanted: list[Wanted], created: datetime) -> int:
    """Insert the wanted reminders as pending, skipping any whose key (follow-up, recipient,
    kind, step, reference date) exists already, in each database's own words. Returns how many
    were new (on MariaDB how many were given: its driver does not report skipped rows)."""
    if not wanted:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return _insert_unnest(wanted, created)
    table = Reminder.__table__
    rows = [_row(w, created) for w in wanted]
    if dialect == "sqlite":  # the driver's executemany runs in C
        result = db.session.execute(sqlite.insert(table).on_conflict_do_nothing(), rows)
        return result.rowcount if result.rowcount >= 0 else len(rows)
    if dialect in ("mysql", "mariadb"):  # the driver batches an executemany INSERT itself
        db.session.execute(mysql.insert(table).on_duplicate_key_update(id=table.c.id), rows)
        return len(rows)
    db.session.execute(insert(table), rows)
    return len(rows)


def _row(w: Wanted, created: datetime) -> dict:
    return {
        "followup_id": w.followup_id,
        "recipient_id": w.recipient_id,
        "kind": w.kind,
        "step": w.step,
        "reference_date": w.reference_date,
        "nominal_date": w.nominal_date,
        "planned_for": w.planned_for,
        "status": ReminderStatus.PENDING,
        "attempts": 0,
        "last_error": "",
        "cancelled_reason": "",
        "created_at": created,
    }


# PostgreSQL: psycopg's executemany sends one INSERT per row (6 s for 150,000 reminders);
# one INSERT ... SELECT FROM unnest(arrays) per 10,000 rows takes half of that.
_UNNEST = text(
    "INSERT INTO reminders (followup_id, recipient_id, kind, step, reference_date,"
    " nominal_date, planned_for, status, attempts, last_error, cancelled_reason, created_at)"
    " SELECT f, r, k, s, rd, nd, pf, :status, 0, '', '', :created_at FROM unnest("
    "CAST(:f AS integer[]), CAST(:r AS integer[]), CAST(:k AS varchar[]),"
    " CAST(:s AS integer[]), CAST(:rd AS date[]), CAST(:nd AS date[]), CAST(:pf AS date[]))"
    " AS t(f, r, k, s, rd, nd, pf) ON CONFLICT DO NOTHING"
).bindparams(bindparam("created_at", type_=UTCDateTime()))
UNNEST_ROWS = 10_000


def _insert_unnest(wanted: list[Wanted], created: datetime) -> int:
    inserted = 0
    for start in range(0, len(wanted), UNNEST_ROWS):
        part = wanted[start : start + UNNEST_ROWS]
        result = db.session.execute(
            _UNNEST,
            {
                "f": [w.followup_id for w in part],
                "r": [w.recipient_id for w in part],
                "k": [w.kind.value for w in part],
                "s": [w.step for w in part],
                "rd": [w.reference_date for w in part],
                "nd": [w.nominal_date for w in part],
                "pf": [w.planned_for for w in part],
                "status": ReminderStatus.PENDING.value,
                "created_at": created,
            },
        )
        inserted += result.rowcount
    return inserted


def set_values(ids: list[int], only_if: ReminderStatus | None = None, **values) -> None:
    """Set `values` on the reminders `ids` (only on those still `only_if`, when given)."""
    table = Reminder.__table__  # Core: no ORM bookkeeping for thousands of rows
    for chunk in chunks(ids):
        statement = update(table).where(table.c.id.in_(chunk)).values(**values)
        if only_if is not None:
            statement = statement.where(table.c.status == only_if)
        db.session.execute(statement)

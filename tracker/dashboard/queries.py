"""SQL pieces shared by the dashboard's figures and the PIC's home page: what "overdue" and
"due soon" mean, the follow-ups of one evaluation, and day numbers.

Day numbers count days since 1970-01-01 (`day_number(date)` in Python), the same on SQLite,
PostgreSQL and MariaDB, so that date comparisons and day counts over many rows are aggregated
by the database. `epoch_day(date_column)` is that of a DATE column;
`local_epoch_day(datetime_column, offset)` that of the local date of a naive-UTC DATETIME column
(as `UTCDateTime` stores it) at a fixed UTC offset in seconds. Indonesian time zones (WIB, WITA,
WIT) have no daylight saving time, so one offset is exact there; a zone with DST would be off by
an hour around its changes.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Integer, and_, case, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from tracker.core.clock import now_local
from tracker.evaluations.models import Recommendation
from tracker.followups.models import CLOSED_STATUSES, FollowUp

DUE_SOON_DAYS = 14
EPOCH = date(1970, 1, 1)

IS_CLOSED = FollowUp.status.in_(CLOSED_STATUSES)
IS_OPEN = FollowUp.status.not_in(CLOSED_STATUSES)


def count_if(condition):
    """SUM(CASE WHEN condition THEN 1 ELSE 0 END), 0 over no rows."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def due_before(today: date):
    """Its due date is before today (open or not)."""
    return and_(FollowUp.due_date.is_not(None), FollowUp.due_date < today)


def due_within(today: date):
    """Due from today to today + DUE_SOON_DAYS, both included (open or not)."""
    return and_(FollowUp.due_date >= today, FollowUp.due_date <= today + timedelta(DUE_SOON_DAYS))


def is_overdue(today: date):
    """Open, and its due date is before today."""
    return and_(IS_OPEN, due_before(today))


def is_due_soon(today: date):
    """Open, and due from today to today + DUE_SOON_DAYS."""
    return and_(IS_OPEN, due_within(today))


def of_evaluation(query, evaluation_id: int):
    """`query` (selecting from FollowUp) limited to one evaluation's follow-ups."""
    return query.join(Recommendation, Recommendation.id == FollowUp.recommendation_id).where(
        Recommendation.evaluation_id == evaluation_id
    )


def local_offset_seconds() -> int:
    """The local zone's current offset from UTC, for `local_epoch_day`."""
    return int(now_local().utcoffset().total_seconds())


def day_number(value: date) -> int:
    """The day number of a Python date (the same scale as the SQL functions below)."""
    return (value - EPOCH).days


class epoch_day(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """Day number of a DATE expression."""

    type = Integer()
    name = "epoch_day"
    inherit_cache = True


class local_epoch_day(FunctionElement):  # noqa: N801
    """Day number of the local date of a naive-UTC DATETIME expression."""

    type = Integer()
    name = "local_epoch_day"
    inherit_cache = True

    def __init__(self, column, offset_seconds: int):
        # A literal (not a bound parameter): an integer we computed, part of the cache key, and
        # no parameter type for PostgreSQL to guess in an arithmetic expression.
        super().__init__(column, literal_column(str(int(offset_seconds))))


def _args(element, compiler, **kw) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(epoch_day)
def _epoch_day_default(element, compiler, **kw):
    raise NotImplementedError(f"epoch_day on {compiler.dialect.name}")


@compiles(epoch_day, "sqlite")
def _epoch_day_sqlite(element, compiler, **kw):
    (column,) = _args(element, compiler, **kw)
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


@compiles(epoch_day, "postgresql")
def _epoch_day_postgresql(element, compiler, **kw):
    (column,) = _args(element, compiler, **kw)
    return f"({column} - DATE '1970-01-01')"


@compiles(epoch_day, "mysql")
@compiles(epoch_day, "mariadb")
def _epoch_day_mysql(element, compiler, **kw):
    (column,) = _args(element, compiler, **kw)
    return f"DATEDIFF({column}, '1970-01-01')"


@compiles(local_epoch_day)
def _local_default(element, compiler, **kw):
    raise NotImplementedError(f"local_epoch_day on {compiler.dialect.name}")


@compiles(local_epoch_day, "sqlite")
def _local_sqlite(element, compiler, **kw):
    column, offset = _args(element, compiler, **kw)
    # strftime('%s') is seconds since the epoch; integer division floors (positive values).
    return f"((CAST(strftime('%s', {column}) AS INTEGER) + {offset}) / 86400)"


@compiles(local_epoch_day, "postgresql")
def _local_postgresql(element, compiler, **kw):
    column, offset = _args(element, compiler, **kw)
    # EXTRACT(EPOCH FROM timestamp without time zone) reads it as UTC, as stored.
    return f"CAST(FLOOR((EXTRACT(EPOCH FROM {column}) + {offset}) / 86400) AS INTEGER)"


@compiles(local_epoch_day, "mysql")
@compiles(local_epoch_day, "mariadb")
def _local_mysql(element, compiler, **kw):
    column, offset = _args(element, compiler, **kw)
    # TIMESTAMPDIFF on DATETIME ignores the session time zone (UNIX_TIMESTAMP would not).
    return f"FLOOR((TIMESTAMPDIFF(SECOND, '1970-01-01', {column}) + {offset}) / 86400)"

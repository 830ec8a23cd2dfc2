"""Writing the outbox in bulk, on every database: a key that exists already is skipped, not an
error, and the other rows still go in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests import factories
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.reminders import outbox
from tracker.reminders.models import Reminder, ReminderKind, ReminderStatus
from tracker.reminders.planning import Wanted


def wanted(followup_id: int, recipient_id: int, step: int) -> Wanted:
    due = date(2025, 8, 15)
    return Wanted(followup_id, recipient_id, ReminderKind.BEFORE, step, due, due, due)


def test_existing_keys_are_skipped_and_new_ones_inserted(world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    followup_id = evaluation.recommendations[0].followup.id
    first = [wanted(followup_id, world.pic.id, 7), wanted(followup_id, world.pic.id, 3)]
    assert outbox.insert_new(first, now_utc()) == 2
    db.session.commit()

    again = [*first, wanted(followup_id, world.pic.id, 1)]
    new = outbox.insert_new(again, now_utc())
    db.session.commit()

    if db.engine.dialect.name != "mysql":  # MariaDB's driver reports the rows given
        assert new == 1
    rows = db.session.execute(select(Reminder.step, Reminder.status).order_by(Reminder.step))
    assert rows.all() == [
        (1, ReminderStatus.PENDING),
        (3, ReminderStatus.PENDING),
        (7, ReminderStatus.PENDING),
    ]
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 3


def test_values_are_set_in_chunks_and_only_on_rows_still_in_the_given_status(world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    followup_id = evaluation.recommendations[0].followup.id
    outbox.insert_new([wanted(followup_id, world.pic.id, s) for s in range(1, 8)], now_utc())
    db.session.commit()
    ids = list(db.session.scalars(select(Reminder.id).order_by(Reminder.step)))
    outbox.set_values(ids[:2], status=ReminderStatus.SENT)
    outbox.set_values(
        ids, ReminderStatus.PENDING, status=ReminderStatus.CANCELLED, cancelled_reason="closed"
    )
    db.session.commit()
    db.session.expire_all()

    statuses = db.session.execute(
        select(Reminder.status, Reminder.cancelled_reason).order_by(Reminder.step)
    ).all()
    assert statuses == [(ReminderStatus.SENT, "")] * 2 + [(ReminderStatus.CANCELLED, "closed")] * 5

"""Never twice under concurrency: cycles started at the same moment in several threads or
processes send each mail once; a cycle waits while another holds the lock; the outbox's and
the digest log's unique keys refuse duplicates."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tracker.core.locks import _lock_id, exclusive
from tracker.extensions import db
from tracker.reminders.cycle import LOCK, parse_local, run_cycle
from tracker.reminders.models import Reminder, ReminderDigest, ReminderKind

NOW = "2025-08-22 07:00"  # Friday: 7 days overdue for a follow-up due on the 15th
DUE = date(2025, 8, 15)
RECIPIENTS = ["koordinator@example.com", "pic@example.com", "pimpinan@example.com"]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def overdue(world):
    """Two overdue follow-ups of world.pic (their ids): three digests (PIC, koordinator,
    pimpinan) of two items each are due at NOW."""
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    for recommendation in evaluation.recommendations:
        recommendation.followup.due_date = DUE
    db.session.commit()
    ids = [r.followup.id for r in evaluation.recommendations]
    db.session.rollback()  # hold no transaction open while the cycles run
    return ids


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def run_in_threads(app, n: int, now) -> list:
    """Start `n` cycles at once, each in its own thread and app context; their reports."""
    barrier = threading.Barrier(n)
    reports, errors = [], []

    def work():
        with app.app_context():
            barrier.wait()
            try:
                reports.append(run_cycle(now))
            except Exception as exc:  # reported below, with the others
                errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(reports) == n
    return reports


def test_concurrent_cycles_in_threads_send_each_mail_once(app, overdue, smtp_server):
    reports = run_in_threads(app, 3, parse_local(NOW))

    assert sorted(email for r in reports for email, _items in r.sent) == RECIPIENTS
    assert sum(r.planned for r in reports) == 6  # planned once, by whichever ran first
    assert sorted(m["To"] for m in smtp_server.wait_for(3)) == RECIPIENTS
    time.sleep(0.2)  # a late duplicate would arrive now
    assert len(smtp_server.messages) == 3
    assert (count(Reminder), count(ReminderDigest)) == (6, 3)


def test_a_cycle_waits_while_another_holds_the_lock(app, app_ctx, overdue, smtp_server):
    reports: list = []
    now = parse_local(NOW)
    with exclusive(LOCK, wait=5) as held:  # as a cycle running elsewhere would
        assert held
        waiting = threading.Thread(target=lambda: reports.extend(run_in_threads(app, 1, now)))
        waiting.start()
        time.sleep(0.5)
        assert waiting.is_alive() and smtp_server.messages == []  # blocked on the lock
    waiting.join(timeout=30)

    (report,) = reports
    assert sorted(email for email, _items in report.sent) == RECIPIENTS
    assert len(smtp_server.wait_for(3)) == 3
    assert run_cycle(parse_local(NOW)).sent == []
    assert count(ReminderDigest) == 3


def test_concurrent_cycles_in_separate_processes_send_each_mail_once(
    app, overdue, smtp_server, tmp_path
):
    """`flask reminders run` twice at the same moment, as two schedulers would."""
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_FOLDER": str(tmp_path),
        "TRACKER_TIMEZONE": app.config["TRACKER_TIMEZONE"],
    }
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "reminders", "run", "--now", NOW]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=60)[0] for process in processes]

    assert [process.returncode for process in processes] == [0, 0]
    sent_lines = sorted(
        line for output in outputs for line in output.splitlines() if line.startswith("sent: ")
    )
    assert sent_lines == [f"sent: {email} (2 item(s))" for email in RECIPIENTS]
    assert sorted(m["To"] for m in smtp_server.wait_for(3)) == RECIPIENTS
    time.sleep(0.2)
    assert len(smtp_server.messages) == 3


def test_waiting_as_long_as_it_takes_gets_a_free_lock(app_ctx):
    """`exclusive(name)` (wait=None) on a lock nobody holds. On MariaDB, GET_LOCK(name, -1)
    answers NULL (warning 1411, "Incorrect timeout value"), so the lock is never held."""
    with exclusive("tracker-test-free-lock") as held:
        assert held


# The same tracker installed twice on one server (production and training, or two institutions):
# each database's cycle must not wait for the other's. The other database is the server's own
# `postgres` / `mysql` one, which always exists.
OTHER_DATABASE = {"postgresql": "postgres", "mysql": "mysql"}
HOLD = {
    "postgresql": ("SELECT pg_advisory_lock(:id)", {"id": _lock_id(LOCK)}),
    "mysql": ("SELECT GET_LOCK(:name, 0)", {"name": LOCK}),
}


def test_a_cycle_lock_held_by_another_database_on_the_server_does_not_block_this_one(app_ctx):
    dialect = db.engine.dialect.name
    if dialect not in OTHER_DATABASE:
        pytest.skip("SQLite keeps its lock file beside its own database file")
    other = sa.create_engine(db.engine.url.set(database=OTHER_DATABASE[dialect]))
    try:
        with other.connect() as conn:
            statement, params = HOLD[dialect]
            assert conn.execute(sa.text(statement), params).scalar() in (1, None, "")
            with exclusive(LOCK, wait=0) as held:
                assert held, "a cycle of another database holds this database's lock"
    finally:
        other.dispose()


def _reminder(followup_id: int, recipient_id: int) -> Reminder:
    return Reminder(
        followup_id=followup_id,
        recipient_id=recipient_id,
        kind=ReminderKind.BEFORE,
        step=7,
        reference_date=DUE,
        nominal_date=date(2025, 8, 8),
        planned_for=date(2025, 8, 8),
    )


def test_the_outbox_refuses_a_second_row_with_the_same_key(app_ctx, world, overdue):
    followup_id = overdue[0]
    db.session.add(_reminder(followup_id, world.pic.id))
    db.session.commit()

    db.session.add(_reminder(followup_id, world.pic.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert count(Reminder) == 1


def test_the_digest_log_refuses_a_second_digest_for_a_person_on_one_day(app_ctx, world):
    def digest() -> ReminderDigest:
        return ReminderDigest(
            recipient_id=world.pic.id, day=date(2025, 8, 22), subject="Pengingat", item_count=1
        )

    db.session.add(digest())
    db.session.commit()
    db.session.add(digest())
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert count(ReminderDigest) == 1

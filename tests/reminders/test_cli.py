"""`flask reminders run [--now ...] [--dry-run]`: one reminder cycle on demand, its report
printed; a bad --now is a usage error."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.extensions import db
from tracker.reminders import cli
from tracker.reminders.models import Reminder, ReminderDigest, ReminderStatus

# Tuesday 3 June 2025, 07:00 in Jakarta: 7 days before a follow-up due on Tuesday 10 June.
NOW = "2025-06-03 07:00"
DUE = date(2025, 6, 10)


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["reminders", "run", *args])


class FakeReport:
    def lines(self) -> list[str]:
        return ["first line", "second line"]


@pytest.fixture
def calls(monkeypatch) -> list[tuple]:
    """Replace the cycle: record how the command calls it."""
    seen: list[tuple] = []

    def fake_run_cycle(now=None, *, dry_run=False):
        seen.append((now, dry_run))
        return FakeReport()

    monkeypatch.setattr(cli, "run_cycle", fake_run_cycle)
    return seen


@pytest.fixture
def due_followup(world):
    """One follow-up of `world.pic` whose 7-days-before reminder is due at NOW."""
    evaluation = factories.make_evaluation(
        owner_units=[world.unit_a], pics=[world.pic], n_recommendations=1, followup_deadline=DUE
    )
    return evaluation.recommendations[0].followup


@pytest.mark.parametrize("value", ["1 Juni 2025", "2025-13-01 07:00", "2025-06-01 25:00", ""])
def test_a_bad_now_is_a_usage_error_naming_the_expected_format(app, calls, value):
    result = run(app, "--now", value)

    assert result.exit_code == 2
    assert "Invalid value for '--now'" in result.output
    assert "like '2025-06-01 07:00'" in result.output
    assert calls == []


def test_now_is_read_as_local_time_in_the_institution_time_zone(app, calls):
    result = run(app, "--now", "2025-06-01 07:00", "--dry-run")

    assert result.exit_code == 0, result.output
    assert calls == [(datetime(2025, 6, 1, 0, 0, tzinfo=UTC), True)]  # 07:00 WIB = 00:00 UTC


def test_without_now_the_cycle_runs_on_the_clock_and_prints_its_report(app, calls):
    result = run(app)

    assert result.exit_code == 0, result.output
    assert calls == [(None, False)]
    assert result.output == "first line\nsecond line\n"


def test_dry_run_prints_what_would_be_sent_and_changes_nothing(app, due_followup, smtp_server):
    result = run(app, "--now", NOW, "--dry-run")

    assert result.exit_code == 0, result.output
    assert "Reminder cycle as of 2025-06-03 07:00 WIB (dry run" in result.output
    assert "planned 1 new reminder(s)" in result.output
    assert "would send: pic@example.com (1 item(s))" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0
    assert db.session.scalar(select(func.count()).select_from(ReminderDigest)) == 0
    assert smtp_server.messages == []


def test_a_run_sends_the_due_digest_prints_it_and_a_rerun_sends_nothing(
    app, due_followup, smtp_server
):
    result = run(app, "--now", NOW)

    assert result.exit_code == 0, result.output
    assert "sent: pic@example.com (1 item(s))" in result.output
    (message,) = smtp_server.wait_for(1)
    assert [to.addr_spec for to in message["To"].addresses] == ["pic@example.com"]
    db.session.rollback()
    assert db.session.scalars(select(Reminder.status)).all() == [ReminderStatus.SENT]

    again = run(app, "--now", NOW)

    assert again.exit_code == 0, again.output
    assert "planned 0 new reminder(s)" in again.output
    assert "sent:" not in again.output
    assert len(smtp_server.messages) == 1

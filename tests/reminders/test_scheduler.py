"""The scheduler process (`flask scheduler`): the cycle at start-up and every quarter hour in the
institution's time zone; real processes on the test database show that only one works, another
stands by and takes over, and SIGTERM / SIGINT stop them cleanly."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from config import BASE_DIR
from tracker.reminders import scheduler as scheduler_module
from tracker.reminders.scheduler import build_scheduler, cycle_job

INTERVAL = 0.3  # seconds between cycles in the subprocesses
STANDBY = 0.5  # seconds between a standing-by process's tries to take the lock
WORKING = "scheduler lock taken; running reminder cycles"
STANDING_BY = "another scheduler is running; standing by"
CYCLE = "reminder cycle done"


def test_the_cycle_runs_at_start_up_then_every_quarter_hour_in_local_time(app):
    scheduler = build_scheduler(app)
    runner = threading.Thread(target=scheduler.start, kwargs={"paused": True}, daemon=True)
    runner.start()  # paused: the job is scheduled with its defaults, nothing runs
    try:
        deadline = time.monotonic() + 5
        while not scheduler.running and time.monotonic() < deadline:
            time.sleep(0.01)
        (job,) = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=True)
        runner.join(5)

    jakarta = ZoneInfo("Asia/Jakarta")
    assert scheduler.timezone == jakarta
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.misfire_grace_time >= 3600
    assert abs(job.next_run_time - datetime.now(jakarta)) < timedelta(seconds=10)  # start-up
    after = datetime(2025, 6, 2, 6, 52, 30, tzinfo=jakarta)
    first = job.trigger.get_next_fire_time(None, after)
    assert first == datetime(2025, 6, 2, 7, 0, tzinfo=jakarta)
    assert job.trigger.get_next_fire_time(first, first + timedelta(seconds=1)) == datetime(
        2025, 6, 2, 7, 15, tzinfo=jakarta
    )


def test_the_job_logs_the_cycle_report_on_one_line(app, caplog):
    caplog.set_level(logging.INFO, logger="tracker.scheduler")

    cycle_job(app)

    (record,) = [r for r in caplog.records if r.name == "tracker.scheduler"]
    assert record.getMessage().startswith("reminder cycle done: Reminder cycle as of ")
    assert "planned 0 new reminder(s)" in record.getMessage()


def test_a_failing_cycle_is_logged_and_leaves_the_scheduler_running(app, caplog, monkeypatch):
    def broken_cycle():
        raise RuntimeError("database went away")

    monkeypatch.setattr(scheduler_module, "run_cycle", broken_cycle)

    cycle_job(app)  # returns: the next run retries

    (record,) = [r for r in caplog.records if r.name == "tracker.scheduler"]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "reminder cycle failed; the next run retries"
    assert "database went away" in record.exc_text


class Scheduler:
    """One `flask --app wsgi scheduler` process; its log lines collected as they come."""

    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def count(self, text: str) -> int:
        with self._changed:
            return sum(text in line for line in self.lines)

    def wait_for(self, text: str, n: int = 1, timeout: float = 15) -> None:
        """Until the log holds `text` n times; fails after `timeout` seconds."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.count(text) >= n, timeout):
                pytest.fail(f"no {n}x {text!r} within {timeout}s; log:\n{self.log()}")

    def wait_for_any(self, *texts: str, timeout: float = 15) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: any(map(self.count, texts)), timeout):
                pytest.fail(f"none of {texts} within {timeout}s; log:\n{self.log()}")

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Send `signum`; the exit code (fails unless the process ends within 5 seconds)."""
        self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 5 s after {signum!r}; log:\n{self.log()}")

    def log(self) -> str:
        with self._changed:
            return "".join(self.lines)

    def close(self) -> None:
        """Kill the process if it still runs; close its pipe once the log is read."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self._reader.join(5)
        self.process.stderr.close()


@pytest.fixture
def start(app, database_url, tmp_path):
    """Start scheduler processes on the test database (migrated by `app`); all ended after."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRACKER_", "MAIL_", "SCHEDULER_", "FLASK_"))
    }
    env.update(
        DATABASE_URL=database_url,
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        MAIL_FOLDER=str(tmp_path / "mail"),
        SCHEDULER_INTERVAL_SECONDS=str(INTERVAL),
        SCHEDULER_STANDBY_SECONDS=str(STANDBY),
        PYTHONUNBUFFERED="1",
    )
    started: list[Scheduler] = []

    def start_one() -> Scheduler:
        started.append(Scheduler(env))
        return started[-1]

    yield start_one
    for scheduler in started:
        scheduler.close()


def _working_and_standing_by(a: Scheduler, b: Scheduler) -> tuple[Scheduler, Scheduler]:
    """Both have settled: exactly one works and the other stands by."""
    for scheduler in (a, b):
        scheduler.wait_for_any(WORKING, STANDING_BY)
    assert sorted([a.count(WORKING), b.count(WORKING)]) == [0, 1], a.log() + b.log()
    working, standing_by = (a, b) if a.count(WORKING) else (b, a)
    assert standing_by.count(STANDING_BY) == 1
    cycles = working.count(CYCLE)
    working.wait_for(CYCLE, n=cycles + 2)  # it keeps running cycles...
    assert standing_by.count(CYCLE) == 0  # ...while the other runs none
    return working, standing_by


def test_a_second_scheduler_stands_by_and_takes_over_after_sigterm(start):
    working, standing_by = _working_and_standing_by(start(), start())

    assert working.stop(signal.SIGTERM) == 0
    stopped_at = time.monotonic()

    standing_by.wait_for(WORKING, timeout=STANDBY + 3)
    standing_by.wait_for(CYCLE)
    assert time.monotonic() - stopped_at < STANDBY + 3
    assert "SIGTERM received; shutting down" in working.log()
    assert "scheduler stopped" in working.log()
    assert standing_by.stop(signal.SIGTERM) == 0


def test_a_standby_takes_over_when_the_working_scheduler_dies(start):
    working, standing_by = _working_and_standing_by(start(), start())

    working.process.kill()  # no clean shutdown: the lock goes with the process
    working.process.wait(5)

    standing_by.wait_for(WORKING, timeout=STANDBY + 3)
    standing_by.wait_for(CYCLE)
    third = start()
    third.wait_for(STANDING_BY)
    assert third.stop(signal.SIGINT) == 0  # Ctrl+C while standing by
    assert third.count(CYCLE) == 0
    assert standing_by.stop(signal.SIGINT) == 0  # Ctrl+C while working

"""The reminder scheduler process (`flask scheduler`): APScheduler runs the reminder cycle every
quarter of an hour and once at start-up. Only the process holding the "tracker-scheduler" lock
works; another one stands by and takes over when the first one stops.

It only wires the trigger, the guard and an app context: what is due is decided by the cycle.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from contextlib import suppress
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from flask.logging import default_handler

from tracker.core.locks import exclusive
from tracker.reminders.cycle import run_cycle

LOCK = "tracker-scheduler"
JOB_DEFAULTS = {
    "coalesce": True,  # after a pause, one run instead of one per missed quarter
    "max_instances": 1,
    "misfire_grace_time": 6 * 3600,  # a run missed by up to 6 hours still happens
}

logger = logging.getLogger("tracker.scheduler")


def configure_logging(app: Flask) -> None:
    """Timestamped lines on stderr, each once (Flask's own handler on app.logger removed)."""
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s",
    )
    app.logger.removeHandler(default_handler)
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)  # we log each run


def cycle_job(app: Flask) -> None:
    """One reminder cycle in an app context of its own; its report goes to the log."""
    with app.app_context():
        try:
            report = run_cycle()
        except Exception:
            logger.exception("reminder cycle failed; the next run retries")
            return
    logger.info("reminder cycle done: %s", " | ".join(report.lines()))


def build_scheduler(app: Flask, interval_seconds: float | None = None) -> BlockingScheduler:
    """A scheduler in the institution's time zone: the cycle at start-up, then at every quarter
    of an hour (or every `interval_seconds`)."""
    zone = ZoneInfo(app.config["TRACKER_TIMEZONE"])
    scheduler = BlockingScheduler(timezone=zone, job_defaults=JOB_DEFAULTS)
    if interval_seconds:
        trigger = IntervalTrigger(seconds=interval_seconds, timezone=zone)
    else:
        trigger = CronTrigger(minute="*/15", timezone=zone)
    scheduler.add_job(
        cycle_job,
        trigger,
        args=[app],
        id="reminder-cycle",
        name="reminder cycle",
        next_run_time=datetime.now(zone),
    )
    return scheduler


class SchedulerProcess:
    """The guard and the signals around one BlockingScheduler."""

    def __init__(self, app: Flask, *, interval_seconds: float | None, standby_seconds: float):
        self.app = app
        self.interval_seconds = interval_seconds
        self.standby_seconds = standby_seconds
        self.stopping = threading.Event()
        self.scheduler: BlockingScheduler | None = None
        self._stopper: threading.Thread | None = None

    def serve(self) -> None:
        """Work while holding the lock, stand by while another process holds it; return after
        SIGTERM or SIGINT, once a running cycle has finished and the lock is released."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        standing_by = False
        while not self.stopping.is_set():
            with self.app.app_context(), exclusive(LOCK, wait=0) as held:
                if held:
                    logger.info("scheduler lock taken; running reminder cycles")
                    self._run()
                    break
            if not standing_by:
                logger.info("another scheduler is running; standing by")
                standing_by = True
            self.stopping.wait(self.standby_seconds)
        logger.info("scheduler stopped")

    def _run(self) -> None:
        self.scheduler = build_scheduler(self.app, self.interval_seconds)
        # A signal that came before the scheduler was running: stop as soon as it runs.
        self.scheduler.add_listener(self._started, EVENT_SCHEDULER_STARTED)
        self.scheduler.start()  # blocks until shut down
        if self._stopper is not None:
            self._stopper.join()  # shutdown(wait=True) returns after the running cycle

    def _on_signal(self, signum: int, _frame) -> None:
        logger.info("%s received; shutting down", signal.Signals(signum).name)
        self.stopping.set()
        if self.scheduler is not None and self.scheduler.running:
            self._shut_down()

    def _started(self, _event) -> None:
        if self.stopping.is_set():
            self._shut_down()

    def _shut_down(self) -> None:
        """shutdown(wait=True) in a thread of its own: the signal handler interrupts the main
        thread wherever it is, possibly holding a lock that the finishing cycle needs."""
        if self._stopper is None:
            self._stopper = threading.Thread(target=self._shutdown_scheduler, name="shutdown")
            self._stopper.start()

    def _shutdown_scheduler(self) -> None:
        with suppress(SchedulerNotRunningError):  # already stopped by an earlier signal
            self.scheduler.shutdown(wait=True)

"""`flask scheduler` (the reminder scheduler process) and `flask reminders run [--now ...]
[--dry-run]` (one reminder cycle on demand)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from tracker.reminders.cycle import parse_local, run_cycle

reminders_cli = AppGroup("reminders", help="Reminder e-mails: run a cycle on demand.")


@reminders_cli.command("run")
@click.option(
    "--now",
    metavar='"YYYY-MM-DD HH:MM"',
    help="Run as of this local time (TRACKER_TIMEZONE) instead of the clock.",
)
@click.option("--dry-run", is_flag=True, help="Print what would be sent; save and send nothing.")
def run_command(now: str | None, dry_run: bool) -> None:
    """Run one reminder cycle: plan the reminders, send what is due, print what happened."""
    instant = None
    if now is not None:
        try:
            instant = parse_local(now)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="'--now'") from error
    report = run_cycle(instant, dry_run=dry_run)
    for line in report.lines():
        click.echo(line)


@click.command("scheduler")
@click.option(
    "--interval",
    "interval_seconds",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    envvar="SCHEDULER_INTERVAL_SECONDS",
    help="Run the cycle every this many seconds instead of at every quarter of an hour.",
)
@click.option(
    "--standby",
    "standby_seconds",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    metavar="SECONDS",
    envvar="SCHEDULER_STANDBY_SECONDS",
    help="While another scheduler runs, try to take over every this many seconds.",
)
@with_appcontext
def scheduler_command(interval_seconds: float | None, standby_seconds: float) -> None:
    """Run the reminder scheduler until SIGTERM or Ctrl+C (a second one stands by)."""
    from tracker.reminders.scheduler import SchedulerProcess, configure_logging

    app = current_app._get_current_object()
    configure_logging(app)
    SchedulerProcess(
        app, interval_seconds=interval_seconds, standby_seconds=standby_seconds
    ).serve()

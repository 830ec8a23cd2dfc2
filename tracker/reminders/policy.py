"""The reminder policy as the cycle uses it, read from the settings row (defaults when the admin
has not saved one), and the checks for the admin's input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask import current_app
from sqlalchemy import select

from tracker.extensions import db
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import ReminderSettings


@dataclass(frozen=True)
class Policy:
    days_before: tuple[int, ...] = (30, 14, 7, 3, 1)
    on_due_date: bool = True
    overdue_every_days: int = 7
    escalate_after_days: int = 7
    escalate_every_days: int = 7
    verification_after_working_days: int = 3
    send_time: time = time(7, 0)
    extra_days_off: frozenset[date] = frozenset()
    subject: str = "Pengingat tindak lanjut SAKIP"
    max_attempts: int = 5
    # Verification reminders repeat every this many working days (a working week).
    verification_every_working_days: int = 5

    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.extra_days_off)


def parse_days(text: str) -> tuple[int, ...]:
    """ "30, 14,7" → (30, 14, 7), largest first. Raises ValueError on anything else."""
    values = {int(part) for part in text.replace(";", ",").split(",") if part.strip()}
    if any(value < 1 or value > 365 for value in values):
        raise ValueError(text)
    return tuple(sorted(values, reverse=True))


def parse_days_off(text: str) -> tuple[frozenset[date], list[str]]:
    """Extra days off, one ISO date per line with an optional note after it; bad lines back."""
    days, bad = set(), []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            days.add(date.fromisoformat(line.split()[0]))
        except ValueError:
            bad.append(line)
    return frozenset(days), bad


def parse_time(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def settings_row() -> ReminderSettings | None:
    return db.session.scalar(select(ReminderSettings).order_by(ReminderSettings.id).limit(1))


def load_policy() -> Policy:
    row = settings_row()
    if row is None:
        return Policy()
    return Policy(
        days_before=parse_days(row.days_before) if row.days_before.strip() else (),
        on_due_date=row.on_due_date,
        overdue_every_days=row.overdue_every_days,
        escalate_after_days=row.escalate_after_days,
        escalate_every_days=row.escalate_every_days,
        verification_after_working_days=row.verification_after_working_days,
        send_time=parse_time(row.send_time),
        extra_days_off=parse_days_off(row.extra_holidays)[0],
        subject=row.subject,
        max_attempts=row.max_attempts,
    )


def mail_sender() -> str:
    """The sender of reminder mails (digests and the admin's test mail): REMINDER_SENDER, else
    MAIL_DEFAULT_SENDER."""
    config = current_app.config
    return config.get("REMINDER_SENDER") or config["MAIL_DEFAULT_SENDER"]

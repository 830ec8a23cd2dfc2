"""The admin's side of reminders: the outbox with its filter, re-sending a failed reminder,
saving the policy, listing the days off, and a test e-mail to check the mail settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays
from flask import current_app
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import selectinload

from tracker.core.audit import changes, record
from tracker.core.clock import now_utc, today_local
from tracker.core.mail import Mail, send
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderStatus
from tracker.reminders.policy import Policy, load_policy, mail_sender, settings_row

STATUS_LABELS = {
    ReminderStatus.PENDING: _l("Menunggu dikirim"),
    ReminderStatus.SENT: _l("Terkirim"),
    ReminderStatus.FAILED: _l("Gagal"),
    ReminderStatus.CANCELLED: _l("Dibatalkan"),
}
STATUS_COLOURS = {
    ReminderStatus.PENDING: "warning",
    ReminderStatus.SENT: "success",
    ReminderStatus.FAILED: "danger",
    ReminderStatus.CANCELLED: "secondary",
}


class ReminderError(Exception):
    """A refused admin action, with a message for the admin."""

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = message


# --- the outbox -------------------------------------------------------------------------------


def parse_status(text: str | None) -> ReminderStatus | None:
    """The status filter from the URL: a status value, or None (all) for anything else."""
    try:
        return ReminderStatus(text or "")
    except ValueError:
        return None


def outbox_query(status: ReminderStatus | None = None) -> Select:
    """Reminders, newest planned first, optionally of one status."""
    query = (
        select(Reminder)
        .options(
            selectinload(Reminder.recipient),
            selectinload(Reminder.followup)
            .selectinload(FollowUp.recommendation)
            .selectinload(Recommendation.evaluation),
        )
        .order_by(Reminder.planned_for.desc(), Reminder.id.desc())
    )
    if status is not None:
        query = query.where(Reminder.status == status)
    return query


def status_counts() -> dict[ReminderStatus, int]:
    """How many reminders are in each status (zero included)."""
    rows = db.session.execute(
        select(Reminder.status, func.count(Reminder.id)).group_by(Reminder.status)
    ).all()
    counts = dict.fromkeys(ReminderStatus, 0)
    counts.update({ReminderStatus(status): count for status, count in rows})
    return counts


def describe(reminder: Reminder) -> str:
    """The reminder's kind and step in words: "7 hari sebelum batas waktu"."""
    n = reminder.step
    match reminder.kind:
        case ReminderKind.BEFORE:
            return ngettext(
                "%(num)d hari sebelum batas waktu", "%(num)d hari sebelum batas waktu", n
            )
        case ReminderKind.DUE:
            return _("Pada batas waktu")
        case ReminderKind.OVERDUE:
            return ngettext("Terlambat %(num)d hari", "Terlambat %(num)d hari", n)
        case ReminderKind.ESCALATION:
            return ngettext(
                "Eskalasi: terlambat %(num)d hari", "Eskalasi: terlambat %(num)d hari", n
            )
        case ReminderKind.VERIFICATION:
            return ngettext(
                "Menunggu verifikasi %(num)d hari kerja",
                "Menunggu verifikasi %(num)d hari kerja",
                n,
            )
    return f"{reminder.kind} {n}"  # pragma: no cover - every kind is handled above


def resend(actor, reminder: Reminder) -> None:
    """Put a failed reminder back in the queue for the next cycle (attempts from zero; the last
    error stays for the record). Anything not failed is refused and left alone. Caller commits.

    A conditional UPDATE, so that two admins clicking at once re-queue it only once."""
    result = db.session.execute(
        update(Reminder)
        .where(Reminder.id == reminder.id, Reminder.status == ReminderStatus.FAILED)
        .values(status=ReminderStatus.PENDING, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ReminderError(_l("Hanya pengingat yang gagal yang dapat dikirim ulang."))
    db.session.expire(reminder)
    record(actor, reminder, "resend", last_error=reminder.last_error)


# --- the policy -------------------------------------------------------------------------------


def policy_values(row: ReminderSettings | None) -> dict:
    """The values to show in the policy form: the saved row, or the defaults."""
    if row is not None:
        return {
            "days_before": row.days_before,
            "on_due_date": row.on_due_date,
            "overdue_every_days": row.overdue_every_days,
            "escalate_after_days": row.escalate_after_days,
            "escalate_every_days": row.escalate_every_days,
            "verification_after_working_days": row.verification_after_working_days,
            "send_time": row.send_time,
            "extra_holidays": row.extra_holidays,
            "subject": row.subject,
            "max_attempts": row.max_attempts,
        }
    default = Policy()
    return {
        "days_before": ",".join(str(day) for day in default.days_before),
        "on_due_date": default.on_due_date,
        "overdue_every_days": default.overdue_every_days,
        "escalate_after_days": default.escalate_after_days,
        "escalate_every_days": default.escalate_every_days,
        "verification_after_working_days": default.verification_after_working_days,
        "send_time": default.send_time.strftime("%H:%M"),
        "extra_holidays": "",
        "subject": default.subject,
        "max_attempts": default.max_attempts,
    }


def save_policy(actor, values: dict) -> dict[str, list]:
    """Write the policy (the row is created on the first save, starting from the defaults) and
    audit what changed; returns {field: [old, new]}. `values` are checked (see forms). Caller
    commits. Saving the same values again changes and records nothing."""
    row = settings_row()
    created = row is None
    if row is None:
        row = ReminderSettings(**policy_values(None))
        db.session.add(row)
    diff = changes(row, values)
    if diff or created:
        row.updated_at = now_utc()
        row.updated_by_id = getattr(actor, "id", None)
        record(actor, row, "update", **diff)
    return diff


# --- days off ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str
    extra: bool  # one of the admin's extra days (cuti bersama), not a public holiday


def _extra_notes(text: str) -> dict[date, str]:
    """The admin's extra days with the note written after each date."""
    notes: dict[date, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(maxsplit=1)
        if not parts:
            continue
        try:
            notes[date.fromisoformat(parts[0])] = parts[1] if len(parts) > 1 else ""
        except ValueError:
            continue
    return notes


def upcoming_days_off(n_public: int = 10, today: date | None = None) -> list[DayOff]:
    """The next `n_public` public holidays and every coming extra day off, by date: what the
    reminder cycle counts as a day off (WorkCalendar), named in the page's language."""
    today = today or today_local()
    policy = load_policy()
    calendar = WorkCalendar(policy.extra_days_off)
    for year in (today.year, today.year + 1):
        calendar.public.get(date(year, 1, 1))  # fills in that year's holidays
    language = "id" if str(get_locale() or "id").startswith("id") else "en_US"
    names = holidays.country_holidays("ID", language=language, years=sorted(calendar.public.years))
    public = sorted(day for day in calendar.public if day >= today)[:n_public]
    row = settings_row()
    notes = _extra_notes(row.extra_holidays) if row is not None else {}
    days = [DayOff(day, names.get(day) or calendar.public[day], False) for day in public]
    days += [
        DayOff(day, notes.get(day) or _("Cuti bersama"), True)
        for day in policy.extra_days_off
        if day >= today
    ]
    return sorted(days, key=lambda item: (item.day, item.extra))


# --- test e-mail ------------------------------------------------------------------------------


def mail_destination() -> str:
    """Where mail goes: "host:port", or the folder when no server is configured."""
    config = current_app.config
    if config.get("MAIL_SERVER"):
        return f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}"
    return _("folder %(folder)s", folder=config["MAIL_FOLDER"])


def send_test_mail(actor, to: str) -> str:
    """Send one mail to `to` now (not after a commit) and return where it went. Raises OSError
    or smtplib.SMTPException when the server refuses or cannot be reached."""
    sender = getattr(actor, "name", "") or "admin"
    text = _(
        "Surel ini dikirim oleh %(name)s dari halaman Pengingat untuk menguji pengaturan "
        "surel aplikasi tracker. Jika Anda menerimanya, pengiriman surel berjalan baik.",
        name=sender,
    )
    send(
        Mail(to=(to,), subject=_("Surel uji dari tracker"), text=text + "\n", sender=mail_sender())
    )
    return mail_destination()

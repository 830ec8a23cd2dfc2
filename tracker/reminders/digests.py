"""Sending what is due: one digest e-mail per person per day, listing all their items by
urgency. A failed delivery keeps the reminders pending with a back-off; after the policy's
maximum attempts they are marked failed for the admin to see and re-send."""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.core import mail
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import Reminder, ReminderDigest, ReminderKind, ReminderStatus
from tracker.reminders.policy import Policy

BACKOFF_FIRST_MINUTES = 5
BACKOFF_MAX_MINUTES = 6 * 60


@dataclass
class Item:
    """One follow-up in a digest, with the most urgent reminder about it."""

    followup: FollowUp
    kind: ReminderKind
    days_left: int | None  # negative: overdue; None for verification waits
    waited: int | None  # working days waited, for verification reminders
    link: str

    @property
    def urgency(self) -> tuple:
        if self.kind == ReminderKind.VERIFICATION:
            return (1, -(self.waited or 0), self.followup.id)
        return (0, self.days_left, self.followup.id)


def _due_rows(now: datetime, today: date) -> list[Reminder]:
    query = (
        select(Reminder)
        .join(FollowUp, FollowUp.id == Reminder.followup_id)
        .join(User, User.id == Reminder.recipient_id)
        .where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.planned_for <= today,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
            FollowUp.status.not_in(CLOSED_STATUSES),
            User.active.is_(True),
        )
        .order_by(Reminder.recipient_id, Reminder.id)
        .options(
            joinedload(Reminder.recipient),
            joinedload(Reminder.followup)
            .joinedload(FollowUp.recommendation)
            .joinedload(Recommendation.evaluation),
            joinedload(Reminder.followup).selectinload(FollowUp.units),
            joinedload(Reminder.followup).selectinload(FollowUp.pics),
        )
    )
    return list(db.session.scalars(query).unique())


def _items(rows: list[Reminder], today: date, cal: WorkCalendar) -> list[Item]:
    by_followup: dict[int, Item] = {}
    for row in rows:
        followup = row.followup
        days_left = (followup.due_date - today).days if followup.due_date else None
        waited = None
        if row.kind == ReminderKind.VERIFICATION:  # the reference date is the submission's
            waited = cal.working_days_between(row.reference_date, today)
        link = mail.external_url("followups.detail", followup_id=followup.id)
        item = Item(followup, row.kind, days_left, waited, link)
        current = by_followup.get(followup.id)
        if current is None or item.urgency < current.urgency:
            by_followup[followup.id] = item
    return sorted(by_followup.values(), key=lambda i: i.urgency)


def _compose(policy: Policy, person: User, items: list[Item], today: date) -> mail.Mail:
    with force_locale(person.language):
        count = ngettext(
            "%(num)d tindak lanjut perlu perhatian",
            "%(num)d tindak lanjut perlu perhatian",
            len(items),
        )
        subject = f"{policy.subject}: {count}"
    sender = current_app.config.get("REMINDER_SENDER") or None
    return mail.render_mail(
        "reminder_digest",
        person.email,
        subject,
        person.language,
        sender=sender,
        person=person,
        items=items,
        today=today,
        overdue=[i for i in items if i.kind != ReminderKind.VERIFICATION and i.days_left < 0],
        upcoming=[i for i in items if i.kind != ReminderKind.VERIFICATION and i.days_left >= 0],
        verification=[i for i in items if i.kind == ReminderKind.VERIFICATION],
    )


def _not_sending_today(policy: Policy, local: datetime) -> str:
    cal = policy.calendar()
    today = local.date()
    if not cal.is_working_day(today):
        name = cal.holiday_name(today) or "weekend"
        return f"{today} is not a working day ({name}): nothing is sent today"
    if local.time() < policy.send_time:
        return f"before the send time {policy.send_time:%H:%M}: nothing is sent yet"
    return ""


def _grouped(now: datetime, today: date):
    groups: dict[int, list[Reminder]] = defaultdict(list)
    for row in _due_rows(now, today):
        groups[row.recipient_id].append(row)
    already = set(
        db.session.scalars(select(ReminderDigest.recipient_id).where(ReminderDigest.day == today))
    )
    return groups, already


def preview(policy: Policy, now: datetime, local: datetime, report) -> None:
    """What `send_due` would send, without sending or saving anything."""
    report.note = _not_sending_today(policy, local)
    if report.note:
        return
    groups, already = _grouped(now, local.date())
    cal = policy.calendar()
    for recipient_id, rows in groups.items():
        person = rows[0].recipient
        items = _items(rows, local.date(), cal)
        target = report.waiting if recipient_id in already else report.sent
        target.append((person.email, len(items)))


def send_due(policy: Policy, now: datetime, local: datetime, report) -> None:
    """Send each person's due reminders as one digest; commits after every person."""
    report.note = _not_sending_today(policy, local)
    if report.note:
        return
    today = local.date()
    groups, already = _grouped(now, today)
    cal = policy.calendar()
    unreachable = ""
    for recipient_id, rows in groups.items():
        person = rows[0].recipient
        items = _items(rows, today, cal)
        if recipient_id in already:
            report.waiting.append((person.email, len(items)))
            continue
        message = _compose(policy, person, items, today)
        error = unreachable
        if not error:
            try:
                mail.send(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
                error = f"{type(exc).__name__}: {exc}"  # this message only; go on
            except OSError as exc:  # connection, TLS, login (SMTPException is an OSError)
                error = unreachable = f"mail server unreachable: {exc}"
        if error:
            _failed(rows, error, now, policy)
            report.failed.append((person.email, error))
        elif _sent(rows, person, message.subject, len(items), today, now):
            report.sent.append((person.email, len(items)))
        db.session.commit()


def _sent(rows, person, subject: str, count: int, today: date, now: datetime) -> bool:
    digest = ReminderDigest(
        recipient_id=person.id, day=today, sent_at=now, subject=subject[:300], item_count=count
    )
    db.session.add(digest)
    try:
        db.session.flush()
    except IntegrityError:  # another cycle recorded one first (the lock makes this rare)
        db.session.rollback()
        return False
    for row in rows:
        row.status = ReminderStatus.SENT
        row.sent_at = now
        row.digest_id = digest.id
        row.attempts += 1
    return True


def _failed(rows, error: str, now: datetime, policy: Policy) -> None:
    for row in rows:
        row.attempts += 1
        row.last_error = error[:2000]
        minutes = min(BACKOFF_FIRST_MINUTES * 2 ** (row.attempts - 1), BACKOFF_MAX_MINUTES)
        row.next_attempt_at = now + timedelta(minutes=minutes)
        if row.attempts >= policy.max_attempts:
            row.status = ReminderStatus.FAILED
    current_app.logger.warning("reminder digest to %s failed: %s", rows[0].recipient.email, error)

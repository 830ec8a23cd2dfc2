"""Sending what is due: one digest e-mail per person per day, listing all their items by
urgency. A failed delivery keeps the reminders pending with a back-off; after the policy's
maximum attempts they are marked failed for the admin to see and re-send.

The due reminders are read as plain rows, what the digests show about each follow-up with one
query for all of them, and the outbox is updated with one statement per few hundred reminders:
a first cycle over 50,000 open follow-ups sends some 150,000 reminders (bench/README.md)."""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.core import mail
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp, followup_pics, followup_units
from tracker.reminders import outbox
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import Reminder, ReminderDigest, ReminderKind, ReminderStatus
from tracker.reminders.policy import Policy, mail_sender
from tracker.reminders.rendering import Item, ItemFormatter, Shown, shorten
from tracker.units.models import Unit

BACKOFF_FIRST_MINUTES = 5
BACKOFF_MAX_MINUTES = 6 * 60


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    email: str
    language: str


@dataclass
class Digest:
    """One person's due reminders and the items their mail lists (one per follow-up)."""

    person: Person
    by_attempts: dict[int, list[int]] = field(default_factory=dict)  # attempts so far -> ids
    best: dict[int, Item] = field(default_factory=dict)  # follow-up -> its most urgent item

    @cached_property
    def items(self) -> list[Item]:
        """Most urgent first."""
        return sorted(self.best.values(), key=lambda item: item.urgency)

    @property
    def reminder_ids(self) -> list[int]:
        return [i for ids in self.by_attempts.values() for i in ids]


def _due(now: datetime, today: date):
    """The conditions of a reminder that should go out now (its follow-up and person aside)."""
    return (
        Reminder.status == ReminderStatus.PENDING,
        Reminder.planned_for <= today,
        or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
    )


def _digests(now: datetime, today: date, cal: WorkCalendar) -> list[Digest]:
    """Everyone's due reminders, as one digest each (in recipient order)."""
    rows = (
        db.session.execute(
            select(
                Reminder.id,
                Reminder.recipient_id,
                Reminder.followup_id,
                Reminder.kind,
                Reminder.reference_date,
                Reminder.attempts,
            )
            .join(FollowUp, FollowUp.id == Reminder.followup_id)
            .join(User, User.id == Reminder.recipient_id)
            .where(
                *_due(now, today), FollowUp.status.not_in(CLOSED_STATUSES), User.active.is_(True)
            )
            .order_by(Reminder.recipient_id, Reminder.id)
        )
        .tuples()
        .all()
    )
    if not rows:
        return []
    shown = _shown(now, today)
    people = _people(now, today)
    # An escalated follow-up is the same item in every koordinator's and pimpinan's digest.
    items: dict[tuple, Item] = {}
    digests: list[Digest] = []
    digest: Digest | None = None
    for reminder_id, recipient_id, followup_id, kind, reference, attempts in rows:
        if digest is None or digest.person.id != recipient_id:
            digest = Digest(people[recipient_id])
            digests.append(digest)
        digest.by_attempts.setdefault(attempts, []).append(reminder_id)
        item = items.get((followup_id, kind, reference))
        if item is None:
            item = _item(shown[followup_id], kind, reference, today, cal)
            items[(followup_id, kind, reference)] = item
        known = digest.best.get(followup_id)
        if known is None or item.urgency < known.urgency:
            digest.best[followup_id] = item
    return digests


def _item(info: Shown, kind: ReminderKind, reference: date, today: date, cal) -> Item:
    if kind == ReminderKind.VERIFICATION:  # the reference date is the submission's
        return Item(info, kind, None, cal.working_days_between(reference, today))
    days_left = (info.due_date - today).days if info.due_date else None
    return Item(info, kind, days_left, None)


def _people(now: datetime, today: date) -> dict[int, Person]:
    recipients = select(Reminder.recipient_id).where(*_due(now, today))
    query = select(User.id, User.name, User.email, User.language).where(User.id.in_(recipients))
    return {row.id: Person(*row) for row in db.session.execute(query)}


def _shown(now: datetime, today: date) -> dict[int, Shown]:
    """What the digests show about each follow-up with a due reminder; the PICs and units only
    for those escalated (the koordinator and pimpinan need to know whose it is)."""
    followups = select(Reminder.followup_id).where(*_due(now, today))
    escalated = followups.where(Reminder.kind == ReminderKind.ESCALATION)
    pics = _joined(followup_pics.c.user_id, User.id, User.name, escalated)
    units = _joined(followup_units.c.unit_id, Unit.id, Unit.code, escalated)
    query = (
        select(
            FollowUp.id,
            FollowUp.due_date,
            Recommendation.number,
            Recommendation.text,
            Evaluation.institution,
            Evaluation.year,
        )
        .join(Recommendation, Recommendation.id == FollowUp.recommendation_id)
        .join(Evaluation, Evaluation.id == Recommendation.evaluation_id)
        .where(FollowUp.id.in_(followups))
    )
    return {
        row.id: Shown(
            row.id,
            row.number,
            shorten(row.text),
            row.institution,
            row.year,
            row.due_date,
            pics.get(row.id, ""),
            units.get(row.id, ""),
        )
        for row in db.session.execute(query)
    }


def _joined(link, target_id, label, followups) -> dict[int, str]:
    """'A, B' per follow-up: the labels (PIC names, unit codes) linked to it through `link`
    (a column of followup_pics or followup_units), in order."""
    found: dict[int, list[str]] = defaultdict(list)
    owner = link.table.c.followup_id
    for followup_id, text in db.session.execute(
        select(owner, label)
        .join(target_id.table, target_id == link)
        .where(owner.in_(followups))
        .order_by(label)
    ):
        found[followup_id].append(text)
    return {followup_id: ", ".join(texts) for followup_id, texts in found.items()}


def _compose(policy: Policy, digest: Digest, today: date, formatter: ItemFormatter) -> mail.Mail:
    person, items = digest.person, digest.items
    with force_locale(person.language):
        count = ngettext(
            "%(num)d tindak lanjut perlu perhatian",
            "%(num)d tindak lanjut perlu perhatian",
            len(items),
        )
        subject = f"{policy.subject}: {count}"

        overdue, upcoming, verification = [], [], []
        for item in items:
            if item.kind == ReminderKind.VERIFICATION:
                verification.append(item)
            else:
                (overdue if item.overdue else upcoming).append(item)
        lang = person.language
        sections = {
            "overdue": formatter.section(overdue, lang),
            "upcoming": formatter.section(upcoming, lang),
            "verification": formatter.section(verification, lang),
        }
    return mail.render_mail(
        "reminder_digest",
        person.email,
        subject,
        person.language,
        sender=mail_sender(),
        person=person,
        today=today,
        **sections,
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


def _sent_today(today: date) -> set[int]:
    query = select(ReminderDigest.recipient_id).where(ReminderDigest.day == today)
    return set(db.session.scalars(query))


def preview(policy: Policy, now: datetime, local: datetime, report) -> None:
    """What `send_due` would send, without sending or saving anything."""
    report.note = _not_sending_today(policy, local)
    if report.note:
        return
    today = local.date()
    already = _sent_today(today)
    for digest in _digests(now, today, policy.calendar()):
        target = report.waiting if digest.person.id in already else report.sent
        target.append((digest.person.email, len(digest.items)))


def send_due(policy: Policy, now: datetime, local: datetime, report) -> None:
    """Send each person's due reminders as one digest; commits after every person."""
    report.note = _not_sending_today(policy, local)
    if report.note:
        return
    today = local.date()
    already = _sent_today(today)
    link = mail.external_url_builder("followups.detail")
    formatter = ItemFormatter(lambda followup_id: link(followup_id=followup_id))
    unreachable = ""
    for digest in _digests(now, today, policy.calendar()):
        person = digest.person
        if person.id in already:
            report.waiting.append((person.email, len(digest.items)))
            continue
        message = _compose(policy, digest, today, formatter)
        unreachable = _deliver(policy, digest, message, today, now, report, unreachable)


def _deliver(
    policy: Policy,
    digest: Digest,
    message: mail.Mail,
    today: date,
    now: datetime,
    report,
    unreachable: str,
) -> str:
    """Send one digest (unless the server is known to be unreachable) and record the outcome,
    committed. Returns the error that makes the next deliveries pointless, or ''."""
    error = unreachable
    if not error:
        try:
            mail.send(message)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
            error = f"{type(exc).__name__}: {exc}"  # this message only; go on
        except OSError as exc:  # connection, TLS, login (SMTPException is an OSError)
            error = unreachable = f"mail server unreachable: {exc}"
    person = digest.person
    if error:
        _failed(digest, error, now, policy)
        report.failed.append((person.email, error))
    elif _sent(digest, message.subject, today, now):
        report.sent.append((person.email, len(digest.items)))
    db.session.commit()
    return unreachable


def _sent(digest: Digest, subject: str, today: date, now: datetime) -> bool:
    record = ReminderDigest(
        recipient_id=digest.person.id,
        day=today,
        sent_at=now,
        subject=subject[:300],
        item_count=len(digest.items),
    )
    db.session.add(record)
    try:
        db.session.flush()
    except IntegrityError:  # another cycle recorded one first (the lock makes this rare)
        db.session.rollback()
        return False
    outbox.set_values(
        digest.reminder_ids,
        status=ReminderStatus.SENT,
        sent_at=now,
        digest_id=record.id,
        attempts=Reminder.__table__.c.attempts + 1,
    )
    return True


def _failed(digest: Digest, error: str, now: datetime, policy: Policy) -> None:
    for attempts, ids in digest.by_attempts.items():
        tried = attempts + 1
        minutes = min(BACKOFF_FIRST_MINUTES * 2 ** (tried - 1), BACKOFF_MAX_MINUTES)
        values = {
            "attempts": tried,
            "last_error": error[:2000],
            "next_attempt_at": now + timedelta(minutes=minutes),
        }
        if tried >= policy.max_attempts:
            values["status"] = ReminderStatus.FAILED
        outbox.set_values(ids, **values)
    current_app.logger.warning("reminder digest to %s failed: %s", digest.person.email, error)

"""One reminder cycle: plan what should exist (insert new reminders, cancel the ones no longer
wanted), then send what is due as one digest per person. A plain function, called by the
scheduler, by `flask reminders run` and by tests; concurrent cycles are serialised by a lock
shared between processes, and the outbox's unique keys make re-running harmless.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, or_, select

from tracker.auth.models import Role, User
from tracker.core.clock import now_utc
from tracker.core.locks import exclusive
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp, FollowUpStatus, followup_pics
from tracker.reminders import digests, outbox
from tracker.reminders.models import Reminder, ReminderKind, ReminderStatus
from tracker.reminders.planning import PIC_STATUSES, OpenFollowUp, wanted_reminders
from tracker.reminders.policy import Policy, load_policy
from tracker.verification.models import Submission

LOCK = "tracker-reminder-cycle"
PIC_KINDS = (ReminderKind.BEFORE, ReminderKind.DUE, ReminderKind.OVERDUE)


@dataclass
class CycleReport:
    now_local: datetime
    dry_run: bool = False
    planned: int = 0
    cancelled: dict[str, int] = field(default_factory=dict)
    sent: list[tuple[str, int]] = field(default_factory=list)  # (e-mail, items)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, error)
    waiting: list[tuple[str, int]] = field(default_factory=list)  # already had today's digest
    note: str = ""

    def lines(self) -> list[str]:
        verb = "would send" if self.dry_run else "sent"
        out = [f"Reminder cycle as of {self.now_local:%Y-%m-%d %H:%M %Z}"]
        if self.dry_run:
            out[0] += " (dry run: nothing saved, nothing sent)"
        out.append(f"planned {self.planned} new reminder(s)")
        for reason, count in sorted(self.cancelled.items()):
            out.append(f"cancelled {count} ({reason})")
        if self.note:
            out.append(self.note)
        for email, items in self.sent:
            out.append(f"{verb}: {email} ({items} item(s))")
        for email, items in self.waiting:
            out.append(f"waiting for tomorrow: {email} ({items} item(s), already reminded today)")
        for email, error in self.failed:
            out.append(f"FAILED: {email}: {error}")
        if not self.sent and not self.failed and not self.note:
            out.append(f"nothing to send ({verb} 0 mails)")
        return out


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


def parse_local(text: str) -> datetime:
    """'2025-06-01 07:00' in the institution's time zone, as an aware UTC datetime."""
    try:
        naive = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        try:
            naive = datetime.strptime(text.strip(), "%Y-%m-%d")
        except ValueError:
            raise ValueError(
                f"{text!r} is not a local date and time like '2025-06-01 07:00'"
            ) from None
    return naive.replace(tzinfo=local_zone()).astimezone(UTC)


def run_cycle(now: datetime | None = None, *, dry_run: bool = False) -> CycleReport:
    """Plan, then send what is due as of `now` (aware; default: the clock)."""
    now = now or now_utc()
    local = now.astimezone(local_zone())
    report = CycleReport(now_local=local, dry_run=dry_run)
    with exclusive(LOCK, wait=600) as held:
        if not held:
            report.note = "another reminder cycle is still running; nothing done"
            return report
        policy = load_policy()
        session = db.session()
        # Sending commits once per person; keep what was loaded instead of reloading it all.
        expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
        try:
            _plan(policy, local.date(), report)
            if dry_run:
                digests.preview(policy, now, local, report)
            else:
                db.session.commit()
                digests.send_due(policy, now, local, report)
        finally:
            db.session.rollback()
            session.expire_on_commit = expire_on_commit
    return report


# --- planning ---------------------------------------------------------------------------------


def _open_followups(today: date) -> list[OpenFollowUp]:
    # A recommendation carried over into a newer LHE is followed up there: its old follow-up
    # stays open (and its history kept) but is no longer reminded of.
    carried = select(Recommendation.id).where(
        Recommendation.carried_from_id == FollowUp.recommendation_id
    )
    rows = db.session.execute(
        select(FollowUp.id, FollowUp.status, FollowUp.due_date).where(
            FollowUp.status.not_in(CLOSED_STATUSES), ~carried.exists()
        )
    ).all()
    pics: dict[int, list[int]] = defaultdict(list)
    for followup_id, user_id in db.session.execute(
        select(followup_pics.c.followup_id, followup_pics.c.user_id)
        .join(User, User.id == followup_pics.c.user_id)
        .where(User.active.is_(True))
    ):
        pics[followup_id].append(user_id)
    zone = local_zone()
    submitted: dict[int, date] = {}
    for followup_id, at in db.session.execute(
        select(Submission.followup_id, Submission.submitted_at)
        .join(FollowUp, FollowUp.id == Submission.followup_id)
        .where(Submission.decision.is_(None), FollowUp.status == FollowUpStatus.MENUNGGU)
    ):
        submitted[followup_id] = max(
            submitted.get(followup_id, date.min), at.astimezone(zone).date()
        )
    return [
        OpenFollowUp(fid, FollowUpStatus(status), due, tuple(pics.get(fid, ())), submitted.get(fid))
        for fid, status, due in rows
    ]


def _active_ids(role: Role) -> tuple[int, ...]:
    query = select(User.id).where(User.role == role, User.active.is_(True)).order_by(User.id)
    return tuple(db.session.scalars(query))


def _plan(policy: Policy, today: date, report: CycleReport) -> None:
    """Insert the wanted reminders that do not exist yet, put cancelled ones that are wanted
    again back to pending, and cancel pending ones no longer wanted."""
    followups = _open_followups(today)
    koordinators, pimpinan = _active_ids(Role.KOORDINATOR), _active_ids(Role.PIMPINAN)
    wanted = wanted_reminders(followups, policy, today, koordinators, pimpinan)
    overseers = {*koordinators, *pimpinan}
    by_key = {w.key: w for w in wanted}
    status_of = {f.id: f for f in followups}
    to_cancel: dict[str, list[int]] = defaultdict(list)
    to_revive: list[int] = []
    # Every pending reminder, and the open follow-ups' reminders that could share a key with a
    # wanted one: a key fixes the nominal date, so none older than the oldest wanted is needed
    # (the outbox keeps growing; this keeps each cycle's reading to the current steps).
    oldest = min((w.nominal_date for w in wanted), default=today)
    query = (
        select(
            Reminder.id,
            Reminder.followup_id,
            Reminder.recipient_id,
            Reminder.kind,
            Reminder.step,
            Reminder.reference_date,
            Reminder.status,
        )
        .join(FollowUp, FollowUp.id == Reminder.followup_id)
        .where(
            or_(
                Reminder.status == ReminderStatus.PENDING,
                and_(FollowUp.status.not_in(CLOSED_STATUSES), Reminder.nominal_date >= oldest),
            )
        )
    )
    for row in db.session.execute(query):
        key = (row.followup_id, row.recipient_id, row.kind, row.step, row.reference_date)
        known = by_key.pop(key, None)
        if row.status == ReminderStatus.PENDING and known is None:
            to_cancel[_why(row, status_of.get(row.followup_id), overseers)].append(row.id)
        elif row.status == ReminderStatus.CANCELLED and known is not None:
            to_revive.append(row.id)  # e.g. returned the day its reminder was paused
    # What is left in by_key is new. A key the scan could not see (a calendar change moved a
    # verification step's nominal date) is skipped by the database instead of failing.
    planned = outbox.insert_new(list(by_key.values()), now_utc())
    outbox.set_values(
        to_revive, ReminderStatus.CANCELLED, status=ReminderStatus.PENDING, cancelled_reason=""
    )
    for reason, ids in to_cancel.items():
        outbox.set_values(
            ids, ReminderStatus.PENDING, status=ReminderStatus.CANCELLED, cancelled_reason=reason
        )
        report.cancelled[reason] = len(ids)
    report.planned = planned + len(to_revive)


def _why(row, followup: OpenFollowUp | None, overseers: set[int]) -> str:
    """Why a pending reminder is no longer wanted (shown in the admin's outbox)."""
    if followup is None:  # no longer open, or carried over into a newer LHE
        return "closed or carried over"
    if row.kind not in PIC_KINDS and row.recipient_id not in overseers:
        return "no longer an active koordinator or pimpinan"
    if row.kind in PIC_KINDS or row.kind == ReminderKind.ESCALATION:
        if followup.status == FollowUpStatus.MENUNGGU:
            return "paused: waiting for verification"
        if followup.status not in PIC_STATUSES:
            return "closed"
        if row.reference_date != followup.due_date:
            return "due date changed"
        if row.kind in PIC_KINDS and row.recipient_id not in followup.pic_ids:
            return "no longer a PIC"
    elif followup.status != FollowUpStatus.MENUNGGU or row.reference_date != followup.submitted_on:
        return "verification decided"
    return "superseded by a later reminder"

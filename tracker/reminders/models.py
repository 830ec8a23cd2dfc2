"""The reminder policy (one row, edited by the admin), the outbox of planned reminders, and the
log of digests sent (at most one per person per day)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.types import UTCDateTime, state_enum
from tracker.extensions import db
from tracker.followups.models import FollowUp


class ReminderSettings(db.Model):
    """The policy. Defaults follow the issue: PICs 30/14/7/3/1 days before and on the due date,
    weekly while overdue; escalation after 7 days overdue, then weekly; the koordinator after
    3 working days of waiting verification."""

    __tablename__ = "reminder_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    days_before: Mapped[str] = mapped_column(String(100), default="30,14,7,3,1")
    on_due_date: Mapped[bool] = mapped_column(Boolean, default=True)
    overdue_every_days: Mapped[int] = mapped_column(Integer, default=7)
    escalate_after_days: Mapped[int] = mapped_column(Integer, default=7)
    escalate_every_days: Mapped[int] = mapped_column(Integer, default=7)
    verification_after_working_days: Mapped[int] = mapped_column(Integer, default=3)
    send_time: Mapped[str] = mapped_column(String(5), default="07:00")
    # Extra days off (cuti bersama): one ISO date per line, optionally followed by a note.
    extra_holidays: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(200), default="Pengingat tindak lanjut SAKIP")
    max_attempts: Mapped[int] = mapped_column(Integer, default=5)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReminderKind(enum.StrEnum):
    BEFORE = "sebelum"  # to the PICs, `step` days before the due date
    DUE = "jatuh_tempo"  # to the PICs, on the due date
    OVERDUE = "terlambat"  # to the PICs, `step` days after the due date
    ESCALATION = "eskalasi"  # to koordinators and pimpinan, `step` days overdue
    VERIFICATION = "verifikasi"  # to koordinators, `step` working days after a submission


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Reminder(db.Model):
    """One planned reminder. Its key (follow-up, recipient, kind, step, reference date) is
    unique, so planning the same reminder twice adds nothing."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("followup_id", "recipient_id", "kind", "step", "reference_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(state_enum(ReminderKind, "reminder_kind", 20))
    step: Mapped[int] = mapped_column(Integer)
    # The follow-up's due date (PIC and escalation reminders) or the submission's date
    # (verification reminders): a new due date or a new submission makes new keys.
    reference_date: Mapped[date] = mapped_column(Date)
    nominal_date: Mapped[date] = mapped_column(Date)  # when the policy asks for it
    planned_for: Mapped[date] = mapped_column(
        Date, index=True
    )  # that day or the working day before
    status: Mapped[ReminderStatus] = mapped_column(
        state_enum(ReminderStatus, "reminder_status", 20),
        default=ReminderStatus.PENDING,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_reason: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminder_digests.id", ondelete="SET NULL")
    )

    followup: Mapped[FollowUp] = relationship()
    recipient: Mapped[User] = relationship()


class ReminderDigest(db.Model):
    """One reminder e-mail sent to one person on one (local) day: never a second that day."""

    __tablename__ = "reminder_digests"
    __table_args__ = (UniqueConstraint("recipient_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    subject: Mapped[str] = mapped_column(String(300))
    item_count: Mapped[int] = mapped_column(Integer)

    recipient: Mapped[User] = relationship()

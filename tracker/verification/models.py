"""A submission: what a PIC sent for verification (or a proposal to close as "tidak dapat
ditindaklanjuti") and the koordinator's decision on it, with the cukup/kompeten/relevan checklist.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.types import UTCDateTime, state_enum
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.followups.models import FollowUp


class SubmissionKind(enum.StrEnum):
    COMPLETION = "selesai"  # "this is done, here is the evidence"
    CANNOT = "tidak_dapat"  # "this cannot be followed up, for this reason"


class Decision(enum.StrEnum):
    ACCEPTED = "diterima"
    RETURNED = "dikembalikan"


submission_evidence = Table(
    "submission_evidence",
    db.metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
)


class Submission(db.Model):
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SubmissionKind] = mapped_column(state_enum(SubmissionKind, "submission_kind", 20))
    # Snapshots: what the koordinator is asked to judge, even if the follow-up changes later.
    realisation: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)
    decision: Mapped[Decision | None] = mapped_column(state_enum(Decision, "decision", 20))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    cukup: Mapped[bool] = mapped_column(Boolean, default=False)
    kompeten: Mapped[bool] = mapped_column(Boolean, default=False)
    relevan: Mapped[bool] = mapped_column(Boolean, default=False)

    followup: Mapped[FollowUp] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    evidence: Mapped[list[Evidence]] = relationship(
        secondary=submission_evidence, order_by=Evidence.id
    )

    @property
    def is_open(self) -> bool:
        return self.decision is None

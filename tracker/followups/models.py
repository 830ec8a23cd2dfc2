"""The follow-up of one recommendation and its workflow status."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.types import UTCDateTime, state_enum
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.units.models import Unit


class FollowUpStatus(enum.StrEnum):
    """The six workflow states of domain.md."""

    BELUM = "belum_ditindaklanjuti"
    PROSES = "dalam_proses"
    MENUNGGU = "menunggu_verifikasi"
    DIKEMBALIKAN = "dikembalikan"
    SESUAI = "sesuai"
    TIDAK_DAPAT = "tidak_dapat_ditindaklanjuti"

    @property
    def is_closed(self) -> bool:
        return self in (FollowUpStatus.SESUAI, FollowUpStatus.TIDAK_DAPAT)


CLOSED_STATUSES = (FollowUpStatus.SESUAI, FollowUpStatus.TIDAK_DAPAT)

followup_units = Table(
    "followup_units",
    db.metadata,
    Column("followup_id", ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True),
    # Indexed on its own too: "the follow-ups of these units" (a PIC's scope) reads by unit.
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True),
)

followup_pics = Table(
    "followup_pics",
    db.metadata,
    Column("followup_id", ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FollowUp(db.Model):
    __tablename__ = "followups"
    __table_args__ = (CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), unique=True
    )
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[FollowUpStatus] = mapped_column(
        state_enum(FollowUpStatus, "status", 40),
        default=FollowUpStatus.BELUM,
        index=True,
    )
    action_plan: Mapped[str] = mapped_column(Text, default="")
    realisation: Mapped[str] = mapped_column(Text, default="")
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The reason a PIC gave for "tidak dapat ditindaklanjuti", once the koordinator approved it.
    closure_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    recommendation: Mapped[Recommendation] = relationship(back_populates="followup")
    units: Mapped[list[Unit]] = relationship(secondary=followup_units, order_by=Unit.code)
    pics: Mapped[list[User]] = relationship(secondary=followup_pics, order_by=User.name)
    steps: Mapped[list[ActionStep]] = relationship(
        back_populates="followup",
        order_by="ActionStep.position, ActionStep.id",
        cascade="all, delete-orphan",
    )

    @property
    def unit_ids(self) -> set[int]:
        return {unit.id for unit in self.units}

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def has_started(self) -> bool:
        """Work exists on it: deleting its evaluation would lose that work."""
        return (
            self.status != FollowUpStatus.BELUM
            or bool(self.action_plan.strip())
            or bool(self.realisation.strip())
            or self.progress > 0
            or bool(self.steps)
        )


class ActionStep(db.Model):
    """One step of a follow-up's action plan (rencana aksi): what, by when, done or not."""

    __tablename__ = "action_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(500))
    target_date: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    followup: Mapped[FollowUp] = relationship(back_populates="steps")

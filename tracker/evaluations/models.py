"""One LHE: its header, component scores, findings (catatan) and recommendations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.clock import now_utc
from tracker.core.types import UTCDateTime
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.followups.models import FollowUp

SCORE = Numeric(5, 2)

recommendation_findings = Table(
    "recommendation_findings",
    db.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("finding_id", ForeignKey("findings.id", ondelete="CASCADE"), primary_key=True),
)


class Evaluation(db.Model):
    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(255))
    year: Mapped[int] = mapped_column(Integer, index=True)
    evaluator: Mapped[str] = mapped_column(String(255), default="")
    document_number: Mapped[str] = mapped_column(String(120), default="")
    report_date: Mapped[date | None] = mapped_column(Date)
    received_date: Mapped[date | None] = mapped_column(Date)
    followup_deadline: Mapped[date | None] = mapped_column(Date)
    next_evaluation_date: Mapped[date | None] = mapped_column(Date)
    total_score: Mapped[Decimal | None] = mapped_column(SCORE)
    predikat: Mapped[str | None] = mapped_column(String(2))
    notes: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)

    components: Mapped[list[ComponentScore]] = relationship(
        back_populates="evaluation",
        order_by="ComponentScore.order",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="evaluation",
        order_by="Finding.number, Finding.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="evaluation",
        order_by="Recommendation.number, Recommendation.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __str__(self) -> str:
        return f"{self.institution} ({self.year})"


class ComponentScore(db.Model):
    __tablename__ = "component_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    order: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(SCORE)
    score: Mapped[Decimal | None] = mapped_column(SCORE)

    evaluation: Mapped[Evaluation] = relationship(back_populates="components")

    def __str__(self) -> str:
        return self.name


class Finding(db.Model):
    """Catatan: a weakness the evaluator found, optionally under one component."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("component_scores.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)

    evaluation: Mapped[Evaluation] = relationship(back_populates="findings")
    component: Mapped[ComponentScore | None] = relationship()


class Recommendation(db.Model):
    """Rekomendasi: what the institution must do; each has exactly one follow-up.

    Across years (carryover.py, repeats.py): `carried_from` is the open recommendation of an
    earlier LHE this one was carried over from; `repeat_of` is the most similar recommendation
    of an earlier year of the same institution (`repeat_score` 0-100, meaningful only while
    `repeat_of` is set: deleting the earlier one unlinks it in the database), so recurring
    weaknesses stand out.
    """

    __tablename__ = "recommendations"
    __table_args__ = (
        # One origin is carried into a given evaluation at most once (also under a race).
        UniqueConstraint("evaluation_id", "carried_from_id"),
        CheckConstraint("repeat_score >= 0 AND repeat_score <= 100", name="repeat_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    component_id: Mapped[int | None] = mapped_column(
        ForeignKey("component_scores.id", ondelete="SET NULL"), index=True
    )
    number: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="SET NULL"), index=True
    )
    repeat_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="SET NULL"), index=True
    )
    repeat_score: Mapped[int | None] = mapped_column(SmallInteger)

    evaluation: Mapped[Evaluation] = relationship(back_populates="recommendations")
    carried_from: Mapped[Recommendation | None] = relationship(
        remote_side=[id], foreign_keys=[carried_from_id]
    )
    # The copies of this one in later evaluations (read only: set `carried_from` on the copy).
    carried_to: Mapped[list[Recommendation]] = relationship(
        foreign_keys=[carried_from_id], viewonly=True, order_by="Recommendation.id"
    )
    repeat_of: Mapped[Recommendation | None] = relationship(
        remote_side=[id], foreign_keys=[repeat_of_id]
    )
    component: Mapped[ComponentScore | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        secondary=recommendation_findings, order_by="Finding.number"
    )
    followup: Mapped[FollowUp] = relationship(
        back_populates="recommendation",
        uselist=False,
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

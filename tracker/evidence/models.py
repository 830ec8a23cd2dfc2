"""One piece of evidence (data dukung): a stored file or a link, with its own document date.

Rows are never deleted: removing an item marks it removed (the history keeps it), and an item
accepted by the koordinator is frozen.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import register_reference
from tracker.core.types import UTCDateTime, state_enum
from tracker.extensions import db
from tracker.followups.models import FollowUp


class EvidenceKind(enum.StrEnum):
    FILE = "file"
    LINK = "link"


class Evidence(db.Model):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(
        ForeignKey("followups.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(state_enum(EvidenceKind, "evidence_kind", 10))
    title: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    storage_key: Mapped[str | None] = mapped_column(String(255), index=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(BigInteger)
    sha256: Mapped[str | None] = mapped_column(String(64))
    document_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the koordinator accepts a submission holding this item: from then on it is frozen.
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    followup: Mapped[FollowUp] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    @property
    def is_file(self) -> bool:
        return self.kind == EvidenceKind.FILE

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def is_frozen(self) -> bool:
        return self.accepted_at is not None


# Removed items keep their file too: the history may still offer it.
register_reference(Evidence.storage_key)

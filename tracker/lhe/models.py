"""An uploaded LHE document: its stored file, its parse (edited during review) and its fate."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.core.clock import now_utc
from tracker.core.storage import register_reference
from tracker.core.types import UTCDateTime, state_enum
from tracker.evaluations.models import Evaluation
from tracker.extensions import db


class ImportStatus(enum.StrEnum):
    DRAFT = "draft"  # uploaded and parsed, under review
    SAVED = "saved"  # became (or revised) an evaluation
    DISCARDED = "discarded"


class LheImport(db.Model):
    __tablename__ = "lhe_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    original_filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255))
    parse: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[ImportStatus] = mapped_column(
        state_enum(ImportStatus, "import_status", 20),
        default=ImportStatus.DRAFT,
    )
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("evaluations.id", ondelete="SET NULL"), index=True
    )
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User | None] = relationship()
    evaluation: Mapped[Evaluation | None] = relationship()


register_reference(LheImport.storage_key, LheImport.status != ImportStatus.DISCARDED)

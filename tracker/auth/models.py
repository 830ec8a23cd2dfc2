"""Users, their roles and units, and the login attempts used for throttling."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tracker.core.clock import now_utc
from tracker.core.types import UTCDateTime, state_enum
from tracker.extensions import db
from tracker.units.models import Unit


class Role(enum.StrEnum):
    ADMIN = "admin"
    KOORDINATOR = "koordinator"
    PIMPINAN = "pimpinan"
    PIC = "pic"


user_units = Table(
    "user_units",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(state_enum(Role, "role", 20))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    language: Mapped[str] = mapped_column(String(5), default="id", server_default="id")
    # Bumped on deactivation or password change: every session holding the old value ends.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    units: Mapped[list[Unit]] = relationship(secondary=user_units, order_by=Unit.code)

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        return value.strip().lower()

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def unit_ids(self) -> set[int]:
        return {unit.id for unit in self.units}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"

    def __str__(self) -> str:
        return self.name


class LoginAttempt(db.Model):
    """One login attempt; failures in a recent window throttle further tries."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, index=True)

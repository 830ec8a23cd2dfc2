"""Account rules: loading the logged-in user, password hashing, authentication, throttling."""

from __future__ import annotations

from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from tracker.auth.models import LoginAttempt, User
from tracker.core.clock import now_utc
from tracker.extensions import db


def _hasher() -> PasswordHasher:
    """Argon2 with the library's defaults; the test config lowers the cost for speed."""
    return PasswordHasher(**current_app.config.get("ARGON2_PARAMETERS", {}))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(user: User, password: str) -> bool:
    try:
        return _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the session names 'id:version'; an old version or inactive = out."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        pk, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, pk)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


class LoginThrottled(Exception):
    """Too many failed attempts recently for this e-mail or this address."""


def _is_throttled(email: str, ip_address: str) -> bool:
    """Too many recent failures for this e-mail, or (four times as many) from this address."""
    since = now_utc() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    limit = current_app.config["LOGIN_MAX_FAILURES"]
    recent_failures = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
    )
    by_email = db.session.scalar(recent_failures.where(LoginAttempt.email == email))
    by_address = db.session.scalar(recent_failures.where(LoginAttempt.ip_address == ip_address))
    return by_email >= limit or by_address >= limit * 4


def authenticate(email: str, password: str, ip_address: str) -> User | None:
    """The active user with these credentials, or None. Records the attempt (caller commits).

    Raises LoginThrottled after too many recent failures, before checking the password, so
    that guessing stops even when a later guess would be right.
    """
    email = email.strip().lower()
    if _is_throttled(email, ip_address):
        raise LoginThrottled(email)
    user = find_user_by_email(email)
    ok = user is not None and user.active and verify_password(user, password)
    db.session.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=ok))
    return user if ok else None


def end_sessions(user: User) -> None:
    """End every existing session of `user` (the loader refuses the old session version)."""
    user.session_version = (user.session_version or 1) + 1


def change_password(user: User, password: str) -> None:
    """Store a new password hash and end the user's existing sessions. Caller validates."""
    user.password_hash = hash_password(password)
    end_sessions(user)

"""The one source of "now": tests freeze it with `freeze(...)`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

_frozen: datetime | None = None


def now_utc() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def freeze(instant: datetime | None) -> None:
    """Pin `now_utc()` to an aware instant (None unfreezes). For tests and `--now` options."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = instant


def local_zone() -> ZoneInfo:
    name = current_app.config["TRACKER_TIMEZONE"] if has_app_context() else "Asia/Jakarta"
    return ZoneInfo(name)


def now_local() -> datetime:
    return now_utc().astimezone(local_zone())


def today_local() -> date:
    """Today's date where the institution is (deadlines are local dates)."""
    return now_local().date()

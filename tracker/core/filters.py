"""Jinja filters: dates and numbers as people write them, labels for enum values."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from tracker.core.labels import ROLE_LABELS, STATUS_COLOURS, STATUS_LABELS


def long_date(value: date | datetime | None) -> str:
    """'10 Desember 2025' in Indonesian, '10 December 2025' in English."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y HH:mm")
    return format_date(value, "d MMMM y")


def score(value: Decimal | float | None) -> str:
    """78,55 in Indonesian, 78.55 in English; trailing zeros dropped."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.##")


def filesize(value: int | None) -> str:
    """1.536 → '1,5 KB' (Indonesian) / '1.5 KB' (English)."""
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{format_decimal(size, format='#,##0.#')} {unit}"
        size /= 1024
    return str(value)  # pragma: no cover


def register(app: Flask) -> None:
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["score"] = score
    app.jinja_env.filters["filesize"] = filesize
    app.jinja_env.filters["status_label"] = lambda s: STATUS_LABELS.get(s, s)
    app.jinja_env.filters["status_colour"] = lambda s: STATUS_COLOURS.get(s, "secondary")
    app.jinja_env.filters["role_label"] = lambda r: ROLE_LABELS.get(r, r)

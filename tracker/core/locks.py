"""Named locks shared by every process using the same database: a PostgreSQL advisory lock,
MariaDB's GET_LOCK, or a file lock beside the SQLite database. Used so that only one scheduler
works and only one reminder cycle runs at a time."""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from flask import current_app
from sqlalchemy import text

from tracker.extensions import db


def _lock_id(name: str) -> int:
    return zlib.crc32(name.encode())


def _sqlite_lock_path(name: str) -> Path:
    database = db.engine.url.database
    if database and database != ":memory:":
        return Path(f"{database}.{name}.lock")
    return Path(current_app.instance_path) / f"{name}.lock"


@contextmanager
def exclusive(name: str, wait: float | None = None) -> Iterator[bool]:
    """Hold the lock `name` for the block; yields False (and holds nothing) if another process
    holds it and it did not come free within `wait` seconds (None: wait as long as it takes;
    0: do not wait)."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        lock = FileLock(str(_sqlite_lock_path(name)))
        try:
            lock.acquire(timeout=-1 if wait is None else wait)
        except Timeout:
            yield False
            return
        try:
            yield True
        finally:
            lock.release()
        return
    with db.engine.connect() as conn:  # a connection of its own, held as long as the lock
        if dialect == "postgresql":
            if wait is None:
                conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _lock_id(name)})
                held = True
            else:
                held = _pg_try(conn, name, wait)
            release = "SELECT pg_advisory_unlock(:id)"
            params = {"id": _lock_id(name)}
        else:  # MariaDB / MySQL: lock names are server-wide, so name the database in them
            scoped = f"{db.engine.url.database}.{name}"[-64:]
            timeout = 365 * 24 * 3600 if wait is None else int(wait)  # MariaDB: no -1
            got = conn.execute(text("SELECT GET_LOCK(:name, :t)"), {"name": scoped, "t": timeout})
            held = got.scalar() == 1
            release = "SELECT RELEASE_LOCK(:name)"
            params = {"name": scoped}
        conn.commit()
        try:
            yield held
        finally:
            if held:
                conn.execute(text(release), params)
                conn.commit()


def _pg_try(conn, name: str, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        got = conn.execute(text("SELECT pg_try_advisory_lock(:id)"), {"id": _lock_id(name)})
        if got.scalar():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)

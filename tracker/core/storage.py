"""File storage behind one interface: a local folder now, an S3-compatible store later.

Files are streamed in chunks (never held whole in memory), hashed with SHA-256 on the way,
and stored under a content-derived key outside the web root. Original file names are data
for the caller to keep, never part of a path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

CHUNK = 64 * 1024


class FileTooLarge(ValueError):
    """The stream is longer than the allowed size; nothing was stored."""


class EmptyFile(ValueError):
    """The stream holds no bytes; nothing was stored."""


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredFile: ...
    def open(self, key: str) -> BinaryIO: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...


class LocalStorage:
    """Files in a folder, at `sha256[:2]/sha256[2:4]/sha256`; the same content is stored once."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not all(ch in "0123456789abcdef" for ch in key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key[:2] / key[2:4] / key

    def save(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredFile:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with tempfile.NamedTemporaryFile(dir=incoming, delete=False) as tmp:
            try:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise FileTooLarge(size)
                    digest.update(chunk)
                    tmp.write(chunk)
            except BaseException:
                tmp.close()
                os.unlink(tmp.name)
                raise
        if size == 0:
            os.unlink(tmp.name)
            raise EmptyFile()
        key = digest.hexdigest()
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp.name)
        else:
            shutil.move(tmp.name, target)
        return StoredFile(key=key, size=size, sha256=key)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).exists()


# Columns (with extra conditions) that refer to stored files: a file is deleted only when none
# of them still names it. Each feature registers its own when its models are imported.
_REFERENCES: list[tuple] = []


def register_reference(column, *criteria) -> None:
    """Declare that rows matching `criteria` keep the file named by `column` alive."""
    _REFERENCES.append((column, criteria))


def is_referenced(key: str) -> bool:
    from sqlalchemy import select

    from tracker.extensions import db

    for column, criteria in _REFERENCES:
        query = select(column).where(column == key, *criteria).limit(1)
        if db.session.execute(query).first() is not None:
            return True
    return False


def release(key: str) -> bool:
    """Delete a stored file nothing refers to any more; True if deleted. Call it after the
    commit (or rollback) that stopped using the file, so a failed write leaves no orphan."""
    if is_referenced(key):
        return False
    get_storage().delete(key)
    return True


def get_storage() -> Storage:
    """The configured storage (the local upload folder)."""
    return LocalStorage(current_app.config["UPLOAD_FOLDER"])

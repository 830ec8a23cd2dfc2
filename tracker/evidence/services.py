"""Adding, removing and reading evidence (data dukung).

Files are checked by content (the extension must agree), streamed to storage under their
SHA-256, and recorded; if the database write fails, a file stored by this call and used by
nothing else is removed again, so there is neither an orphan file nor a dangling row.
"""

from __future__ import annotations

from datetime import date
from typing import BinaryIO
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.core import filetypes
from tracker.core.audit import record
from tracker.core.clock import now_utc
from tracker.core.storage import EmptyFile, FileTooLarge, get_storage, release
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.work import ensure_open
from tracker.verification.workflow import start_work

# The kinds accepted as evidence (plain text is not: it proves nothing an evaluator accepts).
ALLOWED_KINDS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "jpg", "png")
ACCEPT_ATTRIBUTE = ",".join(
    ext for kind in ALLOWED_KINDS for ext in filetypes.KINDS[kind].extensions
)


class EvidenceError(ValueError):
    """The evidence is refused; `field` names the form field the message belongs to."""

    def __init__(self, message, field: str = "file"):
        super().__init__(str(message))
        self.message = message
        self.field = field


def max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024


def active_evidence(followup: FollowUp) -> list[Evidence]:
    query = (
        select(Evidence)
        .where(Evidence.followup_id == followup.id, Evidence.removed_at.is_(None))
        .order_by(Evidence.uploaded_at, Evidence.id)
    )
    return list(db.session.scalars(query))


def all_evidence(followup: FollowUp) -> list[Evidence]:
    """Every item ever added, removed ones included (newest first)."""
    query = (
        select(Evidence)
        .where(Evidence.followup_id == followup.id)
        .order_by(Evidence.uploaded_at.desc(), Evidence.id.desc())
        .options(joinedload(Evidence.uploaded_by), joinedload(Evidence.removed_by))
    )
    return list(db.session.scalars(query))


def _check_kind(stream: BinaryIO, filename: str) -> str:
    kind = filetypes.sniff_stream(stream, filename)
    if kind not in ALLOWED_KINDS:
        raise EvidenceError(
            _l(
                "Jenis berkas tidak diterima atau isinya tidak sesuai dengan namanya. "
                "Gunakan PDF, DOCX, XLSX, PPTX, ODT, ODS, JPG atau PNG."
            )
        )
    return kind


def add_file(
    followup: FollowUp,
    actor,
    stream: BinaryIO,
    filename: str | None,
    *,
    title: str,
    document_date: date,
    note: str = "",
) -> Evidence:
    """Store an uploaded file as new evidence (never replacing an earlier one)."""
    ensure_open(followup)
    name = filetypes.clean_filename(filename)
    stream.seek(0)
    if not stream.read(1):
        raise EvidenceError(_l("Berkas kosong."))
    kind = _check_kind(stream, name)
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    try:
        stored = get_storage().save(stream, max_bytes=max_bytes())
    except FileTooLarge as error:
        raise EvidenceError(_l("Berkas lebih besar dari batas %(mb)d MB.", mb=limit_mb)) from error
    except EmptyFile as error:
        raise EvidenceError(_l("Berkas kosong.")) from error
    duplicate = db.session.scalar(
        select(Evidence).where(
            Evidence.followup_id == followup.id,
            Evidence.removed_at.is_(None),
            Evidence.sha256 == stored.sha256,
        )
    )
    if duplicate is not None:
        release(stored.key)
        raise EvidenceError(
            _l(
                "Berkas yang sama sudah diunggah sebagai “%(title)s”.",
                title=duplicate.title,
            )
        )
    try:
        start_work(followup, actor)
        evidence = Evidence(
            followup_id=followup.id,
            kind=EvidenceKind.FILE,
            title=title.strip() or name,
            storage_key=stored.key,
            original_name=name,
            content_type=filetypes.content_type(kind),
            size=stored.size,
            sha256=stored.sha256,
            document_date=document_date,
            note=note.strip(),
            uploaded_by_id=actor.id,
            uploaded_at=now_utc(),
        )
        db.session.add(evidence)
        db.session.flush()
        record(
            actor,
            followup,
            "evidence_added",
            title=evidence.title,
            file=name,
            size=stored.size,
            sha256=stored.sha256,
        )
        db.session.flush()
    except BaseException:
        db.session.rollback()
        release(stored.key)
        raise
    return evidence


def _valid_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and len(url) <= 2000


def add_link(
    followup: FollowUp, actor, *, url: str, title: str, document_date: date, note: str = ""
) -> Evidence:
    """Record a link (a shared drive, an official website) as evidence."""
    ensure_open(followup)
    url = url.strip()
    if not _valid_url(url):
        raise EvidenceError(
            _l("Tautan harus alamat web lengkap yang diawali http:// atau https://."), "url"
        )
    if not title.strip():
        raise EvidenceError(_l("Judul tautan wajib diisi."), "title")
    start_work(followup, actor)
    evidence = Evidence(
        followup_id=followup.id,
        kind=EvidenceKind.LINK,
        title=title.strip(),
        url=url,
        document_date=document_date,
        note=note.strip(),
        uploaded_by_id=actor.id,
        uploaded_at=now_utc(),
    )
    db.session.add(evidence)
    db.session.flush()
    record(actor, followup, "evidence_added", title=evidence.title, url=url)
    db.session.flush()
    return evidence


def remove(evidence: Evidence, actor) -> None:
    """Take an item off the list (kept in the history; its file stays stored)."""
    ensure_open(evidence.followup)
    if evidence.is_frozen:
        raise EvidenceError(_l("Data dukung yang sudah diterima tidak dapat dihapus."))
    if not evidence.is_active:
        return
    evidence.removed_at = now_utc()
    evidence.removed_by_id = actor.id
    record(actor, evidence.followup, "evidence_removed", title=evidence.title)
    db.session.flush()


def open_file(evidence: Evidence) -> BinaryIO:
    if not evidence.is_file or evidence.storage_key is None:
        raise FileNotFoundError(evidence.id)
    return get_storage().open(evidence.storage_key)

"""LHE import rules: upload (store, check, parse) into a draft, review, discard, save.

Saving goes through the evaluation services (tracker/evaluations/services.py and items.py), so
deadlines, follow-up creation and the audit follow the same rules as typing an LHE by hand.
Every verb takes the acting user (None for the command line without --as), audits, flushes;
the caller commits. A refusal raises `LheImportError` with the reason in Indonesian.
"""

from __future__ import annotations

from datetime import date
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from tracker.core import audit, filetypes
from tracker.core.clock import now_utc, today_local
from tracker.core.storage import EmptyFile, FileTooLarge, get_storage, release
from tracker.evaluations.models import Evaluation
from tracker.evaluations.services import lower_bound_inclusive
from tracker.extensions import db
from tracker.lhe.document import NotAnLHE, ParsedLHE, UnreadableDocument
from tracker.lhe.models import ImportStatus, LheImport
from tracker.lhe.review import component_key, document_warnings, save_problems
from tracker.lhe.revision import revise
from tracker.lhe.saving import STANDARD_WEIGHTS, ImportResult, create_from_parse

LHE_KINDS = ("pdf", "docx", "text")
MODES = ("new", "revision")


class LheImportError(Exception):
    """An upload or a save was refused; `message` says why (Indonesian), `detail` is the
    technical reason when there is one (shown by the command line)."""

    def __init__(self, message: Any, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.detail = detail


class DuplicateEvaluation(LheImportError):
    """An evaluation of the same institution and year exists: revision or a confirmed new one?"""

    def __init__(self, duplicates: list[Evaluation]):
        super().__init__(
            _l(
                "Sudah ada evaluasi %(institution)s tahun %(year)d. Pilih: simpan sebagai revisi "
                "evaluasi itu, atau sebagai evaluasi baru yang terpisah.",
                institution=duplicates[0].institution,
                year=duplicates[0].year,
            )
        )
        self.duplicates = duplicates


def parse_document(stream: BinaryIO, kind: str) -> ParsedLHE:
    """Read and parse a document (the parser module, imported when first needed)."""
    from tracker.lhe.parser import parse_document as parse

    return parse(stream, kind)


def draft_json(parsed: ParsedLHE, received_date: date | None, deadline: date | None) -> dict:
    """What a draft stores: the parse, plus the dates the koordinator gives during review."""
    return {
        **parsed.to_json(),
        "review": {
            "received_date": received_date.isoformat() if received_date else None,
            "followup_deadline": deadline.isoformat() if deadline else None,
        },
    }


def draft_parse(draft: LheImport) -> ParsedLHE:
    """The draft's current (possibly edited) parse."""
    return ParsedLHE.from_json(draft.parse)


def draft_dates(draft: LheImport) -> tuple[date | None, date | None]:
    """(received date, follow-up deadline) as given during review."""
    review = (draft.parse or {}).get("review") or {}

    def read(name: str) -> date | None:
        value = review.get(name)
        return date.fromisoformat(value) if value else None

    return read("received_date"), read("followup_deadline")


def _read(storage, key: str, filename: str) -> tuple[str, ParsedLHE]:
    with storage.open(key) as handle:
        kind = filetypes.sniff_stream(handle, filename)
        if kind not in LHE_KINDS:
            raise LheImportError(
                _l(
                    "Jenis berkas tidak didukung, atau isinya tidak sesuai dengan nama berkasnya. "
                    "Unggah LHE berupa PDF, DOCX, atau TXT."
                ),
                detail=f"content/extension check: {kind or 'unknown'}",
            )
        try:
            return kind, parse_document(handle, kind)
        except UnreadableDocument as error:
            raise LheImportError(
                _l(
                    "Isi berkas tidak dapat dibaca (mis. PDF hasil pindaian tanpa teks, atau "
                    "berkas rusak). Unggah berkas yang teksnya bisa dipilih dan disalin."
                ),
                detail=str(error),
            ) from error
        except NotAnLHE as error:
            raise LheImportError(
                _l(
                    "Berkas ini tidak tampak seperti LHE: tidak ada tabel nilai maupun "
                    "rekomendasi yang terbaca."
                ),
                detail=str(error),
            ) from error
        except Exception as error:  # a parser bug must not leave a file behind or crash
            current_app.logger.exception("reading %s as %s failed", filename, kind)
            raise LheImportError(
                _l("Isi berkas tidak dapat dibaca. Coba simpan ulang sebagai PDF atau DOCX."),
                detail=f"{type(error).__name__}: {error}",
            ) from error


def upload_lhe(actor, stream: BinaryIO, filename: str | None, content_type: str | None = None):
    """Store an uploaded LHE (streamed), check its type by content, parse it: a draft import.
    Refused → LheImportError and nothing is left behind (no row, no file)."""
    filename = filetypes.clean_filename(filename)
    limit_mb = current_app.config["MAX_UPLOAD_MB"]
    storage = get_storage()
    try:
        stored = storage.save(stream, max_bytes=limit_mb * 1024 * 1024)
    except FileTooLarge as error:
        raise LheImportError(
            _l("Berkas terlalu besar. Ukuran paling besar %(mb)d MB.", mb=limit_mb),
            detail=f"larger than {limit_mb} MB",
        ) from error
    except EmptyFile as error:
        raise LheImportError(_l("Berkas kosong."), detail="empty file") from error
    try:
        kind, parsed = _read(storage, stored.key, filename)
    except LheImportError:
        release(stored.key)
        raise
    parsed.warnings = document_warnings(parsed, lower_bound_inclusive())
    draft = LheImport(
        uploaded_by_id=getattr(actor, "id", None),
        original_filename=filename,
        content_type=filetypes.content_type(kind),  # from the content, not the browser's claim
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        parse=draft_json(parsed, today_local(), None),
        status=ImportStatus.DRAFT,
    )
    db.session.add(draft)
    db.session.flush()
    audit.record(
        actor,
        draft,
        "upload",
        filename=filename,
        kind=kind,
        claimed_type=content_type or "",
        size=stored.size,
        sha256=stored.sha256,
        findings=len(parsed.findings),
        recommendations=len(parsed.recommendations),
    )
    db.session.flush()
    return draft


def update_draft(actor, draft: LheImport, parsed: ParsedLHE, received_date, deadline) -> None:
    """Store the reviewed parse and dates in the draft (nothing becomes an evaluation yet)."""
    _require_draft(draft)
    draft.parse = draft_json(parsed, received_date, deadline)
    audit.record(
        actor,
        draft,
        "review",
        findings=len(parsed.findings),
        recommendations=len(parsed.recommendations),
    )
    db.session.flush()


def discard(actor, draft: LheImport) -> None:
    """Throw a draft away; its file goes with `storage.release` after the commit."""
    _require_draft(draft)
    draft.status = ImportStatus.DISCARDED
    audit.record(actor, draft, "discard", filename=draft.original_filename)
    db.session.flush()


def _require_draft(draft: LheImport) -> None:
    if draft.status != ImportStatus.DRAFT:
        raise LheImportError(_l("Impor ini sudah disimpan atau dibuang."))


def find_duplicates(parsed: ParsedLHE) -> list[Evaluation]:
    """Evaluations of the same institution (ignoring case and spaces) and year."""
    if not parsed.institution or parsed.year is None:
        return []
    wanted = component_key(parsed.institution)
    candidates = db.session.scalars(
        select(Evaluation).where(Evaluation.year == parsed.year).order_by(Evaluation.id)
    ).all()
    return [e for e in candidates if component_key(e.institution) == wanted]


def _claim(draft: LheImport) -> None:
    """Mark the draft saved in one guarded UPDATE: a second, concurrent save finds no draft."""
    saved_at = now_utc()
    result = db.session.execute(
        update(LheImport)
        .where(LheImport.id == draft.id, LheImport.status == ImportStatus.DRAFT)
        .values(status=ImportStatus.SAVED, saved_at=saved_at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise LheImportError(_l("Impor ini sudah disimpan atau dibuang."))
    draft.status = ImportStatus.SAVED
    draft.saved_at = saved_at


def save_import(
    actor,
    draft: LheImport,
    parsed: ParsedLHE,
    mode: str,
    target: Evaluation | None = None,
    *,
    confirm_duplicate: bool = False,
) -> ImportResult:
    """Turn a reviewed draft into an evaluation ("new") or a revision of `target`.

    "new" is refused with DuplicateEvaluation while an evaluation of the same institution and
    year exists, unless `confirm_duplicate`. The revision rules are in revision.py.
    """
    _require_draft(draft)
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    problems = save_problems(parsed, STANDARD_WEIGHTS)
    if problems:
        raise LheImportError(" ".join(str(p) for p in problems))
    if mode == "revision" and target is None:
        raise LheImportError(_l("Pilih evaluasi yang direvisi."))
    if mode == "new" and not confirm_duplicate:
        duplicates = find_duplicates(parsed)
        if duplicates:
            raise DuplicateEvaluation(duplicates)
    received, deadline = draft_dates(draft)
    draft.parse = draft_json(parsed, received, deadline)
    db.session.flush()
    _claim(draft)
    if mode == "new":
        result = create_from_parse(actor, parsed, received, deadline)
    else:
        result = revise(actor, target, parsed)
    draft.evaluation_id = result.evaluation.id
    audit.record(
        actor,
        draft,
        "save",
        mode=mode,
        evaluation_id=result.evaluation.id,
        counts=result.counts,
        warnings=[str(w) for w in result.warnings],
    )
    db.session.flush()
    return result

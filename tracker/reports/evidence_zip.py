"""The "berkas data dukung": a ZIP of the accepted evidence of the matrix's follow-ups, in
folders ordered the way evaluators score (component, then recommendation), with the matrix
XLSX beside them.

    1 Perencanaan Kinerja/Rekomendasi 01/SK Tim IKU.pdf
    1 Perencanaan Kinerja/Rekomendasi 01/Tautan.txt     (links, one per item)
    matriks-tindak-lanjut-2024.xlsx

Only evidence that was part of a submission the koordinator accepted goes in. Names are
people's data: they are cleaned (no folders, no "..", no control characters) and numbered
when two collide. Files are streamed from storage, never read whole into memory.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import Select, select

from tracker.core.clock import now_local
from tracker.core.storage import get_storage
from tracker.evaluations.models import Evaluation
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.reports.matrix import Matrix, MatrixRow, file_name, report_scope
from tracker.reports.xlsx import build_xlsx
from tracker.verification.models import Decision, Submission, submission_evidence

MAX_NAME = 120  # characters of one path segment
ZIP64_FROM = 2**31  # bytes: larger entries need ZIP64 headers up front
# Already compressed: stored as is (deflating them again costs time and saves nothing).
STORED_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".jpg", ".jpeg", ".png", ".zip")
_UNSAFE = re.compile(r'[\\/:*?"<>|]')


@dataclass(frozen=True)
class EvidenceFile:
    """One accepted item: a stored file (storage_key) or a link (url)."""

    followup_id: int
    evidence_id: int
    title: str
    original_name: str
    storage_key: str | None
    url: str | None
    size: int | None

    @property
    def is_link(self) -> bool:
        return self.storage_key is None


def accepted_evidence(evaluation: Evaluation, followup_ids: Select | None) -> list[EvidenceFile]:
    """The evaluation's evidence that was part of an accepted submission (and not removed),
    limited to `followup_ids` as in `load_matrix`; one query."""
    accepted = (
        select(submission_evidence.c.evidence_id)
        .join(Submission, Submission.id == submission_evidence.c.submission_id)
        .where(Submission.decision == Decision.ACCEPTED)
    )
    # The follow-ups as the matrix scopes them (joined, not IN: see report_scope; 60 s -> 1.5 s
    # for a 12,000-row evaluation on SQLite).
    scope = report_scope(evaluation, followup_ids).subquery("scope")
    query = (
        select(Evidence)
        .join(scope, scope.c.id == Evidence.followup_id)
        .where(Evidence.removed_at.is_(None), Evidence.id.in_(accepted))
        .order_by(Evidence.document_date, Evidence.uploaded_at, Evidence.id)
    )
    return [
        EvidenceFile(
            followup_id=item.followup_id,
            evidence_id=item.id,
            title=item.title,
            original_name=item.original_name or item.title,
            storage_key=item.storage_key if item.kind == EvidenceKind.FILE else None,
            url=item.url if item.kind == EvidenceKind.LINK else None,
            size=item.size,
        )
        for item in db.session.scalars(query)
    ]


def segment(text: str, fallback: str = "berkas") -> str:
    """`text` as one path segment: separators and characters Windows refuses become "_",
    no control characters, no leading or trailing dots or spaces (so never "." or "..")."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            text = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            text = text[:MAX_NAME].rstrip(" .")
    return text or fallback


def safe_name(filename: str) -> str:
    """A file's original name as an entry name: its last segment only (an uploaded
    "../../etc/passwd" or "C:\\x\\y.pdf" keeps "passwd" or "y.pdf"), cleaned."""
    return segment(PureWindowsPath(filename.replace("/", "\\")).name)


def _numbered(name: str, taken: set[str]) -> str:
    """`name`, or "name (2).ext", "name (3).ext", ... if the folder holds it already
    (compared without case: Windows and macOS would merge them)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{ext}"
    taken.add(candidate.casefold())
    return candidate


def folder_of(row: MatrixRow, width: int) -> str:
    """ "1 Perencanaan Kinerja/Rekomendasi 01" for a row."""
    if row.component_order is None:
        component = segment(_("Tanpa Komponen"))
    else:
        component = segment(f"{row.component_order} {row.component}")
    recommendation = _("Rekomendasi %(number)s", number=str(row.number).zfill(width))
    return f"{component}/{segment(recommendation)}"


def _entry(name: str) -> zipfile.ZipInfo:
    """An entry dated now (local time, as unzip tools show it), readable by everyone."""
    info = zipfile.ZipInfo(name, date_time=now_local().timetuple()[:6])
    stored = name.lower().endswith(STORED_SUFFIXES)
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _copy(archive: zipfile.ZipFile, name: str, stream: BinaryIO, size: int | None) -> None:
    with archive.open(_entry(name), "w", force_zip64=(size or 0) >= ZIP64_FROM) as target:
        shutil.copyfileobj(stream, target, 1024 * 1024)


def build_zip(
    matrix: Matrix,
    evidence_files: list[EvidenceFile],
    out: BinaryIO,
    opener: Callable[[str], BinaryIO] | None = None,
) -> None:
    """Write the ZIP to `out` (a file or SpooledTemporaryFile). Evidence of a follow-up not
    in the matrix is left out; a file missing from storage is listed in a note instead."""
    opener = opener or get_storage().open
    by_followup: dict[int, list[EvidenceFile]] = defaultdict(list)
    for item in evidence_files:
        by_followup[item.followup_id].append(item)
    width = max([2, *(len(str(row.number)) for row in matrix.rows)])
    missing: list[str] = []
    links_name = segment(_("Tautan")) + ".txt"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        taken: dict[str, set[str]] = defaultdict(set)
        for row in matrix.rows:
            items = by_followup.get(row.followup_id)
            if not items:
                continue
            folder = folder_of(row, width)
            links = [item for item in items if item.is_link]
            if links:
                name = _numbered(links_name, taken[folder])
                text = "\n\n".join(f"{item.title}\n{item.url}" for item in links) + "\n"
                archive.writestr(_entry(f"{folder}/{name}"), text.encode("utf-8"))
            for item in items:
                if item.is_link:
                    continue
                name = _numbered(safe_name(item.original_name), taken[folder])
                try:
                    stream = opener(item.storage_key)
                except (OSError, ValueError):  # missing or unreadable: listed, not fatal
                    missing.append(f"{folder}/{name}")
                    continue
                with stream:
                    _copy(archive, f"{folder}/{name}", stream, item.size)
        if missing:
            note = _("Berkas berikut tidak ditemukan di penyimpanan:") + "\n" + "\n".join(missing)
            archive.writestr(_entry(segment(_("Berkas hilang")) + ".txt"), note.encode() + b"\n")
        archive.writestr(_entry(file_name(matrix, "xlsx")), build_xlsx(matrix))

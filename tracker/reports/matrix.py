"""The matriks tindak lanjut as plain data: one row per recommendation with its follow-up, in
the columns people already know, loaded in a fixed number of queries whatever its size.

The XLSX, PDF and ZIP builders only read these dataclasses; nothing here renders.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Select, select

from tracker.auth.models import User
from tracker.core.clock import local_zone
from tracker.core.filters import long_date
from tracker.core.labels import BPK_CATEGORY_OF, BPK_LABELS
from tracker.core.mail import external_url_builder
from tracker.evaluations.models import (
    ComponentScore,
    Evaluation,
    Finding,
    Recommendation,
    recommendation_findings,
)
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import (
    ActionStep,
    FollowUp,
    FollowUpStatus,
    followup_pics,
    followup_units,
)
from tracker.units.models import Unit
from tracker.verification.models import Submission

S = FollowUpStatus

# The columns, in order, with the headings both exports print.
COLUMNS = (
    _l("No"),
    _l("Komponen"),
    _l("Catatan"),
    _l("Rekomendasi"),
    _l("Rencana Aksi"),
    _l("PIC (Unit, Nama)"),
    _l("Batas Waktu"),
    _l("Realisasi Tindak Lanjut"),
    _l("Data Dukung"),
    _l("Status"),
    _l("Progres"),
    _l("Catatan Verifikator"),
    _l("Keterangan"),
)


class EvidenceLink(NamedTuple):
    """One item of data dukung: its name and where to open it (download URL or the link)."""

    name: str
    url: str


@dataclass
class MatrixHeader:
    institution: str
    year: int
    evaluator: str
    document_number: str
    report_date: date | None
    printed_date: date


@dataclass
class MatrixRow:
    no: int
    followup_id: int
    component_order: int | None  # None: the recommendation has no component
    component: str
    number: int  # the recommendation's number in the LHE
    findings: str  # Catatan
    recommendation: str
    action_plan: str  # Rencana Aksi: the plan's text and its steps
    units: list[str]
    pics: list[str]
    due_date: date | None
    realisation: str
    evidence: list[EvidenceLink]
    status: FollowUpStatus
    status_label: str  # the BPK category
    progress: int  # 0-100
    verifier_note: str  # the koordinator's latest decision note
    remarks: str  # Keterangan

    @property
    def pic_text(self) -> str:
        """Units on the first line, people's names on the second."""
        return "\n".join(part for part in (", ".join(self.units), ", ".join(self.pics)) if part)

    @property
    def evidence_text(self) -> str:
        """Each item numbered, its name with its link on the next line."""
        return "\n".join(
            f"{n}. {name}\n{url}" for n, (name, url) in enumerate(self.evidence, start=1)
        )


@dataclass
class Matrix:
    header: MatrixHeader
    rows: list[MatrixRow] = field(default_factory=list)


def file_name(matrix: Matrix, fmt: str) -> str:
    """The download's name: matriks-tindak-lanjut-2024.xlsx / .pdf, berkas-data-dukung-2024.zip."""
    stem = "berkas-data-dukung" if fmt == "zip" else "matriks-tindak-lanjut"
    return f"{stem}-{matrix.header.year}.{fmt}"


def _scope(evaluation: Evaluation, followup_ids: Select | None) -> Select:
    """The ids of the follow-ups in the report: the evaluation's, narrowed by `followup_ids`."""
    query = (
        select(FollowUp.id)
        .join(Recommendation, Recommendation.id == FollowUp.recommendation_id)
        .where(Recommendation.evaluation_id == evaluation.id)
    )
    if followup_ids is not None:
        query = query.where(FollowUp.id.in_(followup_ids))
    return query


def _grouped(rows) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for key, *values in rows:
        groups[key].append(values[0] if len(values) == 1 else tuple(values))
    return groups


def _findings_text(findings: list[tuple[int, str]]) -> str:
    if len(findings) == 1:
        return findings[0][1]
    return "\n".join(f"{number}. {text}" for number, text in findings)


def _plan_text(plan: str, steps: list[tuple[str, date | None, bool]]) -> str:
    lines = [plan.strip()] if plan.strip() else []
    for text, target, done in steps:
        notes = []
        if target is not None:
            notes.append(_("target %(date)s", date=long_date(target)))
        if done:
            notes.append(_("selesai"))
        lines.append(f"- {text}" + (f" ({', '.join(notes)})" if notes else ""))
    return "\n".join(lines)


def remarks(status: FollowUpStatus, due_date, closed_at, closure_reason: str, today: date) -> str:
    """Keterangan: why it is closed, or where it stands and how late it is."""
    parts: list[str] = []
    if status == S.TIDAK_DAPAT:
        parts.append(_("Alasan: %(reason)s", reason=closure_reason.strip() or "—"))
    elif status == S.SESUAI and closed_at is not None:
        parts.append(
            _("Selesai %(date)s", date=long_date(closed_at.astimezone(local_zone()).date()))
        )
    elif status == S.MENUNGGU:
        parts.append(_("Menunggu verifikasi"))
    elif status == S.DIKEMBALIKAN:
        parts.append(_("Dikembalikan untuk diperbaiki"))
    if not status.is_closed and due_date is not None and due_date < today:
        days = (today - due_date).days
        parts.append(ngettext("Terlambat %(num)d hari", "Terlambat %(num)d hari", days))
    return "; ".join(parts)


def load_matrix(evaluation: Evaluation, followup_ids: Select | None, today: date) -> Matrix:
    """The matrix of `evaluation`, limited to `followup_ids` (a SELECT of follow-up ids, e.g.
    `matching_ids(...)`; None: all), ordered by component then recommendation number.
    Seven queries, whatever the number of rows."""
    scope = _scope(evaluation, followup_ids)
    header = MatrixHeader(
        institution=evaluation.institution,
        year=evaluation.year,
        evaluator=evaluation.evaluator,
        document_number=evaluation.document_number,
        report_date=evaluation.report_date,
        printed_date=today,
    )
    main = db.session.execute(
        select(
            FollowUp.id,
            FollowUp.recommendation_id,
            FollowUp.status,
            FollowUp.due_date,
            FollowUp.action_plan,
            FollowUp.realisation,
            FollowUp.progress,
            FollowUp.closure_reason,
            FollowUp.closed_at,
            Recommendation.number,
            Recommendation.text,
            ComponentScore.order,
            ComponentScore.name,
        )
        .join(Recommendation, Recommendation.id == FollowUp.recommendation_id)
        .outerjoin(ComponentScore, ComponentScore.id == Recommendation.component_id)
        .where(FollowUp.id.in_(scope))
        .order_by(
            ComponentScore.order.is_(None),
            ComponentScore.order,
            ComponentScore.id,
            Recommendation.number,
            Recommendation.id,
        )
    ).all()
    findings = _grouped(
        db.session.execute(
            select(recommendation_findings.c.recommendation_id, Finding.number, Finding.text)
            .join(Finding, Finding.id == recommendation_findings.c.finding_id)
            .join(
                FollowUp,
                FollowUp.recommendation_id == recommendation_findings.c.recommendation_id,
            )
            .where(FollowUp.id.in_(scope))
            .order_by(Finding.number, Finding.id)
        )
    )
    units = _grouped(
        db.session.execute(
            select(followup_units.c.followup_id, Unit.name)
            .join(Unit, Unit.id == followup_units.c.unit_id)
            .where(followup_units.c.followup_id.in_(scope))
            .order_by(Unit.code)
        )
    )
    pics = _grouped(
        db.session.execute(
            select(followup_pics.c.followup_id, User.name)
            .join(User, User.id == followup_pics.c.user_id)
            .where(followup_pics.c.followup_id.in_(scope))
            .order_by(User.name, User.id)
        )
    )
    steps = _grouped(
        db.session.execute(
            select(ActionStep.followup_id, ActionStep.text, ActionStep.target_date, ActionStep.done)
            .where(ActionStep.followup_id.in_(scope))
            .order_by(ActionStep.position, ActionStep.id)
        )
    )
    download_url = external_url_builder("evidence.download")
    evidence: dict[int, list[EvidenceLink]] = defaultdict(list)
    for followup_id, evidence_id, kind, title, url in db.session.execute(
        select(Evidence.followup_id, Evidence.id, Evidence.kind, Evidence.title, Evidence.url)
        .where(Evidence.followup_id.in_(scope), Evidence.removed_at.is_(None))
        .order_by(Evidence.uploaded_at, Evidence.id)
    ):
        link = (url or "") if kind == EvidenceKind.LINK else download_url(evidence_id=evidence_id)
        evidence[followup_id].append(EvidenceLink(title, link))
    notes: dict[int, str] = {}
    for followup_id, note in db.session.execute(
        select(Submission.followup_id, Submission.note)
        .where(Submission.followup_id.in_(scope), Submission.decided_at.is_not(None))
        .order_by(Submission.decided_at, Submission.id)
    ):
        notes[followup_id] = note  # the last one wins: the latest decision

    matrix = Matrix(header=header)
    for no, row in enumerate(main, start=1):
        status = FollowUpStatus(row.status)
        matrix.rows.append(
            MatrixRow(
                no=no,
                followup_id=row.id,
                component_order=row.order,
                component=row.name or "",
                number=row.number,
                findings=_findings_text(findings.get(row.recommendation_id, [])),
                recommendation=row.text,
                action_plan=_plan_text(row.action_plan, steps.get(row.id, [])),
                units=units.get(row.id, []),
                pics=pics.get(row.id, []),
                due_date=row.due_date,
                realisation=row.realisation,
                evidence=evidence.get(row.id, []),
                status=status,
                status_label=str(BPK_LABELS[BPK_CATEGORY_OF[status]]),
                progress=row.progress,
                verifier_note=notes.get(row.id, ""),
                remarks=remarks(status, row.due_date, row.closed_at, row.closure_reason, today),
            )
        )
    return matrix

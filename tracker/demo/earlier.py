"""The demo's earlier year: the 2024 LHE of the same institution, mostly closed, with two
follow-ups still open long past their due date. It gives the dashboard something late to show,
the history two years to compare, and three 2025 recommendations that repeat a 2024 one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from tracker.auth.models import User
from tracker.core import audit
from tracker.evaluations.models import ComponentScore, Evaluation, Recommendation
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.units.models import Unit
from tracker.verification.models import Decision, Submission, SubmissionKind

RECEIVED = date(2025, 10, 20)
DUE = RECEIVED + timedelta(days=60)  # Friday 19 December 2025

# name, weight, score: 66.40, predikat B.
COMPONENTS = [
    ("Perencanaan Kinerja", "30", "20.10"),
    ("Pengukuran Kinerja", "30", "19.20"),
    ("Pelaporan Kinerja", "15", "10.35"),
    ("Evaluasi Akuntabilitas Kinerja Internal", "25", "16.75"),
]

# (component order, text, owner unit codes, PIC local parts, status, progress, closed on)
ITEMS = [
    (
        1,
        "Menyelaraskan Indikator Kinerja Utama pada Rencana Strategis dengan Perjanjian Kinerja "
        "setiap tahun.",
        ["SPI"],
        [],
        FollowUpStatus.SESUAI,
        100,
        date(2025, 12, 12),
    ),
    (
        1,
        "Menetapkan target kinerja yang menantang berdasarkan capaian tahun sebelumnya.",
        ["PERENCANAAN"],
        ["pic.perencanaan"],
        FollowUpStatus.SESUAI,
        100,
        date(2026, 1, 20),  # after the due date
    ),
    (
        2,
        "Menetapkan pedoman pemberian penghargaan dan sanksi berdasarkan hasil pengukuran "
        "kinerja pegawai.",
        ["KEPEGAWAIAN"],
        ["pic.kepegawaian"],
        FollowUpStatus.PROSES,
        60,
        None,
    ),
    (
        2,
        "Mengintegrasikan data capaian kinerja seluruh jurusan ke dalam satu aplikasi.",
        ["JTM", "JTE"],
        [],
        FollowUpStatus.BELUM,
        0,
        None,
    ),
    (
        3,
        "Menyampaikan Laporan Kinerja kepada Kementerian paling lambat akhir Februari.",
        ["PERENCANAAN"],
        [],
        FollowUpStatus.TIDAK_DAPAT,
        0,
        date(2025, 12, 5),
    ),
    (
        4,
        "Melaksanakan evaluasi akuntabilitas kinerja internal pada seluruh unit kerja secara "
        "berkala.",
        ["SPI"],
        [],
        FollowUpStatus.SESUAI,
        100,
        date(2025, 11, 28),
    ),
]
CANNOT_REASON = (
    "Batas penyampaian Laporan Kinerja ditetapkan Kementerian dan telah diubah menjadi 31 Maret "
    "melalui surat edaran; rekomendasi ini tidak dapat dilaksanakan sebagaimana tertulis."
)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta


def load(units: dict[str, Unit], users: dict[str, User]) -> Evaluation:
    """Add the 2024 evaluation with its follow-ups (caller flushes and commits)."""
    evaluation = Evaluation(
        institution="Politeknik Negeri Contoh",
        year=2024,
        evaluator="Inspektorat Jenderal",
        document_number="PW.03.01/0388/IJ/2025",
        report_date=date(2025, 10, 13),
        received_date=RECEIVED,
        followup_deadline=DUE,
        next_evaluation_date=date(2026, 8, 31),
        total_score=Decimal("66.40"),
        predikat="B",
        notes="Data contoh: LHE fiktif tahun sebelumnya.",
    )
    components = []
    for order, (name, weight, score) in enumerate(COMPONENTS, start=1):
        component = ComponentScore(
            order=order, name=name, weight=Decimal(weight), score=Decimal(score)
        )
        evaluation.components.append(component)
        components.append(component)
    for number, (order, text, owners, pics, status, progress, _closed) in enumerate(ITEMS, 1):
        recommendation = Recommendation(component=components[order - 1], number=number, text=text)
        recommendation.followup = FollowUp(
            due_date=DUE,
            units=[units[code] for code in owners],
            pics=[users[local_part] for local_part in pics],
            status=status,
            progress=progress,
            created_at=_at(RECEIVED),
        )
        evaluation.recommendations.append(recommendation)
    db.session.add(evaluation)
    db.session.flush()
    audit.record(None, evaluation, "create", institution=evaluation.institution, year=2024)
    koordinator = users["koordinator"]
    for recommendation, item in zip(evaluation.recommendations, ITEMS, strict=True):
        _close(recommendation.followup, item[4], item[6], koordinator)
    return evaluation


def _close(followup: FollowUp, status: FollowUpStatus, closed: date | None, koordinator) -> None:
    """A closed follow-up gets the decided submission that closed it."""
    if closed is None:
        if status == FollowUpStatus.PROSES:
            followup.action_plan = "Menyusun rancangan pedoman dan membahasnya dengan senat."
        return
    submitted = _at(closed - timedelta(days=3))
    submitter = followup.pics[0].id if followup.pics else None
    if status == FollowUpStatus.TIDAK_DAPAT:
        followup.closure_reason = CANNOT_REASON
        submission = Submission(
            followup_id=followup.id,
            kind=SubmissionKind.CANNOT,
            reason=CANNOT_REASON,
            submitted_by_id=submitter,
            submitted_at=submitted,
            decision=Decision.ACCEPTED,
            decided_by_id=koordinator.id,
            decided_at=_at(closed),
            note="Alasan dapat diterima; dicatat untuk evaluasi berikutnya.",
        )
    else:
        followup.realisation = "Telah dilaksanakan; dokumen pendukung terlampir."
        evidence = Evidence(
            followup_id=followup.id,
            kind=EvidenceKind.LINK,
            title="Dokumen tindak lanjut (folder bersama)",
            url=f"https://drive.example.com/sakip/2024/{followup.id}",
            document_date=closed - timedelta(days=5),
            uploaded_by_id=submitter,
            uploaded_at=submitted,
        )
        db.session.add(evidence)
        submission = Submission(
            followup_id=followup.id,
            kind=SubmissionKind.COMPLETION,
            realisation=followup.realisation,
            submitted_by_id=submitter,
            submitted_at=submitted,
            decision=Decision.ACCEPTED,
            decided_by_id=koordinator.id,
            decided_at=_at(closed),
            note="Data dukung cukup, kompeten, dan relevan.",
            cukup=True,
            kompeten=True,
            relevan=True,
            evidence=[evidence],
        )
    db.session.add(submission)
    followup.closed_at = _at(closed)

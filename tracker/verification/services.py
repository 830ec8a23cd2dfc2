"""Submitting for verification and deciding on it: submit, propose "tidak dapat
ditindaklanjuti", accept, approve, return, reopen. Each checks the follow-up's version (so a
decision on a page that has since changed is refused), makes one workflow move, and queues the
notification mails to go out after the commit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.core.clock import now_utc
from tracker.evaluations.models import Recommendation
from tracker.evidence.services import active_evidence
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.followups.services import check_version
from tracker.verification import notify
from tracker.verification.models import Decision, Submission, SubmissionKind
from tracker.verification.workflow import Move, apply


class VerificationError(ValueError):
    """A rule of the workflow refuses the request; `field` is the form field concerned."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


def open_submission(followup: FollowUp) -> Submission | None:
    """The submission waiting for the koordinator's decision, if any."""
    return db.session.scalar(
        select(Submission)
        .where(Submission.followup_id == followup.id, Submission.decision.is_(None))
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
    )


def submissions(followup: FollowUp) -> list[Submission]:
    """Every submission of the follow-up, newest first."""
    query = (
        select(Submission)
        .where(Submission.followup_id == followup.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        .options(
            joinedload(Submission.submitted_by),
            joinedload(Submission.decided_by),
            selectinload(Submission.evidence),
        )
    )
    return list(db.session.scalars(query))


def submit(followup: FollowUp, actor, expected_version: int | None) -> Submission:
    """Send the realisation and the current evidence to the koordinator."""
    check_version(followup, expected_version)
    evidence = active_evidence(followup)
    if not followup.realisation.strip():
        raise VerificationError(
            _l("Isi uraian tindak lanjut (realisasi) sebelum mengirim untuk verifikasi.")
        )
    if not evidence:
        raise VerificationError(
            _l("Unggah minimal satu data dukung sebelum mengirim untuk verifikasi.")
        )
    submission = Submission(
        followup_id=followup.id,
        kind=SubmissionKind.COMPLETION,
        realisation=followup.realisation,
        submitted_by_id=actor.id,
        submitted_at=now_utc(),
        evidence=evidence,
    )
    db.session.add(submission)
    db.session.flush()
    apply(followup, Move.SUBMIT, actor, submission=submission.id, evidence=len(evidence))
    db.session.flush()
    notify.submitted(followup, submission)
    return submission


def propose_cannot(
    followup: FollowUp, actor, reason: str, expected_version: int | None
) -> Submission:
    """Propose closing as "tidak dapat ditindaklanjuti"; the koordinator decides."""
    check_version(followup, expected_version)
    if not reason.strip():
        raise VerificationError(_l("Alasan wajib diisi."), "reason")
    submission = Submission(
        followup_id=followup.id,
        kind=SubmissionKind.CANNOT,
        realisation=followup.realisation,
        reason=reason.strip(),
        submitted_by_id=actor.id,
        submitted_at=now_utc(),
        evidence=active_evidence(followup),
    )
    db.session.add(submission)
    db.session.flush()
    apply(followup, Move.PROPOSE, actor, submission=submission.id, reason=submission.reason)
    db.session.flush()
    notify.submitted(followup, submission)
    return submission


def _decide(followup: FollowUp, actor, kind: SubmissionKind | None) -> Submission:
    submission = open_submission(followup)
    if submission is None or (kind is not None and submission.kind != kind):
        raise VerificationError(_l("Tidak ada pengajuan yang menunggu keputusan ini."))
    submission.decided_by_id = actor.id
    submission.decided_at = now_utc()
    return submission


def accept(
    followup: FollowUp,
    actor,
    *,
    cukup: bool,
    kompeten: bool,
    relevan: bool,
    note: str = "",
    expected_version: int | None,
) -> Submission:
    """Sesuai: the evidence is sufficient, competent and relevant. The evidence is frozen."""
    check_version(followup, expected_version)
    if not (cukup and kompeten and relevan):
        raise VerificationError(
            _l(
                "Data dukung hanya dapat diterima bila cukup, kompeten dan relevan. "
                "Bila belum, kembalikan dengan catatan."
            ),
            "checklist",
        )
    submission = _decide(followup, actor, SubmissionKind.COMPLETION)
    submission.decision = Decision.ACCEPTED
    submission.cukup = submission.kompeten = submission.relevan = True
    submission.note = note.strip()
    for item in submission.evidence:
        if item.accepted_at is None:
            item.accepted_at = now_utc()
    followup.progress = 100
    apply(
        followup,
        Move.ACCEPT,
        actor,
        submission=submission.id,
        checklist=["cukup", "kompeten", "relevan"],
        note=submission.note,
    )
    db.session.flush()
    notify.decided(followup, submission)
    return submission


def approve_cannot(
    followup: FollowUp, actor, note: str = "", *, expected_version: int | None
) -> Submission:
    """Close as "tidak dapat ditindaklanjuti" with the PIC's reason."""
    check_version(followup, expected_version)
    submission = _decide(followup, actor, SubmissionKind.CANNOT)
    submission.decision = Decision.ACCEPTED
    submission.note = note.strip()
    followup.closure_reason = submission.reason
    apply(followup, Move.APPROVE, actor, submission=submission.id, note=submission.note)
    db.session.flush()
    notify.decided(followup, submission)
    return submission


def return_followup(
    followup: FollowUp, actor, note: str, *, expected_version: int | None
) -> Submission:
    """Belum sesuai: back to the PIC with a note saying what is missing."""
    check_version(followup, expected_version)
    if not note.strip():
        raise VerificationError(_l("Catatan wajib diisi saat mengembalikan."), "note")
    submission = _decide(followup, actor, None)
    submission.decision = Decision.RETURNED
    submission.note = note.strip()
    apply(followup, Move.RETURN, actor, submission=submission.id, note=submission.note)
    db.session.flush()
    notify.decided(followup, submission)
    return submission


def reopen(followup: FollowUp, actor, reason: str, *, expected_version: int | None) -> None:
    """Open a closed follow-up again (dalam proses), with a reason; evidence accepted earlier
    stays frozen."""
    check_version(followup, expected_version)
    if not reason.strip():
        raise VerificationError(_l("Alasan wajib diisi."), "reason")
    followup.closure_reason = ""
    apply(followup, Move.REOPEN, actor, reason=reason.strip())
    db.session.flush()
    notify.reopened(followup, reason.strip())


def waiting_queue():
    """Follow-ups waiting for the koordinator, longest-waiting first, with their submission."""
    return (
        select(FollowUp, Submission)
        .join(Submission, Submission.followup_id == FollowUp.id)
        .where(FollowUp.status == FollowUpStatus.MENUNGGU, Submission.decision.is_(None))
        .order_by(Submission.submitted_at, Submission.id)
        .options(
            joinedload(FollowUp.recommendation).joinedload(Recommendation.evaluation),
            selectinload(FollowUp.units),
            joinedload(Submission.submitted_by),
        )
    )

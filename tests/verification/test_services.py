"""Submitting for verification and the koordinator's decisions, at the service level."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tracker.core import mail
from tracker.evidence import services as evidence
from tracker.extensions import db
from tracker.followups import work
from tracker.followups.models import FollowUpStatus as S
from tracker.followups.services import StaleFollowUpError
from tracker.verification import services
from tracker.verification.models import Decision, Submission, SubmissionKind
from tracker.verification.workflow import IllegalMove

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ALL_TICKS = {"cukup": True, "kompeten": True, "relevan": True}


def _link(followup, actor, title: str = "SK Tim IKU"):
    item = evidence.add_link(
        followup,
        actor,
        url=f"https://drive.example.com/{title.replace(' ', '-')}",
        title=title,
        document_date=date(2025, 5, 2),
    )
    db.session.commit()
    return item


def _write(followup, realisation: str = "IKU telah direviu dan ditetapkan.") -> None:
    followup.realisation = realisation
    db.session.commit()


def _submitted(followup, world) -> Submission:
    """The follow-up with a realisation and one link, sent for verification."""
    _write(followup)
    _link(followup, world.pic)
    submission = services.submit(followup, world.pic, followup.version)
    db.session.commit()
    return submission


def _proposed(followup, world, reason: str = "Keadaan kahar: gedung terbakar.") -> Submission:
    submission = services.propose_cannot(followup, world.pic, reason, followup.version)
    db.session.commit()
    return submission


def _accepted(followup, world) -> Submission:
    submission = _submitted(followup, world)
    services.accept(followup, world.koordinator, **ALL_TICKS, expected_version=followup.version)
    db.session.commit()
    return submission


def _count_submissions() -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


# --- submit -----------------------------------------------------------------------------------


def _no_realisation(followup, world):
    _link(followup, world.pic)
    _write(followup, "   ")


def _no_evidence(followup, world):
    _write(followup)


def _only_removed_evidence(followup, world):
    _write(followup)
    evidence.remove(_link(followup, world.pic), world.pic)
    db.session.commit()


@pytest.mark.parametrize(
    ("scene", "message"),
    [
        (_no_realisation, "realisasi"),
        (_no_evidence, "data dukung"),
        (_only_removed_evidence, "data dukung"),
    ],
)
def test_submit_needs_a_realisation_and_active_evidence(world, followup, scene, message):
    scene(followup, world)
    status = followup.status
    with pytest.raises(services.VerificationError, match=message):
        services.submit(followup, world.pic, followup.version)
    db.session.rollback()
    assert followup.status == status
    assert _count_submissions() == 0


def test_submit_snapshots_the_realisation_and_active_evidence(world, followup, frozen_clock):
    _write(followup)
    kept = _link(followup, world.pic, "Notulen rapat")
    upload = evidence.add_file(
        followup,
        world.pic,
        io.BytesIO(PDF),
        "x.pdf",
        title="Dokumen IKU",
        document_date=date(2025, 5, 3),
    )
    db.session.commit()
    gone = _link(followup, world.pic, "Salah unggah")
    evidence.remove(gone, world.pic)
    db.session.commit()

    submission = services.submit(followup, world.pic, followup.version)
    assert [m.to for m in mail.pending()] == [(world.koordinator.email,)]  # after the commit
    db.session.commit()
    db.session.expire_all()

    assert followup.status == S.MENUNGGU
    assert submission.kind == SubmissionKind.COMPLETION
    assert submission.realisation == "IKU telah direviu dan ditetapkan."
    assert [item.id for item in submission.evidence] == sorted([kept.id, upload.id])
    assert submission.submitted_by_id == world.pic.id
    assert submission.submitted_at == datetime(2025, 6, 2, tzinfo=UTC)
    assert submission.decision is None and submission.is_open
    assert services.open_submission(followup).id == submission.id


def test_submit_refuses_while_one_is_already_waiting(world, followup):
    _submitted(followup, world)
    with pytest.raises(IllegalMove):
        services.submit(followup, world.pic, followup.version)
    db.session.rollback()
    assert followup.status == S.MENUNGGU
    assert _count_submissions() == 1


# --- propose "tidak dapat ditindaklanjuti" ----------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_propose_needs_a_reason(world, followup, reason):
    with pytest.raises(services.VerificationError) as refused:
        services.propose_cannot(followup, world.pic, reason, followup.version)
    assert refused.value.field == "reason"
    db.session.rollback()
    assert followup.status == S.BELUM
    assert _count_submissions() == 0


def test_propose_sends_the_reason_without_needing_evidence(world, followup):
    submission = _proposed(followup, world, "  Hambatan hukum: peraturan dicabut.  ")
    assert followup.status == S.MENUNGGU
    assert submission.kind == SubmissionKind.CANNOT
    assert submission.reason == "Hambatan hukum: peraturan dicabut."
    assert submission.evidence == []


# --- accept -----------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["cukup", "kompeten", "relevan"])
def test_accept_needs_all_three_ticks(world, followup, missing):
    submission = _submitted(followup, world)
    with pytest.raises(services.VerificationError) as refused:
        services.accept(
            followup,
            world.koordinator,
            **{**ALL_TICKS, missing: False},
            expected_version=followup.version,
        )
    assert refused.value.field == "checklist"
    db.session.rollback()
    assert followup.status == S.MENUNGGU
    assert submission.is_open
    assert all(item.accepted_at is None for item in submission.evidence)


def test_accept_closes_as_sesuai_and_freezes_the_evidence(world, followup, frozen_clock):
    submission = _submitted(followup, world)
    services.accept(
        followup,
        world.koordinator,
        **ALL_TICKS,
        note="  Lengkap.  ",
        expected_version=followup.version,
    )
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.SESUAI
    assert followup.progress == 100
    assert followup.closed_at == datetime(2025, 6, 2, tzinfo=UTC)
    assert submission.decision == Decision.ACCEPTED
    assert submission.decided_by_id == world.koordinator.id
    assert (submission.cukup, submission.kompeten, submission.relevan) == (True, True, True)
    assert submission.note == "Lengkap."
    assert submission.evidence and all(item.is_frozen for item in submission.evidence)
    assert services.open_submission(followup) is None


def test_accept_refuses_a_cannot_proposal(world, followup):
    _proposed(followup, world)
    with pytest.raises(services.VerificationError):
        services.accept(followup, world.koordinator, **ALL_TICKS, expected_version=followup.version)
    db.session.rollback()
    assert followup.status == S.MENUNGGU
    assert services.open_submission(followup).decision is None


def test_accept_with_nothing_waiting_is_refused(world, followup):
    with pytest.raises(services.VerificationError):
        services.accept(followup, world.koordinator, **ALL_TICKS, expected_version=followup.version)
    db.session.rollback()
    assert followup.status == S.BELUM


# --- approve "tidak dapat ditindaklanjuti" ----------------------------------------------------


def test_approve_closes_with_the_pics_reason(world, followup, frozen_clock):
    submission = _proposed(followup, world, "Keadaan kahar.")
    services.approve_cannot(
        followup, world.koordinator, "Alasan sah.", expected_version=followup.version
    )
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.TIDAK_DAPAT
    assert followup.closure_reason == "Keadaan kahar."
    assert followup.closed_at == datetime(2025, 6, 2, tzinfo=UTC)
    assert submission.decision == Decision.ACCEPTED
    assert submission.note == "Alasan sah."


def test_approve_refuses_a_completion_submission(world, followup):
    _submitted(followup, world)
    with pytest.raises(services.VerificationError):
        services.approve_cannot(followup, world.koordinator, expected_version=followup.version)
    db.session.rollback()
    assert followup.status == S.MENUNGGU
    assert followup.closure_reason == ""


# --- return -----------------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "  "])
def test_return_needs_a_note(world, followup, note):
    _submitted(followup, world)
    with pytest.raises(services.VerificationError) as refused:
        services.return_followup(
            followup, world.koordinator, note, expected_version=followup.version
        )
    assert refused.value.field == "note"
    db.session.rollback()
    assert followup.status == S.MENUNGGU


@pytest.mark.parametrize("send", [_submitted, _proposed])
def test_return_sends_either_kind_back_with_the_note(world, followup, send):
    submission = send(followup, world)
    services.return_followup(
        followup, world.koordinator, "Lampirkan SK.", expected_version=followup.version
    )
    assert [m.to for m in mail.pending()] == [(world.pic.email,)]
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.DIKEMBALIKAN
    assert followup.closed_at is None
    assert submission.decision == Decision.RETURNED
    assert submission.note == "Lampirkan SK."
    assert services.open_submission(followup) is None


def test_returned_work_is_corrected_and_submitted_again(world, followup):
    first = _submitted(followup, world)
    services.return_followup(
        followup, world.koordinator, "SK belum ditandatangani.", expected_version=followup.version
    )
    db.session.commit()

    work.update_work(
        followup,
        world.pic,
        action_plan="",
        realisation="SK telah ditandatangani.",
        progress=90,
        expected_version=followup.version,
    )
    _link(followup, world.pic, "SK bertanda tangan")
    second = services.submit(followup, world.pic, followup.version)
    db.session.commit()
    db.session.expire_all()

    assert followup.status == S.MENUNGGU
    assert [s.id for s in services.submissions(followup)] == [second.id, first.id]
    assert services.open_submission(followup).id == second.id
    assert first.realisation == "IKU telah direviu dan ditetapkan."  # the snapshot stays
    assert second.realisation == "SK telah ditandatangani."
    assert len(second.evidence) == 2


# --- reopen -----------------------------------------------------------------------------------


def test_reopen_needs_a_reason(world, followup):
    _accepted(followup, world)
    with pytest.raises(services.VerificationError) as refused:
        services.reopen(followup, world.koordinator, " ", expected_version=followup.version)
    assert refused.value.field == "reason"
    db.session.rollback()
    assert followup.status == S.SESUAI


def test_reopen_after_sesuai_keeps_earlier_evidence_frozen(world, followup):
    submission = _accepted(followup, world)
    [frozen] = submission.evidence
    accepted_at = frozen.accepted_at
    services.reopen(
        followup,
        world.koordinator,
        "Temuan baru dari evaluator.",
        expected_version=followup.version,
    )
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.PROSES
    assert followup.closed_at is None
    assert frozen.accepted_at == accepted_at
    with pytest.raises(evidence.EvidenceError):
        evidence.remove(frozen, world.pic)
    db.session.rollback()
    assert frozen.is_active
    _link(followup, world.pic, "Bukti tambahan")  # new evidence may be added again
    assert len(evidence.active_evidence(followup)) == 2


def test_reopen_after_tidak_dapat_clears_the_closure_reason(world, followup):
    _proposed(followup, world)
    services.approve_cannot(followup, world.koordinator, expected_version=followup.version)
    db.session.commit()
    services.reopen(
        followup, world.koordinator, "Hambatan sudah hilang.", expected_version=followup.version
    )
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.PROSES
    assert followup.closure_reason == ""


# --- stale versions ---------------------------------------------------------------------------


def _ready(followup, world):
    _write(followup)
    _link(followup, world.pic)


VERBS = {
    "submit": (_ready, lambda f, w, v: services.submit(f, w.pic, v)),
    "propose": (_ready, lambda f, w, v: services.propose_cannot(f, w.pic, "Kahar.", v)),
    "accept": (
        _submitted,
        lambda f, w, v: services.accept(f, w.koordinator, **ALL_TICKS, expected_version=v),
    ),
    "approve": (
        _proposed,
        lambda f, w, v: services.approve_cannot(f, w.koordinator, expected_version=v),
    ),
    "return": (
        _submitted,
        lambda f, w, v: services.return_followup(f, w.koordinator, "Kurang.", expected_version=v),
    ),
    "reopen": (
        _accepted,
        lambda f, w, v: services.reopen(f, w.koordinator, "Dibuka.", expected_version=v),
    ),
}


@pytest.mark.parametrize("stale", ["older", "missing"])
@pytest.mark.parametrize("verb", list(VERBS))
def test_a_stale_version_is_refused_by_every_verb(world, followup, verb, stale):
    prepare, call = VERBS[verb]
    prepare(followup, world)
    status, version, count = followup.status, followup.version, _count_submissions()
    with pytest.raises(StaleFollowUpError):
        call(followup, world, version - 1 if stale == "older" else None)
    db.session.rollback()
    db.session.expire_all()
    assert (followup.status, followup.version) == (status, version)
    assert _count_submissions() == count

"""The follow-up state machine: which move is legal from which state, and the one function that
makes a move (and records who, when and what).

    belum ──start──▶ dalam proses
    belum / dalam proses / dikembalikan ──submit | propose──▶ menunggu verifikasi
    menunggu verifikasi ──accept──▶ sesuai            (a completion submission)
    menunggu verifikasi ──approve──▶ tidak dapat ...  (a "tidak dapat" proposal)
    menunggu verifikasi ──return──▶ dikembalikan      (either kind, with a note)
    sesuai / tidak dapat ... ──reopen──▶ dalam proses  (with a reason)

Who may make a move is decided in tracker/core/permissions.py.
"""

from __future__ import annotations

import enum

from sqlalchemy import update

from tracker.core.audit import record
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.models import FollowUpStatus as S


class Move(enum.StrEnum):
    START = "start"
    SUBMIT = "submit"
    PROPOSE = "propose"
    ACCEPT = "accept"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


OPEN_WORK = frozenset({S.BELUM, S.PROSES, S.DIKEMBALIKAN})

TRANSITIONS: dict[Move, tuple[frozenset[S], S]] = {
    Move.START: (frozenset({S.BELUM}), S.PROSES),
    Move.SUBMIT: (OPEN_WORK, S.MENUNGGU),
    Move.PROPOSE: (OPEN_WORK, S.MENUNGGU),
    Move.ACCEPT: (frozenset({S.MENUNGGU}), S.SESUAI),
    Move.APPROVE: (frozenset({S.MENUNGGU}), S.TIDAK_DAPAT),
    Move.RETURN: (frozenset({S.MENUNGGU}), S.DIKEMBALIKAN),
    Move.REOPEN: (frozenset({S.SESUAI, S.TIDAK_DAPAT}), S.PROSES),
}


class IllegalMove(Exception):
    """The move is not allowed from the follow-up's current state."""

    def __init__(self, move: Move, status: S):
        super().__init__(f"{move.value} is not allowed from {status.value}")
        self.move = move
        self.status = status


def allowed(move: Move, status: S) -> bool:
    return status in TRANSITIONS[move][0]


def target(move: Move) -> S:
    return TRANSITIONS[move][1]


def apply(followup: FollowUp, move: Move, actor, **summary) -> S:
    """Make `move` on `followup` (or raise IllegalMove), audited as action "status"."""
    if not allowed(move, followup.status):
        raise IllegalMove(move, followup.status)
    old, new = followup.status, target(move)
    followup.status = new
    followup.updated_at = now_utc()
    followup.closed_at = now_utc() if new.is_closed else None
    record(actor, followup, "status", move=move, status=[old, new], **summary)
    return new


def start_work(followup: FollowUp, actor) -> bool:
    """Belum → dalam proses when work begins; True if this call moved it.

    Done with one conditional UPDATE rather than through the ORM's versioned row, so two PICs
    uploading at the same moment both succeed (the second finds it started already).
    """
    if followup.status != S.BELUM:
        return False
    result = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == followup.id, FollowUp.status == S.BELUM)
        .values(status=S.PROSES, version=FollowUp.version + 1, updated_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(followup)
    if result.rowcount != 1:
        return False
    record(actor, followup, "status", move=Move.START, status=[S.BELUM, S.PROSES])
    return True

"""The follow-up state machine: every move from every state, its audit entry and closed_at."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus as S
from tracker.verification import workflow
from tracker.verification.workflow import IllegalMove, Move

# Written out from the workflow of domain.md, independently of the code's table.
OPEN = {S.BELUM, S.PROSES, S.DIKEMBALIKAN}
EXPECTED = {
    Move.START: ({S.BELUM}, S.PROSES),
    Move.SUBMIT: (OPEN, S.MENUNGGU),
    Move.PROPOSE: (OPEN, S.MENUNGGU),
    Move.ACCEPT: ({S.MENUNGGU}, S.SESUAI),
    Move.APPROVE: ({S.MENUNGGU}, S.TIDAK_DAPAT),
    Move.RETURN: ({S.MENUNGGU}, S.DIKEMBALIKAN),
    Move.REOPEN: ({S.SESUAI, S.TIDAK_DAPAT}, S.PROSES),
}
PAIRS = list(itertools.product(list(Move), list(S)))
EARLIER = datetime(2025, 5, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
def followup(world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    return evaluation.recommendations[0].followup


def _set_status(followup, status: S) -> None:
    followup.status = status
    followup.closed_at = EARLIER if status.is_closed else None
    db.session.commit()


def _status_entries(followup) -> list[AuditEntry]:
    db.session.flush()
    query = select(AuditEntry).where(
        AuditEntry.object_id == followup.id,
        AuditEntry.object_type == "followups",
        AuditEntry.action == "status",
    )
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def test_the_table_covers_every_move_with_the_documented_targets():
    assert set(workflow.TRANSITIONS) == set(Move)
    for move, (sources, goal) in EXPECTED.items():
        assert set(workflow.TRANSITIONS[move][0]) == sources, move
        assert workflow.target(move) == goal, move


@pytest.mark.parametrize(("move", "status"), PAIRS, ids=[f"{m}-{s}" for m, s in PAIRS])
def test_allowed_matches_the_table(move, status):
    assert workflow.allowed(move, status) is (status in EXPECTED[move][0])


@pytest.mark.parametrize(("move", "status"), PAIRS, ids=[f"{m}-{s}" for m, s in PAIRS])
def test_apply_moves_and_audits_or_refuses(world, followup, frozen_clock, move, status):
    _set_status(followup, status)
    sources, goal = EXPECTED[move]
    if status not in sources:
        with pytest.raises(IllegalMove) as refused:
            workflow.apply(followup, move, world.koordinator)
        assert (refused.value.move, refused.value.status) == (move, status)
        assert followup.status == status
        db.session.rollback()
        assert followup.status == status
        assert _status_entries(followup) == []
        return
    assert workflow.apply(followup, move, world.koordinator, note="catatan") == goal
    db.session.commit()
    db.session.expire_all()
    assert followup.status == goal
    [entry] = _status_entries(followup)
    assert entry.user_id == world.koordinator.id
    assert entry.summary == {
        "move": move.value,
        "status": [status.value, goal.value],
        "note": "catatan",
    }
    if goal.is_closed:
        assert followup.closed_at == datetime(2025, 6, 2, tzinfo=UTC)  # the frozen clock
    else:
        assert followup.closed_at is None  # a reopen clears it


def test_start_work_moves_a_new_followup_once(world, followup):
    version = followup.version
    assert workflow.start_work(followup, world.pic) is True
    assert followup.status == S.PROSES
    assert followup.version == version + 1
    assert workflow.start_work(followup, world.pic) is False
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.PROSES
    assert followup.version == version + 1
    [entry] = _status_entries(followup)
    assert entry.summary == {"move": "start", "status": [S.BELUM.value, S.PROSES.value]}
    assert entry.user_id == world.pic.id


@pytest.mark.parametrize("status", sorted(set(S) - {S.BELUM}))
def test_start_work_leaves_every_other_state_alone(world, followup, status):
    _set_status(followup, status)
    version = followup.version
    assert workflow.start_work(followup, world.pic) is False
    db.session.commit()
    db.session.expire_all()
    assert (followup.status, followup.version) == (status, version)
    assert _status_entries(followup) == []


def test_start_work_after_someone_else_started_it_returns_false(world, followup):
    """Two PICs at once: the second finds the row started already and records nothing."""
    with db.engine.begin() as conn:
        conn.execute(
            db.text("UPDATE followups SET status = :s, version = version + 1 WHERE id = :id"),
            {"s": S.PROSES.value, "id": followup.id},
        )
    assert followup.status == S.BELUM  # this session has not seen it yet
    assert workflow.start_work(followup, world.pic) is False
    assert followup.status == S.PROSES
    assert _status_entries(followup) == []

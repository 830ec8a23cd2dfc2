"""The schema's own guarantees, checked against the real database (built by the migrations)."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm.exc import StaleDataError

from tests import factories
from tracker.auth.models import Role, User
from tracker.core.audit import AuditEntry, changes, record
from tracker.evaluations.models import Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus

# PyMySQL reports MariaDB's CHECK failures (error 4025) as OperationalError.
CHECK_FAILED = (IntegrityError, OperationalError)


def test_email_is_unique_case_insensitively(world):
    factories.make_user("Someone@Example.com", Role.PIC, [world.unit_a])
    with pytest.raises(IntegrityError):
        factories.make_user("someone@example.COM", Role.PIC, [world.unit_a])
    db.session.rollback()


def test_status_outside_the_six_states_is_refused_by_the_database(world):
    evaluation = factories.make_evaluation([world.unit_a])
    followup_id = evaluation.recommendations[0].followup.id
    with pytest.raises(CHECK_FAILED, match="(?i)constraint"), db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE followups SET status = 'selesai' WHERE id = :id"),
            {"id": followup_id},
        )


def test_role_outside_the_four_roles_is_refused_by_the_database(world):
    with pytest.raises(CHECK_FAILED, match="(?i)constraint"), db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE users SET role = 'superuser' WHERE id = :id"),
            {"id": world.pic.id},
        )


def test_unknown_status_is_refused_before_the_database(world):
    evaluation = factories.make_evaluation([world.unit_a])
    followup = evaluation.recommendations[0].followup
    followup.status = "selesai"
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()


def test_progress_must_stay_between_0_and_100(world):
    evaluation = factories.make_evaluation([world.unit_a])
    followup = evaluation.recommendations[0].followup
    followup.progress = 101
    with pytest.raises(CHECK_FAILED, match="(?i)constraint"):
        db.session.flush()
    db.session.rollback()


def test_one_followup_per_recommendation(world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=1)
    recommendation_id = evaluation.recommendations[0].id
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            sa.insert(FollowUp.__table__).values(
                recommendation_id=recommendation_id,
                status=FollowUpStatus.BELUM.value,
                action_plan="",
                realisation="",
                progress=0,
                created_at=datetime(2025, 1, 1, tzinfo=UTC),
                updated_at=datetime(2025, 1, 1, tzinfo=UTC),
                version=1,
            )
        )


def test_version_counter_detects_concurrent_edits(app, world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=1)
    followup = evaluation.recommendations[0].followup
    assert followup.version == 1
    followup.action_plan = "Langkah pertama"
    db.session.commit()
    assert followup.version == 2
    # Another process changes the row meanwhile.
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE followups SET version = version + 1 WHERE id = :id"),
            {"id": followup.id},
        )
    followup.action_plan = "Langkah kedua"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()


def test_deleting_an_evaluation_removes_its_children(world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic])
    db.session.delete(evaluation)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(Recommendation.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 0
    # The people and units stay.
    assert db.session.get(User, world.pic.id) is not None


def test_timestamps_are_stored_and_returned_in_utc(world):
    moment = datetime(2025, 6, 2, 7, 30, tzinfo=UTC)
    entry = record(None, world.unit_a, "test")
    entry.at = moment
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored.at == moment
    assert stored.at.tzinfo is not None


def test_audit_summary_is_json_safe(world):
    evaluation = factories.make_evaluation([world.unit_a])
    diff = changes(evaluation, {"institution": "Politeknik Baru", "year": 2024})
    assert diff == {"institution": ["Politeknik Contoh", "Politeknik Baru"]}
    entry = record(world.admin, evaluation, "update", changes=diff, total=evaluation.total_score)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEntry, entry.id)
    assert stored.summary["changes"]["institution"][1] == "Politeknik Baru"
    assert stored.summary["total"] == "78.55"
    assert stored.user_id == world.admin.id


def test_sqlite_enforces_foreign_keys_after_migrating(app_ctx):
    """The migrations switch foreign keys off on SQLite while they run; they must be on after."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    connections = [db.engine.connect() for _ in range(3)]
    try:
        for conn in connections:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        for conn in connections:
            conn.close()

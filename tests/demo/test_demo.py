"""`flask demo load`: two years of one institution; loads once, refuses a second time,
--if-empty stays quiet."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.models import Role, User
from tracker.auth.services import verify_password
from tracker.core.audit import AuditEntry
from tracker.evaluations.models import Evaluation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.units.models import Unit
from tracker.verification.models import Decision, Submission

# domain.md: predikat by total, "greater than the lower bound" (D is 0-30 inclusive).
PREDIKAT_LOWER_BOUNDS = [
    ("AA", Decimal(90)),
    ("A", Decimal(80)),
    ("BB", Decimal(70)),
    ("B", Decimal(60)),
    ("CC", Decimal(50)),
    ("C", Decimal(30)),
]


def expected_predikat(total: Decimal) -> str:
    for predikat, lower in PREDIKAT_LOWER_BOUNDS:
        if total > lower:
            return predikat
    return "D"


def load(app, *args):
    return app.test_cli_runner().invoke(args=["demo", "load", *args])


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def of_year(year: int) -> Evaluation:
    return db.session.scalars(select(Evaluation).where(Evaluation.year == year)).one()


@pytest.fixture
def loaded(app):
    result = load(app)
    assert result.exit_code == 0, result.output
    return result.output


def test_load_creates_units_accounts_and_two_years_of_evaluations(app_ctx, loaded):
    assert count(Unit) == 6
    names = set(db.session.scalars(select(Unit.name)))
    assert {"Unit Penjaminan Mutu", "Satuan Pengawas Internal"} <= names
    users = db.session.scalars(select(User)).all()
    assert sorted(user.role for user in users) == sorted(
        [Role.ADMIN, Role.KOORDINATOR, Role.PIMPINAN, Role.PIC, Role.PIC]
    )
    pics = [user for user in users if user.role == Role.PIC]
    assert len({unit.id for pic in pics for unit in pic.units}) == 2
    assert all(user.email.endswith("@demo.tracker.id") for user in users)
    assert sorted(db.session.scalars(select(Evaluation.year))) == [2024, 2025]


def test_printed_passwords_are_the_real_ones(app_ctx, loaded):
    printed = dict(re.findall(r"(\S+@demo\.tracker\.id)\s+(\S+)", loaded))
    assert len(printed) == 5
    assert "koordinator@demo.tracker.id" in printed
    for email, password in printed.items():
        user = db.session.scalar(select(User).where(User.email == email))
        assert verify_password(user, password)
        assert not verify_password(user, factories.PASSWORD)


def test_passwords_differ_between_databases(app):
    first = load(app).output
    with app.app_context():
        db.session.execute(User.__table__.delete())
        db.session.execute(Evaluation.__table__.delete())
        db.session.execute(Unit.__table__.delete())
        db.session.commit()
    second = load(app).output
    assert re.findall(r"demo\.tracker\.id\s+(\S+)", first) != re.findall(
        r"demo\.tracker\.id\s+(\S+)", second
    )


@pytest.mark.parametrize("year", [2024, 2025])
def test_scores_add_up_and_predikat_fits(app_ctx, loaded, year):
    evaluation = of_year(year)
    assert [c.weight for c in evaluation.components] == [30, 30, 15, 25]
    assert sum(c.weight for c in evaluation.components) == 100
    assert all(0 <= c.score <= c.weight for c in evaluation.components)
    assert sum(c.score for c in evaluation.components) == evaluation.total_score
    assert evaluation.predikat == expected_predikat(evaluation.total_score)
    assert evaluation.report_date.year == evaluation.received_date.year == year + 1
    assert (evaluation.followup_deadline - evaluation.received_date).days == 60


def test_findings_and_recommendations_are_grouped_by_component(app_ctx, loaded):
    evaluation = of_year(2025)
    assert len(evaluation.findings) >= 6
    assert len(evaluation.recommendations) >= 6
    components = set(evaluation.components)
    assert {r.component for r in evaluation.recommendations} == components
    assert {f.component for f in evaluation.findings} == components
    assert [r.number for r in evaluation.recommendations] == list(
        range(1, len(evaluation.recommendations) + 1)
    )
    assert all(r.findings for r in evaluation.recommendations)


def test_every_recommendation_has_a_followup_some_assigned_some_started(app_ctx, loaded):
    evaluation = of_year(2025)
    followups = [r.followup for r in evaluation.recommendations]
    assert all(f is not None for f in followups)
    assert count(FollowUp) == len(followups) + len(of_year(2024).recommendations)
    assert all(f.due_date == evaluation.followup_deadline for f in followups)
    assert any(f.units for f in followups) and any(not f.units for f in followups)
    assert any(f.pics for f in followups) and any(not f.pics for f in followups)
    started = [f for f in followups if f.status == FollowUpStatus.PROSES]
    assert len(started) >= 2
    assert all(f.action_plan.strip() and f.progress > 0 for f in started)
    for followup in followups:  # a PIC always belongs to one of the owning units
        for pic in followup.pics:
            assert pic.unit_ids & followup.unit_ids


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_evaluation_is_audited_as_the_system(app_ctx, loaded, year):
    evaluation = of_year(year)
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "evaluations", AuditEntry.object_id == evaluation.id
        )
    ).one()
    assert entry.action == "create"
    assert entry.user_id is None


def test_the_earlier_year_is_mostly_closed_with_two_follow_ups_long_overdue(app_ctx, loaded):
    earlier = of_year(2024)
    followups = [r.followup for r in earlier.recommendations]
    closed = [f for f in followups if f.is_closed]
    late = [f for f in followups if not f.is_closed]
    assert len(closed) == 4 and len(late) == 2
    assert all(f.due_date < date(2026, 11, 1) for f in late)  # long overdue in the demo
    assert all(f.closed_at is not None for f in closed)
    for followup in closed:  # closed through a decided submission, as the workflow does
        (submission,) = db.session.scalars(
            select(Submission).where(Submission.followup_id == followup.id)
        )
        assert submission.decision == Decision.ACCEPTED
        assert submission.decided_at == followup.closed_at
    cannot = [f for f in closed if f.status == FollowUpStatus.TIDAK_DAPAT]
    assert len(cannot) == 1 and cannot[0].closure_reason


def test_three_2025_recommendations_repeat_a_2024_one(app_ctx, loaded):
    repeated = {r.number: r.repeat_of.number for r in of_year(2025).recommendations if r.repeat_of}
    # The IKU alignment, the reward-and-sanction policy, the internal evaluation of every unit.
    assert repeated == {1: 1, 5: 3, 8: 6}


def test_second_load_is_refused(app, loaded):
    result = load(app)
    assert result.exit_code != 0
    assert "already holds data" in result.output
    with app.app_context():
        assert count(Evaluation) == 2
        assert count(User) == 5


def test_if_empty_loads_an_empty_database(app):
    result = load(app, "--if-empty")
    assert result.exit_code == 0
    assert "koordinator@demo.tracker.id" in result.output


def test_if_empty_is_quiet_when_data_exists(app, loaded):
    result = load(app, "--if-empty")
    assert result.exit_code == 0
    assert result.output == ""
    with app.app_context():
        assert count(User) == 5


@pytest.mark.parametrize("what", ["unit", "user", "evaluation"])
def test_any_existing_data_counts(app, what):
    with app.app_context():
        if what == "unit":
            factories.make_unit("X")
        elif what == "user":
            factories.make_user("someone@example.com", Role.ADMIN)
        else:
            factories.make_evaluation()
        db.session.commit()
        before = [count(model) for model in (Unit, User, Evaluation)]
    assert load(app).exit_code != 0
    assert load(app, "--if-empty").output == ""
    with app.app_context():
        assert [count(model) for model in (Unit, User, Evaluation)] == before

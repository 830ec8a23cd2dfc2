"""Findings and recommendations: numbering, the follow-up made with each recommendation, deletes."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.evaluations.conftest import as_text
from tracker.core.audit import AuditEntry
from tracker.evaluations import items, services
from tracker.evaluations.models import Finding, Recommendation, recommendation_findings
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus


def count(table) -> int:
    return db.session.scalar(select(func.count()).select_from(table))


def entries(obj) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == obj.__tablename__, AuditEntry.object_id == obj.id
            )
        )
    )


@pytest.fixture
def evaluation(world):
    return factories.make_evaluation([world.unit_a], n_recommendations=0)


def test_a_recommendation_gets_its_followup(world, evaluation):
    recommendation = items.add_recommendation(
        world.koordinator, evaluation, "  Perbaiki IKU.  ", evaluation.components[0]
    )
    db.session.commit()
    followup = recommendation.followup
    assert recommendation.text == "Perbaiki IKU."
    assert followup.status == FollowUpStatus.BELUM
    assert followup.due_date == evaluation.followup_deadline == date(2025, 4, 30)
    assert [e.action for e in entries(recommendation)] == ["create"]
    assert [e.action for e in entries(followup)] == ["create"]
    assert entries(followup)[0].user_id == world.koordinator.id


def test_numbers_run_within_each_component(world, evaluation):
    first, second = evaluation.components[:2]
    add = items.add_recommendation
    numbers = [
        add(world.koordinator, evaluation, "a", first).number,
        add(world.koordinator, evaluation, "b", first).number,
        add(world.koordinator, evaluation, "c", second).number,
        add(world.koordinator, evaluation, "d").number,
        add(world.koordinator, evaluation, "e").number,
        add(world.koordinator, evaluation, "f", first, number=7).number,
        add(world.koordinator, evaluation, "g", first).number,
    ]
    assert numbers == [1, 2, 1, 1, 2, 7, 8]
    # The factory already holds finding 1 under the first component.
    assert items.add_finding(world.koordinator, evaluation, "x", first).number == 2
    assert items.add_finding(world.koordinator, evaluation, "y").number == 1


def test_moving_to_another_component_takes_its_next_number(world, evaluation):
    first, second = evaluation.components[:2]
    finding = evaluation.findings[0]  # the fixture's one finding, before another one numbered 1
    items.add_finding(world.koordinator, evaluation, "di komponen 2", second)
    items.update_finding(world.koordinator, finding, "dipindah", second)
    assert (finding.component, finding.number, finding.text) == (second, 2, "dipindah")
    items.update_finding(world.koordinator, finding, "dipindah", second, number=5)
    assert finding.number == 5
    items.update_finding(world.koordinator, finding, "dipindah", second)  # empty: kept
    assert finding.number == 5
    assert [e.action for e in entries(finding)] == ["update", "update"]


def test_findings_are_linked_and_unlinked(world, evaluation):
    finding = evaluation.findings[0]
    extra = items.add_finding(world.koordinator, evaluation, "Kedua.")
    recommendation = items.add_recommendation(
        world.koordinator, evaluation, "Rek.", findings=[finding]
    )
    items.update_recommendation(
        world.koordinator, recommendation, "Rek.", None, None, [finding, extra]
    )
    db.session.commit()
    assert count(recommendation_findings) == 2
    update = [e for e in entries(recommendation) if e.action == "update"][0]
    assert update.summary["findings"] == [[finding.id], sorted([finding.id, extra.id])]
    items.delete_finding(world.koordinator, finding)
    db.session.commit()
    db.session.expire_all()
    assert recommendation.findings == [extra]
    assert count(recommendation_findings) == 1
    assert count(Recommendation) == 1


def test_items_of_another_evaluation_are_refused(world, evaluation):
    other = factories.make_evaluation([world.unit_b], n_recommendations=0)
    with pytest.raises(ValueError):
        items.add_finding(world.koordinator, evaluation, "x", other.components[0])
    with pytest.raises(ValueError):
        items.add_recommendation(world.koordinator, evaluation, "x", findings=other.findings)


def test_delete_recommendation_removes_its_followup(world, evaluation):
    recommendation = items.add_recommendation(world.koordinator, evaluation, "Rek.")
    recommendation.followup.units = [world.unit_a]
    db.session.commit()
    recommendation_id = recommendation.id
    items.delete_recommendation(world.koordinator, recommendation)
    db.session.commit()
    assert count(Recommendation) == 0
    assert count(FollowUp) == 0
    entry = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == "recommendations")
        .where(AuditEntry.action == "delete")
    ).one()
    assert entry.object_id == recommendation_id


def test_delete_recommendation_refused_once_started(world, evaluation):
    recommendation = items.add_recommendation(world.koordinator, evaluation, "Rek.")
    recommendation.followup.action_plan = "Rapat koordinasi."
    db.session.commit()
    with pytest.raises(services.EvaluationError) as refused:
        items.delete_recommendation(world.koordinator, recommendation)
    assert as_text(refused.value.message) == (
        "Rekomendasi ini tidak dapat dihapus karena tindak lanjutnya sudah dikerjakan."
    )
    db.session.rollback()
    assert count(Recommendation) == 1


def test_delete_finding_is_audited(world, evaluation):
    finding = evaluation.findings[0]
    finding_id = finding.id
    items.delete_finding(world.koordinator, finding)
    db.session.commit()
    assert count(Finding) == 0
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.object_type, entry.object_id, entry.action) == ("findings", finding_id, "delete")

"""Evaluation rules: header defaults, deadline propagation, archive, delete, components."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.evaluations.conftest import as_text
from tracker.core.audit import AuditEntry
from tracker.evaluations import items, services
from tracker.evaluations.models import ComponentScore, Evaluation, Finding, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_actions(obj) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == obj.__tablename__, AuditEntry.object_id == obj.id)
            .order_by(AuditEntry.id)
        )
    )


def header(**fields):
    values = {
        "institution": "  Politeknik Negeri Contoh ",
        "year": 2024,
        "evaluator": "Inspektorat Jenderal",
        "received_date": date(2025, 3, 3),
        "total_score": Decimal("78.55"),
    }
    values.update(fields)
    return values


def test_create_fills_deadline_predikat_and_components(world):
    rows = [{"name": name, "weight": weight} for name, weight in services.CURRENT_COMPONENTS]
    rows[0]["score"] = Decimal("23.7")
    evaluation = services.create_evaluation(world.koordinator, header(), rows)
    db.session.commit()
    assert evaluation.institution == "Politeknik Negeri Contoh"
    assert evaluation.followup_deadline == date(2025, 5, 2)  # received + 60 days
    assert evaluation.predikat == "BB"
    assert [(c.order, c.name, c.weight) for c in evaluation.components] == [
        (1, "Perencanaan Kinerja", Decimal(30)),
        (2, "Pengukuran Kinerja", Decimal(30)),
        (3, "Pelaporan Kinerja", Decimal(15)),
        (4, "Evaluasi Akuntabilitas Kinerja Internal", Decimal(25)),
    ]
    assert evaluation.components[0].score == Decimal("23.70")
    assert evaluation.components[1].score is None
    (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "evaluations"))
    assert entry.action == "create"
    assert entry.user_id == world.koordinator.id
    assert entry.summary["followup_deadline"] == "2025-05-02"


def test_entered_values_win_over_defaults(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEFAULT_FOLLOWUP_DAYS", 30)
    evaluation = services.create_evaluation(world.koordinator, header(predikat="A"))
    assert evaluation.predikat == "A"  # kept (check_scores warns about it)
    assert evaluation.followup_deadline == date(2025, 4, 2)
    other = services.create_evaluation(
        world.koordinator, header(followup_deadline=date(2025, 12, 31), received_date=None)
    )
    assert other.followup_deadline == date(2025, 12, 31)


def test_no_received_date_means_no_default_deadline(world):
    evaluation = services.create_evaluation(world.koordinator, header(received_date=None))
    assert evaluation.followup_deadline is None


@pytest.mark.parametrize(("inclusive", "expected"), [(False, "A"), (True, "AA")])
def test_computed_predikat_follows_the_setting(world, app, monkeypatch, inclusive, expected):
    monkeypatch.setitem(app.config, "PREDIKAT_LOWER_BOUND_INCLUSIVE", inclusive)
    evaluation = services.create_evaluation(world.koordinator, header(total_score=Decimal(90)))
    assert evaluation.predikat == expected


def test_new_deadline_moves_followups_still_on_the_old_one(world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=3)
    kept = evaluation.recommendations[2].followup
    kept.due_date = date(2025, 6, 30)  # set by hand for this one: stays
    db.session.commit()
    data = {name: getattr(evaluation, name) for name in services.HEADER_FIELDS}
    services.update_evaluation(
        world.koordinator, evaluation, {**data, "followup_deadline": date(2025, 5, 15)}
    )
    db.session.commit()
    db.session.expire_all()
    due = [r.followup.due_date for r in evaluation.recommendations]
    assert due == [date(2025, 5, 15), date(2025, 5, 15), date(2025, 6, 30)]
    moved = evaluation.recommendations[0].followup
    assert audit_actions(moved) == ["update"]
    assert audit_actions(kept) == []
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "evaluations")
    ).one()
    assert entry.summary["followup_deadline"] == ["2025-04-30", "2025-05-15"]
    assert sorted(entry.summary["moved_followups"]) == sorted(
        r.followup.id for r in evaluation.recommendations[:2]
    )


def test_update_without_change_writes_nothing(world):
    evaluation = factories.make_evaluation([world.unit_a])
    data = {name: getattr(evaluation, name) for name in services.HEADER_FIELDS}
    services.update_evaluation(world.koordinator, evaluation, data)
    assert count(AuditEntry) == 0


def test_clearing_the_deadline_falls_back_to_the_default(world):
    evaluation = factories.make_evaluation([world.unit_a])
    data = {name: getattr(evaluation, name) for name in services.HEADER_FIELDS}
    services.update_evaluation(world.koordinator, evaluation, {**data, "followup_deadline": None})
    assert evaluation.followup_deadline == date(2025, 4, 30)  # 1 March + 60 days


def test_archive_and_unarchive(world, frozen_clock):
    evaluation = factories.make_evaluation([world.unit_a])
    services.set_archived(world.koordinator, evaluation, True)
    assert evaluation.is_archived
    services.set_archived(world.koordinator, evaluation, True)  # no change, no entry
    services.set_archived(world.koordinator, evaluation, False)
    assert not evaluation.is_archived
    assert audit_actions(evaluation) == ["archive", "unarchive"]


@pytest.mark.parametrize(
    "work",
    [
        {"status": FollowUpStatus.PROSES},
        {"action_plan": "Menyusun ulang IKU."},
        {"realisation": "Sudah rapat."},
        {"progress": 10},
    ],
)
def test_delete_is_refused_once_a_followup_has_started(world, work):
    evaluation = factories.make_evaluation([world.unit_a])
    followup = evaluation.recommendations[1].followup
    for name, value in work.items():
        setattr(followup, name, value)
    db.session.commit()
    with pytest.raises(services.EvaluationError) as refused:
        services.delete_evaluation(world.koordinator, evaluation)
    assert "tidak dapat dihapus" in as_text(refused.value.message)
    db.session.rollback()
    assert count(Evaluation) == 1
    assert count(FollowUp) == 2


def test_delete_removes_everything_when_nothing_started(world):
    evaluation = factories.make_evaluation([world.unit_a], pics=[world.pic])
    evaluation.recommendations[0].findings.append(evaluation.findings[0])
    db.session.commit()
    evaluation_id = evaluation.id
    services.delete_evaluation(world.koordinator, evaluation)
    db.session.commit()
    for model in (Evaluation, ComponentScore, Finding, Recommendation, FollowUp):
        assert count(model) == 0, model
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.object_type, entry.object_id, entry.action) == (
        "evaluations",
        evaluation_id,
        "delete",
    )


def _rows(evaluation):
    return [
        items.ComponentRow(c, c.name, c.weight, c.score, c.order) for c in evaluation.components
    ]


def test_save_components_adds_changes_and_deletes(world):
    evaluation = factories.make_evaluation([world.unit_a])
    rows = _rows(evaluation)
    rows[1].score = Decimal("24.5")
    rows[3].delete = True  # unused: may go
    rows.append(items.ComponentRow(None, "Capaian Kinerja", Decimal(25), None, None))
    items.save_components(world.koordinator, evaluation, rows)
    db.session.commit()
    db.session.expire_all()
    assert [(c.order, c.name, c.score) for c in evaluation.components] == [
        (1, "Perencanaan Kinerja", Decimal("23.70")),
        (2, "Pengukuran Kinerja", Decimal("24.50")),
        (3, "Pelaporan Kinerja", Decimal("12.75")),
        (4, "Capaian Kinerja", None),
    ]
    actions = sorted(db.session.scalars(select(AuditEntry.action)))
    assert actions == ["create", "delete", "update"]


def test_a_used_component_is_not_deleted(world):
    evaluation = factories.make_evaluation([world.unit_a])
    rows = _rows(evaluation)
    rows[0].delete = True  # holds the finding and the recommendations
    rows[1].score = Decimal(1)
    with pytest.raises(services.EvaluationError) as refused:
        items.save_components(world.koordinator, evaluation, rows)
    assert "Perencanaan Kinerja" in as_text(refused.value.message)
    db.session.rollback()
    assert count(ComponentScore) == 4
    assert evaluation.components[1].score == Decimal("23.10")  # nothing applied
    items.delete_finding(world.koordinator, evaluation.findings[0])
    for recommendation in list(evaluation.recommendations):
        items.delete_recommendation(world.koordinator, recommendation)
    first = evaluation.components[0]
    row = items.ComponentRow(first, first.name, first.weight, None, 1, delete=True)
    items.save_components(world.koordinator, evaluation, [row])  # now unused
    assert count(ComponentScore) == 3


def test_recommendation_counts_are_scoped(world):
    evaluation = factories.make_evaluation([world.unit_a], n_recommendations=2)
    other = items.add_recommendation(world.koordinator, evaluation, "Untuk unit B.")
    other.followup.units = [world.unit_b]
    evaluation.recommendations[0].followup.status = FollowUpStatus.SESUAI
    db.session.commit()
    assert services.recommendation_counts(world.koordinator, [evaluation.id]) == {
        evaluation.id: (3, 1)
    }
    assert services.recommendation_counts(world.pic, [evaluation.id]) == {evaluation.id: (2, 1)}
    assert services.recommendation_counts(world.other_pic, [evaluation.id]) == {
        evaluation.id: (1, 0)
    }

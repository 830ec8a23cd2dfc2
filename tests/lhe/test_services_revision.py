"""Saving a revised LHE: nothing silently duplicated, no started work lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.lhe.import_helpers import (
    INTERNAL,
    MEASURE,
    PLAN,
    REPORT,
    hand_parse,
    install_fake_parser,
    upload,
)
from tracker.core.audit import AuditEntry
from tracker.evaluations.models import ComponentScore, Finding, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.lhe import services
from tracker.lhe.document import Component, Item
from tracker.lhe.models import ImportStatus
from tracker.lhe.revision import match_recommendations, similarity


@pytest.fixture
def parser(monkeypatch):
    return install_fake_parser(monkeypatch)


@pytest.fixture
def saved(world, parser, frozen_clock):
    """The first LHE, saved as an evaluation."""
    draft = upload(world.koordinator, b"LHE awal\n")
    result = services.save_import(world.koordinator, draft, services.draft_parse(draft), "new")
    db.session.commit()
    return result.evaluation


def rec(evaluation, component: str, number: int) -> Recommendation:
    return db.session.scalar(
        select(Recommendation)
        .join(ComponentScore, Recommendation.component_id == ComponentScore.id)
        .where(
            Recommendation.evaluation_id == evaluation.id,
            ComponentScore.name == component,
            Recommendation.number == number,
        )
    )


def revise(world, parser, parsed, evaluation, content=b"LHE revisi\n"):
    parser[0] = parsed
    draft = upload(world.koordinator, content)
    result = services.save_import(
        world.koordinator, draft, services.draft_parse(draft), "revision", evaluation
    )
    db.session.commit()
    db.session.expire_all()
    return draft, result


def test_revision_keeps_started_work_and_deletes_only_unstarted(world, parser, saved):
    plan_followup = rec(saved, PLAN, 1).followup.id
    started = rec(saved, MEASURE, 2)
    started.followup.action_plan = "Menyusun ulang dokumen wawancara."
    started.followup.status = FollowUpStatus.PROSES
    started_id, started_followup = started.id, started.followup.id
    unstarted_followup = rec(saved, INTERNAL, 1).followup.id
    received, deadline = saved.received_date, saved.followup_deadline
    db.session.commit()

    revised = hand_parse()
    revised.components = [
        Component(PLAN, Decimal(30), Decimal(25)),
        Component(MEASURE, Decimal(30), Decimal("23.1")),
        Component(REPORT, Decimal(15), Decimal("12.75")),
    ]
    revised.total_score, revised.predikat = Decimal(80), None
    revised.number = "LHE-12/2024 (revisi)"
    revised.findings = [Item(PLAN, 1, "Target kinerja belum menantang dan realistis.")]
    revised.recommendations = [
        Item(PLAN, 1, "Capaian kinerja tahun sebelumnya agar dijadikan dasar penetapan target."),
        Item(MEASURE, 1, "Agar dibuat kebijakan reward dan punishment secara formal."),
        Item(REPORT, 1, "Laporan kinerja agar dimanfaatkan untuk perbaikan budaya kinerja."),
    ]
    draft, result = revise(world, parser, revised, saved)

    evaluation = result.evaluation
    assert evaluation.id == saved.id
    assert evaluation.document_number == "LHE-12/2024 (revisi)"
    assert evaluation.total_score == Decimal("80.00")
    assert evaluation.predikat == "BB"  # computed: 80 is not above 80
    assert (evaluation.received_date, evaluation.followup_deadline) == (received, deadline)
    assert [c.name for c in evaluation.components] == [PLAN, MEASURE, REPORT]  # unused: gone
    assert evaluation.components[0].score == Decimal("25.00")
    assert [f.text for f in db.session.scalars(select(Finding))] == [
        "Target kinerja belum menantang dan realistis."
    ]

    plan = rec(evaluation, PLAN, 1)
    assert plan.followup.id == plan_followup  # matched: same follow-up, new text
    assert plan.text.startswith("Capaian kinerja tahun sebelumnya")
    kept = db.session.get(Recommendation, started_id)
    assert kept.followup.id == started_followup
    assert kept.followup.action_plan == "Menyusun ulang dokumen wawancara."
    assert kept.followup.status == FollowUpStatus.PROSES
    assert (kept.component.name, kept.number) == (MEASURE, 2)
    assert db.session.get(FollowUp, unstarted_followup) is None  # unstarted and missing
    report = rec(evaluation, REPORT, 1)
    assert report.followup.due_date == deadline  # added with its follow-up
    assert len(db.session.scalars(select(Recommendation)).all()) == 4

    assert result.counts["updated"] == 2 and result.counts["added"] == 1
    assert result.counts["deleted"] == 1 and result.counts["kept"] == 1
    assert len(result.warnings) == 1
    assert "tetap disimpan" in result.warnings[0]
    assert "Pengukuran Kinerja nomor 2" in result.warnings[0]
    updates = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.object_type == "recommendations",
            AuditEntry.object_id == plan.id,
            AuditEntry.action == "update",
        )
    ).all()
    assert updates and "text" in updates[0].summary
    assert draft.status == ImportStatus.SAVED
    assert draft.evaluation_id == saved.id
    assert services.find_duplicates(revised) == [evaluation]  # still one evaluation


def test_kept_item_gets_a_free_number_and_its_component_stays(world, parser, saved):
    started = rec(saved, INTERNAL, 1)
    started.followup.realisation = "Inovasi sudah dirancang."
    started_id = started.id
    measure_2 = rec(saved, MEASURE, 2)
    measure_2.followup.progress = 20
    measure_2_id = measure_2.id
    db.session.commit()

    revised = hand_parse()
    revised.components = revised.components[:3]  # INTERNAL left out of the table
    revised.recommendations = [
        revised.recommendations[0],
        Item(MEASURE, 1, "Agar dibuat kebijakan reward dan punishment secara formal."),
        Item(MEASURE, 2, "Agar hasil pengukuran kinerja menjadi dasar penataan pegawai."),
    ]
    _draft, result = revise(world, parser, revised, saved)

    kept = db.session.get(Recommendation, measure_2_id)
    assert kept.number == 3  # the revised document uses 1 and 2
    internal = db.session.get(Recommendation, started_id)
    assert internal.component.name == INTERNAL
    assert INTERNAL in [c.name for c in result.evaluation.components]
    assert len(result.warnings) == 3  # two kept recommendations, one kept component


def test_reordered_recommendations_match_by_text(world, parser, saved):
    one, two = rec(saved, MEASURE, 1), rec(saved, MEASURE, 2)
    one_followup, two_followup = one.followup.id, two.followup.id
    revised = hand_parse()
    revised.recommendations[1:3] = [
        Item(MEASURE, 1, "Dokumen wawancara agar disusun dengan rapi sesuai komponennya."),
        Item(MEASURE, 2, "Agar dibuat kebijakan reward dan punishment secara formal."),
    ]
    _draft, result = revise(world, parser, revised, saved)
    assert result.counts["added"] == 0 and result.counts["deleted"] == 0
    first, second = rec(saved, MEASURE, 1), rec(saved, MEASURE, 2)
    assert second.followup.id == one_followup  # identical text, now number 2
    assert first.followup.id == two_followup  # similar text, now number 1
    assert first.text == "Dokumen wawancara agar disusun dengan rapi sesuai komponennya."


def test_revision_of_received_date_stays(world, parser, saved):
    parser[0] = hand_parse()
    draft = upload(world.koordinator, b"LHE revisi tanggal\n")
    parsed = services.draft_parse(draft)
    services.update_draft(world.koordinator, draft, parsed, date(2025, 6, 1), date(2025, 12, 31))
    result = services.save_import(world.koordinator, draft, parsed, "revision", saved)
    assert result.evaluation.followup_deadline == saved.followup_deadline


def test_match_rules():
    class Rec:
        def __init__(self, id, component, number, text):
            self.id, self.number, self.text = id, number, text
            self.component = type("C", (), {"name": component})() if component else None

    old = [
        Rec(1, PLAN, 1, "Susun rencana strategis yang selaras."),
        Rec(2, PLAN, 2, "Tetapkan indikator kinerja utama."),
        Rec(3, None, 1, "Sesuatu yang sama sekali lain dan panjang sekali."),
    ]
    new = [
        Item(PLAN, 1, "Tetapkan indikator kinerja utama yang terukur."),  # number 1 now
        Item(PLAN, 2, "Susun rencana strategis yang selaras dengan RPJMN."),
        Item(REPORT, 1, "Laporkan kinerja tepat waktu."),
    ]
    pairs = match_recommendations(old, new)
    assert {index: r.id for index, r in pairs.items()} == {0: 2, 1: 1}
    # the same text twice (as in the shared sample): each stays at its own place
    twins = [Rec(4, PLAN, 1, "Rapikan dokumen."), Rec(5, REPORT, 1, "Rapikan dokumen.")]
    pairs = match_recommendations(
        twins, [Item(REPORT, 1, "Rapikan dokumen."), Item(PLAN, 1, "Rapikan dokumen.")]
    )
    assert {index: r.id for index, r in pairs.items()} == {0: 5, 1: 4}
    assert similarity("A  b", "a b") == 1.0

"""load_matrix: the columns' values, the order, the restriction to selected follow-ups, and a
number of queries that does not grow with the rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, select

from tests import factories
from tests.reports import support
from tracker.core.clock import today_local
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.followups.models import ActionStep, FollowUp
from tracker.followups.models import FollowUpStatus as S
from tracker.monitoring.filters import FollowUpFilter, matching_ids
from tracker.reports.matrix import load_matrix, remarks

BASE = "http://127.0.0.1:5000"  # no BASE_URL and no request: the development address


@pytest.fixture
def report(app_ctx, world):
    return support.make_report(world)


def _evidence_id(followup, title: str) -> int:
    return db.session.scalar(
        select(Evidence.id).where(Evidence.followup_id == followup.id, Evidence.title == title)
    )


def test_rows_in_component_then_number_order(report):
    matrix = load_matrix(report.evaluation, None, today_local())
    assert [(row.no, row.component_order, row.number) for row in matrix.rows] == [
        (1, 1, 1),
        (2, 1, 2),
        (3, 2, 1),
        (4, 3, 1),
        (5, None, 1),  # no component: last
    ]
    assert [row.followup_id for row in matrix.rows] == [
        report.iku.id,
        report.renstra.id,
        report.pengukuran.id,
        report.pelaporan.id,
        report.loose.id,
    ]


def test_header(report):
    header = load_matrix(report.evaluation, None, date(2025, 6, 2)).header
    assert header.institution == "Politeknik Negeri Contoh"
    assert header.year == 2024
    assert header.evaluator == "Inspektorat Jenderal Kemendikbudristek"
    assert header.document_number == "LHE-12/IJ/2025"
    assert header.report_date == date(2025, 3, 10)
    assert header.printed_date == date(2025, 6, 2)


def test_accepted_row(report, world):
    row = load_matrix(report.evaluation, None, today_local()).rows[0]
    assert row.component == "Perencanaan Kinerja"
    assert row.findings == "IKU belum berorientasi hasil."
    assert row.recommendation == "Reviu IKU agar berorientasi hasil (outcome)."
    assert row.action_plan == "Membentuk tim reviu IKU.\n- Rapat tim (selesai)"
    assert row.units == ["Bagian Perencanaan"]
    assert row.pics == [world.pic.name]
    assert row.pic_text == f"Bagian Perencanaan\n{world.pic.name}"
    assert row.due_date == date(2025, 5, 20)
    assert row.realisation == "IKU telah direviu dan ditetapkan — SK Direktur 12/2025."
    sk = _evidence_id(report.iku, "SK Tim IKU")
    notulen = _evidence_id(report.iku, "Notulen rapat")
    assert row.evidence == [
        ("SK Tim IKU", f"{BASE}/evidence/{sk}/download"),
        ("Notulen rapat", f"{BASE}/evidence/{notulen}/download"),
        ("Folder reviu IKU", "https://drive.example.com/iku"),
    ]
    assert row.status == S.SESUAI
    assert row.status_label == "Sesuai"
    assert row.progress == 100
    assert row.verifier_note == "Lengkap."
    assert row.remarks == "Selesai 5 Mei 2025"


def test_bpk_categories_notes_and_remarks(report):
    rows = {
        row.followup_id: row for row in load_matrix(report.evaluation, None, today_local()).rows
    }
    returned = rows[report.renstra.id]
    assert returned.status_label == "Belum Sesuai"
    assert returned.verifier_note == "Lampirkan Renstra yang sudah ditandatangani."
    assert returned.remarks == "Dikembalikan untuk diperbaiki; Terlambat 13 hari"
    # Removed evidence is left out; evidence of the returned submission stays listed.
    assert [item.name for item in returned.evidence] == ["Renstra draf.pdf"]
    waiting = rows[report.loose.id]
    assert (waiting.status_label, waiting.remarks) == (
        "Belum Sesuai",
        "Menunggu verifikasi; Terlambat 13 hari",
    )
    assert waiting.component == ""
    untouched = rows[report.pelaporan.id]
    assert untouched.status_label == "Belum Ditindaklanjuti"
    assert untouched.findings == "@x"
    assert untouched.evidence == []


def test_latest_decision_note_wins(report, world):
    support.submit(report.renstra, world.pic, "Renstra ditandatangani.")
    support.accept(report.renstra, world.koordinator, note="Sudah sesuai.")
    row = load_matrix(report.evaluation, None, today_local()).rows[1]
    assert row.verifier_note == "Sudah sesuai."
    assert row.status_label == "Sesuai"


@pytest.mark.parametrize(
    ("status", "due", "closure", "expected"),
    [
        (S.TIDAK_DAPAT, date(2025, 5, 1), "Keadaan kahar.", "Alasan: Keadaan kahar."),
        (S.PROSES, date(2025, 6, 1), "", "Terlambat 1 hari"),
        (S.PROSES, date(2025, 6, 2), "", ""),  # due today: not late yet
        (S.PROSES, None, "", ""),
        (S.BELUM, date(2025, 7, 1), "", ""),
    ],
)
def test_remarks(app_ctx, status, due, closure, expected):
    assert remarks(status, due, None, closure, date(2025, 6, 2)) == expected


def test_restricted_to_selected_followups(report, world):
    ids = matching_ids(world.pic, FollowUpFilter(evaluation=report.evaluation.id), today_local())
    matrix = load_matrix(report.evaluation, ids, today_local())
    assert [row.followup_id for row in matrix.rows] == [
        report.iku.id,
        report.renstra.id,
        report.pelaporan.id,
    ]
    assert [row.no for row in matrix.rows] == [1, 2, 3]


def test_other_evaluations_left_out(report, world):
    other = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    matrix = load_matrix(report.evaluation, None, today_local())
    assert len(matrix.rows) == 5
    assert not {f.id for f in (r.followup for r in other.recommendations)} & {
        row.followup_id for row in matrix.rows
    }


def _rich_evaluation(world, n: int):
    evaluation = factories.make_evaluation([world.unit_a, world.unit_b], [world.pic], n)
    for recommendation in evaluation.recommendations:
        followup = recommendation.followup
        db.session.add(ActionStep(followup=followup, position=1, text="Langkah"))
        support.link(followup, world.pic, "Folder", "https://drive.example.com/x")
        support.submit(followup, world.pic)
        support.accept(followup, world.koordinator, note="Lengkap.")
    return evaluation


def _count_queries(evaluation) -> int:
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        matrix = load_matrix(evaluation, select(FollowUp.id), today_local())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert all(row.evidence and row.verifier_note for row in matrix.rows)
    return len(statements)


def test_query_count_does_not_grow(app_ctx, world):
    small = _count_queries(_rich_evaluation(world, 2))
    large = _count_queries(_rich_evaluation(world, 12))
    assert small == large
    assert large <= 8  # seven queries, and the evaluation reloaded after expire_all

"""The detail page: score table with warnings, items grouped by component, follow-up links."""

from decimal import Decimal

from flask import url_for
from sqlalchemy import event, func, select

from tests import factories
from tracker.evaluations import items
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_detail_shows_warnings_and_groups(manager, world, frozen_clock):
    evaluation = factories.make_evaluation(
        [world.unit_a], pics=[world.pic], predikat="A", total_score=Decimal("80")
    )
    loose = items.add_recommendation(world.koordinator, evaluation, "Rekomendasi umum.")
    items.add_finding(world.koordinator, evaluation, "Catatan umum.")
    items.add_finding(world.koordinator, evaluation, "Catatan pelaporan.", evaluation.components[2])
    loose.followup.status = FollowUpStatus.SESUAI
    db.session.commit()
    html = manager.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Periksa kembali tabel nilai" in html
    # 80 is on the A/BB boundary: by default the lower band.
    assert "Predikat A tidak sesuai dengan nilai total 80 (seharusnya BB)." in html
    assert "Jumlah nilai komponen (78,55) tidak sama dengan nilai total (80)." in html
    # Groups in component order, then the group without a component.
    positions = [
        html.index(text)
        for text in (
            "Target kinerja belum menantang.",
            "Rekomendasi nomor 2.",
            "Catatan pelaporan.",
            "Tanpa komponen",
            "Catatan umum.",
            "Rekomendasi umum.",
        )
    ]
    assert positions == sorted(positions)
    assert html.count('<div class="card-header fw-semibold">') == 3
    assert "Belum Ditindaklanjuti" in html and "Sesuai" in html
    assert html.count("terlambat") == 2  # due 30 April 2025, today 2 June; the closed one not
    assert "Pic" in html and "UNIT-A" in html
    followup = evaluation.recommendations[0].followup
    with manager.application.test_request_context():
        links = [
            url_for("followups.detail", followup_id=followup.id),
            url_for("followups.assign", followup_id=followup.id),
            url_for("followups.bulk_assign", evaluation_id=evaluation.id),
        ]
    for link in links:
        assert f'href="{link}"' in html
    assert "Tetapkan PIC & batas waktu sekaligus" in html


def test_wrong_predikat_is_warned_on_the_page(manager, world):
    evaluation = factories.make_evaluation([world.unit_a], predikat="A")
    html = manager.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Predikat A tidak sesuai dengan nilai total 78,55 (seharusnya BB)." in html


def _count_queries(client, url) -> int:
    statements = []

    def listener(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_detail_runs_a_fixed_number_of_queries(manager, world):
    small = factories.make_evaluation([world.unit_a], pics=[world.pic], n_recommendations=1)
    large = factories.make_evaluation([world.unit_a], pics=[world.pic], n_recommendations=8)
    for evaluation in (small, large):
        items.add_finding(world.koordinator, evaluation, "Lain.", evaluation.components[1])
    db.session.commit()
    _count_queries(manager, f"/evaluations/{small.id}")  # warm up the session user
    assert _count_queries(manager, f"/evaluations/{small.id}") == _count_queries(
        manager, f"/evaluations/{large.id}"
    )


def test_detail_links_to_the_dashboard_the_list_and_the_exports(manager, world):
    evaluation = factories.make_evaluation([world.unit_a], pics=[world.pic])
    html = manager.get(f"/evaluations/{evaluation.id}").get_data(as_text=True)
    assert f'href="/dashboard/?evaluation={evaluation.id}"' in html
    assert f'href="/monitoring/?evaluation={evaluation.id}"' in html
    for fmt in ("xlsx", "pdf", "zip"):
        assert f'href="/reports/evaluation/{evaluation.id}/matrix.{fmt}"' in html

"""The dashboard's figures against the scenario of conftest.py, worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories
from tests.dashboard.conftest import S, add_followup, build_scenario, utc
from tracker.core.labels import BpkCategory
from tracker.dashboard.due import LIST_LIMIT, DueItem
from tracker.dashboard.figures import ProgressRow, evaluation_figures
from tracker.extensions import db

TODAY = date(2025, 6, 2)


def test_counts_and_percentages_per_bpk_category(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    assert figures.total == 10
    assert figures.closed == 3
    assert [(c.category, c.count, c.percent) for c in figures.categories] == [
        (BpkCategory.BELUM, 2, 20.0),
        (BpkCategory.BELUM_SESUAI, 5, 50.0),
        (BpkCategory.SESUAI, 2, 20.0),
        (BpkCategory.TIDAK_DAPAT, 1, 10.0),
    ]
    assert figures.categories[1].statuses == (
        (S.PROSES, 3),
        (S.MENUNGGU, 1),
        (S.DIKEMBALIKAN, 1),
    )


def test_overall_progress_counts_closed_as_done(scenario):
    # 0 + 40 + 100 + 80 + 60 + 20 + 100 (7: 90 typed, but Sesuai) + 100 (8: Tidak Dapat) + 0 + 50
    assert evaluation_figures(scenario.evaluation, TODAY).progress == 55.0


def test_progress_per_component_in_order_then_without_component(scenario):
    c1, c2, c3, c4 = (c.id for c in scenario.evaluation.components)
    assert evaluation_figures(scenario.evaluation, TODAY).by_component == [
        ProgressRow(c1, "Perencanaan Kinerja", 4, 1, 47.5),  # (0 + 40 + 100 + 50) / 4
        ProgressRow(c2, "Pengukuran Kinerja", 3, 0, 53.3),  # (80 + 60 + 20) / 3
        ProgressRow(c3, "Pelaporan Kinerja", 2, 2, 100.0),
        ProgressRow(c4, "Evaluasi Akuntabilitas Kinerja Internal", 0, 0, None),
        ProgressRow(None, "", 1, 0, 0.0),
    ]


def test_progress_per_unit_counts_a_shared_followup_in_both(scenario, world):
    assert evaluation_figures(scenario.evaluation, TODAY).by_unit == [
        ProgressRow(world.unit_a.id, "UNIT-A — Bagian Perencanaan", 5, 1, 40.0),  # 1 2 5 7 9
        ProgressRow(world.unit_b.id, "UNIT-B — Bagian Kepegawaian", 5, 1, 62.0),  # 3 4 5 6 10
        ProgressRow(None, "", 1, 1, 100.0),  # 8
    ]


def test_overdue_most_late_first_with_units_pics_and_days(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    f = scenario.followups
    assert figures.overdue_count == 2
    assert figures.overdue == [
        DueItem(
            f[1].id,
            1,
            "Rekomendasi 1.",
            "Perencanaan Kinerja",
            ("UNIT-A",),
            ("Pic",),
            date(2025, 5, 1),
            32,
        ),  # fmt: skip
        DueItem(
            f[2].id,
            2,
            "Rekomendasi 2.",
            "Perencanaan Kinerja",
            ("UNIT-A",),
            ("Pic",),
            date(2025, 5, 20),
            13,
        ),  # fmt: skip
    ]


def test_due_soon_from_today_to_fourteen_days(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    f = scenario.followups
    assert figures.due_soon_count == 3  # 10 (today), 4 (+8), 5 (+14); not 6 (+15)
    assert [(item.followup_id, item.days) for item in figures.due_soon] == [
        (f[10].id, 0),
        (f[4].id, 8),
        (f[5].id, 14),
    ]
    assert figures.due_soon[2].units == ("UNIT-A", "UNIT-B")
    assert figures.due_soon[2].pics == ("Pic", "Pic.B")


def test_waiting_for_verification_and_the_oldest_wait(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    assert figures.waiting_count == 1  # the returned submission of 5 does not count
    assert figures.oldest_waiting_since == date(2025, 5, 29)  # 28 May 20:00 UTC, in Jakarta
    assert figures.oldest_wait_days == 4


def test_days_to_the_next_evaluation(scenario):
    assert evaluation_figures(scenario.evaluation, TODAY).days_to_next_evaluation == 91
    scenario.evaluation.next_evaluation_date = date(2025, 5, 31)
    assert evaluation_figures(scenario.evaluation, TODAY).days_to_next_evaluation == -2
    scenario.evaluation.next_evaluation_date = None
    assert evaluation_figures(scenario.evaluation, TODAY).days_to_next_evaluation is None


def test_on_time_rate_uses_the_local_closing_date(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    # 3 and 7 have a due date (30 April); 3 closed 23:59 WIB that day, 7 at 00:00 WIB on 1 May.
    assert figures.closed_with_due_date == 2
    assert figures.closed_on_time == 1
    assert figures.on_time_rate == 50.0


def test_average_days_to_close_from_the_received_date(scenario):
    figures = evaluation_figures(scenario.evaluation, TODAY)
    # received 1 March; closed (in Jakarta) 30 April = 60, 1 May = 61, 15 May = 75 days later
    assert figures.days_counted_from_received
    assert figures.average_days_to_close == 65.3  # 196 / 3


def test_average_days_to_close_from_creation_without_received_date(world, frozen_clock):
    scenario = build_scenario(world, received_date=None)
    figures = evaluation_figures(scenario.evaluation, TODAY)
    # created 10 March 18:00 UTC = 11 March in Jakarta: 50, 51 and 65 days
    assert not figures.days_counted_from_received
    assert figures.average_days_to_close == 55.3  # 166 / 3


def test_other_evaluations_do_not_count(scenario, world):
    other = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=3)
    for recommendation in other.recommendations:
        recommendation.followup.due_date = date(2025, 1, 1)
        recommendation.followup.status = S.MENUNGGU
    db.session.commit()
    figures = evaluation_figures(scenario.evaluation, TODAY)
    assert (figures.total, figures.overdue_count, figures.waiting_count) == (10, 2, 1)
    assert evaluation_figures(other, TODAY).overdue_count == 3


def test_an_evaluation_without_followups(world, frozen_clock):
    evaluation = factories.make_evaluation(n_recommendations=0)
    figures = evaluation_figures(evaluation, TODAY)
    assert figures.total == figures.closed == 0
    assert figures.progress is None
    assert [(c.count, c.percent) for c in figures.categories] == [(0, 0.0)] * 4
    assert [(row.total, row.progress) for row in figures.by_component] == [(0, None)] * 4
    assert figures.by_unit == []
    assert figures.overdue == figures.due_soon == []
    assert figures.overdue_count == figures.due_soon_count == figures.waiting_count == 0
    assert figures.oldest_waiting_since is None and figures.oldest_wait_days is None
    assert figures.on_time_rate is None
    assert figures.average_days_to_close is None
    assert figures.days_to_next_evaluation is None


def test_without_due_dates_and_nothing_closed_rates_are_none(world, frozen_clock):
    evaluation = factories.make_evaluation(n_recommendations=0)
    for number in (1, 2):
        add_followup(evaluation, number, 0, [world.unit_a], S.PROSES, 30)
    db.session.commit()
    figures = evaluation_figures(evaluation, TODAY)
    assert (figures.total, figures.progress, figures.overdue_count) == (2, 30.0, 0)
    assert figures.on_time_rate is None and figures.average_days_to_close is None


def test_closed_without_due_dates_have_no_rate_but_an_average(world, frozen_clock):
    evaluation = factories.make_evaluation(n_recommendations=0)  # received 1 March 2025
    add_followup(evaluation, 1, 0, [], S.SESUAI, 100, None, utc(2025, 3, 11, 2, 0))
    db.session.commit()
    figures = evaluation_figures(evaluation, TODAY)
    assert (figures.closed_with_due_date, figures.on_time_rate) == (0, None)
    assert figures.average_days_to_close == 10.0


def test_lists_are_limited_but_counts_are_not(world, frozen_clock):
    evaluation = factories.make_evaluation(n_recommendations=0)
    for number in range(1, LIST_LIMIT + 6):
        due = TODAY - timedelta(days=number)
        add_followup(evaluation, number, 0, [world.unit_a], S.PROSES, 10, due)
    db.session.commit()
    figures = evaluation_figures(evaluation, TODAY)
    assert figures.overdue_count == LIST_LIMIT + 5
    assert len(figures.overdue) == LIST_LIMIT
    assert figures.overdue[0].days == LIST_LIMIT + 5  # the latest first
    assert [item.days for item in figures.overdue] == sorted(
        (item.days for item in figures.overdue), reverse=True
    )


def test_local_dates_follow_the_configured_time_zone(app, scenario, monkeypatch):
    """In Jayapura (UTC+9) follow-up 3, closed 16:59 UTC on 30 April, closed on 1 May: late."""
    monkeypatch.setitem(app.config, "TRACKER_TIMEZONE", "Asia/Jayapura")
    figures = evaluation_figures(scenario.evaluation, TODAY)
    assert (figures.closed_with_due_date, figures.closed_on_time) == (2, 0)
    # received 1 March; closed 1 May (61 days), 1 May (61), 15 May (75), local time
    assert figures.average_days_to_close == 65.7  # 197 / 3
    assert figures.oldest_waiting_since == date(2025, 5, 29)  # 28 May 20:00 UTC = 05:00 WIT

"""Pages at scale (issue #6 point 5): bounded and distinguishable
evaluation selectors, a page beyond the last, the matrix's narrowed scope, and the collector
paused only while an export is built."""

from __future__ import annotations

import gc
import re
from datetime import date

import xlsxwriter

from tests import factories
from tests.conftest import count_queries, login
from tracker.core.clock import today_local
from tracker.extensions import db
from tracker.monitoring import services
from tracker.monitoring.filters import FollowUpFilter, matching_ids
from tracker.monitoring.services import filter_choices, list_page
from tracker.reports.matrix import load_matrix
from tracker.reports.xlsx import build_xlsx

TODAY = date(2025, 6, 2)


def _evaluations(world, years) -> list:
    """One evaluation of the same institution per year in `years`, each with its LHE number."""
    return [
        factories.make_evaluation(
            [world.unit_a],
            n_recommendations=1,
            year=year,
            institution="Politeknik Contoh",
            document_number=f"{year}/SPI/{i}",
        )
        for i, year in enumerate(years)
    ]


def _options(page_html: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the options of one <select>."""
    select = re.search(rf'<select id="{select_id}".*?</select>', page_html, re.S).group(0)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(
            r'<option value="(\d*)" ?(selected)?>([^<]*)</option>', select
        )
    ]


# --- tests/monitoring/test_list_page.py -------------------------------------------------------


def test_filter_offers_the_newest_evaluations_and_the_chosen_one(world, monkeypatch):
    monkeypatch.setattr(services, "EVALUATION_CHOICES", 2)
    oldest, middle, newer, newest = _evaluations(world, [2021, 2022, 2023, 2024])
    db.session.commit()
    choices = filter_choices(world.koordinator, FollowUpFilter())
    assert choices.evaluations == [newest, newer] and choices.more_evaluations
    chosen = filter_choices(world.koordinator, FollowUpFilter(evaluation=oldest.id))
    assert chosen.evaluations == [newest, newer, oldest]  # the chosen one last: it is older
    assert [c.name for c in chosen.components][:1] == ["Perencanaan Kinerja"]
    assert filter_choices(world.koordinator, FollowUpFilter(evaluation=newer.id)).evaluations == [
        newest,
        newer,
    ]


def test_filter_options_tell_evaluations_of_a_year_apart(client, world, monkeypatch):
    monkeypatch.setattr(services, "EVALUATION_CHOICES", 2)
    first, second, third = _evaluations(world, [2024, 2024, 2023])
    db.session.commit()
    login(client, world.koordinator)
    page_html = client.get(f"/monitoring/?evaluation={third.id}").get_data(as_text=True)
    assert _options(page_html, "f-evaluation") == [
        ("", "Semua evaluasi", False),
        (str(first.id), "Politeknik Contoh (2024) · 2024/SPI/0", False),
        (str(second.id), "Politeknik Contoh (2024) · 2024/SPI/1", False),
        (str(third.id), "Politeknik Contoh (2023) · 2023/SPI/2", True),
    ]
    assert 'aria-describedby="f-evaluation-help"' in page_html
    assert "Hanya 2 evaluasi terbaru yang ditampilkan" in page_html
    assert '<a href="/evaluations/">Evaluasi lain ada di daftar evaluasi</a>' in page_html


def test_a_page_beyond_the_last_costs_two_more_queries(app, client, world):
    factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=3)
    db.session.commit()
    login(client, world.koordinator)
    client.get("/monitoring/")  # warm-up: the session's user and locale
    within = count_queries(app, client, "/monitoring/?page=1")
    beyond = count_queries(app, client, "/monitoring/?page=50")
    assert beyond == within + 2
    assert "3 tindak lanjut" in client.get("/monitoring/?page=50").get_data(as_text=True)


def test_nothing_matching_is_one_query_and_an_empty_page(world):
    factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    db.session.commit()
    page = list_page(world.koordinator, FollowUpFilter(q="tidak-ada-kata-ini"), TODAY, 10)
    assert (page.items, page.total, page.page, page.pages) == ([], 0, 1, 0)


# --- tests/dashboard/test_views.py ------------------------------------------------------------


def test_dashboard_offers_the_newest_evaluations_and_the_chosen_one(client, world, monkeypatch):
    monkeypatch.setattr(services, "EVALUATION_CHOICES", 2)
    oldest, _middle, newer, newest = _evaluations(world, [2021, 2022, 2023, 2024])
    db.session.commit()
    login(client, world.koordinator)
    page_html = client.get("/dashboard/").get_data(as_text=True)
    assert [(v, s) for v, _label, s in _options(page_html, "evaluation")] == [
        (str(newest.id), True),
        (str(newer.id), False),
    ]
    assert "Hanya 2 evaluasi terbaru yang ditampilkan" in page_html
    page_html = client.get(f"/dashboard/?evaluation={oldest.id}").get_data(as_text=True)
    assert _options(page_html, "evaluation")[-1] == (
        str(oldest.id),
        "Politeknik Contoh (2021) · 2021/SPI/0",
        True,
    )


# --- tests/reports/test_matrix.py -------------------------------------------------------------


def test_matrix_narrowed_by_a_filter_of_the_same_evaluation(app_ctx, world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=4)
    other = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    first, _second, third, _fourth = [r.followup for r in evaluation.recommendations]
    first.recommendation.text = "Menyusun indikator kinerja utama."
    third.recommendation.text = "Menetapkan indikator kinerja jurusan."
    other.recommendations[0].text = "Indikator kinerja evaluasi lain."
    db.session.commit()
    flt = FollowUpFilter(evaluation=evaluation.id, q="indikator kinerja")
    matrix = load_matrix(evaluation, matching_ids(world.koordinator, flt, today_local()), TODAY)
    assert [row.followup_id for row in matrix.rows] == [first.id, third.id]


def test_the_collector_is_paused_while_an_export_is_built(app_ctx, world, monkeypatch):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    db.session.commit()
    seen = []
    close = xlsxwriter.Workbook.close
    monkeypatch.setattr(
        xlsxwriter.Workbook, "close", lambda book: seen.append(gc.isenabled()) or close(book)
    )
    assert gc.isenabled()
    build_xlsx(load_matrix(evaluation, None, TODAY))
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        build_xlsx(load_matrix(evaluation, None, TODAY))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()

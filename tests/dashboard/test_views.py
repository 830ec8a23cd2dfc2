"""The dashboard pages: who sees what, the numbers on the page, the chooser, the query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests import factories
from tests.conftest import count_queries, login
from tests.dashboard.conftest import S, add_followup
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.verification.models import Submission, SubmissionKind


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["koordinator", "pimpinan"])
def test_dashboard_shows_the_figures(client, world, scenario, role):
    login(client, world.by_role(role))
    html = _page(client, "/dashboard/")
    evaluation_id = scenario.evaluation.id
    assert "Politeknik Contoh · 2024" in html
    assert "55%" in html and "3 dari 10 rekomendasi selesai" in html
    assert f'href="/monitoring/?evaluation={evaluation_id}&amp;overdue=1"' in html
    assert "3 lagi jatuh tempo dalam 14 hari" in html
    assert "terlama menunggu 4 hari (sejak 29 Mei 2025)" in html
    assert "91 hari" in html and "1 September 2025" in html
    assert "1 dari 2 tindak lanjut selesai yang memiliki batas waktu" in html
    assert "65,3 hari" in html and "dihitung sejak LHE diterima (1 Maret 2025)" in html
    # the SVGs, inline
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3
    assert "Belum Sesuai: 5 (50%)" in html
    assert "1/4 selesai · 47,5%" in html and "2/3 selesai" not in html
    assert "0/3 selesai · 53,3%" in html and "Tanpa komponen" in html
    assert "UNIT-B — Bagian Kepegawaian" in html and "Belum ada unit" in html
    # the late ones, most late first, and the ones due soon
    assert html.index("terlambat 32 hari") < html.index("terlambat 13 hari")
    assert "8 hari lagi" in html and "14 hari lagi" in html and "15 hari lagi" not in html
    assert f'href="/followups/{scenario.followups[1].id}"' in html
    component_id = scenario.evaluation.components[1].id
    assert f'href="/monitoring/?evaluation={evaluation_id}&amp;component={component_id}"' in html
    unit_id = world.unit_a.id
    assert f'href="/monitoring/?evaluation={evaluation_id}&amp;unit={unit_id}"' in html
    assert f"evaluation={evaluation_id}&amp;status=dikembalikan" in html


@pytest.mark.parametrize("role", ["pic", "admin"])
def test_dashboard_is_refused_to_pic_and_admin(client, world, scenario, role):
    login(client, world.by_role(role))
    _page(client, "/dashboard/", 403)
    _page(client, f"/dashboard/?evaluation={scenario.evaluation.id}", 403)


def test_anonymous_goes_to_the_login_page(client, world):
    assert client.get("/dashboard/").status_code == 302
    assert "/login" in client.get("/dashboard/saya").headers["Location"]


def test_unknown_evaluation_is_not_found(client, world, scenario):
    login(client, world.koordinator)
    _page(client, "/dashboard/?evaluation=999", 404)
    _page(client, "/dashboard/?evaluation=abc", 404)


def test_chooser_defaults_to_the_newest_evaluation_not_archived(client, world, frozen_clock):
    older = factories.make_evaluation([world.unit_a], n_recommendations=1, year=2023)
    current = factories.make_evaluation([world.unit_a], n_recommendations=2, year=2024)
    archived = factories.make_evaluation(
        [world.unit_a], n_recommendations=3, year=2025, archived_at=datetime(2025, 5, 1, tzinfo=UTC)
    )
    login(client, world.pimpinan)
    html = _page(client, "/dashboard/")
    assert f'<option value="{current.id}" selected>' in html
    assert "0 dari 2 rekomendasi selesai" in html
    # the archived one is offered last, and shown when chosen
    assert html.index(f'value="{older.id}"') < html.index(f'value="{archived.id}"')
    html = _page(client, f"/dashboard/?evaluation={archived.id}")
    assert f'<option value="{archived.id}" selected>' in html
    assert "0 dari 3 rekomendasi selesai" in html


def test_empty_states(client, world):
    login(client, world.koordinator)
    html = _page(client, "/dashboard/")
    assert "Belum ada evaluasi" in html and 'href="/lhe/import"' in html
    factories.make_evaluation(n_recommendations=0, archived_at=datetime(2025, 1, 1, tzinfo=UTC))
    html = _page(client, "/dashboard/")
    assert "Tidak ada evaluasi yang aktif" in html
    factories.make_evaluation(n_recommendations=0, year=2025)
    html = _page(client, "/dashboard/")
    assert "Evaluasi ini belum memiliki rekomendasi." in html


def test_user_text_is_escaped(client, world, frozen_clock):
    evil = "<script>alert(1)</script>"
    unit = factories.make_unit("EVIL", evil)
    evaluation = factories.make_evaluation([unit], n_recommendations=1, institution=evil)
    evaluation.components[0].name = evil
    evaluation.recommendations[0].followup.due_date = date(2025, 5, 1)
    evaluation.recommendations[0].text = evil
    db.session.commit()
    login(client, world.koordinator)
    html = _page(client, "/dashboard/")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pic_home_lists_only_their_open_followups_most_urgent_first(client, world, scenario):
    login(client, world.pic)  # UNIT-A: 1, 2, 5, 7 (closed), 9
    html = _page(client, "/dashboard/saya")
    order = [html.find(f"Rekomendasi {n}.") for n in (1, 2, 5, 9)]
    assert all(p >= 0 for p in order) and order == sorted(order)
    for hidden in (3, 4, 6, 7, 8, 10):  # UNIT-B's, the closed one, the one without a unit
        assert f"Rekomendasi {hidden}." not in html
    assert "Tindak lanjut terbuka (4)" in html
    assert "terlambat 32 hari" in html and "terlambat 13 hari" in html
    assert "Belum Ditindaklanjuti: 2 (40%)" in html  # 1, 9 of the PIC's five
    assert "Sesuai: 1 (20%)" in html
    assert 'href="/monitoring/?overdue=1"' in html


def test_pic_home_counts(client, world, scenario):
    login(client, world.other_pic)  # UNIT-B: 3 (closed), 4, 5, 6, 10
    html = _page(client, "/dashboard/saya")
    assert "Tindak lanjut terbuka (4)" in html
    order = [html.find(f"Rekomendasi {n}.") for n in (10, 4, 5, 6)]
    assert all(p >= 0 for p in order) and order == sorted(order)
    assert "Rekomendasi 1." not in html and "Rekomendasi 3." not in html


def test_pic_home_empty(client, world):
    login(client, world.pic)
    html = _page(client, "/dashboard/saya")
    assert "Belum ada tindak lanjut yang ditugaskan kepada unit Anda." in html


@pytest.mark.parametrize("role", ["koordinator", "pimpinan", "admin"])
def test_pic_home_sends_other_roles_to_the_dashboard(client, world, role):
    login(client, world.by_role(role))
    response = client.get("/dashboard/saya")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard/")


# --- the number of queries does not grow with the data ----------------------------------------


def _evaluation_with(world, n: int):
    """n follow-ups in every state, each with its own PIC, half overdue, some due soon, some
    waiting for verification."""
    evaluation = factories.make_evaluation(n_recommendations=0)
    statuses = list(S)
    today = date(2025, 6, 2)
    for i in range(n):
        unit = (world.unit_a, world.unit_b)[i % 2]
        pic = factories.make_user(f"pic{evaluation.id}.{i}@example.com", Role.PIC, [unit])
        status = statuses[i % len(statuses)]
        due = today + timedelta(days=(-(i + 1) if i % 2 else i % 14))
        closed_at = datetime(2025, 5, 1, 3, tzinfo=UTC) if status.is_closed else None
        followup = add_followup(evaluation, i + 1, i % 4, [unit], status, 10, due, closed_at, [pic])
        if status == S.MENUNGGU:
            db.session.add(Submission(followup=followup, kind=SubmissionKind.COMPLETION))
    db.session.commit()
    return evaluation


def test_dashboard_queries_do_not_grow_with_the_followups(app, client, world, frozen_clock):
    small = _evaluation_with(world, 5)
    large = _evaluation_with(world, 40)
    login(client, world.koordinator)
    client.get("/dashboard/")  # warm-up: the session's user and locale
    assert count_queries(app, client, f"/dashboard/?evaluation={large.id}") == count_queries(
        app, client, f"/dashboard/?evaluation={small.id}"
    )


def test_pic_home_queries_do_not_grow_with_the_followups(app, client, world, frozen_clock):
    login(client, world.pic)
    client.get("/dashboard/saya")
    _evaluation_with(world, 5)
    few = count_queries(app, client, "/dashboard/saya")
    _evaluation_with(world, 30)
    assert count_queries(app, client, "/dashboard/saya") == few


def test_numbers_follow_the_users_language(client, world, scenario):
    world.pimpinan.language = "en"
    db.session.commit()
    login(client, world.pimpinan)
    html = _page(client, "/dashboard/")
    assert "65.3" in html and "47.5%" in html
    assert "65,3" not in html and "47,5%" not in html


def test_next_evaluation_date_passed_or_unset(client, world, scenario):
    scenario.evaluation.next_evaluation_date = date(2025, 5, 31)
    db.session.commit()
    login(client, world.koordinator)
    html = _page(client, "/dashboard/")
    assert "2 hari" in html and "sudah lewat, sejak 31 Mei 2025" in html
    scenario.evaluation.next_evaluation_date = None
    db.session.commit()
    assert "Tanggal belum diisi." in _page(client, "/dashboard/")


def test_pic_home_pages(client, world, frozen_clock):
    factories.make_evaluation([world.unit_a], n_recommendations=25)  # all due 30 April
    login(client, world.pic)
    html = _page(client, "/dashboard/saya")
    assert "Tindak lanjut terbuka (25)" in html
    assert html.count('class="list-group-item"') == 20
    assert 'href="/dashboard/saya?page=2"' in html
    html = _page(client, "/dashboard/saya?page=2")
    assert html.count('class="list-group-item"') == 5
    assert "Rekomendasi nomor 21." in html and "Rekomendasi nomor 25." in html  # by number


def test_overdue_follow_ups_of_other_evaluations_are_pointed_out(client, world, frozen_clock):
    frozen_clock(datetime(2025, 6, 2, 3, 0, tzinfo=UTC))
    older = factories.make_evaluation([world.unit_a], n_recommendations=0, year=2023)
    late_b = factories.make_evaluation(
        [world.unit_b], n_recommendations=0, year=2023, institution="Politeknik B"
    )
    current = factories.make_evaluation([world.unit_a], n_recommendations=0, year=2024)
    past, future = date(2025, 5, 1), date(2025, 7, 1)
    add_followup(older, 1, 0, [world.unit_a], S.PROSES, due=past)
    add_followup(
        older,
        2,
        0,
        [world.unit_a],
        S.SESUAI,
        100,
        due=past,
        closed_at=datetime(2025, 4, 1, tzinfo=UTC),
    )  # closed: not late
    for number in (1, 2):
        add_followup(late_b, number, 0, [world.unit_b], S.BELUM, due=past)
    add_followup(current, 1, 0, [world.unit_a], S.BELUM, due=past)  # the one shown
    add_followup(current, 2, 0, [world.unit_a], S.BELUM, due=future)
    db.session.commit()
    login(client, world.koordinator)

    html = _page(client, f"/dashboard/?evaluation={current.id}")
    alert = html.split("Ada tindak lanjut terlambat di evaluasi lain:", 1)[1].split("</div>", 1)[0]
    # Most late first; the evaluation shown is not repeated.
    assert alert.index(f"?evaluation={late_b.id}") < alert.index(f"?evaluation={older.id}")
    assert f"?evaluation={current.id}" not in alert
    assert '<span class="badge text-bg-danger">2</span>' in alert
    assert '<span class="badge text-bg-danger">1</span>' in alert

    html = _page(client, f"/dashboard/?evaluation={late_b.id}")
    alert = html.split("Ada tindak lanjut terlambat di evaluasi lain:", 1)[1].split("</div>", 1)[0]
    assert f"?evaluation={current.id}" in alert and f"?evaluation={older.id}" in alert

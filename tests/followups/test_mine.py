"""'Tindak lanjut saya': scoping, ordering, filters, empty states and pagination."""

from datetime import date

from tests import factories
from tests.conftest import login
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus


def _positions(html: str, texts: list[str]) -> list[int]:
    positions = [html.find(text) for text in texts]
    assert all(p >= 0 for p in positions), positions
    return positions


def test_open_first_by_due_date_undated_last_then_closed(client, world, frozen_clock):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=4)
    f1, f2, f3, f4 = (r.followup for r in evaluation.recommendations)
    f1.due_date = date(2025, 6, 10)
    f2.due_date = date(2025, 5, 30)
    f3.due_date = None
    f4.due_date = date(2025, 5, 1)
    f4.status = FollowUpStatus.SESUAI
    db.session.commit()

    login(client, world.pic)
    response = client.get("/followups/mine")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    order = _positions(html, [f"Rekomendasi nomor {n}." for n in (2, 1, 3, 4)])
    assert order == sorted(order)
    assert "terlambat 3 hari" in html  # f2: 30 May, today is 2 June in Jakarta
    assert "8 hari lagi" in html  # f1: 10 June
    assert "Belum ditetapkan" in html  # f3
    assert "Sesuai" in html and "UNIT-A" in html and "Politeknik Contoh (2024)" in html
    assert f'href="/followups/{f1.id}"' in html


def test_status_and_open_filters(client, world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=3)
    f1, f2, _f3 = (r.followup for r in evaluation.recommendations)
    f1.status = FollowUpStatus.SESUAI
    f2.status = FollowUpStatus.PROSES
    db.session.commit()
    login(client, world.pic)

    html = client.get("/followups/mine?status=dalam_proses").get_data(as_text=True)
    assert "Rekomendasi nomor 2." in html
    assert "Rekomendasi nomor 1." not in html and "Rekomendasi nomor 3." not in html

    html = client.get("/followups/mine?open=1").get_data(as_text=True)
    assert "Rekomendasi nomor 1." not in html
    assert "Rekomendasi nomor 2." in html and "Rekomendasi nomor 3." in html

    html = client.get("/followups/mine?status=sesuai&open=1").get_data(as_text=True)
    assert "Tidak ada tindak lanjut yang cocok" in html

    # An unknown status is ignored rather than failing.
    response = client.get("/followups/mine?status=selesai")
    assert response.status_code == 200
    assert "Rekomendasi nomor 1." in response.get_data(as_text=True)


def test_pic_never_sees_other_units_followups(client, world):
    factories.make_evaluation([world.unit_b], [world.other_pic], institution="Dinas Lain")
    factories.make_evaluation([world.unit_a], [], institution="Politeknik Kami")
    login(client, world.pic)
    html = client.get("/followups/mine").get_data(as_text=True)
    assert "Politeknik Kami" in html  # owned by their unit, even without naming them
    assert "Dinas Lain" not in html
    assert "UNIT-B" not in html


def test_pic_sees_followups_naming_them_in_another_unit(client, world):
    factories.make_evaluation([world.unit_b], [world.pic], institution="Dinas Lain")
    login(client, world.pic)
    assert "Dinas Lain" in client.get("/followups/mine").get_data(as_text=True)


def test_reader_sees_only_followups_naming_them(client, world):
    factories.make_evaluation([world.unit_a], [world.pic], institution="Politeknik Contoh")
    factories.make_evaluation([world.unit_a], [world.koordinator], institution="Dinas Koordinasi")
    login(client, world.koordinator)
    html = client.get("/followups/mine").get_data(as_text=True)
    assert "Dinas Koordinasi" in html
    assert "Politeknik Contoh" not in html


def test_reader_without_followups_gets_a_friendly_empty_state(client, world):
    factories.make_evaluation([world.unit_a], [world.pic])
    login(client, world.pimpinan)
    response = client.get("/followups/mine")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Belum ada tindak lanjut yang ditugaskan kepada Anda." in html
    assert 'href="/evaluations/"' in html


def test_pic_without_followups_gets_no_evaluations_link(client, world):
    login(client, world.other_pic)
    html = client.get("/followups/mine").get_data(as_text=True)
    assert "Belum ada tindak lanjut yang ditugaskan kepada Anda." in html
    assert "Lihat daftar evaluasi" not in html


def test_paginated(app, client, world):
    per_page = app.config["PER_PAGE"]
    factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=per_page + 3)
    login(client, world.pic)
    first = client.get("/followups/mine").get_data(as_text=True)
    second = client.get("/followups/mine?page=2").get_data(as_text=True)
    assert first.count("Rekomendasi nomor") == per_page
    assert second.count("Rekomendasi nomor") == 3
    assert "page=2" in first


def test_anonymous_is_sent_to_login(client):
    response = client.get("/followups/mine")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")

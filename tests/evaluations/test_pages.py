"""The evaluation pages as a koordinator uses them: type an LHE in, read it, change it."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import post
from tracker.evaluations.models import ComponentScore, Evaluation
from tracker.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def lhe(**overrides) -> dict:
    """The create form as a koordinator fills it in from a typical LHE."""
    data = {
        "institution": "Politeknik Negeri Contoh",
        "year": "2024",
        "evaluator": "Inspektorat Jenderal",
        "document_number": "LHE-12/IJ/2025",
        "report_date": "2025-02-20",
        "received_date": "2025-03-03",
        "followup_deadline": "",
        "next_evaluation_date": "",
        "total_score": "78,55",
        "predikat": "",
        "notes": "",
    }
    for index, (name, weight, score) in enumerate(
        [
            ("Perencanaan Kinerja", "30", "23,70"),
            ("Pengukuran Kinerja", "30", "23,10"),
            ("Pelaporan Kinerja", "15", "12,75"),
            ("Evaluasi Akuntabilitas Kinerja Internal", "25", "19"),
        ]
    ):
        data[f"components-{index}-name"] = name
        data[f"components-{index}-weight"] = weight
        data[f"components-{index}-score"] = score
    data.update(overrides)
    return data


def test_create_form_offers_the_four_components(manager, frozen_clock):
    html = manager.get("/evaluations/new").get_data(as_text=True)
    for name in ("Perencanaan Kinerja", "Pengukuran Kinerja", "Pelaporan Kinerja"):
        assert f'value="{name}"' in html
    assert 'value="Evaluasi Akuntabilitas Kinerja Internal"' in html
    assert 'inputmode="decimal" name="components-3-weight" type="text" value="25"' in html
    assert 'type="date"' in html


def test_create_with_decimal_commas(manager, frozen_clock):
    response = post(manager, "/evaluations/new", lhe(), token_from="/evaluations/new")
    assert response.status_code == 302
    evaluation = db.session.scalars(select(Evaluation)).one()
    assert response.headers["Location"] == f"/evaluations/{evaluation.id}"
    assert evaluation.total_score == Decimal("78.55")
    assert evaluation.predikat == "BB"
    assert evaluation.followup_deadline == date(2025, 5, 2)
    assert [c.score for c in evaluation.components] == [
        Decimal("23.70"),
        Decimal("23.10"),
        Decimal("12.75"),
        Decimal("19.00"),
    ]
    html = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Evaluasi tersimpan." in html
    assert "78,55" in html
    assert "BB (Sangat Baik)" in html
    assert "2 Mei 2025" in html
    assert "Periksa kembali tabel nilai" not in html


def test_a_row_left_empty_is_dropped(manager, frozen_clock):
    data = lhe(**{"components-3-name": "", "components-3-weight": "", "components-3-score": ""})
    assert post(manager, "/evaluations/new", data, token_from="/evaluations/new").status_code == 302
    assert count(ComponentScore) == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("institution", "", "Wajib diisi."),
        ("year", "1999", "Tahun harus antara 2000 dan 2100."),
        ("year", "dua ribu", "Bukan bilangan bulat."),
        ("total_score", "101", "Nilai total harus antara 0 dan 100."),
        ("total_score", "tujuh puluh", "Bukan angka. Tulis seperti 78,55."),
        ("received_date", "2025-06-03", "Tanggal diterima tidak boleh setelah hari ini."),
        ("report_date", "2025-03-04", "Tanggal LHE tidak boleh setelah tanggal diterima."),
        ("followup_deadline", "2025-03-02", "Batas waktu tidak boleh sebelum tanggal diterima."),
        ("next_evaluation_date", "31/12/2025", "Tanggal tidak valid."),
        ("components-1-score", "-1", "Nilai harus antara 0 dan 100."),
        ("components-1-weight", "", "Wajib diisi."),
        ("components-2-name", "", "Wajib diisi."),
    ],
)
def test_bad_input_is_refused_in_indonesian(manager, frozen_clock, field, value, message):
    response = post(
        manager, "/evaluations/new", lhe(**{field: value}), token_from="/evaluations/new"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert "Periksa kembali isian yang ditandai." in html
    assert count(Evaluation) == 0
    assert count(ComponentScore) == 0


def test_component_score_out_of_range(manager, frozen_clock):
    data = lhe(**{"components-1-score": "100,5"})
    response = post(manager, "/evaluations/new", data, token_from="/evaluations/new")
    assert response.status_code == 400
    assert "Nilai harus antara 0 dan 100." in response.get_data(as_text=True)


def test_list_hides_archived_unless_asked(manager, world):
    old = factories.make_evaluation([world.unit_a], year=2022, institution="Arsip Lama")
    factories.make_evaluation([world.unit_a], year=2024, institution="Terbaru")
    factories.make_evaluation([world.unit_a], year=2023, institution="Tengah")
    response = post(manager, f"/evaluations/{old.id}/archive", {}, token_from="/evaluations/")
    assert response.status_code == 302
    html = manager.get("/evaluations/").get_data(as_text=True)
    assert "Arsip Lama" not in html
    assert html.index("Terbaru") < html.index("Tengah")
    assert "0 dari 2 selesai" in html
    assert "Arsip Lama" in manager.get("/evaluations/?archived=1").get_data(as_text=True)
    post(manager, f"/evaluations/{old.id}/unarchive", {}, token_from="/evaluations/")
    assert "Arsip Lama" in manager.get("/evaluations/").get_data(as_text=True)


def test_list_paginates(manager, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for year in (2021, 2022, 2023):
        factories.make_evaluation([world.unit_a], year=year, n_recommendations=0)
    html = manager.get("/evaluations/").get_data(as_text=True)
    assert "2023" in html and "2021" not in html
    assert "2021" in manager.get("/evaluations/?page=2").get_data(as_text=True)


def test_edit_header(manager, world):
    evaluation = factories.make_evaluation([world.unit_a])
    url = f"/evaluations/{evaluation.id}/edit"
    html = manager.get(url).get_data(as_text=True)
    assert 'value="Politeknik Contoh"' in html
    data = lhe(total_score="81,2", received_date="2025-03-01", followup_deadline="2025-05-31")
    response = post(manager, url, data, token_from=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert evaluation.total_score == Decimal("81.20")
    assert evaluation.predikat == "A"
    assert {r.followup.due_date for r in evaluation.recommendations} == {date(2025, 5, 31)}

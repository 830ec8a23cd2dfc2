"""Assigning several follow-ups of an evaluation at once: add vs replace, all or nothing."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import login, post
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus

STALE = "Tindak lanjut ini telah diubah orang lain sejak Anda membukanya."


def _followups(evaluation) -> list[FollowUp]:
    # End the test's transaction (this also expires everything): under MariaDB's repeatable
    # read an open transaction would not see what the request committed.
    db.session.commit()
    return [db.session.get(FollowUp, r.followup.id) for r in evaluation.recommendations]


def _versions(evaluation) -> str:
    return " ".join(f"{f.id}:{f.version}" for f in _followups(evaluation))


def _submit(client, evaluation, chosen, **fields):
    data = {
        "followups": [f.id for f in chosen],
        "units": [],
        "pics": [],
        "units_mode": "add",
        "pics_mode": "add",
        "due_date": "",
        "versions": _versions(evaluation),
    }
    data.update(fields)
    url = f"/followups/evaluation/{evaluation.id}/assign"
    return post(client, url, data, token_from="/followups/mine")


def _state(followup: FollowUp):
    return (
        [u.code for u in followup.units],
        sorted(p.name for p in followup.pics),
        followup.due_date,
    )


def test_page_lists_recommendations_by_component(client, world, evaluation):
    login(client, world.koordinator)
    response = client.get(f"/followups/evaluation/{evaluation.id}/assign")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Perencanaan Kinerja" in html
    for followup in _followups(evaluation):
        assert f'name="followups" value="{followup.id}"' in html
    assert "Rekomendasi nomor 3." in html
    assert "Tambahkan ke yang sudah ada" in html and "Ganti" in html


def test_add_keeps_current_owners_and_pics(client, world, evaluation):
    f1, f2, f3 = _followups(evaluation)
    login(client, world.koordinator)
    response = _submit(
        client, evaluation, [f1, f2], units=[world.unit_b.id], pics=[world.other_pic.id]
    )
    assert response.status_code == 302
    f1, f2, f3 = _followups(evaluation)
    names = sorted([world.pic.name, world.other_pic.name])
    assert _state(f1) == (["UNIT-A", "UNIT-B"], names, date(2025, 4, 30))  # due date kept
    assert _state(f2) == (["UNIT-A", "UNIT-B"], names, date(2025, 4, 30))
    assert _state(f3) == (["UNIT-A"], [world.pic.name], date(2025, 4, 30))  # not chosen
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.object_id)).all()
    assert [e.object_id for e in entries] == [f1.id, f2.id]
    assert all(e.summary["bulk"] is True for e in entries)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 tindak lanjut diperbarui." in html


def test_replace_swaps_owners_and_pics_and_sets_the_due_date(client, world, evaluation):
    f1, f2, _f3 = _followups(evaluation)
    login(client, world.admin)
    response = _submit(
        client,
        evaluation,
        [f1, f2],
        units=[world.unit_b.id],
        pics=[world.other_pic.id],
        units_mode="replace",
        pics_mode="replace",
        due_date="2025-08-15",
    )
    assert response.status_code == 302
    f1, f2, _f3 = _followups(evaluation)
    for followup in (f1, f2):
        assert _state(followup) == (["UNIT-B"], [world.other_pic.name], date(2025, 8, 15))


def test_all_or_nothing(client, world, evaluation):
    """Replacing the units keeps PIC A on item 1 outside its owners: nothing is saved at all."""
    f1, f2, _f3 = _followups(evaluation)
    f2.units = [world.unit_b]
    f2.pics = []
    db.session.commit()
    before = [_state(f) for f in _followups(evaluation)]
    login(client, world.koordinator)
    response = _submit(
        client,
        evaluation,
        [f2, f1],
        units=[world.unit_b.id],
        units_mode="replace",
        due_date="2025-08-15",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"Rekomendasi 1: {world.pic.name} bukan anggota unit pemilik yang dipilih." in html
    assert [_state(f) for f in _followups(evaluation)] == before
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_due_date_needed_where_units_get_set(client, world, evaluation):
    f1, _f2, _f3 = _followups(evaluation)
    f1.due_date = None
    db.session.commit()
    login(client, world.koordinator)
    response = _submit(client, evaluation, [f1], units=[world.unit_a.id])
    assert response.status_code == 400
    assert "Rekomendasi 1: Wajib diisi bila unit pemilik sudah dipilih." in response.get_data(
        as_text=True
    )


def test_closed_ones_are_skipped_with_a_note(client, world, evaluation):
    f1, f2, f3 = _followups(evaluation)
    f3.status = FollowUpStatus.SESUAI
    db.session.commit()
    login(client, world.koordinator)
    response = _submit(client, evaluation, [f1, f2, f3], due_date="2025-08-15")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 tindak lanjut diperbarui." in html
    assert "Dilewati karena sudah selesai: rekomendasi 3." in html
    assert [f.due_date for f in _followups(evaluation)] == [
        date(2025, 8, 15),
        date(2025, 8, 15),
        date(2025, 4, 30),
    ]


def test_warns_when_due_date_passes_next_evaluation(client, world, evaluation):
    f1, _f2, _f3 = _followups(evaluation)
    login(client, world.koordinator)
    response = _submit(client, evaluation, [f1], due_date="2025-09-02")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "melewati tanggal evaluasi berikutnya" in html


def test_nothing_chosen_is_refused(client, world, evaluation):
    login(client, world.koordinator)
    response = _submit(client, evaluation, [], due_date="2025-08-15")
    assert response.status_code == 400
    assert "Pilih minimal satu rekomendasi." in response.get_data(as_text=True)


def test_stale_versions_are_refused_with_409(client, world, evaluation):
    f1, f2, _f3 = _followups(evaluation)
    versions = _versions(evaluation)
    f2.due_date = date(2025, 5, 31)  # someone else saves in between
    db.session.commit()
    login(client, world.koordinator)
    response = _submit(client, evaluation, [f1, f2], due_date="2025-08-15", versions=versions)
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    assert [f.due_date for f in _followups(evaluation)][:2] == [
        date(2025, 4, 30),
        date(2025, 5, 31),
    ]


def test_missing_versions_are_refused(client, world, evaluation):
    f1 = _followups(evaluation)[0]
    login(client, world.koordinator)
    data = {"followups": [f1.id], "due_date": "2025-08-15"}
    url = f"/followups/evaluation/{evaluation.id}/assign"
    response = post(client, url, data, token_from="/followups/mine")
    assert response.status_code == 409
    assert _followups(evaluation)[0].due_date == date(2025, 4, 30)


@pytest.mark.parametrize("role, expected", [("pimpinan", 403), ("pic", 403), ("other_pic", 404)])
def test_access(client, world, evaluation, role, expected):
    f1 = _followups(evaluation)[0]
    login(client, world.by_role(role))
    assert client.get(f"/followups/evaluation/{evaluation.id}/assign").status_code == expected
    response = _submit(client, evaluation, [f1], due_date="2025-08-15")
    assert response.status_code == expected
    assert _followups(evaluation)[0].due_date == date(2025, 4, 30)


def test_unknown_evaluation_is_404(client, world):
    login(client, world.koordinator)
    assert client.get("/followups/evaluation/999999/assign").status_code == 404


def test_anonymous_is_sent_to_login(client, world, evaluation):
    response = client.get(f"/followups/evaluation/{evaluation.id}/assign")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_missing_csrf_token_is_refused(client, world, evaluation):
    f1 = _followups(evaluation)[0]
    login(client, world.koordinator)
    response = client.post(
        f"/followups/evaluation/{evaluation.id}/assign",
        data={"followups": [f1.id], "due_date": "2025-08-15", "versions": _versions(evaluation)},
    )
    assert response.status_code == 400
    assert _followups(evaluation)[0].due_date == date(2025, 4, 30)

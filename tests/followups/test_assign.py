"""Assigning one follow-up: rules, audit, optimistic concurrency and access."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from tests import factories
from tests.conftest import login, post
from tracker.auth.models import Role
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.followups import services
from tracker.followups.models import FollowUp, FollowUpStatus

STALE = "Tindak lanjut ini telah diubah orang lain sejak Anda membukanya."


@pytest.fixture
def followup(evaluation):
    return evaluation.recommendations[0].followup


def _audit_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def _submit(client, followup, **fields):
    data = {
        "units": [],
        "pics": [],
        "due_date": "",
        "version": str(followup.version),
    }
    data.update(fields)
    return post(client, f"/followups/{followup.id}/assign", data, token_from="/followups/mine")


def _reload(followup) -> FollowUp:
    # End the test's transaction (this also expires everything): under MariaDB's repeatable
    # read an open transaction would not see what the request committed.
    db.session.commit()
    return db.session.get(FollowUp, followup.id)


def test_form_shows_current_assignment(client, world, followup):
    factories.make_user("pic.c@example.com", Role.PIC, [world.unit_a, world.unit_b])
    db.session.commit()
    login(client, world.koordinator)
    response = client.get(f"/followups/{followup.id}/assign")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "UNIT-A — Bagian Perencanaan" in html
    assert "Pic.C — UNIT-A, UNIT-B" in html  # PIC shown with their unit codes
    assert "Koordinator —" not in html  # only users with role PIC are offered
    assert 'value="2025-04-30"' in html
    assert f'name="version" type="hidden" value="{followup.version}"' in html


def test_happy_path_saves_and_writes_audit(client, world, followup):
    version = followup.version
    login(client, world.koordinator)
    response = _submit(
        client,
        followup,
        units=[world.unit_a.id, world.unit_b.id],
        pics=[world.pic.id, world.other_pic.id],
        due_date="2025-07-31",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/followups/{followup.id}"
    followup = _reload(followup)
    assert [u.code for u in followup.units] == ["UNIT-A", "UNIT-B"]
    assert {p.id for p in followup.pics} == {world.pic.id, world.other_pic.id}
    assert followup.due_date == date(2025, 7, 31)
    assert followup.version == version + 1
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.object_type, entry.object_id, entry.action) == (
        "followups",
        followup.id,
        "assign",
    )
    assert entry.user_id == world.koordinator.id
    assert entry.summary["units"] == [["UNIT-A"], ["UNIT-A", "UNIT-B"]]
    assert sorted(entry.summary["pics"][1]) == sorted([world.pic.name, world.other_pic.name])
    assert entry.summary["due_date"] == ["2025-04-30", "2025-07-31"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Penugasan tersimpan." in html
    assert "Penugasan diubah" in html


def test_no_change_writes_nothing(client, world, followup):
    login(client, world.admin)
    response = _submit(
        client, followup, units=[world.unit_a.id], pics=[world.pic.id], due_date="2025-04-30"
    )
    assert response.status_code == 302
    assert _audit_count() == 0
    assert "Tidak ada perubahan." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_pic_outside_owner_units_is_refused_and_nothing_saved(client, world, followup):
    version = followup.version
    login(client, world.koordinator)
    response = _submit(
        client,
        followup,
        units=[world.unit_a.id],
        pics=[world.pic.id, world.other_pic.id],
        due_date="2025-07-31",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"{world.other_pic.name} bukan anggota unit pemilik yang dipilih." in html
    followup = _reload(followup)
    assert [p.id for p in followup.pics] == [world.pic.id]
    assert followup.due_date == date(2025, 4, 30)
    assert followup.version == version
    assert _audit_count() == 0


def test_due_date_is_required_once_units_are_set(client, world, followup):
    login(client, world.koordinator)
    response = _submit(client, followup, units=[world.unit_a.id], pics=[world.pic.id])
    assert response.status_code == 400
    assert "Wajib diisi bila unit pemilik sudah dipilih." in response.get_data(as_text=True)
    assert _reload(followup).due_date == date(2025, 4, 30)


def test_everything_may_be_cleared(client, world, followup):
    login(client, world.koordinator)
    assert _submit(client, followup).status_code == 302
    followup = _reload(followup)
    assert (followup.units, followup.pics, followup.due_date) == ([], [], None)


@pytest.mark.parametrize(
    "make_fields, message",
    [
        (lambda w: {"due_date": "31-07-2025"}, "Tanggal tidak valid."),
        (lambda w: {"units": ["abc"]}, "Pilihan tidak valid."),
        (lambda w: {"units": ["999999"]}, "Pilihan tidak valid."),
        (lambda w: {"pics": [w.koordinator.id]}, "Pilihan tidak valid."),  # not a PIC
        (lambda w: {"version": ""}, "Formulir tidak lengkap."),
    ],
)
def test_bad_input_is_refused_in_indonesian(client, world, followup, make_fields, message):
    fields = make_fields(world)
    login(client, world.koordinator)
    response = _submit(client, followup, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _audit_count() == 0


def test_due_date_after_next_evaluation_is_saved_with_a_warning(client, world, followup):
    login(client, world.koordinator)
    response = _submit(
        client, followup, units=[world.unit_a.id], pics=[world.pic.id], due_date="2025-10-01"
    )
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "melewati tanggal evaluasi berikutnya (1 September 2025)" in html
    assert _reload(followup).due_date == date(2025, 10, 1)


def test_missing_version_is_refused(client, world, followup):
    login(client, world.koordinator)
    data = {"units": [world.unit_b.id], "due_date": "2025-07-31"}
    response = post(client, f"/followups/{followup.id}/assign", data, token_from="/followups/mine")
    assert response.status_code == 400
    assert [u.code for u in _reload(followup).units] == ["UNIT-A"]


def test_stale_version_is_refused_with_409(client, world, followup):
    login(client, world.koordinator)
    response = _submit(
        client,
        followup,
        units=[world.unit_b.id],
        pics=[world.other_pic.id],
        due_date="2025-07-31",
        version=str(followup.version - 1),
    )
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    followup = _reload(followup)
    assert [u.code for u in followup.units] == ["UNIT-A"]
    assert _audit_count() == 0


def test_racing_update_is_refused_with_409(client, world, followup, monkeypatch):
    def racing(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'followups' expected to update 1 row")

    monkeypatch.setattr(services, "assign_followup", racing)
    login(client, world.koordinator)
    response = _submit(client, followup, units=[world.unit_a.id], due_date="2025-07-31")
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)


def test_closed_followup_cannot_be_reassigned(client, world, followup):
    followup.status = FollowUpStatus.SESUAI
    db.session.commit()
    login(client, world.koordinator)
    page = client.get(f"/followups/{followup.id}/assign").get_data(as_text=True)
    assert "sudah selesai tidak dapat ditugaskan ulang" in page
    response = _submit(client, followup, units=[world.unit_b.id], due_date="2025-07-31")
    assert response.status_code == 409
    assert "sudah selesai tidak dapat ditugaskan ulang" in response.get_data(as_text=True)
    assert [u.code for u in _reload(followup).units] == ["UNIT-A"]


@pytest.mark.parametrize(
    "role, expected", [("pimpinan", 403), ("pic", 403), ("other_pic", 404), ("admin", 200)]
)
def test_access(client, world, followup, role, expected):
    login(client, world.by_role(role))
    assert client.get(f"/followups/{followup.id}/assign").status_code == expected
    response = _submit(client, followup, units=[world.unit_a.id], due_date="2025-07-31")
    assert response.status_code == (302 if expected == 200 else expected)


def test_anonymous_is_sent_to_login(client, world, followup):
    response = client.get(f"/followups/{followup.id}/assign")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    response = post(client, f"/followups/{followup.id}/assign", {"units": [world.unit_b.id]})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert [u.code for u in _reload(followup).units] == ["UNIT-A"]


def test_missing_csrf_token_is_refused(client, world, followup):
    login(client, world.koordinator)
    response = client.post(
        f"/followups/{followup.id}/assign",
        data={"units": [world.unit_b.id], "due_date": "2025-07-31", "version": followup.version},
    )
    assert response.status_code == 400
    assert [u.code for u in _reload(followup).units] == ["UNIT-A"]

"""Admin pages for units: list, create, edit, (de)activate, validation in Indonesian."""

import re

from sqlalchemy import func, select

from tests import factories
from tests.conftest import post
from tracker.auth.models import Role
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.units.models import Unit

NEW = "/admin/units/new"


def _unit(code: str) -> Unit | None:
    db.session.rollback()  # a new transaction: MariaDB (REPEATABLE READ) keeps old snapshots
    return db.session.scalar(select(Unit).where(Unit.code == code))


def _unit_count() -> int:
    db.session.rollback()  # see the latest committed rows
    return db.session.scalar(select(func.count(Unit.id)))


def _row(html: str, code: str) -> str:
    match = re.search(rf"<tr>\s*<td[^>]*>{code}</td>.*?</tr>", html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def test_index_lists_units_with_parent_and_user_count(admin_client, world):
    child = factories.make_unit("UNIT-C", "Subbagian Program")
    child.parent = world.unit_a
    factories.make_user("pic.c@example.com", Role.PIC, [child, world.unit_a])
    db.session.commit()
    response = admin_client.get("/admin/units/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    row_a = _row(html, "UNIT-A")
    assert "Bagian Perencanaan" in row_a
    assert '<td class="text-end">2</td>' in row_a  # world.pic and pic.c
    row_c = _row(html, "UNIT-C")
    assert "<td>UNIT-A</td>" in row_c
    assert '<td class="text-end">1</td>' in row_c
    assert "Aktif" in row_c


def test_index_paginates(app, admin_client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 1)
    first = admin_client.get("/admin/units/").get_data(as_text=True)
    second = admin_client.get("/admin/units/?page=2").get_data(as_text=True)
    assert "UNIT-A" in first and "UNIT-B" not in first
    assert "UNIT-B" in second and "UNIT-A" not in second


def test_create_unit_stores_upper_case_code_and_audits(admin_client, world):
    response = post(
        admin_client,
        NEW,
        {"code": " keu_01 ", "name": "Bagian Keuangan", "parent": world.unit_a.id, "active": "y"},
        token_from=NEW,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/units/")
    unit = _unit("KEU_01")
    assert unit is not None and unit.name == "Bagian Keuangan"
    assert unit.parent.code == "UNIT-A" and unit.active
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "units"))
    assert entry.action == "create" and entry.user_id == world.admin.id
    assert entry.summary["code"] == "KEU_01" and entry.summary["parent"] == "UNIT-A"


def test_create_requires_code_and_name(admin_client, world):
    before = _unit_count()
    response = post(admin_client, NEW, {"code": "", "name": ""}, token_from=NEW)
    assert response.status_code == 400
    assert response.get_data(as_text=True).count("Wajib diisi.") == 2
    assert _unit_count() == before


def test_create_refuses_bad_characters_in_code(admin_client, world):
    before = _unit_count()
    response = post(admin_client, NEW, {"code": "KEU 01!", "name": "Keuangan"}, token_from=NEW)
    assert response.status_code == 400
    assert "Kode hanya boleh berisi huruf, angka" in response.get_data(as_text=True)
    assert _unit_count() == before


def test_create_refuses_too_long_code(admin_client, world):
    response = post(admin_client, NEW, {"code": "A" * 31, "name": "Keuangan"}, token_from=NEW)
    assert response.status_code == 400
    assert "Paling banyak 30 karakter." in response.get_data(as_text=True)


def test_duplicate_code_is_refused_whatever_the_case(admin_client, world):
    before = _unit_count()
    response = post(admin_client, NEW, {"code": "unit-a", "name": "Lain"}, token_from=NEW)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Kode unit ini sudah dipakai unit lain." in html
    assert 'class="invalid-feedback' in html  # shown next to the field
    assert _unit_count() == before


def test_edit_unit_changes_fields_and_audits(admin_client, world):
    url = f"/admin/units/{world.unit_b.id}/edit"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="UNIT-B"' in page.get_data(as_text=True)
    response = post(
        admin_client,
        url,
        {"code": "kepeg", "name": "Bagian Kepegawaian dan Umum", "parent": world.unit_a.id},
        token_from=url,
    )
    assert response.status_code == 302
    unit = _unit("KEPEG")
    assert unit.id == world.unit_b.id
    assert unit.name == "Bagian Kepegawaian dan Umum"
    assert unit.parent_id == world.unit_a.id
    assert unit.active is False  # the checkbox was left unticked
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.summary["code"] == ["UNIT-B", "KEPEG"]
    assert entry.summary["parent"] == [None, "UNIT-A"]
    assert entry.summary["active"] == [True, False]


def test_edit_to_a_code_of_another_unit_is_refused(admin_client, world):
    url = f"/admin/units/{world.unit_b.id}/edit"
    response = post(
        admin_client, url, {"code": "UNIT-A", "name": "X", "active": "y"}, token_from=url
    )
    assert response.status_code == 400
    assert "Kode unit ini sudah dipakai unit lain." in response.get_data(as_text=True)
    assert _unit("UNIT-B").name == "Bagian Kepegawaian"


def test_unit_cannot_become_its_own_ancestor(admin_client, world):
    world.unit_b.parent = world.unit_a
    db.session.commit()
    url = f"/admin/units/{world.unit_a.id}/edit"
    html = admin_client.get(url).get_data(as_text=True)
    parent_select = re.search(r'<select[^>]*name="parent".*?</select>', html, re.S).group(0)
    assert "UNIT-B" not in parent_select and "UNIT-A" not in parent_select
    response = post(
        admin_client,
        url,
        {"code": "UNIT-A", "name": "X", "parent": world.unit_b.id, "active": "y"},
        token_from=url,
    )
    assert response.status_code == 400
    assert "Unit induk tidak boleh unit ini sendiri atau bawahannya." in response.get_data(
        as_text=True
    )
    assert _unit("UNIT-A").parent_id is None


def test_unknown_parent_is_refused(admin_client, world):
    response = post(admin_client, NEW, {"code": "X", "name": "X", "parent": 99999}, token_from=NEW)
    assert response.status_code == 400
    assert "Pilihan tidak valid." in response.get_data(as_text=True)


def test_unknown_unit_is_404(admin_client, world):
    assert admin_client.get("/admin/units/99999/edit").status_code == 404


def test_deactivate_and_activate(admin_client, world):
    unit_id = world.unit_a.id
    response = post(admin_client, f"/admin/units/{unit_id}/deactivate", token_from="/admin/units/")
    assert response.status_code == 302
    assert _unit("UNIT-A").active is False
    assert "Nonaktif" in admin_client.get("/admin/units/").get_data(as_text=True)
    response = post(admin_client, f"/admin/units/{unit_id}/activate", token_from="/admin/units/")
    assert response.status_code == 302
    assert _unit("UNIT-A").active is True
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "units", AuditEntry.object_id == unit_id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["deactivate", "activate"]


def test_deactivate_requires_post(admin_client, world):
    assert admin_client.get(f"/admin/units/{world.unit_a.id}/deactivate").status_code == 405

"""Admin pages for users: list and filters, create, edit, (de)activate, sessions ending."""

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import login, post
from tracker.auth.models import Role, User
from tracker.auth.services import verify_password
from tracker.core.audit import AuditEntry
from tracker.extensions import db

NEW = "/admin/users/new"
NEW_PASSWORD = "kata-sandi-baru-1"


def _user(email: str) -> User | None:
    db.session.rollback()  # a new transaction: MariaDB (REPEATABLE READ) keeps old snapshots
    return db.session.scalar(select(User).where(User.email == email))


def _user_count() -> int:
    db.session.rollback()  # see the latest committed rows
    return db.session.scalar(select(func.count(User.id)))


def _new_user_data(world, **changes) -> dict:
    data = {
        "name": "Sari Wulandari",
        "email": "Sari@Example.com",
        "role": "pic",
        "units": [world.unit_a.id, world.unit_b.id],
        "language": "en",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def _edit_data(user, **changes) -> dict:
    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "units": [unit.id for unit in user.units],
        "language": user.language,
        "password": "",
        "confirm": "",
    }
    data.update(changes)
    return data


def test_index_lists_users_with_role_labels_and_units(admin_client, world):
    response = admin_client.get("/admin/users/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for user in (world.admin, world.koordinator, world.pimpinan, world.pic, world.other_pic):
        assert user.email in html
    assert "PIC / kepala unit" in html and "Koordinator" in html
    assert "UNIT-A" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?role=pic", {"pic@example.com", "pic.b@example.com"}),
        ("?role=koordinator", {"koordinator@example.com"}),
        ("?active=0", {"pimpinan@example.com"}),
        ("?q=PIC.B", {"pic.b@example.com"}),
        ("?q=Pimpinan", {"pimpinan@example.com"}),
        ("?q=pic&active=1&role=pic", {"pic@example.com", "pic.b@example.com"}),
        ("?q=100%25", set()),
    ],
)
def test_index_filters(admin_client, world, query, expected):
    world.pimpinan.active = False
    db.session.commit()
    html = admin_client.get("/admin/users/" + query).get_data(as_text=True)
    everyone = {u.email for u in db.session.scalars(select(User))}
    shown = {email for email in everyone if email in html}
    assert shown == expected


def test_index_paginates(app, admin_client, world, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 1)
    first = admin_client.get("/admin/users/?role=pic").get_data(as_text=True)
    second = admin_client.get("/admin/users/?role=pic&page=2").get_data(as_text=True)
    assert "pic@example.com" in first and "pic.b@example.com" not in first
    assert "pic.b@example.com" in second and "pic@example.com" not in second
    assert 'href="/admin/users/?page=2&amp;role=pic"' in first  # the filter is kept


def test_create_user(admin_client, world):
    response = post(admin_client, NEW, _new_user_data(world), token_from=NEW)
    assert response.status_code == 302
    user = _user("sari@example.com")
    assert user.name == "Sari Wulandari" and user.role == Role.PIC
    assert [unit.code for unit in user.units] == ["UNIT-A", "UNIT-B"]
    assert user.language == "en" and user.active
    assert verify_password(user, NEW_PASSWORD)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_type == "users"))
    assert entry.action == "create" and entry.user_id == world.admin.id
    assert entry.summary["units"] == ["UNIT-A", "UNIT-B"]
    assert entry.summary["role"] == "pic"
    assert "password" not in str(entry.summary) and user.password_hash not in str(entry.summary)
    # The new account can log in.
    other = admin_client.application.test_client()
    assert login(other, user, password=NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"name": ""}, "Wajib diisi."),
        ({"email": ""}, "Wajib diisi."),
        ({"email": "bukan-surel"}, "Alamat surel tidak valid."),
        ({"password": "", "confirm": ""}, "Wajib diisi."),
        ({"password": "pendek", "confirm": "pendek"}, "Kata sandi minimal 10 karakter."),
        ({"confirm": "lain-sekali-123"}, "Kedua kata sandi tidak sama."),
        ({"units": []}, "PIC harus terhubung dengan minimal satu unit."),
        ({"role": "superuser"}, "Peran tidak dikenal."),
        ({"units": [99999]}, "Pilihan tidak valid."),
    ],
)
def test_create_validation(admin_client, world, changes, field_message):
    before = _user_count()
    response = post(admin_client, NEW, _new_user_data(world, **changes), token_from=NEW)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'<div class="invalid-feedback d-block">{field_message}</div>' in html
    assert _user_count() == before


@pytest.mark.parametrize("email", ["pic@example.com", "PIC@Example.COM", " pic@example.com "])
def test_create_refuses_duplicate_email_whatever_the_case(admin_client, world, email):
    before = _user_count()
    response = post(admin_client, NEW, _new_user_data(world, email=email), token_from=NEW)
    assert response.status_code == 400
    assert "Surel ini sudah dipakai akun lain." in response.get_data(as_text=True)
    assert _user_count() == before


def test_create_refuses_inactive_unit(admin_client, world):
    world.unit_b.active = False
    db.session.commit()
    page = admin_client.get(NEW).get_data(as_text=True)
    assert "UNIT-B" not in page  # only active units are offered
    response = post(admin_client, NEW, _new_user_data(world), token_from=NEW)
    assert response.status_code == 400
    assert "Unit tidak aktif: UNIT-B" in response.get_data(as_text=True)


def test_non_pic_may_have_no_unit(admin_client, world):
    data = _new_user_data(world, role="pimpinan", units=[])
    assert post(admin_client, NEW, data, token_from=NEW).status_code == 302
    assert _user("sari@example.com").role == Role.PIMPINAN


def test_edit_user_keeps_password_when_left_empty(admin_client, world):
    url = f"/admin/users/{world.pic.id}/edit"
    page = admin_client.get(url).get_data(as_text=True)
    assert 'value="pic@example.com"' in page
    old_hash, old_version = world.pic.password_hash, world.pic.session_version
    data = _edit_data(
        world.pic, name="Pic Baru", email="PIC.BARU@example.com", units=[world.unit_b.id]
    )
    response = post(admin_client, url, data, token_from=url)
    assert response.status_code == 302
    user = _user("pic.baru@example.com")
    assert user.id == world.pic.id and user.name == "Pic Baru"
    assert [unit.code for unit in user.units] == ["UNIT-B"]
    assert user.password_hash == old_hash and user.session_version == old_version
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.summary["email"] == ["pic@example.com", "pic.baru@example.com"]
    assert entry.summary["units"] == [["UNIT-A"], ["UNIT-B"]]
    assert "password_changed" not in entry.summary


def test_edit_password_ends_the_users_sessions(app, admin_client, world):
    pic_client = app.test_client()
    login(pic_client, world.pic)
    assert pic_client.get("/admin/units/").status_code == 403  # logged in (403, not redirect)
    url = f"/admin/users/{world.pic.id}/edit"
    data = _edit_data(world.pic, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert post(admin_client, url, data, token_from=url).status_code == 302
    user = _user("pic@example.com")
    assert verify_password(user, NEW_PASSWORD)
    response = pic_client.get("/admin/units/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "update"))
    assert entry.summary == {"password_changed": True}


def test_admin_changing_own_password_stays_logged_in(admin_client, world):
    url = f"/admin/users/{world.admin.id}/edit"
    data = _edit_data(world.admin, password=NEW_PASSWORD, confirm=NEW_PASSWORD)
    assert post(admin_client, url, data, token_from=url).status_code == 302
    assert admin_client.get("/admin/users/").status_code == 200


def test_edit_refuses_email_of_another_account(admin_client, world):
    url = f"/admin/users/{world.pic.id}/edit"
    data = _edit_data(world.pic, email="Koordinator@EXAMPLE.com")
    response = post(admin_client, url, data, token_from=url)
    assert response.status_code == 400
    assert "Surel ini sudah dipakai akun lain." in response.get_data(as_text=True)
    assert _user("pic@example.com") is not None


def test_edit_short_password_is_refused(admin_client, world):
    url = f"/admin/users/{world.pic.id}/edit"
    data = _edit_data(world.pic, password="pendek", confirm="pendek")
    response = post(admin_client, url, data, token_from=url)
    assert response.status_code == 400
    assert "Kata sandi minimal 10 karakter." in response.get_data(as_text=True)


def test_edit_keeps_an_inactive_unit_the_user_already_has(admin_client, world):
    world.unit_a.active = False
    db.session.commit()
    url = f"/admin/users/{world.pic.id}/edit"
    assert "UNIT-A" in admin_client.get(url).get_data(as_text=True)
    response = post(admin_client, url, _edit_data(world.pic, name="Tetap"), token_from=url)
    assert response.status_code == 302
    assert [unit.code for unit in _user("pic@example.com").units] == ["UNIT-A"]


def test_admin_cannot_remove_own_admin_role(admin_client, world):
    url = f"/admin/users/{world.admin.id}/edit"
    response = post(admin_client, url, _edit_data(world.admin, role="koordinator"), token_from=url)
    assert response.status_code == 400
    assert "Anda tidak dapat mencabut peran admin dari akun Anda sendiri." in response.get_data(
        as_text=True
    )
    assert _user("admin@example.com").role == Role.ADMIN


def test_admin_may_change_another_admins_role(admin_client, world):
    second = factories.make_user("admin2@example.com", Role.ADMIN)
    db.session.commit()
    url = f"/admin/users/{second.id}/edit"
    response = post(admin_client, url, _edit_data(second, role="koordinator"), token_from=url)
    assert response.status_code == 302
    assert _user("admin2@example.com").role == Role.KOORDINATOR


def test_deactivated_admin_session_ends_at_once(app, admin_client, world):
    second = factories.make_user("admin2@example.com", Role.ADMIN)
    db.session.commit()
    other = app.test_client()
    login(other, second)
    assert other.get("/admin/users/").status_code == 200
    response = post(
        admin_client, f"/admin/users/{second.id}/deactivate", token_from="/admin/users/"
    )
    assert response.status_code == 302
    user = _user("admin2@example.com")
    assert user.active is False and user.session_version == 2
    response = other.get("/admin/users/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    # Nor can they log in again until reactivated.
    assert login(other, second).status_code == 401
    post(admin_client, f"/admin/users/{second.id}/activate", token_from="/admin/users/")
    assert _user("admin2@example.com").active is True
    assert login(other, second).status_code == 302
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "users", AuditEntry.object_id == second.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["deactivate", "activate"]


def test_admin_cannot_deactivate_themself(admin_client, world):
    url = f"/admin/users/{world.admin.id}/deactivate"
    response = post(admin_client, url, token_from="/admin/users/")
    assert response.status_code == 302
    assert _user("admin@example.com").active is True
    page = admin_client.get("/admin/users/")
    assert page.status_code == 200  # still logged in
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in page.get_data(as_text=True)
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_unknown_user_is_404(admin_client, world):
    assert admin_client.get("/admin/users/99999/edit").status_code == 404
    assert (
        post(admin_client, "/admin/users/99999/deactivate", token_from="/admin/users/").status_code
        == 404
    )

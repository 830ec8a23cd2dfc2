"""Account rules, called directly (they serve both the admin pages and the CLI)."""

import pytest
from sqlalchemy import select

from tests import factories
from tracker.auth.models import Role
from tracker.auth.services import verify_password
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.users import services

PASSWORD = "sepuluh-karakter"


def _create(world, **changes):
    fields = {
        "email": "baru@example.com",
        "name": "Akun Baru",
        "role": "pic",
        "password": PASSWORD,
        "units": [world.unit_a],
    }
    fields.update(changes)
    return services.create_user(world.admin, **fields)


def _fields(error: services.UserError) -> list[str]:
    return [problem.field for problem in error.problems]


def test_create_user_normalises_and_hashes(world):
    user = _create(world, email="  Baru@Example.COM ", name=" Akun Baru ", role="PIC")
    assert user.email == "baru@example.com" and user.name == "Akun Baru"
    assert user.role == Role.PIC and user.language == "id"
    assert user.password_hash != PASSWORD and verify_password(user, PASSWORD)


def test_all_problems_are_reported_at_once(world):
    with pytest.raises(services.UserError) as caught:
        _create(world, email="pic@example.com", name=" ", password="pendek", units=[])
    assert sorted(_fields(caught.value)) == ["email", "name", "password", "units"]
    assert "already used" in str(caught.value)


def test_unknown_role_and_language(world):
    with pytest.raises(services.UserError) as caught:
        _create(world, role="boss", language="fr")
    assert sorted(_fields(caught.value)) == ["language", "role"]


def test_units_from_codes(world):
    assert services.units_from_codes(["unit-b", " UNIT-A ", "UNIT-B"]) == [
        world.unit_b,
        world.unit_a,
    ]
    assert services.units_from_codes([]) == []
    with pytest.raises(services.UserError) as caught:
        services.units_from_codes(["UNIT-A", "NOPE", "ALSO-NOPE"])
    assert caught.value.problems[0].english == "Unknown unit code: NOPE, ALSO-NOPE"


def test_assignable_units_skip_inactive_unless_already_held(world):
    world.unit_a.active = False
    assert services.assignable_units() == [world.unit_b]
    assert services.assignable_units(world.pic) == [world.unit_a, world.unit_b]
    assert services.assignable_units(world.other_pic) == [world.unit_b]


def test_update_without_changes_writes_no_audit_entry(world):
    services.update_user(
        world.admin,
        world.pic,
        email="PIC@example.com",
        name=world.pic.name,
        role=Role.PIC,
        units=[world.unit_a],
        language="id",
    )
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_deactivate_ends_sessions_once(world):
    version = world.pic.session_version
    services.deactivate_user(world.admin, world.pic)
    services.deactivate_user(world.admin, world.pic)  # already inactive: nothing more
    assert world.pic.active is False and world.pic.session_version == version + 1
    assert [e.action for e in db.session.scalars(select(AuditEntry))] == ["deactivate"]


def test_self_deactivation_is_refused(world):
    with pytest.raises(services.UserError) as caught:
        services.deactivate_user(world.admin, world.admin)
    assert caught.value.problems[0].english == "You cannot deactivate your own account."
    assert world.admin.active


def test_another_admin_may_lose_the_admin_role(world):
    second = factories.make_user("admin2@example.com", Role.ADMIN)
    services.update_user(
        world.admin,
        second,
        email=second.email,
        name=second.name,
        role="pimpinan",
        units=[],
        language="id",
    )
    assert second.role == Role.PIMPINAN
    with pytest.raises(services.UserError) as caught:
        services.update_user(
            world.admin,
            world.admin,
            email=world.admin.email,
            name=world.admin.name,
            role="pimpinan",
            units=[],
            language="id",
        )
    assert _fields(caught.value) == ["role"]

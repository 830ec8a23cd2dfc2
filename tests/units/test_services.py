"""Unit rules, called directly: codes, hierarchy, audit."""

import pytest
from sqlalchemy import select

from tests import factories
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.units import services


def test_create_normalises_code(world):
    unit = services.create_unit(world.admin, "  lpm-1 ", " Lembaga Penjaminan Mutu ")
    assert unit.code == "LPM-1" and unit.name == "Lembaga Penjaminan Mutu"


@pytest.mark.parametrize("code", ["", "A B", "KEU/01", "É", "A" * 31])
def test_create_refuses_bad_codes(world, code):
    with pytest.raises(services.UnitError) as caught:
        services.create_unit(world.admin, code, "Nama")
    assert caught.value.field == "code"


def test_create_refuses_duplicate_code(app, world):
    with pytest.raises(services.UnitError) as caught:
        services.create_unit(world.admin, "Unit-b", "Nama")
    assert caught.value.field == "code"
    with app.test_request_context():
        assert str(caught.value.message) == "Kode unit ini sudah dipakai unit lain."


def test_no_cycles_in_the_hierarchy(world):
    grandchild = factories.make_unit("UNIT-C")
    services.update_unit(world.admin, world.unit_b, "UNIT-B", "B", world.unit_a, True)
    services.update_unit(world.admin, grandchild, "UNIT-C", "C", world.unit_b, True)
    for parent in (world.unit_a, world.unit_b, grandchild):
        with pytest.raises(services.UnitError) as caught:
            services.update_unit(world.admin, world.unit_a, "UNIT-A", "A", parent, True)
        assert caught.value.field == "parent"
    assert world.unit_a.parent is None
    assert services.descendant_ids(world.unit_a) == {world.unit_b.id, grandchild.id}
    assert [u.code for u in services.parent_candidates(world.unit_b)] == ["UNIT-A"]
    assert [u.code for u in services.parent_candidates()] == ["UNIT-A", "UNIT-B", "UNIT-C"]


def test_update_without_changes_writes_no_audit_entry(world):
    services.update_unit(world.admin, world.unit_a, "UNIT-A", "Bagian Perencanaan", None, True)
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_set_active_is_idempotent(world):
    services.set_unit_active(world.admin, world.unit_a, False)
    services.set_unit_active(world.admin, world.unit_a, False)
    entries = db.session.scalars(select(AuditEntry)).all()
    assert [entry.action for entry in entries] == ["deactivate"]
    assert world.unit_a.active is False

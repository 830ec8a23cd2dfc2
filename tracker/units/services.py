"""Unit rules: create, edit, activate and deactivate units, each change audited."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.core import audit
from tracker.extensions import db
from tracker.units.models import Unit

CODE_PATTERN = re.compile(r"[A-Z0-9_-]{1,30}")


class UnitError(Exception):
    """A unit rule was broken; `field` names the form field, `message` says why (Indonesian)."""

    def __init__(self, field: str, message: str):
        super().__init__(field)
        self.field = field
        self.message = message


def normalise_code(code: str) -> str:
    """Codes are stored trimmed and upper-case."""
    return (code or "").strip().upper()


def descendant_ids(unit: Unit) -> set[int]:
    """Ids of every unit below `unit` in the hierarchy (children, grandchildren, ...)."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in db.session.execute(select(Unit.id, Unit.parent_id)):
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    found: set[int] = set()
    todo = list(children.get(unit.id, []))
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def parent_candidates(unit: Unit | None = None) -> list[Unit]:
    """Units that may become the parent of `unit`: not itself and none of its descendants."""
    units = db.session.scalars(select(Unit).order_by(Unit.code)).all()
    if unit is None or unit.id is None:
        return list(units)
    excluded = descendant_ids(unit) | {unit.id}
    return [candidate for candidate in units if candidate.id not in excluded]


def _validate(unit: Unit | None, code: str, name: str, parent: Unit | None) -> None:
    if not CODE_PATTERN.fullmatch(code):
        raise UnitError(
            "code", _l("Kode hanya boleh berisi huruf, angka, tanda - dan _ (maksimal 30).")
        )
    if not name.strip():
        raise UnitError("name", _l("Wajib diisi."))
    taken = select(Unit.id).where(Unit.code == code)
    if unit is not None and unit.id is not None:
        taken = taken.where(Unit.id != unit.id)
    if db.session.scalar(taken) is not None:
        raise UnitError("code", _l("Kode unit ini sudah dipakai unit lain."))
    if unit is not None and parent is not None:
        node, seen = parent, set()
        while node is not None and node.id not in seen:
            if node.id == unit.id:
                raise UnitError(
                    "parent", _l("Unit induk tidak boleh unit ini sendiri atau bawahannya.")
                )
            seen.add(node.id)
            node = node.parent


def create_unit(actor, code: str, name: str, parent: Unit | None = None, active=True) -> Unit:
    """Create a unit after checking its code (format, unique); audited."""
    code = normalise_code(code)
    _validate(None, code, name, parent)
    unit = Unit(code=code, name=name.strip(), parent=parent, active=active)
    db.session.add(unit)
    db.session.flush()
    audit.record(
        actor,
        unit,
        "create",
        code=unit.code,
        name=unit.name,
        parent=parent.code if parent else None,
        active=active,
    )
    db.session.flush()
    return unit


def update_unit(actor, unit: Unit, code: str, name: str, parent: Unit | None, active: bool) -> Unit:
    """Change a unit's fields (no cycles in the hierarchy); audits what changed."""
    code = normalise_code(code)
    _validate(unit, code, name, parent)
    old_parent = unit.parent
    diff = audit.changes(unit, {"code": code, "name": name.strip(), "active": active})
    if old_parent is not parent:
        unit.parent = parent
        diff["parent"] = [getattr(old_parent, "code", None), getattr(parent, "code", None)]
    if diff:
        audit.record(actor, unit, "update", **diff)
    db.session.flush()
    return unit


def set_unit_active(actor, unit: Unit, active: bool) -> Unit:
    """Activate or deactivate a unit; audited when it changes anything."""
    if unit.active != active:
        unit.active = active
        audit.record(actor, unit, "activate" if active else "deactivate", code=unit.code)
        db.session.flush()
    return unit

"""Account rules shared by the admin pages and `flask create-user`: create, edit, (de)activate.

Every rule lives here. A broken rule raises `UserError`, which lists each problem with the
form field it belongs to, an Indonesian message for the pages and an English one for the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker.auth.models import Role, User
from tracker.auth.services import change_password, end_sessions, find_user_by_email, hash_password
from tracker.core import audit
from tracker.extensions import db
from tracker.units.models import Unit

MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class Problem:
    """One broken rule: the form field ('' when none), and the message in both languages."""

    field: str
    message: str
    english: str


class UserError(Exception):
    """One or more account rules were broken; nothing was changed."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__("; ".join(problem.english for problem in self.problems))


def parse_role(value: Role | str) -> Role | None:
    """The Role named by `value` ('pic', 'PIC', Role.PIC), or None."""
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        return None


def units_from_codes(codes: Iterable[str]) -> list[Unit]:
    """The units with these codes (any case); UserError naming the unknown ones."""
    wanted = [code.strip().upper() for code in codes if code.strip()]
    if not wanted:
        return []
    found = {
        unit.code: unit for unit in db.session.scalars(select(Unit).where(Unit.code.in_(wanted)))
    }
    unknown = [code for code in wanted if code not in found]
    if unknown:
        listed = ", ".join(unknown)
        raise UserError(
            [
                Problem(
                    "units",
                    _l("Kode unit tidak dikenal: %(codes)s", codes=listed),
                    f"Unknown unit code: {listed}",
                )
            ]
        )
    return list(dict.fromkeys(found[code] for code in wanted))


def assignable_units(user: User | None = None) -> list[Unit]:
    """Active units, plus the inactive ones `user` already belongs to (so edits keep them)."""
    query = select(Unit).order_by(Unit.code)
    if user is not None and user.units:
        query = query.where(Unit.active.is_(True) | Unit.id.in_(user.unit_ids))
    else:
        query = query.where(Unit.active.is_(True))
    return list(db.session.scalars(query))


def _problems(
    actor: User | None,
    user: User | None,
    *,
    email: str,
    name: str,
    role: Role | str,
    units: list[Unit],
    language: str,
    password: str | None,
) -> list[Problem]:
    problems: list[Problem] = []
    if not (name or "").strip():
        problems.append(Problem("name", _l("Wajib diisi."), "The name is required."))
    email = (email or "").strip().lower()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        problems.append(
            Problem("email", _l("Alamat surel tidak valid."), f"Invalid e-mail address: {email!r}")
        )
    else:
        owner = find_user_by_email(email)
        if owner is not None and owner is not user:
            problems.append(
                Problem(
                    "email",
                    _l("Surel ini sudah dipakai akun lain."),
                    f"E-mail {email} is already used by another account.",
                )
            )
    parsed_role = parse_role(role)
    if parsed_role is None:
        choices = ", ".join(member.value for member in Role)
        problems.append(
            Problem(
                "role", _l("Peran tidak dikenal."), f"Unknown role {role!r} (one of {choices})."
            )
        )
    elif parsed_role == Role.PIC and not units:
        problems.append(
            Problem(
                "units",
                _l("PIC harus terhubung dengan minimal satu unit."),
                "A PIC needs at least one unit (--unit CODE).",
            )
        )
    if (
        actor is not None
        and user is not None
        and actor.id == user.id
        and user.role == Role.ADMIN
        and parsed_role not in (None, Role.ADMIN)
    ):
        problems.append(
            Problem(
                "role",
                _l("Anda tidak dapat mencabut peran admin dari akun Anda sendiri."),
                "You cannot remove your own admin role.",
            )
        )
    current = user.unit_ids if user is not None else set()
    inactive = [unit.code for unit in units if not unit.active and unit.id not in current]
    if inactive:
        listed = ", ".join(inactive)
        problems.append(
            Problem(
                "units",
                _l("Unit tidak aktif: %(codes)s", codes=listed),
                f"Inactive unit: {listed}",
            )
        )
    if language not in current_app.config["LANGUAGES"]:
        problems.append(
            Problem("language", _l("Bahasa tidak dikenal."), f"Unknown language {language!r}.")
        )
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem(
                "password",
                _l("Kata sandi minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH),
                f"The password must have at least {MIN_PASSWORD_LENGTH} characters.",
            )
        )
    return problems


def create_user(
    actor: User | None,
    *,
    email: str,
    name: str,
    role: Role | str,
    password: str,
    units: Iterable[Unit] = (),
    language: str = "id",
    via: str = "web",
) -> User:
    """Create an account after checking every rule; audited (never the password)."""
    units = list(units)
    problems = _problems(
        actor,
        None,
        email=email,
        name=name,
        role=role,
        units=units,
        language=language,
        password=password or "",
    )
    if problems:
        raise UserError(problems)
    user = User(
        email=email,
        name=name.strip(),
        role=parse_role(role),
        password_hash=hash_password(password),
        units=units,
        language=language,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        user,
        "create",
        email=user.email,
        name=user.name,
        role=user.role,
        units=[unit.code for unit in units],
        language=language,
        via=via,
    )
    db.session.flush()
    return user


def update_user(
    actor: User,
    user: User,
    *,
    email: str,
    name: str,
    role: Role | str,
    units: Iterable[Unit],
    language: str,
    password: str | None = None,
) -> User:
    """Change an account; a new password (None = unchanged) ends its sessions. Audited."""
    units = list(units)
    problems = _problems(
        actor,
        user,
        email=email,
        name=name,
        role=role,
        units=units,
        language=language,
        password=password,
    )
    if problems:
        raise UserError(problems)
    diff = audit.changes(
        user,
        {
            "email": email.strip().lower(),
            "name": name.strip(),
            "role": parse_role(role),
            "language": language,
        },
    )
    old_codes = sorted(unit.code for unit in user.units)
    new_codes = sorted(unit.code for unit in units)
    if old_codes != new_codes:
        user.units = units
        diff["units"] = [old_codes, new_codes]
    if password is not None:
        change_password(user, password)
        diff["password_changed"] = True
    if diff:
        audit.record(actor, user, "update", **diff)
    db.session.flush()
    return user


def deactivate_user(actor: User, user: User) -> User:
    """Deactivate an account and end its sessions at once. Admins cannot deactivate themselves."""
    if actor.id == user.id:
        raise UserError(
            [
                Problem(
                    "",
                    _l("Anda tidak dapat menonaktifkan akun Anda sendiri."),
                    "You cannot deactivate your own account.",
                )
            ]
        )
    if user.active:
        user.active = False
        end_sessions(user)
        audit.record(actor, user, "deactivate", email=user.email)
        db.session.flush()
    return user


def activate_user(actor: User, user: User) -> User:
    """Let a deactivated account log in again. Audited."""
    if not user.active:
        user.active = True
        audit.record(actor, user, "activate", email=user.email)
        db.session.flush()
    return user

"""`flask create-user`: success, the password prompt, and each error."""

import pytest
from sqlalchemy import func, select

from tracker.auth.models import Role, User
from tracker.auth.services import verify_password
from tracker.core.audit import AuditEntry
from tracker.extensions import db

PASSWORD = "sangat-rahasia-1"


@pytest.fixture
def run(app, world):
    """Invoke `flask create-user ARGS` and return the result."""
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        return runner.invoke(args=["create-user", *args], input=input)

    return invoke


def _user(email: str) -> User | None:
    db.session.rollback()  # a new transaction: MariaDB (REPEATABLE READ) keeps old snapshots
    return db.session.scalar(select(User).where(User.email == email))


def _count() -> int:
    db.session.rollback()  # see the latest committed rows
    return db.session.scalar(select(func.count(User.id)))


def test_create_pic_with_units(run, world):
    result = run(
        "--email", "Budi@Example.com", "--name", "Budi Santoso", "--role", "pic",
        "--unit", "unit-a", "--unit", "UNIT-B", "--password", PASSWORD, "--language", "en",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created user budi@example.com (role pic)"
    user = _user("budi@example.com")
    assert user.name == "Budi Santoso" and user.role == Role.PIC and user.language == "en"
    assert [unit.code for unit in user.units] == ["UNIT-A", "UNIT-B"]
    assert verify_password(user, PASSWORD)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.object_id == user.id))
    assert entry.action == "create" and entry.user_id is None and entry.summary["via"] == "cli"


def test_password_is_asked_twice_hidden(run, world):
    result = run(
        "--email", "admin2@example.com", "--name", "Admin Dua", "--role", "admin",
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created user admin2@example.com (role admin)" in result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert result.output.count("Password") == 1 and "Repeat for confirmation" in result.output
    assert verify_password(_user("admin2@example.com"), PASSWORD)


def test_prompt_repeats_when_passwords_differ(run, world):
    result = run(
        "--email", "admin2@example.com", "--name", "Admin Dua", "--role", "admin",
        input=f"{PASSWORD}\nlain-lain-lain\n{PASSWORD}\n{PASSWORD}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--email", "PIC@example.com", "--role", "koordinator"],
            "E-mail pic@example.com is already used by another account.",
        ),
        (["--email", "x@example.com", "--role", "boss"], "Unknown role 'boss'"),
        (
            ["--email", "x@example.com", "--role", "pic", "--unit", "NOPE"],
            "Unknown unit code: NOPE",
        ),
        (["--email", "x@example.com", "--role", "pic"], "A PIC needs at least one unit"),
        (["--email", "not-an-email", "--role", "admin"], "Invalid e-mail address"),
        (
            ["--email", "x@example.com", "--role", "admin", "--password", "short"],
            "The password must have at least 10 characters.",
        ),
        (
            ["--email", "x@example.com", "--role", "admin", "--language", "fr"],
            "Unknown language 'fr'",
        ),
    ],
)
def test_errors(run, world, args, message):
    before = _count()
    if "--password" not in args:
        args = [*args, "--password", PASSWORD]
    result = run("--name", "Someone", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _count() == before


def test_missing_required_option(run, world):
    result = run("--email", "x@example.com", "--name", "X")
    assert result.exit_code == 2
    assert "Missing option '--role'" in result.output

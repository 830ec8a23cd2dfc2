"""Fixtures: a database built by the migrations, the app, a client, a user per role.

The database comes from TEST_DATABASE_URL (SQLite, PostgreSQL or MariaDB); without it, a
temporary SQLite file. The migrations build it once per run; every test then starts from
empty tables.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade

from config import TestingConfig
from tests import factories
from tests.dbreset import drop_everything
from tracker import create_app
from tracker.core import clock
from tracker.extensions import db


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory)
    drop_everything(url)
    return url


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (fresh `g` and database session), as in a real
    server, even while the test itself holds an app context open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url
        UPLOAD_FOLDER = str(tmp_path_factory.mktemp("uploads"))
        MAIL_FOLDER = str(tmp_path_factory.mktemp("mail"))

    application = create_app(Config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Each test starts with empty tables and an unfrozen clock."""
    yield
    clock.freeze(None)
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def frozen_clock():
    """Freeze now_utc(); call the returned function with another instant to move it."""

    def move(instant: datetime) -> None:
        clock.freeze(instant if instant.tzinfo else instant.replace(tzinfo=UTC))

    move(datetime(2025, 6, 2, 0, 0, tzinfo=UTC))  # Monday 07:00 in Jakarta
    yield move
    clock.freeze(None)


@pytest.fixture
def world(app_ctx):
    """Two units and a user per role; `world.pic` belongs to UNIT-A, `world.other_pic` to B."""
    return factories.make_world()


class SMTPServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()  # recipients answered with 550
        self.envelopes: list[tuple[str, list[str]]] = []
        self._received = threading.Condition()
        self.port = _free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refused:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        raw = envelope.original_content.replace(b"\r\n", b"\n")  # as a mail client shows it
        message = message_from_bytes(raw, policy=policy.default)
        with self._received:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self._received.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, n: int, timeout: float = 5) -> list[EmailMessage]:
        """The messages once at least `n` have arrived; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._received:
            while len(self.messages) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"expected {n} mail(s), received {len(self.messages)}")
                self._received.wait(left)
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        """The messages addressed to `address`."""
        return [
            message
            for message in self.messages
            if address in [to.addr_spec for to in message["To"].addresses]
        ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A running SMTP server the app sends its mail to (the settings are restored after)."""
    server = SMTPServer()
    server.controller.start()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": "",
        "MAIL_TIMEOUT": 5,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield server
    server.controller.stop()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """The CSRF token of the client's session, read from a page that holds a form."""
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client, user, password: str = factories.PASSWORD):
    """Log `user` in through the real form; returns the response."""
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"email": user.email, "password": password, "csrf_token": token}
    )


def post(client, url: str, data: dict | None = None, **kwargs):
    """POST with the session's CSRF token added."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client, kwargs.pop("token_from", "/login"))
    return client.post(url, data=payload, **kwargs)


def count_queries(app, client, url: str) -> int:
    """How many SQL statements the database runs to answer GET `url` (which must succeed)."""
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return count

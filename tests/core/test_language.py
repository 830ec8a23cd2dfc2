"""The language switch: Indonesian by default, English on request, kept on the account."""

from sqlalchemy import select

from tests.conftest import csrf_token, login
from tracker.auth.models import User
from tracker.core.audit import AuditEntry
from tracker.extensions import db


def test_indonesian_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Kata sandi" in html


def test_anonymous_switch_is_kept_in_the_session(client):
    token = csrf_token(client)
    response = client.post(
        "/language", data={"language": "en", "next": "/login", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_switch_is_stored_on_the_account_and_audited(client, world):
    login(client, world.pic)
    token = csrf_token(client, "/followups/mine")
    client.post("/language", data={"language": "en", "csrf_token": token})
    db.session.expire_all()
    assert db.session.scalar(select(User.language).where(User.id == world.pic.id)) == "en"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "language"))
    assert entry.summary == {"language": ["id", "en"]}


def test_unknown_language_and_foreign_redirect_are_ignored(client):
    token = csrf_token(client)
    response = client.post(
        "/language",
        data={"language": "xx", "next": "https://evil.example/", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"
    assert '<html lang="id">' in client.get("/login").get_data(as_text=True)


def test_switch_without_csrf_is_rejected(client):
    assert client.post("/language", data={"language": "en"}).status_code == 400


def test_translations_work_outside_a_request(app_ctx):
    """CLI commands and jobs translate too (default language unless they force another)."""
    from flask_babel import force_locale, get_locale, gettext

    assert gettext("Wajib diisi.") == "Wajib diisi."
    assert str(get_locale()) == "id"
    with force_locale("en"):
        assert str(get_locale()) == "en"

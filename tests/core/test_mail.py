"""The mail helper: SMTP delivery, the development folder, and sending only after the commit."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy

import pytest

from tests.conftest import _free_port
from tracker.core import mail
from tracker.core.mail import Mail, send, send_after_commit
from tracker.extensions import db
from tracker.units.models import Unit

SUBJECT = "Menunggu verifikasi: rekomendasi 3 — “Penyusunan IKU” (Bagian Perencanaan)"
TEXT = "Yth. Bapak/Ibu,\n\nData dukung rekomendasi 3 menunggu verifikasi.\n"
HTML = "<p>Yth. Bapak/Ibu,</p><p>Data dukung rekomendasi 3 <b>menunggu verifikasi</b>.</p>"
SENDER = "Tracker SAKIP <tracker@example.com>"


@pytest.fixture
def sender(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", SENDER)
    return SENDER


def a_mail(to: str = "pic@example.com", subject: str = SUBJECT) -> Mail:
    return Mail(to=(to,), subject=subject, text=TEXT, html=HTML)


def test_send_delivers_headers_text_and_html_over_smtp(app_ctx, smtp_server, sender):
    send(Mail(to=("pic@example.com", "pic.b@example.com"), subject=SUBJECT, text=TEXT, html=HTML))

    (message,) = smtp_server.wait_for(1)
    assert message["From"] == SENDER
    assert [a.addr_spec for a in message["To"].addresses] == [
        "pic@example.com",
        "pic.b@example.com",
    ]
    assert message["Subject"] == SUBJECT  # decoded from its RFC 2047 form, characters intact
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == TEXT
    assert message.get_body(("html",)).get_content().strip() == HTML
    assert smtp_server.envelopes == [
        ("tracker@example.com", ["pic@example.com", "pic.b@example.com"])
    ]


def test_a_mail_without_html_is_plain_text(app_ctx, smtp_server):
    send(Mail(to=("pic@example.com",), subject="Pengingat", text=TEXT))

    (message,) = smtp_server.wait_for(1)
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == TEXT


def test_without_mail_server_the_mail_goes_to_the_folder_and_the_console(
    app, app_ctx, monkeypatch, tmp_path, capsys, sender
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))

    send(a_mail())

    (path,) = folder.glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["From"] == SENDER
    assert message["To"] == "pic@example.com"
    assert message["Subject"] == SUBJECT
    assert message.get_body(("plain",)).get_content() == TEXT
    assert message.get_body(("html",)).get_content().strip() == HTML
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"[mail] to pic@example.com: {SUBJECT}" in err
    assert str(path) in err


def test_send_after_commit_waits_for_the_commit(app_ctx, smtp_server):
    db.session.add(Unit(code="UNIT-M", name="Bagian Umum"))
    send_after_commit(a_mail(), a_mail("pic.b@example.com"))

    db.session.flush()
    assert len(mail.pending()) == 2
    assert smtp_server.messages == []

    db.session.commit()

    messages = smtp_server.wait_for(2)
    assert [m["To"] for m in messages] == ["pic@example.com", "pic.b@example.com"]
    assert mail.pending() == []


def test_a_rollback_drops_the_queued_mail(app_ctx, smtp_server):
    db.session.add(Unit(code="UNIT-M", name="Bagian Umum"))
    send_after_commit(a_mail())

    db.session.rollback()
    assert mail.pending() == []
    db.session.add(Unit(code="UNIT-N", name="Bagian Keuangan"))
    db.session.commit()  # a later commit does not send what the rollback dropped

    assert db.session.scalar(db.select(db.func.count()).select_from(Unit)) == 1
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_does_not_undo_the_commit(app, app_ctx, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    db.session.add(Unit(code="UNIT-M", name="Bagian Umum"))
    send_after_commit(a_mail())

    with caplog.at_level(logging.ERROR):
        db.session.commit()

    db.session.expire_all()
    assert db.session.scalar(db.select(Unit.name).where(Unit.code == "UNIT-M")) == "Bagian Umum"
    failures = [r for r in caplog.records if "sending mail to pic@example.com failed" in r.message]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert mail.pending() == []


def test_one_refused_recipient_does_not_stop_the_other_mails(app_ctx, smtp_server, caplog):
    smtp_server.refused.add("gone@example.com")
    send_after_commit(a_mail("gone@example.com"), a_mail("pic@example.com"))

    with caplog.at_level(logging.ERROR):
        db.session.commit()

    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "pic@example.com"
    assert any("sending mail to gone@example.com failed" in r.message for r in caplog.records)


@pytest.mark.parametrize(
    "base_url",
    ["https://tracker.example.ac.id/sakip", "https://tracker.example.ac.id/sakip/"],
)
def test_mail_links_use_base_url_even_inside_a_request(app, monkeypatch, base_url):
    monkeypatch.setitem(app.config, "BASE_URL", base_url)
    with app.test_request_context(base_url="http://10.0.0.5:8000/"):
        link = mail.external_url("followups.detail", followup_id=5)
    assert link == "https://tracker.example.ac.id/sakip/followups/5"


def test_mail_links_without_base_url_follow_the_request_or_the_development_address(
    app, app_ctx, monkeypatch
):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context(base_url="https://sakip.example.com/"):
        assert (
            mail.external_url("followups.detail", followup_id=5)
            == "https://sakip.example.com/followups/5"
        )
    # Outside a request (the CLI, the scheduler): the address `make run` serves on.
    assert (
        mail.external_url("followups.detail", followup_id=5) == "http://127.0.0.1:5000/followups/5"
    )

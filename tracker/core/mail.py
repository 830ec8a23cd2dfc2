"""The one mail helper: build a message, send it now, or send it once the database commit has
succeeded.

With MAIL_SERVER set, mail goes over SMTP (STARTTLS with MAIL_USE_TLS, implicit TLS with
MAIL_USE_SSL, login when MAIL_USERNAME is set). Without it (development), each message is
written as an .eml file into MAIL_FOLDER and summarised on the console.
"""

from __future__ import annotations

import smtplib
import ssl
import sys
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.core.clock import now_utc
from tracker.extensions import db

_PENDING = "tracker.pending_mail"
LONG_BODY = 64 * 1024  # characters


@dataclass(frozen=True)
class Mail:
    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    sender: str | None = None  # default: MAIL_DEFAULT_SENDER

    def as_message(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = ", ".join(self.to)
        message["Subject"] = self.subject
        message["Date"] = formatdate(now_utc().timestamp(), localtime=False)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
        message.set_content(self.text, cte=_transfer_encoding(self.text))
        if self.html is not None:
            message.add_alternative(self.html, subtype="html", cte=_transfer_encoding(self.html))
        return message


def _transfer_encoding(body: str) -> str | None:
    """Let the email package choose for a short body; base64 for a long one (a digest of
    thousands of items), which is encoded in C where quoted-printable takes seconds."""
    return "base64" if len(body) > LONG_BODY else None


def render_mail(
    template: str,
    to: str,
    subject: str,
    language: str | None = None,
    sender: str | None = None,
    **context,
):
    """A Mail to one person from `templates/mail/<template>.txt` and `.html`, in their language."""
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"mail/{template}.txt", **context)
        html = render_template(f"mail/{template}.html", **context)
        return Mail(to=(to,), subject=str(subject), text=text, html=html, sender=sender)


def send(mail: Mail) -> None:
    """Deliver one mail now; raises on an SMTP failure (the caller decides what that means)."""
    config = current_app.config
    message = mail.as_message(mail.sender or config["MAIL_DEFAULT_SENDER"])
    if not config.get("MAIL_SERVER"):
        _write_to_folder(message, Path(config["MAIL_FOLDER"]))
        return
    timeout = config.get("MAIL_TIMEOUT", 30)
    if config.get("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            timeout=timeout,
            context=ssl.create_default_context(),
        )
    else:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
        smtp.send_message(message)


def _write_to_folder(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now_utc().strftime("%Y%m%dT%H%M%S%f")
    token = message["Message-ID"].strip("<>").split("@")[0]
    path = folder / f"{stamp}-{token}.eml"
    path.write_bytes(bytes(message))
    print(
        f"[mail] to {message['To']}: {message['Subject']} (saved in {path})",
        file=sys.stderr,
        flush=True,
    )


def send_after_commit(*mails: Mail) -> None:
    """Queue mails on the current database session: they go out only when it commits, and are
    dropped if it rolls back. A failed delivery is logged; the committed work stands."""
    db.session.info.setdefault(_PENDING, []).extend(mails)


def pending() -> list[Mail]:
    """Mails queued on the current session and not yet sent (for tests and diagnostics)."""
    return list(db.session.info.get(_PENDING, []))


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    mails = session.info.pop(_PENDING, None)
    if not mails:
        return
    for mail in mails:
        try:
            send(mail)
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("sending mail to %s failed", ", ".join(mail.to))


@event.listens_for(Session, "after_rollback")
def _drop(session: Session) -> None:
    session.info.pop(_PENDING, None)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for a mail: under BASE_URL when set (the address people use, e.g.
    behind a proxy), else the current request's host, else the development address. Works
    outside a request too (CLI, scheduler)."""
    return external_url_builder(endpoint)(**values)


def external_url_builder(endpoint: str) -> Callable[..., str]:
    """`external_url` for one endpoint, for a mail that links thousands of objects: the URL
    map is bound once instead of per link."""
    base = current_app.config.get("BASE_URL") or ""
    if not base and has_request_context():
        return lambda **values: url_for(endpoint, _external=True, **values)
    parts = urlsplit(base or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    return lambda **values: adapter.build(endpoint, values, force_external=True)

"""The digest mails as a real SMTP server receives them (one per person per day, items by
urgency, text and HTML, Indonesian dates, links, sender and subject), and delivery while the
server is down: nothing lost, back-off between attempts, 'failed' after the cap."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import _free_port
from tracker.auth.models import User
from tracker.core.clock import local_zone
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.reminders.cycle import CycleReport, parse_local, run_cycle
from tracker.reminders.models import Reminder, ReminderDigest, ReminderSettings
from tracker.verification import services as verification

BASE_URL = "https://sakip.example.ac.id"
TODAY = "2025-07-07 07:00"  # Monday
# Due dates of world.pic's follow-ups, created in this order (not the order of urgency).
DUES = {
    "7 days before": date(2025, 7, 14),
    "7 days overdue": date(2025, 6, 30),
    "14 days before": date(2025, 7, 21),
    "21 days overdue": date(2025, 6, 16),
    "1 day before": date(2025, 7, 8),
}


@pytest.fixture(autouse=True)
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE_URL)


def followups(world, *dues: date, unit=None, pics: list[User] | None = None) -> list[FollowUp]:
    evaluation = factories.make_evaluation(
        [unit or world.unit_a], [world.pic] if pics is None else pics, n_recommendations=len(dues)
    )
    items = [r.followup for r in sorted(evaluation.recommendations, key=lambda r: r.number)]
    for item, due in zip(items, dues, strict=True):
        item.due_date = due
    db.session.commit()
    return items


def cycle(frozen_clock, when: str) -> CycleReport:
    frozen_clock(parse_local(when))
    return run_cycle()


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def positions(body: str, needles: list[str]) -> list[int]:
    """Where each needle first appears in `body` (each must be there)."""
    found = [body.find(needle) for needle in needles]
    assert -1 not in found, [n for n, at in zip(needles, found, strict=True) if at == -1]
    return found


def link(followup: FollowUp) -> str:
    return f"{BASE_URL}/followups/{followup.id}"


@pytest.fixture
def inbox(world, frozen_clock, smtp_server):
    """Monday 7 July 2025: five follow-ups of world.pic at five stages, one more waiting for
    verification since Monday 30 June; the mails of the cycle that morning, by recipient."""
    items = dict(zip(DUES, followups(world, *DUES.values()), strict=True))
    (waiting,) = followups(world, date(2025, 7, 31))
    frozen_clock(parse_local("2025-06-30 09:00"))
    waiting.realisation = "Selesai."
    db.session.add(
        Evidence(
            followup_id=waiting.id,
            kind=EvidenceKind.LINK,
            title="SK",
            url="https://drive.example.com/sk",
            document_date=date(2025, 6, 27),
        )
    )
    db.session.flush()
    verification.submit(waiting, world.pic, waiting.version)
    db.session.commit()
    items["waiting"] = waiting
    smtp_server.messages.clear()  # the submission's own notification

    report = cycle(frozen_clock, TODAY)
    smtp_server.wait_for(3)
    return report, items, {m["To"]: m for m in smtp_server.messages}


# --- the digest --------------------------------------------------------------------------------


def test_one_mail_per_person_holds_all_their_items(inbox, smtp_server):
    report, _items, mails = inbox
    assert sorted(report.sent) == [
        ("koordinator@example.com", 3),  # two escalations and the verification wait
        ("pic@example.com", 5),
        ("pimpinan@example.com", 2),  # the two escalations
    ]
    assert len(smtp_server.messages) == 3
    assert set(mails) == {"koordinator@example.com", "pic@example.com", "pimpinan@example.com"}


def test_the_pics_items_are_ordered_most_overdue_first_then_soonest_due(inbox):
    _report, items, mails = inbox
    mail = mails["pic@example.com"]
    order = ["21 days overdue", "7 days overdue", "1 day before", "7 days before", "14 days before"]
    for body in (text_of(mail), html_of(mail)):
        found = positions(body, [link(items[name]) for name in order])
        assert found == sorted(found)
    text = text_of(mail)
    found = positions(
        text,
        [
            "Batas waktu: 16 Juni 2025 — terlambat 21 hari",
            "Batas waktu: 30 Juni 2025 — terlambat 7 hari",
            "Batas waktu: 8 Juli 2025 — 1 hari lagi",
            "Batas waktu: 14 Juli 2025 — 7 hari lagi",
            "Batas waktu: 21 Juli 2025 — 14 hari lagi",
        ],
    )
    assert found == sorted(found)
    assert positions(text, ["Melewati batas waktu", "Mendekati batas waktu"])[0] < found[0]
    assert link(items["waiting"]) not in text  # paused while it waits for verification


def test_the_koordinators_verification_waits_come_after_the_escalations(inbox):
    _report, items, mails = inbox
    mail = mails["koordinator@example.com"]
    order = ["21 days overdue", "7 days overdue", "waiting"]
    for body in (text_of(mail), html_of(mail)):
        found = positions(body, [link(items[name]) for name in order])
        assert found == sorted(found)
    text = text_of(mail)
    assert "Menunggu verifikasi Anda" in text
    assert "PIC: Pic; Unit pemilik: UNIT-A" in text  # escalations say who is responsible


def test_the_digest_has_a_text_and_an_html_part_in_indonesian(inbox):
    _report, items, mails = inbox
    mail = mails["pic@example.com"]
    assert mail.get_content_type() == "multipart/alternative"
    assert mail["Subject"] == "Pengingat tindak lanjut SAKIP: 5 tindak lanjut perlu perhatian"
    assert mail["From"] == "tracker@localhost"  # MAIL_DEFAULT_SENDER
    text, html = text_of(mail), html_of(mail)
    assert text.startswith("Yth. Pic,")
    assert "Rekomendasi nomor 1." in text
    assert '<html lang="id">' in html
    assert f'<a href="{link(items["1 day before"])}">' in html
    assert "16 Juni 2025" in html and "terlambat 21 hari" in html
    assert "<" not in text


def test_a_verification_item_says_how_long_the_submission_has_really_waited(inbox):
    """Submitted Monday 30 June; by Monday 7 July it has waited 5 working days (1-4 and 7 July),
    the measure the policy uses. The mail says the step instead (4): digests.py `_items`."""
    _report, _items, mails = inbox
    assert "Menunggu verifikasi 5 hari kerja." in text_of(mails["koordinator@example.com"])


def test_the_sender_is_reminder_sender_when_configured(
    app, world, frozen_clock, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "REMINDER_SENDER", "Pengingat SAKIP <pengingat@example.com>")
    followups(world, date(2025, 7, 8))
    cycle(frozen_clock, TODAY)

    (mail,) = smtp_server.wait_for(1)
    assert mail["From"] == "Pengingat SAKIP <pengingat@example.com>"
    assert smtp_server.envelopes == [("pengingat@example.com", ["pic@example.com"])]


def test_the_subject_comes_from_the_policy(world, frozen_clock, smtp_server):
    db.session.add(ReminderSettings(subject="Tindak lanjut LHE Inspektorat"))
    followups(world, date(2025, 7, 8))
    cycle(frozen_clock, TODAY)

    (mail,) = smtp_server.wait_for(1)
    assert mail["Subject"] == "Tindak lanjut LHE Inspektorat: 1 tindak lanjut perlu perhatian"
    digest = db.session.scalar(select(ReminderDigest))
    assert (digest.subject, digest.item_count) == (mail["Subject"], 1)


def test_a_user_who_chose_english_gets_the_digest_in_english(world, frozen_clock, smtp_server):
    """Everything but the policy's subject text, which is the admin's own words."""
    world.other_pic.language = "en"
    soon, late = followups(
        world, date(2025, 7, 8), date(2025, 6, 30), unit=world.unit_b, pics=[world.other_pic]
    )
    cycle(frozen_clock, TODAY)

    smtp_server.wait_for(3)  # the PIC, and the escalation of `late` to koordinator and pimpinan
    (mail,) = smtp_server.to("pic.b@example.com")
    text, html = text_of(mail), html_of(mail)
    assert mail["Subject"] == "Pengingat tindak lanjut SAKIP: 2 follow-ups need attention"
    assert text.startswith("Dear Pic.B,")
    found = positions(
        text,
        [
            "Past the due date",
            "Due date: 30 June 2025 — overdue by 7 days",
            link(late),
            "Due soon",
            "Due date: 8 July 2025 — 1 day left",
            link(soon),
        ],
    )
    assert found == sorted(found)
    assert "Reminders are sent at most once a day" in text
    for indonesian in ("Juli", "Juni", "Batas waktu", "hari lagi", "terlambat", "Yth."):
        assert indonesian not in text and indonesian not in html
    assert '<html lang="en">' in html and "8 July 2025" in html
    # The koordinator keeps Indonesian in the same cycle.
    (koordinator,) = smtp_server.to("koordinator@example.com")
    assert koordinator["Subject"].endswith("1 tindak lanjut perlu perhatian")


# --- the mail server down ----------------------------------------------------------------------


@pytest.fixture
def overdue(world):
    """7 days overdue on Friday 22 August 2025: a PIC reminder and two escalations."""
    return followups(world, date(2025, 8, 15))


def reminders() -> list[Reminder]:
    db.session.expire_all()
    return db.session.scalars(select(Reminder).order_by(Reminder.recipient_id)).all()


def utc(local: str) -> datetime:
    return parse_local(local)


def test_while_the_server_is_down_reminders_stay_pending_and_go_out_once_it_is_back(
    app, overdue, frozen_clock, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())  # nothing listens there

    down = cycle(frozen_clock, "2025-08-22 07:00")
    assert down.sent == [] and len(down.failed) == 3
    assert all("mail server unreachable" in error for _email, error in down.failed)
    rows = reminders()
    assert [(r.status, r.attempts) for r in rows] == [("pending", 1)] * 3
    assert all("unreachable" in r.last_error for r in rows)
    assert {r.next_attempt_at for r in rows} == {utc("2025-08-22 07:05")}
    assert db.session.scalars(select(ReminderDigest)).all() == []

    early = cycle(frozen_clock, "2025-08-22 07:03")  # before next_attempt_at: no retry
    assert (early.sent, early.failed) == ([], [])
    assert [r.attempts for r in reminders()] == [1, 1, 1]

    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    back = cycle(frozen_clock, "2025-08-22 07:05")
    assert sorted(back.sent) == [
        ("koordinator@example.com", 1),
        ("pic@example.com", 1),
        ("pimpinan@example.com", 1),
    ]
    assert sorted(m["To"] for m in smtp_server.wait_for(3)) == [
        "koordinator@example.com",
        "pic@example.com",
        "pimpinan@example.com",
    ]
    assert [(r.status, r.attempts) for r in reminders()] == [("sent", 2)] * 3
    assert cycle(frozen_clock, "2025-08-22 09:00").sent == []  # and only once


def test_after_the_maximum_attempts_the_reminders_are_failed(
    app, overdue, frozen_clock, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    retries = []
    when = "2025-08-22 07:00"
    for attempt in range(1, 6):  # the default policy: 5 attempts
        report = cycle(frozen_clock, when)
        assert len(report.failed) == 3, attempt
        (row, *_rest) = reminders()
        assert row.attempts == attempt
        retries.append(row.next_attempt_at)
        when = f"{row.next_attempt_at.astimezone(local_zone()):%Y-%m-%d %H:%M}"

    # Back-off: 5, 10, 20, 40 minutes between attempts.
    assert [b - a for a, b in zip(retries, retries[1:], strict=False)][:3] == [
        timedelta(minutes=10),
        timedelta(minutes=20),
        timedelta(minutes=40),
    ]
    assert [r.status for r in reminders()] == ["failed"] * 3
    assert any(line.startswith("FAILED: ") for line in report.lines())

    monkeypatch.setitem(app.config, "MAIL_PORT", smtp_server.port)
    later = cycle(frozen_clock, "2025-08-22 12:00")  # failed is final until the admin re-sends
    assert (later.planned, later.sent) == (0, [])
    assert smtp_server.messages == []


def test_a_recipient_refused_by_the_server_does_not_hold_back_the_others(
    overdue, frozen_clock, smtp_server
):
    """The koordinator's address is refused (550); the pimpinan and the PIC, whose digests are
    sent after it, must still get theirs: a refused address is not an unreachable server."""
    smtp_server.refused.add("koordinator@example.com")

    report = cycle(frozen_clock, "2025-08-22 07:00")

    ((email, error),) = report.failed
    assert email == "koordinator@example.com"
    assert "550" in error and "unreachable" not in error
    assert sorted(report.sent) == [("pic@example.com", 1), ("pimpinan@example.com", 1)]
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "pic@example.com",
        "pimpinan@example.com",
    ]

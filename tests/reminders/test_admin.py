"""The admin's reminder pages: the outbox and its filter, re-sending a failed reminder, the
policy (saved, checked, audited, with the coming days off), and the test e-mail."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import _free_port, login, post
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.reminders import admin
from tracker.reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderStatus
from tracker.reminders.policy import load_policy

OUTBOX = "/admin/reminders/"
POLICY = "/admin/reminders/policy"
TEST_MAIL = "/admin/reminders/test-mail"


@pytest.fixture
def admin_client(client, world):
    """A client logged in as `world.admin`."""
    assert login(client, world.admin).status_code == 302
    return client


@pytest.fixture
def followups(world):
    """Two follow-ups of UNIT-A (Rekomendasi 1 and 2), `world.pic` their PIC."""
    evaluation = factories.make_evaluation([world.unit_a], [world.pic])
    return [rec.followup for rec in evaluation.recommendations]


def _reminder(followup, recipient, **fields) -> Reminder:
    """A reminder row written straight to the outbox."""
    values = {
        "kind": ReminderKind.BEFORE,
        "step": 7,
        "reference_date": followup.due_date,
        "nominal_date": date(2025, 4, 23),
        "planned_for": date(2025, 4, 23),
        "status": ReminderStatus.PENDING,
        **fields,
    }
    reminder = Reminder(followup_id=followup.id, recipient_id=recipient.id, **values)
    db.session.add(reminder)
    db.session.commit()
    return reminder


def _fresh(reminder_id: int) -> Reminder:
    db.session.rollback()  # a new transaction: see what the request committed
    return db.session.get(Reminder, reminder_id)


def _audit(action: str, object_type: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.object_type == object_type)
            .order_by(AuditEntry.id)
        )
    )


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


# --- the outbox -------------------------------------------------------------------------------


def test_outbox_lists_newest_planned_first_with_kind_and_step_in_words(
    admin_client, world, followups
):
    first, second = followups
    _reminder(first, world.pic, kind=ReminderKind.BEFORE, step=7, planned_for=date(2025, 4, 23))
    _reminder(first, world.pic, kind=ReminderKind.DUE, step=0, planned_for=date(2025, 4, 30))
    _reminder(first, world.pic, kind=ReminderKind.OVERDUE, step=14, planned_for=date(2025, 5, 14))
    _reminder(
        second,
        world.koordinator,
        kind=ReminderKind.ESCALATION,
        step=7,
        planned_for=date(2025, 5, 7),
    )
    _reminder(
        second,
        world.koordinator,
        kind=ReminderKind.VERIFICATION,
        step=4,
        reference_date=date(2025, 5, 12),
        planned_for=date(2025, 5, 16),
    )

    rows = _rows(_page(admin_client, OUTBOX))

    expected = [
        ("16 Mei 2025", "Menunggu verifikasi 4 hari kerja", world.koordinator),
        ("14 Mei 2025", "Terlambat 14 hari", world.pic),
        ("7 Mei 2025", "Eskalasi: terlambat 7 hari", world.koordinator),
        ("30 April 2025", "Pada batas waktu", world.pic),
        ("23 April 2025", "7 hari sebelum batas waktu", world.pic),
    ]
    assert len(rows) == 5
    for row, (day, words, person) in zip(rows, expected, strict=True):
        assert day in row
        assert words in row
        assert person.email in row
    assert f'href="/followups/{first.id}">Rekomendasi 1</a>' in rows[-1]
    assert f'href="/followups/{second.id}">Rekomendasi 2</a>' in rows[0]


def test_status_filter_shows_one_status_and_counts_every_status(admin_client, world, followups):
    fu = followups[0]
    _reminder(fu, world.pic, step=30, status=ReminderStatus.PENDING)
    _reminder(fu, world.pic, step=14, status=ReminderStatus.SENT, sent_at=datetime.now(UTC))
    _reminder(fu, world.pic, step=7, status=ReminderStatus.FAILED, attempts=5)
    _reminder(fu, world.pic, step=3, status=ReminderStatus.FAILED, attempts=5)
    _reminder(fu, world.pic, step=1, status=ReminderStatus.CANCELLED, cancelled_reason="closed")

    html = _page(admin_client, OUTBOX + "?status=failed")

    rows = _rows(html)
    # the same planned day: the one planned last comes first
    assert [("7 hari" in row, "3 hari" in row) for row in rows] == [(False, True), (True, False)]
    assert all("Gagal" in row and "Kirim ulang" in row for row in rows)
    counts = dict(
        re.findall(r"\s*([\w ]+?) <span class=\"badge text-bg-light\">(\d+)</span>", html)
    )
    assert counts == {
        "Semua": "5",
        "Menunggu dikirim": "1",
        "Terkirim": "1",
        "Gagal": "2",
        "Dibatalkan": "1",
    }
    assert 'href="/admin/reminders/?status=failed"\n     aria-current="page"' in html


@pytest.mark.parametrize(
    ("status", "step"),
    [("pending", 30), ("sent", 14), ("cancelled", 1)],
)
def test_each_status_filter_lists_only_its_reminders(admin_client, world, followups, status, step):
    fu = followups[0]
    for value, n in [("pending", 30), ("sent", 14), ("failed", 7), ("cancelled", 1)]:
        _reminder(fu, world.pic, step=n, status=ReminderStatus(value))

    rows = _rows(_page(admin_client, f"{OUTBOX}?status={status}"))

    assert len(rows) == 1
    assert f"{step} hari sebelum batas waktu" in rows[0]
    assert "Kirim ulang" not in rows[0]  # only a failed reminder can be re-sent


def test_an_unknown_status_shows_everything(admin_client, world, followups):
    _reminder(followups[0], world.pic, step=7, status=ReminderStatus.SENT)
    _reminder(followups[0], world.pic, step=3, status=ReminderStatus.FAILED)

    assert len(_rows(_page(admin_client, OUTBOX + "?status=lost"))) == 2


def test_the_filter_stays_in_the_pagination_links(app, admin_client, world, followups, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for step in (30, 14, 7):
        _reminder(followups[0], world.pic, step=step, status=ReminderStatus.FAILED)
    _reminder(followups[0], world.pic, step=1, status=ReminderStatus.SENT)

    html = _page(admin_client, OUTBOX + "?status=failed")
    assert len(_rows(html)) == 2
    assert re.search(
        r'href="/admin/reminders/\?(page=2&amp;status=failed|status=failed&amp;page=2)"', html
    )

    second = _rows(_page(admin_client, OUTBOX + "?status=failed&page=2"))
    assert len(second) == 1 and "30 hari sebelum" in second[0]  # the first planned


def test_the_last_error_is_shown_escaped(admin_client, world, followups):
    _reminder(
        followups[0],
        world.pic,
        status=ReminderStatus.FAILED,
        attempts=5,
        last_error="SMTPDataError: <script>alert(1)</script>",
    )

    html = _page(admin_client, OUTBOX)

    assert "SMTPDataError: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_an_empty_outbox_says_so(admin_client):
    assert "Belum ada pengingat." in _page(admin_client, OUTBOX)
    assert "Tidak ada pengingat dengan status ini." in _page(admin_client, OUTBOX + "?status=sent")


# --- re-sending -------------------------------------------------------------------------------


def test_resending_a_failed_reminder_queues_it_again_and_is_audited(admin_client, world, followups):
    reminder = _reminder(
        followups[0],
        world.pic,
        status=ReminderStatus.FAILED,
        attempts=5,
        last_error="mail server unreachable: [Errno 111] Connection refused",
        next_attempt_at=datetime(2025, 4, 24, 3, 0, tzinfo=UTC),
    )

    response = post(
        admin_client, f"/admin/reminders/{reminder.id}/resend?status=failed", token_from=OUTBOX
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/reminders/?status=failed"
    row = _fresh(reminder.id)
    assert row.status == ReminderStatus.PENDING
    assert row.attempts == 0
    assert row.next_attempt_at is None
    assert row.last_error == "mail server unreachable: [Errno 111] Connection refused"
    (entry,) = _audit("resend", "reminders")
    assert (entry.object_id, entry.user_id) == (reminder.id, world.admin.id)
    html = _page(admin_client, OUTBOX)
    assert "masuk antrean lagi" in html
    assert "paling banyak satu surel pengingat per hari" in html


@pytest.mark.parametrize("status", ["pending", "sent", "cancelled"])
def test_only_a_failed_reminder_can_be_resent(admin_client, world, followups, status):
    reminder = _reminder(
        followups[0], world.pic, status=ReminderStatus(status), attempts=2, last_error="x"
    )

    response = post(admin_client, f"/admin/reminders/{reminder.id}/resend", token_from=OUTBOX)

    assert response.status_code == 302
    row = _fresh(reminder.id)
    assert (row.status, row.attempts, row.last_error) == (ReminderStatus(status), 2, "x")
    assert _audit("resend", "reminders") == []
    assert "Hanya pengingat yang gagal yang dapat dikirim ulang." in _page(admin_client, OUTBOX)


def test_resending_twice_requeues_once(app_ctx, world, followups):
    reminder = _reminder(followups[0], world.pic, status=ReminderStatus.FAILED, attempts=5)

    admin.resend(world.admin, reminder)
    db.session.commit()
    with pytest.raises(admin.ReminderError):
        admin.resend(world.admin, reminder)
    db.session.rollback()

    assert _fresh(reminder.id).status == ReminderStatus.PENDING
    assert len(_audit("resend", "reminders")) == 1


def test_resending_an_unknown_reminder_is_not_found(admin_client):
    assert (
        post(admin_client, "/admin/reminders/999999/resend", token_from=OUTBOX).status_code == 404
    )


def test_resending_without_the_csrf_token_changes_nothing(admin_client, world, followups):
    reminder = _reminder(followups[0], world.pic, status=ReminderStatus.FAILED, attempts=5)

    response = admin_client.post(f"/admin/reminders/{reminder.id}/resend")

    assert response.status_code == 400
    assert _fresh(reminder.id).status == ReminderStatus.FAILED


# --- the policy -------------------------------------------------------------------------------


def _policy_data(**changes) -> dict:
    data = {
        "days_before": "30,14,7,3,1",
        "on_due_date": "y",
        "overdue_every_days": "7",
        "escalate_after_days": "7",
        "escalate_every_days": "7",
        "verification_after_working_days": "3",
        "send_time": "07:00",
        "extra_holidays": "",
        "subject": "Pengingat tindak lanjut SAKIP",
        "max_attempts": "5",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _settings() -> ReminderSettings | None:
    db.session.rollback()
    return db.session.scalar(select(ReminderSettings))


def test_the_policy_page_shows_the_defaults_and_the_coming_days_off(admin_client, frozen_clock):
    html = _page(admin_client, POLICY)  # Monday 2 June 2025

    assert 'value="30,14,7,3,1"' in html
    assert 'value="07:00"' in html
    assert 'value="Pengingat tindak lanjut SAKIP"' in html
    assert re.search(r'id="on_due_date"[^>]*checked', html) or re.search(
        r'checked[^>]*id="on_due_date"', html
    )
    assert "Belum pernah disimpan" in html
    days = html.split("Hari libur berikutnya", 1)[1]
    assert days.count("Libur nasional</span>") == 10
    assert days.index("6 Juni 2025") < days.index("Hari Raya Idul Adha") < days.index("17 Agustus")
    assert "1 Juni 2025" not in days  # Hari Lahir Pancasila is past


def test_saving_the_policy_creates_the_row_normalised_and_audited(
    admin_client, world, frozen_clock
):
    data = _policy_data(
        days_before=" 7; 30,1 ",
        on_due_date=None,  # unchecked
        send_time="6:30",
        extra_holidays="2025-06-09 Cuti bersama Idul Adha\n\n  2025-12-26  \n",
        overdue_every_days="5",
        max_attempts="8",
    )

    response = post(admin_client, POLICY, data, token_from=POLICY)

    assert response.status_code == 302
    row = _settings()
    assert row.days_before == "30,7,1"
    assert row.on_due_date is False
    assert row.send_time == "06:30"
    assert row.extra_holidays == "2025-06-09 Cuti bersama Idul Adha\n2025-12-26"
    assert (row.overdue_every_days, row.max_attempts) == (5, 8)
    assert row.updated_by_id == world.admin.id
    policy = load_policy()
    assert policy.days_before == (30, 7, 1)
    assert policy.extra_days_off == {date(2025, 6, 9), date(2025, 12, 26)}
    (entry,) = _audit("update", "reminder_settings")
    assert entry.user_id == world.admin.id
    assert entry.summary == {
        "days_before": ["30,14,7,3,1", "30,7,1"],
        "on_due_date": [True, False],
        "send_time": ["07:00", "06:30"],
        "extra_holidays": ["", "2025-06-09 Cuti bersama Idul Adha\n2025-12-26"],
        "overdue_every_days": [7, 5],
        "max_attempts": [5, 8],
    }
    html = _page(admin_client, POLICY)
    assert "Aturan pengingat tersimpan." in html
    days = html.split("Hari libur berikutnya", 1)[1]
    assert days.index("6 Juni 2025") < days.index("9 Juni 2025") < days.index("27 Juni 2025")
    assert "Cuti bersama Idul Adha" in days
    assert days.count("Libur tambahan</span>") == 2


def test_saving_again_updates_the_same_row_and_audits_only_the_change(admin_client, world):
    assert post(admin_client, POLICY, _policy_data(), token_from=POLICY).status_code == 302
    assert post(admin_client, POLICY, _policy_data(), token_from=POLICY).status_code == 302
    response = post(admin_client, POLICY, _policy_data(subject="Pengingat TL"), token_from=POLICY)

    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(func.count(ReminderSettings.id))) == 1
    assert _settings().subject == "Pengingat TL"
    summaries = [entry.summary for entry in _audit("update", "reminder_settings")]
    assert summaries == [{}, {"subject": ["Pengingat tindak lanjut SAKIP", "Pengingat TL"]}]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days_before", "30,empat", "Tulis bilangan 1 sampai 365 dipisah koma"),
        ("days_before", "0,7", "Tulis bilangan 1 sampai 365 dipisah koma"),
        ("days_before", "400", "Tulis bilangan 1 sampai 365 dipisah koma"),
        ("send_time", "25:00", "Tulis jam sebagai JJ:MM"),
        ("send_time", "7", "Tulis jam sebagai JJ:MM"),
        ("send_time", "jam 7", "Tulis jam sebagai JJ:MM"),
        ("send_time", "", "Wajib diisi."),
        ("overdue_every_days", "0", "Isi angka 1 sampai 365."),
        ("escalate_after_days", "366", "Isi angka 1 sampai 365."),
        ("verification_after_working_days", "tiga", "Bukan bilangan bulat."),
        ("max_attempts", "21", "Isi angka 1 sampai 20."),
        ("max_attempts", "", "Wajib diisi."),
        ("subject", "   ", "Wajib diisi."),
        ("subject", "x" * 201, "Paling panjang 200 karakter."),
    ],
)
def test_bad_policy_input_is_refused_with_a_field_error(admin_client, field, value, message):
    response = post(admin_client, POLICY, _policy_data(**{field: value}), token_from=POLICY)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    feedback = re.search(rf'id="{field}".*?invalid-feedback[^>]*>(.*?)</div>', html, re.S)
    assert feedback and message in feedback.group(1)
    assert _settings() is None
    assert _audit("update", "reminder_settings") == []


def test_bad_holiday_lines_are_listed_and_nothing_is_saved(admin_client):
    data = _policy_data(extra_holidays="2025-12-26 Cuti bersama\n26/12/2025\nbesok libur")

    response = post(admin_client, POLICY, data, token_from=POLICY)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Baris berikut bukan tanggal TTTT-BB-HH: 26/12/2025; besok libur" in html
    assert "26/12/2025\nbesok libur</textarea>" in html  # what was typed is kept
    assert _settings() is None


def test_a_saved_policy_is_shown_in_the_form(admin_client):
    data = _policy_data(days_before="14,3", send_time="08:15", escalate_every_days="10")
    assert post(admin_client, POLICY, data, token_from=POLICY).status_code == 302

    html = _page(admin_client, POLICY)

    assert 'value="14,3"' in html and 'value="08:15"' in html and 'value="10"' in html
    assert "Belum pernah disimpan" not in html


# --- the test e-mail --------------------------------------------------------------------------


def test_the_test_mail_form_offers_the_admins_own_address(admin_client, world):
    html = _page(admin_client, OUTBOX)
    assert re.search(r'name="to"[^>]*value="admin@example.com"', html)


def test_a_test_mail_goes_out_at_once_and_says_which_server(admin_client, smtp_server):
    response = post(admin_client, TEST_MAIL, {"to": "kepala.tu@example.com"}, token_from=OUTBOX)

    assert response.status_code == 302
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "kepala.tu@example.com"
    assert message["Subject"] == "Surel uji dari tracker"
    assert "menguji pengaturan surel" in message.get_content()
    html = _page(admin_client, OUTBOX)
    assert (
        f"Surel uji untuk kepala.tu@example.com sudah dikirim melalui 127.0.0.1:{smtp_server.port}."
        in html
    )


def test_a_test_mail_to_a_server_that_is_down_shows_the_error(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    port = _free_port()  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)

    response = post(admin_client, TEST_MAIL, {"to": "admin@example.com"}, token_from=OUTBOX)

    assert response.status_code == 302
    html = _page(admin_client, OUTBOX)
    assert f"Surel uji ke admin@example.com gagal dikirim melalui 127.0.0.1:{port}:" in html
    assert "refused" in html.lower()


def test_a_test_mail_refused_by_the_server_shows_the_smtp_error(admin_client, smtp_server):
    smtp_server.refused.add("hilang@example.com")

    response = post(admin_client, TEST_MAIL, {"to": "hilang@example.com"}, token_from=OUTBOX)

    assert response.status_code == 302
    html = _page(admin_client, OUTBOX)
    assert "Surel uji ke hilang@example.com gagal dikirim" in html
    assert "No such user here" in html
    assert smtp_server.messages == []


def test_without_a_mail_server_the_test_mail_goes_to_the_folder(
    app, admin_client, monkeypatch, tmp_path
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(tmp_path))

    response = post(admin_client, TEST_MAIL, {"to": "admin@example.com"}, token_from=OUTBOX)

    assert response.status_code == 302
    (path,) = tmp_path.glob("*.eml")
    assert b"To: admin@example.com" in path.read_bytes()
    assert f"sudah dikirim melalui folder {tmp_path}." in _page(admin_client, OUTBOX)


@pytest.mark.parametrize("address", ["", "bukan-alamat", "a@b"])
def test_a_bad_test_mail_address_is_refused(admin_client, smtp_server, address):
    response = post(admin_client, TEST_MAIL, {"to": address}, token_from=OUTBOX)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Wajib diisi." in html if not address else "Alamat surel tidak valid." in html
    assert "Kirim surel uji" in html  # the outbox page again, with the error
    assert smtp_server.messages == []


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["koordinator", "pimpinan", "pic"])
def test_only_the_admin_may_use_the_reminder_pages(client, world, followups, smtp_server, role):
    reminder = _reminder(followups[0], world.pic, status=ReminderStatus.FAILED, attempts=5)
    assert login(client, world.by_role(role)).status_code == 302

    assert client.get(OUTBOX).status_code == 403
    assert client.get(POLICY).status_code == 403
    for url, data in [
        (f"/admin/reminders/{reminder.id}/resend", {}),
        (TEST_MAIL, {"to": "x@example.com"}),
        (POLICY, _policy_data()),
    ]:
        assert post(client, url, data, token_from="/followups/mine").status_code == 403

    assert _fresh(reminder.id).status == ReminderStatus.FAILED
    assert _settings() is None
    assert smtp_server.messages == []
    assert "/admin/reminders/" not in _page(client, "/followups/mine")


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (OUTBOX, POLICY):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


def test_the_admin_finds_the_page_in_the_navigation(admin_client):
    html = _page(admin_client, "/admin/users/")
    assert 'href="/admin/reminders/">Pengingat</a>' in html

"""The issue's "Done when": with the demo data, `flask reminders run --now ...` for a series of
dates delivers exactly the expected mails to a real SMTP server, and re-running any of them
delivers nothing new.

The demo (tracker/demo/data.py): the 2025 evaluation, 8 recommendations, every follow-up due
Friday 18 December 2026 (received 19 October + 60 days).
  Rek. 1  Bagian Perencanaan, PIC Andi (pic.perencanaan), dalam proses
  Rek. 4  Kepegawaian/JTM/JTE, PIC Siti (pic.kepegawaian), dalam proses
  Rek. 5  Kepegawaian, PIC Siti, menunggu verifikasi since Friday 20 November 09:00
  Rek. 2, 3, 6, 7, 8  no PIC, belum ditindaklanjuti
And the 2024 evaluation (tracker/demo/earlier.py), due Friday 19 December 2025: four closed,
two still open and long overdue:
  2024 Rek. 3  Kepegawaian, PIC Siti, dalam proses
  2024 Rek. 4  JTM/JTE, no PIC, belum ditindaklanjuti
Their PIC reminders (weekly while overdue) and escalations (from 7 days overdue, weekly) both
fall on Fridays (19 December 2025 + 7n), so every run on or after a new Friday adds 2024 Rek. 3
to Siti's mail and both to the koordinator's and the pimpinan's.
Policy: the defaults (30/14/7/3/1 days before, on the day, weekly overdue; escalation from 7
days overdue, weekly; verification after more than 3 working days, then every 5). Holidays in
the period (the `holidays` package): Christmas, Friday 25 December; New Year, Friday 1 January.
"""

from __future__ import annotations

import re

import pytest

from tracker.demo import data as demo
from tracker.extensions import db
from tracker.reminders.cycle import parse_local

ANDI = "pic.perencanaan@demo.tracker.id"
SITI = "pic.kepegawaian@demo.tracker.id"
KOORDINATOR = "koordinator@demo.tracker.id"
PIMPINAN = "pimpinan@demo.tracker.id"

# (local date and time of the run, {recipient: number of items in their one mail})
SERIES = [
    # Wed 18 Nov = 30 days before the due date: Rek. 1 to Andi, Rek. 4 to Siti. Rek. 5 waits
    # for verification (the PIC stream is paused); Rek. 2, 3, 6, 7, 8 have no PIC. 2024: the
    # step of Friday 13 Nov (Siti; koordinator and pimpinan both open ones).
    ("2026-11-18 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 2, PIMPINAN: 2}),
    # Thu 26 Nov: Rek. 5, submitted Fri 20 Nov, has waited 4 working days (23-26 Nov), more
    # than 3: the koordinator. No 2025 PIC step between 30 and 14 days before. 2024: the step
    # of Friday 20 Nov.
    ("2026-11-26 07:00", {SITI: 1, KOORDINATOR: 3, PIMPINAN: 2}),
    # Fri 4 Dec = 14 days before: both PICs. Rek. 5's second verification reminder (9th
    # working day of waiting, Thu 3 Dec, when no cycle ran) goes out with this run. 2024: the
    # step of today (the one of Fri 27 Nov had no cycle: only the newer one is sent).
    ("2026-12-04 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 3, PIMPINAN: 2}),
    # Fri 11 Dec = 7 days before: both PICs; Rek. 5 at its 14th working day (Thu 10 Dec);
    # 2024: today's step.
    ("2026-12-11 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 3, PIMPINAN: 2}),
    # Thu 17 Dec = 1 day before (the 3-days-before step of Tue 15 Dec had no cycle: only the
    # newer step is sent); Rek. 5 at its 19th working day (today). 2024: nothing new since
    # Friday's step.
    ("2026-12-17 07:00", {ANDI: 1, SITI: 1, KOORDINATOR: 1}),
    # Fri 18 Dec = the due date: both PICs. The koordinator's next verification step is the
    # 24th working day: for them and the pimpinan only 2024's step of today.
    ("2026-12-18 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 2, PIMPINAN: 2}),
    # Fri 25 Dec, Christmas: nothing is sent on a public holiday.
    ("2026-12-25 07:00", {}),
    # Mon 28 Dec: 7 days overdue fell on Christmas and moved to Thu 24 Dec, when no cycle ran:
    # sent now. PICs: their one follow-up each (Siti also 2024 Rek. 3, whose step of Christmas
    # moved to Thu 24 Dec too). Escalation of the 7 overdue 2025 follow-ups not waiting
    # verification (Rek. 1, 2, 3, 4, 6, 7, 8) and the 2 of 2024 to the koordinator and the
    # pimpinan; the koordinator also has Rek. 5 (24th working day of waiting, Thu 24 Dec).
    ("2026-12-28 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 10, PIMPINAN: 9}),
    # Thu 31 Dec: 14 days overdue is New Year's Day (Fri 1 Jan), so its PIC reminders and
    # escalations go today, for both years. Rek. 5's next step is the 29th working day (Mon 4 Jan).
    ("2026-12-31 07:00", {ANDI: 1, SITI: 2, KOORDINATOR: 9, PIMPINAN: 9}),
]

COUNT = re.compile(r": (\d+) tindak lanjut perlu perhatian$")


@pytest.fixture
def loaded(app_ctx, frozen_clock):
    frozen_clock(parse_local("2026-11-17 12:00"))
    demo.load()
    db.session.commit()


def run(app, frozen_clock, when: str) -> str:
    """`flask reminders run --now WHEN` (the clock frozen at the same instant); its output."""
    frozen_clock(parse_local(when))
    result = app.test_cli_runner().invoke(args=["reminders", "run", "--now", when])
    assert result.exit_code == 0, result.output
    return result.output


def delivered(messages) -> dict[str, int]:
    """{recipient: number of items} of the given mails (one per recipient, or it fails)."""
    out: dict[str, int] = {}
    for message in messages:
        (to,) = [address.addr_spec for address in message["To"].addresses]
        assert to not in out, f"two mails to {to}"
        out[to] = int(COUNT.search(message["Subject"]).group(1))
    return out


def test_the_demo_series_delivers_exactly_the_expected_mails_once(
    app, loaded, frozen_clock, smtp_server
):
    for when, expected in SERIES:
        before = len(smtp_server.messages)
        output = run(app, frozen_clock, when)
        new = smtp_server.wait_for(before + len(expected))[before:]
        assert delivered(new) == expected, when
        printed = sorted(line for line in output.splitlines() if line.startswith("sent: "))
        assert printed == sorted(f"sent: {who} ({n} item(s))" for who, n in expected.items())

        again = run(app, frozen_clock, when)  # re-running the same date: nothing new
        assert "sent: " not in again, when
        assert len(smtp_server.messages) == before + len(expected), when
    assert "not a working day" in run(app, frozen_clock, "2026-12-25 07:00")


def test_the_demo_mails_read_as_people_write_dates_and_link_to_the_followups(
    app, loaded, frozen_clock, smtp_server
):
    for when, _expected in SERIES:
        run(app, frozen_clock, when)
    mails = smtp_server.messages
    andi = [m for m in mails if m["To"] == ANDI]
    first, last = (m.get_body(("plain",)).get_content() for m in (andi[0], andi[-1]))
    assert "Rekomendasi 1 — Politeknik Negeri Contoh (2025)" in first
    assert "Batas waktu: 18 Desember 2026 — 30 hari lagi" in first
    assert "Batas waktu: 18 Desember 2026 — terlambat 13 hari" in last
    assert re.search(r"http://127\.0\.0\.1:5000/followups/\d+\n", first)

    escalation = [m for m in mails if m["To"] == KOORDINATOR][-2]  # Monday 28 December
    text = escalation.get_body(("plain",)).get_content()
    items = re.findall(r"^- Rekomendasi (\d+) — .* \((\d{4})\)$", text, flags=re.MULTILINE)
    assert items[-1] == ("5", "2025")  # the verification wait comes last
    # Most overdue first: the two 2024 follow-ups, then the 2025 ones.
    assert sorted(items[:2]) == [("3", "2024"), ("4", "2024")]
    assert sorted(n for n, _year in items[2:-1]) == ["1", "2", "3", "4", "6", "7", "8"]
    assert "PIC: Andi Pratama; Unit pemilik: PERENCANAAN" in text
    assert "PIC: —; Unit pemilik: —" in text  # Rek. 3 and 7: nobody assigned yet

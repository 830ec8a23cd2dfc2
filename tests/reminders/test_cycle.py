"""The reminder cycle against the database, with a frozen clock and a real SMTP server: each
kind on its day, working days and the send time, the pause during verification, the stop on
closing, due-date and PIC changes, never twice, catch-up after downtime, the dry run."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories
from tracker.auth.models import Role, User
from tracker.core.clock import local_zone
from tracker.evaluations.carryover import carry_over
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.services import assign_followup
from tracker.reminders.cycle import CycleReport, parse_local, run_cycle
from tracker.reminders.models import Reminder, ReminderDigest, ReminderSettings, ReminderStatus
from tracker.verification import services as verification

DUE = date(2025, 8, 15)  # Friday; no public holiday near any of its steps (17 Aug is a Sunday)


@pytest.fixture
def mailbox(smtp_server):
    return smtp_server


def followups(world, *dues: date | None, pics: list[User] | None = None) -> list[FollowUp]:
    """One follow-up of UNIT-A per due date, with `pics` (default: world.pic)."""
    evaluation = factories.make_evaluation(
        [world.unit_a], [world.pic] if pics is None else pics, n_recommendations=len(dues)
    )
    items = [r.followup for r in sorted(evaluation.recommendations, key=lambda r: r.number)]
    for item, due in zip(items, dues, strict=True):
        item.due_date = due
    db.session.commit()
    return items


def cycle(frozen_clock, when: str, *, dry_run: bool = False) -> CycleReport:
    """Freeze the clock at `when` (local time) and run one cycle as of then."""
    frozen_clock(parse_local(when))
    return run_cycle(dry_run=dry_run)


def at(day: date, hhmm: str = "07:00") -> str:
    return f"{day.isoformat()} {hhmm}"


def outbox() -> list[tuple[str, str, int, str]]:
    """(recipient, kind, step, status) of every reminder, in the order they were planned."""
    rows = db.session.execute(
        select(User.email, Reminder.kind, Reminder.step, Reminder.status)
        .join(User, User.id == Reminder.recipient_id)
        .order_by(Reminder.id)
    )
    return [(email, str(kind), step, str(status)) for email, kind, step, status in rows]


def sent_by_day() -> dict[date, dict[str, list[tuple[str, int]]]]:
    """What each person was sent each local day: {day: {e-mail: [(kind, step), ...]}}."""
    rows = db.session.execute(
        select(User.email, Reminder.kind, Reminder.step, Reminder.sent_at)
        .join(User, User.id == Reminder.recipient_id)
        .where(Reminder.status == ReminderStatus.SENT)
    )
    out: dict = defaultdict(lambda: defaultdict(list))
    for email, kind, step, sent_at in rows:
        out[sent_at.astimezone(local_zone()).date()][email].append((str(kind), step))
    return {
        day: {email: sorted(items) for email, items in people.items()}
        for day, people in out.items()
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def submit(followup: FollowUp, pic: User) -> None:
    """The PIC sends the follow-up for verification through the real service."""
    followup.realisation = "Sudah dilaksanakan."
    db.session.add(
        Evidence(
            followup_id=followup.id,
            kind=EvidenceKind.LINK,
            title="Notulen rapat",
            url="https://drive.example.com/notulen",
            document_date=date(2025, 7, 1),
            uploaded_by_id=pic.id,
        )
    )
    db.session.flush()
    verification.submit(followup, pic, followup.version)
    db.session.commit()


def give_back(world, followup: FollowUp, frozen_clock, when: str) -> None:
    """The koordinator returns the follow-up to the PIC at `when` (local time)."""
    frozen_clock(parse_local(when))
    followup = db.session.get(FollowUp, followup.id)
    verification.return_followup(
        followup, world.koordinator, "Lengkapi notulen.", expected_version=followup.version
    )
    db.session.commit()


# --- each kind on its day ----------------------------------------------------------------------


def test_each_kind_is_sent_on_its_day_to_active_people_only(world, frozen_clock, mailbox):
    retired_pic = factories.make_user(
        "pic.lama@example.com", Role.PIC, [world.unit_a], active=False
    )
    factories.make_user("koordinator.lama@example.com", Role.KOORDINATOR, active=False)
    factories.make_user("pimpinan.lama@example.com", Role.PIMPINAN, active=False)
    with_pics, without_pics = followups(world, DUE, DUE, pics=[world.pic, retired_pic])
    without_pics.pics = []
    db.session.commit()

    day = date(2025, 7, 14)
    while day <= date(2025, 9, 1):  # every day, weekends included, at 07:00
        cycle(frozen_clock, at(day))
        day += timedelta(days=1)

    pic, koordinator, pimpinan = (
        "pic@example.com",
        "koordinator@example.com",
        "pimpinan@example.com",
    )
    twice = lambda kind, step: [(kind, step), (kind, step)]  # noqa: E731 - both follow-ups
    assert sent_by_day() == {
        date(2025, 7, 16): {pic: [("sebelum", 30)]},
        date(2025, 8, 1): {pic: [("sebelum", 14)]},
        date(2025, 8, 8): {pic: [("sebelum", 7)]},
        date(2025, 8, 12): {pic: [("sebelum", 3)]},
        date(2025, 8, 14): {pic: [("sebelum", 1)]},
        date(2025, 8, 15): {pic: [("jatuh_tempo", 0)]},
        # 7 days overdue: the PIC weekly, and the escalation of both follow-ups (the one
        # without a PIC too) to the active koordinator and pimpinan.
        date(2025, 8, 22): {
            pic: [("terlambat", 7)],
            koordinator: twice("eskalasi", 7),
            pimpinan: twice("eskalasi", 7),
        },
        date(2025, 8, 29): {
            pic: [("terlambat", 14)],
            koordinator: twice("eskalasi", 14),
            pimpinan: twice("eskalasi", 14),
        },
    }
    # One mail per person per day, none to the inactive accounts.
    recipients = sorted(m["To"] for m in mailbox.messages)
    assert recipients == sorted([pic] * 8 + [koordinator] * 2 + [pimpinan] * 2)


def test_the_koordinator_is_reminded_when_a_submission_waited_more_than_3_working_days(
    world, frozen_clock, mailbox
):
    (followup,) = followups(world, date(2025, 9, 30))
    frozen_clock(parse_local("2025-07-04 09:00"))  # Friday
    submit(followup, world.pic)

    reports = {}
    for day in range(7, 19):  # Monday 7 to Friday 18 July
        reports[day] = cycle(frozen_clock, at(date(2025, 7, day)))

    assert reports[9].sent == []  # Wednesday: 3 working days waited, not more
    assert sent_by_day() == {
        date(2025, 7, 10): {"koordinator@example.com": [("verifikasi", 4)]},
        date(2025, 7, 17): {"koordinator@example.com": [("verifikasi", 9)]},  # a week later
    }
    assert all(r.kind == "verifikasi" for r in db.session.scalars(select(Reminder)))


# --- working days and the send time ------------------------------------------------------------


def test_a_reminder_falling_on_a_weekend_goes_out_on_the_friday_before(
    world, frozen_clock, mailbox
):
    followups(world, date(2025, 6, 23))  # Monday: "1 day before" is Sunday 22 June
    reports = {day: cycle(frozen_clock, at(date(2025, 6, day))) for day in range(16, 24)}

    assert sent_by_day() == {
        date(2025, 6, 16): {"pic@example.com": [("sebelum", 7)]},
        date(2025, 6, 20): {"pic@example.com": [("sebelum", 1)]},  # Friday
        date(2025, 6, 23): {"pic@example.com": [("jatuh_tempo", 0)]},
    }
    for weekend in (21, 22):
        assert reports[weekend].sent == []
        assert "not a working day" in reports[weekend].note


def test_a_reminder_falling_on_a_public_holiday_goes_out_the_working_day_before(
    world, frozen_clock, mailbox
):
    followups(world, date(2025, 12, 26))  # Friday: "1 day before" is Christmas
    reports = {day: cycle(frozen_clock, at(date(2025, 12, day))) for day in range(19, 27)}

    assert sent_by_day() == {
        date(2025, 12, 19): {"pic@example.com": [("sebelum", 7)]},
        date(2025, 12, 23): {"pic@example.com": [("sebelum", 3)]},
        date(2025, 12, 24): {"pic@example.com": [("sebelum", 1)]},  # for the 25th
        date(2025, 12, 26): {"pic@example.com": [("jatuh_tempo", 0)]},
    }
    assert reports[25].sent == [] and "not a working day" in reports[25].note


def test_an_extra_day_off_from_the_policy_moves_reminders_to_the_working_day_before(
    world, frozen_clock, mailbox
):
    db.session.add(ReminderSettings(extra_holidays="2025-12-26 cuti bersama Natal"))
    followups(world, date(2025, 12, 26))
    reports = {day: cycle(frozen_clock, at(date(2025, 12, day))) for day in range(22, 27)}

    # The due-date reminder of Friday 26 (cuti bersama) goes on Wednesday 24 (25: Christmas).
    assert sent_by_day() == {
        date(2025, 12, 22): {"pic@example.com": [("sebelum", 7)]},  # for the 19th: catch-up
        date(2025, 12, 23): {"pic@example.com": [("sebelum", 3)]},
        date(2025, 12, 24): {"pic@example.com": [("jatuh_tempo", 0)]},
    }
    assert reports[26].sent == [] and "cuti bersama" in reports[26].note
    assert reports[25].sent == []


def test_nothing_is_sent_before_the_send_time(world, frozen_clock, mailbox):
    followups(world, DUE)

    early = cycle(frozen_clock, "2025-08-08 06:59")
    assert early.planned == 1 and early.sent == []
    assert "before the send time 07:00" in early.note
    assert mailbox.messages == []

    on_time = cycle(frozen_clock, "2025-08-08 07:00")
    assert on_time.planned == 0  # planned by the earlier cycle
    assert on_time.sent == [("pic@example.com", 1)]
    assert outbox() == [("pic@example.com", "sebelum", 7, "sent")]


def test_the_send_time_comes_from_the_policy(world, frozen_clock, mailbox):
    db.session.add(ReminderSettings(send_time="08:30"))
    followups(world, DUE)

    assert cycle(frozen_clock, "2025-08-08 08:29").sent == []
    assert cycle(frozen_clock, "2025-08-08 08:30").sent == [("pic@example.com", 1)]


# --- pause, stop, changes ----------------------------------------------------------------------


def test_pic_reminders_pause_while_waiting_for_verification_and_resume_when_returned(
    world, frozen_clock, mailbox
):
    (followup,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1  # 7 days before, not sent yet
    frozen_clock(parse_local("2025-08-08 06:30"))
    submit(followup, world.pic)

    paused = cycle(frozen_clock, "2025-08-08 07:00")
    assert paused.cancelled == {"paused: waiting for verification": 1}
    assert paused.sent == []
    assert cycle(frozen_clock, "2025-08-12 07:00").sent == []  # 3 days before: still paused

    give_back(world, followup, frozen_clock, "2025-08-13 10:00")

    # Returned: the current step (3 days before) comes at once, then the next ones.
    resumed = cycle(frozen_clock, "2025-08-13 11:00")
    assert resumed.sent == [("pic@example.com", 1)]
    cycle(frozen_clock, "2025-08-14 07:00")
    assert outbox() == [
        ("pic@example.com", "sebelum", 7, "cancelled"),
        ("pic@example.com", "sebelum", 3, "sent"),
        ("pic@example.com", "sebelum", 1, "sent"),
    ]


def test_a_reminder_paused_and_returned_the_same_morning_is_sent_after_all(
    world, frozen_clock, mailbox
):
    """The return revives the cancelled reminder of the current step (same key) instead of
    leaving the PIC without it until the next step."""
    (followup,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1  # 7 days before, not sent yet
    frozen_clock(parse_local("2025-08-08 06:30"))
    submit(followup, world.pic)
    paused = cycle(frozen_clock, "2025-08-08 07:00")
    assert paused.cancelled == {"paused: waiting for verification": 1}

    give_back(world, followup, frozen_clock, "2025-08-08 08:00")

    resumed = cycle(frozen_clock, "2025-08-08 09:00")
    assert (resumed.planned, resumed.sent) == (1, [("pic@example.com", 1)])
    assert outbox() == [("pic@example.com", "sebelum", 7, "sent")]
    row = db.session.scalars(select(Reminder)).one()
    assert row.cancelled_reason == ""
    assert "Rekomendasi nomor 1." in mailbox.messages[0].get_body(("plain",)).get_content()


def test_a_pending_verification_reminder_is_cancelled_once_the_koordinator_decides(
    world, frozen_clock, mailbox
):
    (followup,) = followups(world, date(2025, 9, 30))
    frozen_clock(parse_local("2025-07-04 09:00"))
    submit(followup, world.pic)
    assert cycle(frozen_clock, "2025-07-10 06:00").planned == 1  # before the send time

    frozen_clock(parse_local("2025-07-10 06:30"))
    followup = db.session.get(FollowUp, followup.id)
    verification.return_followup(
        followup, world.koordinator, "Kurang lengkap.", expected_version=followup.version
    )
    db.session.commit()

    report = cycle(frozen_clock, "2025-07-10 07:00")
    assert report.cancelled == {"verification decided": 1}
    assert "koordinator@example.com" not in dict(report.sent)


def test_a_followup_carried_over_into_a_newer_lhe_is_reminded_there_not_twice(
    world, frozen_clock, mailbox
):
    (old,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1
    previous = old.recommendation.evaluation
    newer = factories.make_evaluation(
        [world.unit_a],
        [world.pic],
        n_recommendations=0,
        year=previous.year + 1,
        institution=previous.institution,
        followup_deadline=DUE,
    )
    carry_over(previous, newer, [old.recommendation_id], world.koordinator)
    db.session.commit()

    report = cycle(frozen_clock, "2025-08-08 07:00")
    assert report.cancelled == {"closed or carried over": 1}  # the old follow-up's reminder
    assert report.sent == [("pic@example.com", 1)]  # one item: the carried-over follow-up
    rows = db.session.execute(
        select(Reminder.followup_id, Reminder.status).order_by(Reminder.id)
    ).all()
    new_followup = newer.recommendations[0].followup.id
    assert [(r.followup_id, str(r.status)) for r in rows] == [
        (old.id, "cancelled"),
        (new_followup, "sent"),
    ]


@pytest.mark.parametrize("closing", ["sesuai", "tidak_dapat_ditindaklanjuti"])
def test_nothing_is_ever_sent_for_a_closed_followup(world, frozen_clock, mailbox, closing):
    (followup,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1
    frozen_clock(parse_local("2025-08-08 06:30"))
    if closing == "sesuai":
        submit(followup, world.pic)
        followup = db.session.get(FollowUp, followup.id)
        verification.accept(
            followup,
            world.koordinator,
            cukup=True,
            kompeten=True,
            relevan=True,
            expected_version=followup.version,
        )
    else:
        verification.propose_cannot(followup, world.pic, "Unit dilebur.", followup.version)
        verification.approve_cannot(followup, world.koordinator, expected_version=followup.version)
    db.session.commit()
    assert followup.status == closing
    mails_before = len(mailbox.messages)  # the workflow's own notifications

    first = cycle(frozen_clock, "2025-08-08 07:00")
    assert first.cancelled == {"closed or carried over": 1}
    for day in [DUE - timedelta(days=1), DUE, DUE + timedelta(days=7), DUE + timedelta(days=14)]:
        report = cycle(frozen_clock, at(day))
        assert report.planned == 0 and report.sent == []
    assert outbox() == [("pic@example.com", "sebelum", 7, "cancelled")]
    assert len(mailbox.messages) == mails_before


def test_changing_the_due_date_cancels_old_reminders_and_plans_new_ones(
    world, frozen_clock, mailbox
):
    (followup,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1  # 7 days before the 15th
    frozen_clock(parse_local("2025-08-08 06:30"))
    new_due = date(2025, 8, 22)  # 14 days from today
    assign_followup(
        followup, world.koordinator, [world.unit_a], [world.pic], new_due, followup.version
    )
    db.session.commit()

    report = cycle(frozen_clock, "2025-08-08 07:00")
    assert report.cancelled == {"due date changed": 1}
    assert report.sent == [("pic@example.com", 1)]
    rows = db.session.scalars(select(Reminder).order_by(Reminder.id)).all()
    assert [(r.step, r.reference_date, r.status) for r in rows] == [
        (7, DUE, "cancelled"),
        (14, new_due, "sent"),
    ]
    # Nothing more for the old date: on the 15th the new date is 7 days away.
    cycle(frozen_clock, "2025-08-15 07:00")
    assert sent_by_day()[date(2025, 8, 15)] == {"pic@example.com": [("sebelum", 7)]}


def test_changing_the_pics_cancels_the_old_pics_reminders_and_plans_the_new_pics(
    world, frozen_clock, mailbox
):
    successor = factories.make_user("pic.baru@example.com", Role.PIC, [world.unit_a])
    (followup,) = followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1
    frozen_clock(parse_local("2025-08-08 06:30"))
    assign_followup(followup, world.koordinator, [world.unit_a], [successor], DUE, followup.version)
    db.session.commit()

    report = cycle(frozen_clock, "2025-08-08 07:00")
    assert report.cancelled == {"no longer a PIC": 1}
    assert report.sent == [("pic.baru@example.com", 1)]
    assert outbox() == [
        ("pic@example.com", "sebelum", 7, "cancelled"),
        ("pic.baru@example.com", "sebelum", 7, "sent"),
    ]


def test_a_pic_deactivated_after_planning_gets_nothing(world, frozen_clock, mailbox):
    followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 06:00").planned == 1
    world.pic.active = False
    db.session.commit()

    report = cycle(frozen_clock, "2025-08-08 07:00")
    assert report.sent == [] and sum(report.cancelled.values()) == 1
    assert outbox() == [("pic@example.com", "sebelum", 7, "cancelled")]
    assert mailbox.messages == []


def test_a_koordinator_deactivated_after_planning_gets_no_escalation(world, frozen_clock, mailbox):
    followups(world, DUE)
    planned = cycle(frozen_clock, at(DUE + timedelta(days=7), "06:00"))  # escalation day
    assert planned.planned == 3  # the PIC's overdue step, the koordinator, the pimpinan
    world.koordinator.active = False
    db.session.commit()

    report = cycle(frozen_clock, at(DUE + timedelta(days=7)))
    assert report.cancelled == {"no longer an active koordinator or pimpinan": 1}
    assert "koordinator@example.com" not in dict(report.sent)


# --- never twice, catch-up, dry run ------------------------------------------------------------


def test_rerunning_a_cycle_at_the_same_moment_sends_nothing_new(world, frozen_clock, mailbox):
    followups(world, DUE, DUE + timedelta(days=7))
    first = cycle(frozen_clock, "2025-08-08 07:00")
    assert first.sent == [("pic@example.com", 2)]

    again = cycle(frozen_clock, "2025-08-08 07:00")
    assert (again.planned, again.sent, again.waiting) == (0, [], [])
    assert len(mailbox.messages) == 1
    assert count(ReminderDigest) == 1


def test_a_later_cycle_the_same_day_waits_for_the_next_working_day(world, frozen_clock, mailbox):
    followups(world, DUE)
    assert cycle(frozen_clock, "2025-08-08 07:00").sent == [("pic@example.com", 1)]
    frozen_clock(parse_local("2025-08-08 10:00"))
    followups(world, date(2025, 9, 7))  # a new follow-up: its 30-days-before day is today

    later = cycle(frozen_clock, "2025-08-08 11:00")
    assert later.planned == 1
    assert later.sent == [] and later.waiting == [("pic@example.com", 1)]
    assert cycle(frozen_clock, "2025-08-09 07:00").sent == []  # Saturday
    assert cycle(frozen_clock, "2025-08-11 07:00").sent == [("pic@example.com", 1)]  # Monday
    assert len(mailbox.messages) == 2


def test_after_days_of_downtime_only_the_most_urgent_reminder_per_followup_is_sent(
    world, frozen_clock, mailbox
):
    followups(world, DUE)
    report = cycle(frozen_clock, "2025-08-14 07:00")  # the first cycle ever

    assert report.sent == [("pic@example.com", 1)]
    assert outbox() == [("pic@example.com", "sebelum", 1, "sent")]  # not 30/14/7/3 as well


def test_after_weeks_of_downtime_an_overdue_followup_gets_one_reminder_per_stream(
    world, frozen_clock, mailbox
):
    followups(world, DUE)
    report = cycle(frozen_clock, "2025-09-08 07:00")  # 24 days overdue

    assert sorted(report.sent) == [
        ("koordinator@example.com", 1),
        ("pic@example.com", 1),
        ("pimpinan@example.com", 1),
    ]
    assert sorted(outbox()) == [
        ("koordinator@example.com", "eskalasi", 21, "sent"),
        ("pic@example.com", "terlambat", 21, "sent"),
        ("pimpinan@example.com", "eskalasi", 21, "sent"),
    ]


def test_a_dry_run_sends_nothing_and_saves_nothing(world, frozen_clock, mailbox):
    followups(world, DUE, DUE)
    preview = cycle(frozen_clock, "2025-08-22 07:00", dry_run=True)

    assert preview.dry_run and preview.planned == 6
    expected = [
        ("koordinator@example.com", 2),
        ("pic@example.com", 2),
        ("pimpinan@example.com", 2),
    ]
    assert sorted(preview.sent) == expected
    assert "would send" in "\n".join(preview.lines())
    assert (count(Reminder), count(ReminderDigest), mailbox.messages) == (0, 0, [])

    real = cycle(frozen_clock, "2025-08-22 07:00")  # what it said is what happens
    assert real.planned == 6 and sorted(real.sent) == expected
    assert len(mailbox.wait_for(3)) == 3


def test_a_dry_run_after_the_days_mails_reports_them_as_waiting(world, frozen_clock, mailbox):
    followups(world, DUE)
    cycle(frozen_clock, "2025-08-08 07:00")
    followups(world, date(2025, 9, 7))

    preview = cycle(frozen_clock, "2025-08-08 11:00", dry_run=True)
    assert preview.sent == [] and preview.waiting == [("pic@example.com", 1)]
    assert count(Reminder) == 1 and len(mailbox.messages) == 1

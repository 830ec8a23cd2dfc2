"""Planning as pure functions (no database): which reminder each stream wants on a given day,
the working-day calendar, and the policy's parsers."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.followups.models import FollowUpStatus as S
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import ReminderKind as K
from tracker.reminders.planning import OpenFollowUp, wanted_reminders
from tracker.reminders.policy import Policy, parse_days, parse_days_off, parse_time

PIC, PIC_2, KOORDINATOR, PIMPINAN = 11, 12, 21, 31
DUE = date(2025, 8, 15)  # a Friday; every step of the default policy falls on a working day


def followup(
    status: S = S.PROSES,
    due: date | None = DUE,
    pics: tuple[int, ...] = (PIC,),
    submitted_on: date | None = None,
    id: int = 1,  # noqa: A002 - the dataclass's own field name
) -> OpenFollowUp:
    return OpenFollowUp(id, status, due, pics, submitted_on)


def wanted(today: date, *followups: OpenFollowUp, policy: Policy | None = None):
    return wanted_reminders(
        list(followups) or [followup()], policy or Policy(), today, (KOORDINATOR,), (PIMPINAN,)
    )


def summary(today: date, *followups: OpenFollowUp, policy: Policy | None = None) -> set:
    """(recipient, kind, step, nominal date, planned day) of every wanted reminder."""
    return {
        (w.recipient_id, w.kind, w.step, w.nominal_date, w.planned_for)
        for w in wanted(today, *followups, policy=policy)
    }


# --- the calendar ------------------------------------------------------------------------------


def test_weekends_and_indonesian_public_holidays_are_not_working_days():
    cal = WorkCalendar()
    assert cal.is_working_day(date(2025, 12, 24))  # Wednesday
    assert not cal.is_working_day(date(2025, 12, 25))  # Christmas (Thursday)
    assert not cal.is_working_day(date(2025, 12, 27))  # Saturday
    assert not cal.is_working_day(date(2025, 12, 28))  # Sunday
    assert not cal.is_working_day(date(2025, 8, 17))  # Independence Day (a Sunday anyway)
    assert not cal.is_working_day(date(2026, 1, 16))  # Isra' Mi'raj (Friday)
    assert cal.holiday_name(date(2025, 12, 25))


def test_extra_days_off_are_not_working_days_and_are_named_cuti_bersama():
    cal = WorkCalendar({date(2025, 12, 26)})
    assert not cal.is_working_day(date(2025, 12, 26))
    assert cal.holiday_name(date(2025, 12, 26)) == "cuti bersama"
    assert WorkCalendar().is_working_day(date(2025, 12, 26))


def test_on_or_before_moves_a_day_off_back_to_the_previous_working_day():
    cal = WorkCalendar({date(2025, 12, 26)})
    assert cal.on_or_before(date(2025, 12, 24)) == date(2025, 12, 24)
    assert cal.on_or_before(date(2025, 12, 28)) == date(2025, 12, 24)  # Sun, Sat, 26, 25
    assert WorkCalendar().on_or_before(date(2025, 6, 22)) == date(2025, 6, 20)  # Sunday → Fri


def test_working_days_are_counted_after_the_start_up_to_and_including_the_end():
    cal = WorkCalendar()
    friday = date(2025, 7, 4)
    assert cal.working_days_between(friday, friday) == 0
    assert cal.working_days_between(friday, date(2025, 7, 6)) == 0  # the weekend
    assert cal.working_days_between(friday, date(2025, 7, 9)) == 3  # Mon, Tue, Wed
    # Christmas in the middle is not counted.
    assert cal.working_days_between(date(2025, 12, 22), date(2025, 12, 29)) == 4
    assert cal.nth_working_day_after(friday, 4) == date(2025, 7, 10)
    assert cal.nth_working_day_after(date(2025, 12, 24), 1) == date(2025, 12, 26)


# --- the PICs' deadline stream -----------------------------------------------------------------

# Due Friday 2025-08-15: the day each step is wanted, with the step it is.
PIC_TIMELINE = {
    date(2025, 7, 16): (K.BEFORE, 30),
    date(2025, 8, 1): (K.BEFORE, 14),
    date(2025, 8, 8): (K.BEFORE, 7),
    date(2025, 8, 12): (K.BEFORE, 3),
    date(2025, 8, 14): (K.BEFORE, 1),
    date(2025, 8, 15): (K.DUE, 0),
    date(2025, 8, 22): (K.OVERDUE, 7),
    date(2025, 8, 29): (K.OVERDUE, 14),
    date(2025, 9, 4): (K.OVERDUE, 21),  # 5 September is a public holiday (Maulid Nabi)
}


@pytest.mark.parametrize(("today", "expected"), PIC_TIMELINE.items(), ids=str)
def test_each_pic_step_is_wanted_on_its_own_day(today, expected):
    kind, step = expected
    pic_reminders = {
        (w.kind, w.step, w.planned_for) for w in wanted(today) if w.recipient_id == PIC
    }
    assert pic_reminders == {(kind, step, today)}


def test_a_new_pic_step_starts_only_on_the_days_of_the_policy():
    """Between two steps the stream keeps wanting the last one (already planned: no new key)."""
    days = [date(2025, 7, 1) + timedelta(days=n) for n in range(70)]  # to 8 September
    keys_by_day = {
        day: {w.key for w in wanted(day) if w.recipient_id == PIC and w.kind != K.ESCALATION}
        for day in days
    }
    new_on = [
        day
        for previous, day in zip(days, days[1:], strict=False)
        if keys_by_day[day] - keys_by_day[previous]
    ]
    assert new_on == sorted(PIC_TIMELINE)


def test_nothing_is_wanted_before_the_first_step():
    assert wanted(date(2025, 7, 15)) == []


def test_every_pic_of_the_followup_gets_the_same_step():
    reminders = wanted(date(2025, 8, 8), followup(pics=(PIC, PIC_2)))
    assert sorted((w.recipient_id, w.kind, w.step) for w in reminders) == [
        (PIC, K.BEFORE, 7),
        (PIC_2, K.BEFORE, 7),
    ]
    assert {w.reference_date for w in reminders} == {DUE}


def test_a_scheduler_down_for_weeks_catches_up_with_only_the_most_urgent_step():
    # 30, 14, 7 and 3 days before have all passed unseen: only "1 day before" is wanted.
    assert summary(date(2025, 8, 14)) == {(PIC, K.BEFORE, 1, date(2025, 8, 14), date(2025, 8, 14))}
    # Weeks overdue: the latest weekly overdue step and the latest escalation, nothing older.
    # (21 days overdue is Friday 5 September, a public holiday: planned for the 4th.)
    assert summary(date(2025, 9, 8)) == {
        (PIC, K.OVERDUE, 21, date(2025, 9, 5), date(2025, 9, 4)),
        (KOORDINATOR, K.ESCALATION, 21, date(2025, 9, 5), date(2025, 9, 4)),
        (PIMPINAN, K.ESCALATION, 21, date(2025, 9, 5), date(2025, 9, 4)),
    }


def test_a_step_on_a_weekend_is_sent_on_the_friday_before():
    monday = date(2025, 6, 23)  # "1 day before" is Sunday 22 June
    assert summary(date(2025, 6, 20), followup(due=monday)) == {
        (PIC, K.BEFORE, 1, date(2025, 6, 22), date(2025, 6, 20))
    }
    assert summary(date(2025, 6, 19), followup(due=monday)) == {
        (PIC, K.BEFORE, 7, date(2025, 6, 16), date(2025, 6, 16))
    }


def test_a_step_on_a_public_holiday_is_sent_on_the_working_day_before():
    friday = date(2025, 12, 26)  # "1 day before" is Christmas, Thursday 25 December
    assert summary(date(2025, 12, 24), followup(due=friday)) == {
        (PIC, K.BEFORE, 1, date(2025, 12, 25), date(2025, 12, 24))
    }
    assert summary(date(2025, 12, 23), followup(due=friday)) == {
        (PIC, K.BEFORE, 3, date(2025, 12, 23), date(2025, 12, 23))
    }


def test_a_step_on_an_extra_day_off_is_sent_on_the_working_day_before():
    due = date(2026, 1, 2)  # Friday: "7 days before" is Friday 26 December 2025
    plain = summary(date(2025, 12, 26), followup(due=due))
    assert plain == {(PIC, K.BEFORE, 7, date(2025, 12, 26), date(2025, 12, 26))}
    cuti_bersama = Policy(extra_days_off=frozenset({date(2025, 12, 26)}))
    # 26 December off, 25 December Christmas: the reminder moves to Wednesday 24 December.
    assert summary(date(2025, 12, 24), followup(due=due), policy=cuti_bersama) == {
        (PIC, K.BEFORE, 7, date(2025, 12, 26), date(2025, 12, 24))
    }
    assert summary(date(2025, 12, 24), followup(due=due)) == {
        (PIC, K.BEFORE, 14, date(2025, 12, 19), date(2025, 12, 19))
    }


def test_overdue_reminders_repeat_every_policy_interval():
    policy = Policy(overdue_every_days=3, escalate_after_days=100)
    days = {
        today: {(w.kind, w.step) for w in wanted(today, policy=policy) if w.recipient_id == PIC}
        for today in (date(2025, 8, 18), date(2025, 8, 20), date(2025, 8, 21))
    }
    assert days == {
        date(2025, 8, 18): {(K.OVERDUE, 3)},
        date(2025, 8, 20): {(K.OVERDUE, 3)},
        date(2025, 8, 21): {(K.OVERDUE, 6)},
    }


def test_a_custom_policy_changes_the_steps():
    policy = Policy(days_before=(10,), on_due_date=False)
    assert summary(date(2025, 8, 5), policy=policy) == {
        (PIC, K.BEFORE, 10, date(2025, 8, 5), date(2025, 8, 5))
    }
    assert summary(date(2025, 8, 15), policy=policy) == {
        (PIC, K.BEFORE, 10, date(2025, 8, 5), date(2025, 8, 5))
    }  # no due-date step: still the 10-day one


# --- escalation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2025, 8, 21), None),  # 6 days overdue: not yet
        (date(2025, 8, 22), 7),  # 7 days overdue
        (date(2025, 8, 28), 7),
        (date(2025, 8, 29), 14),  # then weekly
        (date(2025, 9, 4), 21),  # the 5th is a public holiday
        (date(2025, 10, 31), 77),
    ],
    ids=str,
)
def test_escalation_goes_to_koordinators_and_pimpinan_from_7_days_overdue_then_weekly(today, step):
    escalations = {(w.recipient_id, w.step) for w in wanted(today) if w.kind == K.ESCALATION}
    expected = set() if step is None else {(KOORDINATOR, step), (PIMPINAN, step)}
    assert escalations == expected


def test_a_followup_without_pics_still_escalates():
    assert summary(date(2025, 8, 22), followup(pics=())) == {
        (KOORDINATOR, K.ESCALATION, 7, date(2025, 8, 22), date(2025, 8, 22)),
        (PIMPINAN, K.ESCALATION, 7, date(2025, 8, 22), date(2025, 8, 22)),
    }


def test_an_escalation_day_on_a_weekend_moves_to_the_friday_before():
    due = date(2025, 7, 19)  # Saturday: 7 days overdue is Saturday 26 July
    escalations = {
        (w.step, w.planned_for)
        for w in wanted(date(2025, 7, 25), followup(due=due))
        if w.kind == K.ESCALATION
    }
    assert escalations == {(7, date(2025, 7, 25))}


# --- verification ------------------------------------------------------------------------------

SUBMITTED = date(2025, 7, 4)  # a Friday


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (date(2025, 7, 7), None),
        (date(2025, 7, 9), None),  # 3 working days: not more than 3
        (date(2025, 7, 10), 4),  # 4 working days
        (date(2025, 7, 16), 4),
        (date(2025, 7, 17), 9),  # then every working week
    ],
    ids=str,
)
def test_the_koordinator_is_reminded_after_more_than_3_working_days_of_waiting(today, step):
    waiting = followup(status=S.MENUNGGU, submitted_on=SUBMITTED)
    reminders = wanted(today, waiting)
    if step is None:
        assert reminders == []
    else:
        assert {(w.recipient_id, w.kind, w.step, w.reference_date) for w in reminders} == {
            (KOORDINATOR, K.VERIFICATION, step, SUBMITTED)
        }


def test_holidays_do_not_count_as_days_of_waiting():
    # Submitted Monday 22 Dec 2025: Tue 23, Wed 24, (Christmas), Fri 26, Mon 29.
    waiting = followup(status=S.MENUNGGU, submitted_on=date(2025, 12, 22))
    assert wanted(date(2025, 12, 26), waiting) == []
    assert [w.nominal_date for w in wanted(date(2025, 12, 29), waiting)] == [date(2025, 12, 29)]


def test_waiting_for_verification_pauses_the_pic_and_escalation_streams():
    waiting = followup(status=S.MENUNGGU, submitted_on=date(2025, 8, 20))
    assert wanted(date(2025, 8, 22), waiting) == []  # overdue, yet no PIC or escalation


@pytest.mark.parametrize("status", [S.BELUM, S.PROSES, S.DIKEMBALIKAN])
def test_the_pics_are_reminded_in_every_status_they_work_in(status):
    assert {w.kind for w in wanted(date(2025, 8, 8), followup(status=status))} == {K.BEFORE}


@pytest.mark.parametrize("status", [S.SESUAI, S.TIDAK_DAPAT])
def test_nothing_is_ever_wanted_for_a_closed_followup(status):
    closed = followup(status=status, submitted_on=date(2025, 8, 1))
    assert all(wanted(day, closed) == [] for day in sorted(PIC_TIMELINE))


def test_a_followup_without_due_date_wants_nothing():
    assert wanted(date(2025, 8, 22), followup(due=None)) == []


# --- properties --------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=200, deadline=None)
@given(due=DAYS, offset=st.integers(min_value=-60, max_value=120))
def test_whatever_the_day_each_person_wants_at_most_one_step_per_stream_due_by_today(due, offset):
    today = due + timedelta(days=offset)
    cal = WorkCalendar()
    reminders = wanted(today, followup(due=due, pics=(PIC, PIC_2)))
    streams = [(w.recipient_id, w.kind == K.ESCALATION) for w in reminders]
    assert len(streams) == len(set(streams))
    for w in reminders:
        assert w.planned_for <= today
        assert w.planned_for <= w.nominal_date
        assert cal.is_working_day(w.planned_for)
        assert cal.on_or_before(w.nominal_date) == w.planned_for


# --- the policy's parsers ----------------------------------------------------------------------


def test_days_before_are_parsed_largest_first_and_checked():
    assert parse_days("7, 30,1;14") == (30, 14, 7, 1)
    with pytest.raises(ValueError):
        parse_days("0, 7")
    with pytest.raises(ValueError):
        parse_days("tujuh")


def test_extra_days_off_take_an_optional_note_and_report_bad_lines():
    days, bad = parse_days_off("2025-12-26 cuti bersama Natal\n\n2026-03-20\n26/12/2025\n")
    assert days == frozenset({date(2025, 12, 26), date(2026, 3, 20)})
    assert bad == ["26/12/2025"]


def test_send_time_is_hours_and_minutes():
    assert parse_time(" 07:30 ") == time(7, 30)

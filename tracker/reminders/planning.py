"""Which reminders should exist today: for every open follow-up and each of its streams (the
PICs' deadline reminders, the escalation, the verification wait), only the current step, the
latest one whose day has come. Older steps are never planned after the fact, so a scheduler
that was down for days catches up with the most urgent reminder, not a flood.

Pure functions over plain rows (no ORM objects), so 50,000 follow-ups plan in a second or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.followups.models import FollowUpStatus as S
from tracker.reminders.calendar import WorkCalendar
from tracker.reminders.models import ReminderKind as K
from tracker.reminders.policy import Policy

# The PICs work on these; a follow-up waiting for verification pauses their reminders.
PIC_STATUSES = frozenset({S.BELUM, S.PROSES, S.DIKEMBALIKAN})


@dataclass(frozen=True)
class OpenFollowUp:
    id: int
    status: S
    due_date: date | None
    pic_ids: tuple[int, ...]
    submitted_on: date | None  # local day of the open submission, while waiting verification


@dataclass(frozen=True, slots=True)
class Wanted:
    followup_id: int
    recipient_id: int
    kind: K
    step: int
    reference_date: date
    nominal_date: date
    planned_for: date

    @property
    def key(self) -> tuple:
        return (self.followup_id, self.recipient_id, self.kind, self.step, self.reference_date)


@dataclass(frozen=True)
class _Step:
    kind: K
    step: int
    nominal: date
    planned_for: date


def _latest(steps: list[_Step], today: date) -> _Step | None:
    """The step with the latest nominal date among those whose sending day has come."""
    due = [s for s in steps if s.planned_for <= today]
    return max(due, key=lambda s: (s.nominal, s.step)) if due else None


def _pic_step(due: date, policy: Policy, cal: WorkCalendar, today: date) -> _Step | None:
    steps = [
        _Step(
            K.BEFORE, days, due - timedelta(days=days), cal.on_or_before(due - timedelta(days=days))
        )
        for days in policy.days_before
    ]
    if policy.on_due_date:
        steps.append(_Step(K.DUE, 0, due, cal.on_or_before(due)))
    every = policy.overdue_every_days
    if every > 0 and today > due:
        # The current week and the next (its working day may fall before a weekend).
        weeks = (today - due).days // every
        for n in range(max(weeks, 1), weeks + 2):
            nominal = due + timedelta(days=n * every)
            steps.append(_Step(K.OVERDUE, n * every, nominal, cal.on_or_before(nominal)))
    return _latest(steps, today)


def _escalation_step(due: date, policy: Policy, cal: WorkCalendar, today: date) -> _Step | None:
    first, every = policy.escalate_after_days, max(policy.escalate_every_days, 1)
    late = (today - due).days
    if late + 7 < first:  # far from escalating (7: room for a weekend shift)
        return None
    repeats = max((late - first) // every, 0)
    steps = []
    for n in range(max(repeats - 1, 0), repeats + 2):
        days = first + n * every
        nominal = due + timedelta(days=days)
        steps.append(_Step(K.ESCALATION, days, nominal, cal.on_or_before(nominal)))
    return _latest(steps, today)


def _verification_step(
    submitted_on: date, policy: Policy, cal: WorkCalendar, today: date
) -> _Step | None:
    first = policy.verification_after_working_days + 1  # "more than N working days"
    every = max(policy.verification_every_working_days, 1)
    waited = cal.working_days_between(submitted_on, today)
    if waited < first:
        return None
    n = first + (waited - first) // every * every
    nominal = cal.nth_working_day_after(submitted_on, n)
    return _Step(K.VERIFICATION, n, nominal, nominal)


def wanted_reminders(
    followups: list[OpenFollowUp],
    policy: Policy,
    today: date,
    koordinator_ids: tuple[int, ...],
    pimpinan_ids: tuple[int, ...],
) -> list[Wanted]:
    """Every reminder that should exist today (the current step of each stream, per person)."""
    cal = policy.calendar()
    wanted: list[Wanted] = []
    # Follow-ups share due dates and submission days: work each step out once per date.
    pic_steps: dict[date, _Step | None] = {}
    escalations: dict[date, _Step | None] = {}
    verifications: dict[date, _Step | None] = {}
    escalated_to = koordinator_ids + pimpinan_ids

    def add(followup: OpenFollowUp, step: _Step | None, people, reference: date) -> None:
        if step is None:
            return
        for person in people:
            wanted.append(
                Wanted(
                    followup.id,
                    person,
                    step.kind,
                    step.step,
                    reference,
                    step.nominal,
                    step.planned_for,
                )
            )

    for followup in followups:
        due = followup.due_date
        if followup.status == S.MENUNGGU:
            submitted = followup.submitted_on
            if submitted is not None:
                if submitted not in verifications:
                    verifications[submitted] = _verification_step(submitted, policy, cal, today)
                add(followup, verifications[submitted], koordinator_ids, submitted)
            continue
        if due is None or followup.status not in PIC_STATUSES:
            continue
        if due not in pic_steps:
            pic_steps[due] = _pic_step(due, policy, cal, today)
        add(followup, pic_steps[due], followup.pic_ids, due)
        if today > due:
            if due not in escalations:
                escalations[due] = _escalation_step(due, policy, cal, today)
            add(followup, escalations[due], escalated_to, due)
    return wanted

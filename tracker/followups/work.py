"""A PIC's work on a follow-up: the action plan (summary and steps), the realisation text and
the progress. Every change starts the follow-up (belum → dalam proses) and is audited."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tracker.core.audit import changes, record
from tracker.core.clock import now_utc
from tracker.core.permissions import LOCKED_STATUSES
from tracker.extensions import db
from tracker.followups.models import ActionStep, FollowUp
from tracker.followups.services import check_version
from tracker.verification.workflow import start_work

LOCKED_MESSAGE = _l(
    "Tindak lanjut ini sedang diverifikasi atau sudah selesai, sehingga tidak dapat diubah."
)


class FollowUpLockedError(Exception):
    """The follow-up waits for verification or is closed: its content is frozen."""


def ensure_open(followup: FollowUp) -> None:
    if followup.status in LOCKED_STATUSES:
        raise FollowUpLockedError


def update_work(
    followup: FollowUp,
    actor,
    *,
    action_plan: str,
    realisation: str,
    progress: int,
    expected_version: int,
) -> bool:
    """Save the action-plan summary, realisation and progress; False when nothing changed."""
    check_version(followup, expected_version)
    ensure_open(followup)
    wanted = {
        "action_plan": action_plan.strip(),
        "realisation": realisation.strip(),
        "progress": progress,
    }
    if all(getattr(followup, name) == value for name, value in wanted.items()):
        return False
    start_work(followup, actor)
    diff = changes(followup, wanted)
    followup.updated_at = now_utc()
    # Long texts are audited as "changed", not copied whole into every history entry.
    summary = {k: v if k == "progress" else None for k, v in diff.items()}
    record(actor, followup, "work", **summary)
    db.session.flush()
    return True


def add_step(followup: FollowUp, actor, text: str, target_date: date | None) -> ActionStep:
    ensure_open(followup)
    start_work(followup, actor)
    last = db.session.scalar(
        select(func.max(ActionStep.position)).where(ActionStep.followup_id == followup.id)
    )
    step = ActionStep(
        followup=followup, text=text.strip(), target_date=target_date, position=(last or 0) + 1
    )
    db.session.add(step)
    record(actor, followup, "step_added", step=step.text, target_date=target_date)
    db.session.flush()
    return step


def set_step_done(step: ActionStep, actor, done: bool) -> bool:
    """Mark a step done or not done; False when it already was."""
    followup = step.followup
    ensure_open(followup)
    if step.done == done:
        return False
    start_work(followup, actor)
    step.done = done
    step.done_at = now_utc() if done else None
    record(actor, followup, "step_done" if done else "step_undone", step=step.text)
    db.session.flush()
    return True


def remove_step(step: ActionStep, actor) -> None:
    followup = step.followup
    ensure_open(followup)
    record(actor, followup, "step_removed", step=step.text)
    db.session.delete(step)
    db.session.flush()

"""Follow-up rules: assigning owner units, PICs and due dates (one or many), and read queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import Role, User
from tracker.core.audit import AuditEntry, changes, record
from tracker.core.clock import now_utc
from tracker.core.filters import long_date
from tracker.core.permissions import scoped_followups
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import CLOSED_STATUSES, FollowUp, FollowUpStatus
from tracker.units.models import Unit

STALE_MESSAGE = _l(
    "Tindak lanjut ini telah diubah orang lain sejak Anda membukanya. "
    "Muat ulang halaman lalu ulangi."
)
CLOSED_MESSAGE = _l("Tindak lanjut yang sudah selesai tidak dapat ditugaskan ulang.")


class AssignmentError(Exception):
    """The requested assignment breaks a rule; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


class StaleFollowUpError(Exception):
    """Someone else changed the follow-up since the form was opened."""


def check_version(followup: FollowUp, expected_version: int | None) -> None:
    """Refuse a change based on an older (or no) version of the follow-up."""
    if expected_version is None or followup.version != expected_version:
        raise StaleFollowUpError


class FollowUpClosedError(Exception):
    """A closed follow-up keeps its assignment."""


@dataclass
class AssignResult:
    """What an assignment did: whether anything changed, and warnings to show."""

    changed: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class BulkResult:
    """What a bulk assignment did: follow-ups changed, closed ones skipped, warnings."""

    updated: list[FollowUp] = field(default_factory=list)
    skipped: list[FollowUp] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- rules ------------------------------------------------------------------------------------


def _problems(
    units: Sequence[Unit], pics: Sequence[User], due_date: date | None, new_pics: Sequence[User]
) -> dict[str, list[str]]:
    """Rule violations of a proposed assignment, by form field."""
    errors: dict[str, list[str]] = {}
    unit_ids = {u.id for u in units}
    for pic in new_pics:
        if not (pic.active and pic.role == Role.PIC):
            errors.setdefault("pics", []).append(
                _("%(name)s bukan pengguna PIC yang aktif.", name=pic.name)
            )
    for pic in pics:
        if not pic.unit_ids & unit_ids:
            errors.setdefault("pics", []).append(
                _("%(name)s bukan anggota unit pemilik yang dipilih.", name=pic.name)
            )
    if units and due_date is None:
        errors.setdefault("due_date", []).append(_("Wajib diisi bila unit pemilik sudah dipilih."))
    return errors


def _due_date_warning(evaluation: Evaluation, due_date: date | None) -> list[str]:
    nxt = evaluation.next_evaluation_date
    if due_date is not None and nxt is not None and due_date > nxt:
        return [
            _(
                "Batas waktu %(due)s melewati tanggal evaluasi berikutnya (%(next)s).",
                due=long_date(due_date),
                next=long_date(nxt),
            )
        ]
    return []


def _apply(
    followup: FollowUp,
    actor: User,
    units: Sequence[Unit],
    pics: Sequence[User],
    due_date: date | None,
    **extra,
) -> bool:
    """Set the assignment and audit it; False when nothing changed."""
    diff: dict[str, list] = {}
    if {u.id for u in units} != followup.unit_ids:
        new_units = sorted(units, key=lambda u: u.code)
        diff["units"] = [[u.code for u in followup.units], [u.code for u in new_units]]
        followup.units = new_units
    if {p.id for p in pics} != {p.id for p in followup.pics}:
        new_pics = sorted(pics, key=lambda p: p.name)
        diff["pics"] = [[p.name for p in followup.pics], [p.name for p in new_pics]]
        followup.pics = new_pics
    diff.update(changes(followup, {"due_date": due_date}))
    if not diff:
        return False
    # Touching a column makes the flush UPDATE the row, which also bumps `version`.
    followup.updated_at = now_utc()
    record(actor, followup, "assign", **diff, **extra)
    return True


def assign_followup(
    followup: FollowUp,
    actor: User,
    units: Sequence[Unit],
    pics: Sequence[User],
    due_date: date | None,
    expected_version: int,
) -> AssignResult:
    """Replace the owner units, PICs and due date of one follow-up (checked, audited)."""
    check_version(followup, expected_version)
    if followup.is_closed:
        raise FollowUpClosedError
    new_pics = [p for p in pics if p not in followup.pics]
    errors = _problems(units, pics, due_date, new_pics)
    if errors:
        raise AssignmentError(errors)
    changed = _apply(followup, actor, units, pics, due_date)
    db.session.flush()
    warnings = _due_date_warning(followup.recommendation.evaluation, due_date) if changed else []
    return AssignResult(changed=changed, warnings=warnings)


def _merged(current: Sequence, chosen: Sequence, replace: bool) -> list:
    if replace:
        return list(chosen)
    return list(current) + [item for item in chosen if item not in current]


def bulk_assign(
    followups: Sequence[FollowUp],
    actor: User,
    units: Sequence[Unit],
    pics: Sequence[User],
    due_date: date | None,
    *,
    replace_units: bool,
    replace_pics: bool,
    expected_versions: dict[int, int],
) -> BulkResult:
    """Apply one assignment to several follow-ups: all checked first, then all saved, or none.

    Units and PICs are added to the current ones or replace them; an empty due date keeps each
    follow-up's own. Closed follow-ups are skipped.
    """
    if any(expected_versions.get(f.id) != f.version for f in followups):
        raise StaleFollowUpError
    result = BulkResult(skipped=[f for f in followups if f.is_closed])
    plans = []
    errors: dict[str, list[str]] = {}
    for followup in followups:
        if followup.is_closed:
            continue
        new_units = _merged(followup.units, units, replace_units)
        new_pics = _merged(followup.pics, pics, replace_pics)
        new_due = due_date or followup.due_date
        added = [p for p in pics if p not in followup.pics]
        number = followup.recommendation.number
        for name, messages in _problems(new_units, new_pics, new_due, added).items():
            errors.setdefault(name, []).extend(
                _("Rekomendasi %(number)s: %(message)s", number=number, message=message)
                for message in messages
            )
        plans.append((followup, new_units, new_pics, new_due))
    if errors:
        raise AssignmentError(errors)
    for followup, new_units, new_pics, new_due in plans:
        if _apply(followup, actor, new_units, new_pics, new_due, bulk=True):
            result.updated.append(followup)
    db.session.flush()
    if result.updated:
        result.warnings = _due_date_warning(result.updated[0].recommendation.evaluation, due_date)
    return result


# --- read queries -----------------------------------------------------------------------------


def my_followups(user: User, status: FollowUpStatus | None = None, open_only: bool = False):
    """Select the follow-ups on `user`'s desk: open ones by due date (none last), then closed."""
    if user.role == Role.PIC:
        query: Select = scoped_followups(user)
    else:
        query = select(FollowUp).where(FollowUp.pics.any(User.id == user.id))
    if status is not None:
        query = query.where(FollowUp.status == status)
    if open_only:
        query = query.where(FollowUp.status.not_in(CLOSED_STATUSES))
    closed_last = case((FollowUp.status.in_(CLOSED_STATUSES), 1), else_=0)
    undated_last = case((FollowUp.due_date.is_(None), 1), else_=0)
    return query.order_by(closed_last, undated_last, FollowUp.due_date, FollowUp.id).options(
        joinedload(FollowUp.recommendation).joinedload(Recommendation.evaluation),
        selectinload(FollowUp.units),
    )


def evaluation_followups(evaluation: Evaluation) -> list[FollowUp]:
    """The evaluation's follow-ups with what the bulk page shows, by recommendation number."""
    query = (
        select(FollowUp)
        .join(FollowUp.recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(Recommendation.number, Recommendation.id)
        .options(
            joinedload(FollowUp.recommendation).joinedload(Recommendation.component),
            selectinload(FollowUp.units),
            selectinload(FollowUp.pics),
        )
    )
    return list(db.session.scalars(query))


def group_by_component(followups: Sequence[FollowUp]) -> list[tuple]:
    """[(component or None, [follow-ups])], components in report order, unassigned last."""
    groups: dict = {}
    for followup in followups:
        groups.setdefault(followup.recommendation.component, []).append(followup)
    return sorted(groups.items(), key=lambda item: (item[0] is None, item[0] and item[0].order))


def history(followup: FollowUp) -> list[AuditEntry]:
    """The audit entries of this follow-up, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.object_type == FollowUp.__tablename__)
        .where(AuditEntry.object_id == followup.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .options(joinedload(AuditEntry.user))
    )
    return list(db.session.scalars(query))

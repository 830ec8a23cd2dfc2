"""Who may do what: the one place. Views and templates ask these predicates.

Rules: admin and koordinator manage; pimpinan reads everything and changes nothing; a PIC sees
and works only on follow-ups owned by one of their units (or naming them as PIC). Objects
outside a user's reach answer 404 (their existence is not revealed); pages a role may not use
at all answer 403.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import Select, select

from tracker.auth.models import Role, User
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.followups.models import FollowUp, FollowUpStatus, followup_pics, followup_units

MANAGERS = (Role.ADMIN, Role.KOORDINATOR)
READERS = (Role.ADMIN, Role.KOORDINATOR, Role.PIMPINAN)


# --- predicates -------------------------------------------------------------------------------


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def can_manage_evaluations(user: User) -> bool:
    """Create, edit, archive evaluations; assign follow-ups."""
    return user.is_authenticated and user.role in MANAGERS


def can_read_all(user: User) -> bool:
    """Sees every evaluation and follow-up."""
    return user.is_authenticated and user.role in READERS


def can_view_followup(user: User, followup: FollowUp) -> bool:
    if not user.is_authenticated:
        return False
    if can_read_all(user):
        return True
    return bool(user.unit_ids & followup.unit_ids) or user in followup.pics


# While the koordinator judges a submission, and once a follow-up is closed, its content is frozen.
LOCKED_STATUSES = (FollowUpStatus.MENUNGGU, FollowUpStatus.SESUAI, FollowUpStatus.TIDAK_DAPAT)
# The states from which a PIC may submit (or propose "tidak dapat ditindaklanjuti").
SUBMITTABLE_STATUSES = (FollowUpStatus.BELUM, FollowUpStatus.PROSES, FollowUpStatus.DIKEMBALIKAN)


def _is_followup_pic(user: User, followup: FollowUp) -> bool:
    return user.is_authenticated and user.role == Role.PIC and can_view_followup(user, followup)


def can_edit_followup(user: User, followup: FollowUp) -> bool:
    """Work on its content (action plan, realisation, evidence): its PICs and unit members, and
    managers; nobody while it waits for verification or once it is closed."""
    if followup.status in LOCKED_STATUSES:
        return False
    return can_manage_evaluations(user) or _is_followup_pic(user, followup)


def can_submit_followup(user: User, followup: FollowUp) -> bool:
    """Send it for verification, or propose closing it as "tidak dapat ditindaklanjuti"."""
    return _is_followup_pic(user, followup) and followup.status in SUBMITTABLE_STATUSES


def can_verify_followup(user: User, followup: FollowUp) -> bool:
    """Accept or return a submission: the koordinator (quality staff) only."""
    return (
        user.is_authenticated
        and user.role == Role.KOORDINATOR
        and followup.status == FollowUpStatus.MENUNGGU
    )


def can_verify_any(user: User) -> bool:
    """Sees the verification queue."""
    return user.is_authenticated and user.role == Role.KOORDINATOR


def can_reopen_followup(user: User, followup: FollowUp) -> bool:
    return user.is_authenticated and user.role == Role.KOORDINATOR and followup.is_closed


def can_comment_followup(user: User, followup: FollowUp) -> bool:
    """Koordinator, admin and the follow-up's PICs talk; pimpinan reads."""
    return can_view_followup(user, followup) and user.role != Role.PIMPINAN


def can_remove_evidence(user: User, evidence) -> bool:
    """The uploader, before verification: not once submitted, accepted or removed."""
    return (
        user.is_authenticated
        and evidence.is_active
        and not evidence.is_frozen
        and evidence.uploaded_by_id == user.id
        and can_edit_followup(user, evidence.followup)
    )


def can_view_dashboard(user: User) -> bool:
    """The monitoring dashboard: quality staff and leaders (a PIC has their own home page)."""
    return user.is_authenticated and user.role in (Role.KOORDINATOR, Role.PIMPINAN)


def can_export_matrix(user: User) -> bool:
    """Export the matriks tindak lanjut; what it holds is limited to `visible_followup_ids`,
    so a PIC's export (and evidence ZIP) holds only their units' follow-ups."""
    return user.is_authenticated


def can_assign_followup(user: User, followup: FollowUp | None = None) -> bool:
    """Set owner units, PICs and due date."""
    return can_manage_evaluations(user)


# --- scoped queries ---------------------------------------------------------------------------


def visible_followup_ids(user: User) -> Select:
    """A subquery of the ids of follow-ups `user` may see."""
    if can_read_all(user):
        return select(FollowUp.id)
    # A UNION of the two link tables: indexed lookups, where OR over two outer joins scanned
    # every follow-up (41-59 ms -> 15 ms for a status count on 50,000 follow-ups, PostgreSQL).
    by_unit = select(followup_units.c.followup_id).where(
        followup_units.c.unit_id.in_(list(user.unit_ids))
    )
    as_pic = select(followup_pics.c.followup_id).where(followup_pics.c.user_id == user.id)
    return by_unit.union(as_pic)


def scoped_followups(user: User) -> Select:
    """`select(FollowUp)` limited to what `user` may see."""
    query = select(FollowUp)
    if not can_read_all(user):
        query = query.where(FollowUp.id.in_(visible_followup_ids(user)))
    return query


def scoped_evaluations(user: User) -> Select:
    """`select(Evaluation)` limited to evaluations holding a follow-up `user` may see."""
    query = select(Evaluation)
    if not can_read_all(user):
        query = query.where(
            Evaluation.id.in_(
                select(Recommendation.evaluation_id)
                .join(FollowUp, FollowUp.recommendation_id == Recommendation.id)
                .where(FollowUp.id.in_(visible_followup_ids(user)))
            )
        )
    return query


def get_followup_or_404(user: User, followup_id: int) -> FollowUp:
    followup = db.session.scalar(scoped_followups(user).where(FollowUp.id == followup_id))
    if followup is None:
        abort(404)
    return followup


def get_evidence_or_404(user: User, evidence_id: int):
    """An evidence item of a follow-up `user` may see (removed ones included: history)."""
    from tracker.evidence.models import Evidence

    evidence = db.session.scalar(
        select(Evidence).where(
            Evidence.id == evidence_id, Evidence.followup_id.in_(visible_followup_ids(user))
        )
    )
    if evidence is None:
        abort(404)
    return evidence


def get_evaluation_or_404(user: User, evaluation_id: int) -> Evaluation:
    evaluation = db.session.scalar(scoped_evaluations(user).where(Evaluation.id == evaluation_id))
    if evaluation is None:
        abort(404)
    return evaluation


def get_lhe_import_or_404(user: User, import_id: int):
    """An imported LHE document: drafts for managers only; a saved one for whoever may view its
    evaluation; discarded ones for nobody."""
    from tracker.lhe.models import ImportStatus, LheImport

    record = db.session.scalar(
        select(LheImport).where(
            LheImport.id == import_id, LheImport.status != ImportStatus.DISCARDED
        )
    )
    if record is None:
        abort(404)
    if record.status == ImportStatus.DRAFT or record.evaluation_id is None:
        if not can_manage_evaluations(user):
            abort(404)
    else:
        get_evaluation_or_404(user, record.evaluation_id)
    return record


# --- view decorators --------------------------------------------------------------------------


def require(predicate):
    """Decorate a view: login required, then `predicate(current_user)` or 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def evaluation_view(predicate):
    """Decorate a view of one evaluation: login, then the scoped load (404 outside the user's
    reach, so a PIC cannot tell another unit's evaluation exists), then `predicate(user,
    evaluation)` or 403. The view receives the Evaluation in place of `evaluation_id`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(evaluation_id: int, **kwargs):
            evaluation = get_evaluation_or_404(current_user, evaluation_id)
            if not predicate(current_user, evaluation):
                abort(403)
            return view(evaluation, **kwargs)

        return wrapped

    return decorator


def followup_view(predicate):
    """Decorate a view of one follow-up, like `evaluation_view`: 404 outside the user's reach,
    then `predicate(user, followup)` or 403. The view receives the FollowUp."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(followup_id: int, **kwargs):
            followup = get_followup_or_404(current_user, followup_id)
            if not predicate(current_user, followup):
                abort(403)
            return view(followup, **kwargs)

        return wrapped

    return decorator


def can_manage_evaluation(user: User, evaluation: Evaluation) -> bool:
    """Change this evaluation (its header, scores, findings, recommendations, assignments)."""
    return can_manage_evaluations(user)


def template_helpers() -> dict:
    """Predicates exposed to templates under the same names (and the current locale)."""
    from flask_babel import get_locale

    return {
        "get_locale": get_locale,
        "is_admin": is_admin,
        "can_manage_evaluations": can_manage_evaluations,
        "can_read_all": can_read_all,
        "can_view_followup": can_view_followup,
        "can_edit_followup": can_edit_followup,
        "can_assign_followup": can_assign_followup,
        "can_submit_followup": can_submit_followup,
        "can_verify_followup": can_verify_followup,
        "can_verify_any": can_verify_any,
        "can_reopen_followup": can_reopen_followup,
        "can_comment_followup": can_comment_followup,
        "can_remove_evidence": can_remove_evidence,
        "can_view_dashboard": can_view_dashboard,
        "can_export_matrix": can_export_matrix,
    }

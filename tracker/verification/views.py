"""The verification steps on the follow-up page: submit, propose, accept, approve, return,
reopen. Each posts one form and redirects back, or shows the page again with the reason."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.core.clock import today_local
from tracker.core.permissions import (
    can_reopen_followup,
    can_submit_followup,
    can_verify_any,
    can_verify_followup,
    followup_view,
    require,
)
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.page import render_detail
from tracker.followups.services import STALE_MESSAGE, StaleFollowUpError
from tracker.verification import services
from tracker.verification.forms import (
    AcceptForm,
    ApproveForm,
    ProposeForm,
    ReopenForm,
    ReturnForm,
    SubmitForm,
)
from tracker.verification.workflow import IllegalMove

bp = Blueprint("verification", __name__, url_prefix="/followups")


def _run(followup: FollowUp, form, name: str, action, done_message: str):
    """Validate `form`, call `action()`, commit; on refusal show the page with the reason."""
    if not form.validate_on_submit():
        return render_detail(followup, 400, **{name: form})
    try:
        action()
        db.session.commit()
    except services.VerificationError as error:
        db.session.rollback()
        field = getattr(form, error.field or "", None)
        if field is not None:
            field.errors = [*field.errors, str(error.message)]
        else:
            flash(str(error.message), "danger")
        return render_detail(followup, 400, **{name: form})
    except (StaleFollowUpError, StaleDataError, IllegalMove):
        db.session.rollback()
        db.session.refresh(followup)
        flash(str(STALE_MESSAGE), "danger")
        return render_detail(followup, 409)
    flash(done_message, "success")
    return redirect(url_for("followups.detail", followup_id=followup.id, _anchor="verifikasi"))


@bp.get("/verification")
@require(can_verify_any)
def queue():
    """What waits for the koordinator's decision, longest-waiting first."""
    rows = db.session.execute(services.waiting_queue()).all()
    return render_template("verification/queue.html", rows=rows, today=today_local())


@bp.post("/<int:followup_id>/submit")
@followup_view(can_submit_followup)
def submit(followup: FollowUp):
    form = SubmitForm()
    return _run(
        followup,
        form,
        "submit_form",
        lambda: services.submit(followup, current_user, form.expected_version),
        _("Terkirim untuk verifikasi. Koordinator telah diberi tahu."),
    )


@bp.post("/<int:followup_id>/propose")
@followup_view(can_submit_followup)
def propose(followup: FollowUp):
    form = ProposeForm()
    return _run(
        followup,
        form,
        "propose_form",
        lambda: services.propose_cannot(
            followup, current_user, form.reason.data, form.expected_version
        ),
        _("Usulan terkirim. Koordinator akan memutuskan."),
    )


@bp.post("/<int:followup_id>/accept")
@followup_view(can_verify_followup)
def accept(followup: FollowUp):
    form = AcceptForm()
    return _run(
        followup,
        form,
        "accept_form",
        lambda: services.accept(
            followup,
            current_user,
            cukup=form.cukup.data,
            kompeten=form.kompeten.data,
            relevan=form.relevan.data,
            note=form.note.data or "",
            expected_version=form.expected_version,
        ),
        _("Tindak lanjut diterima (sesuai)."),
    )


@bp.post("/<int:followup_id>/approve")
@followup_view(can_verify_followup)
def approve(followup: FollowUp):
    form = ApproveForm()
    return _run(
        followup,
        form,
        "approve_form",
        lambda: services.approve_cannot(
            followup, current_user, form.note.data or "", expected_version=form.expected_version
        ),
        _("Disetujui: tidak dapat ditindaklanjuti."),
    )


@bp.post("/<int:followup_id>/return")
@followup_view(can_verify_followup)
def return_(followup: FollowUp):
    form = ReturnForm()
    return _run(
        followup,
        form,
        "return_form",
        lambda: services.return_followup(
            followup, current_user, form.note.data, expected_version=form.expected_version
        ),
        _("Dikembalikan kepada PIC dengan catatan."),
    )


@bp.post("/<int:followup_id>/reopen")
@followup_view(can_reopen_followup)
def reopen(followup: FollowUp):
    form = ReopenForm()
    return _run(
        followup,
        form,
        "reopen_form",
        lambda: services.reopen(
            followup, current_user, form.reason.data, expected_version=form.expected_version
        ),
        _("Tindak lanjut dibuka kembali."),
    )

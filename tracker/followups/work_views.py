"""A PIC's work on the follow-up page: realisation and progress, action-plan steps."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from tracker.core.permissions import can_edit_followup, followup_view
from tracker.extensions import db
from tracker.followups import work
from tracker.followups.models import ActionStep, FollowUp
from tracker.followups.page import render_detail, render_locked
from tracker.followups.services import STALE_MESSAGE, StaleFollowUpError
from tracker.followups.views import bp
from tracker.followups.work_forms import StepActionForm, StepForm, WorkForm


def _back(followup: FollowUp, anchor: str):
    return redirect(url_for("followups.detail", followup_id=followup.id, _anchor=anchor))


@bp.post("/<int:followup_id>/work")
@followup_view(can_edit_followup)
def save_work(followup: FollowUp):
    form = WorkForm()
    if not form.validate_on_submit():
        return render_detail(followup, 400, work_form=form)
    try:
        changed = work.update_work(
            followup,
            current_user,
            action_plan=form.action_plan.data or "",
            realisation=form.realisation.data or "",
            progress=form.progress.data,
            expected_version=form.expected_version,
        )
        db.session.commit()
    except (StaleFollowUpError, StaleDataError):
        db.session.rollback()
        db.session.refresh(followup)
        flash(str(STALE_MESSAGE), "danger")
        # What the user typed is shown beside the current text, so nothing is lost.
        return render_detail(followup, 409, unsaved=form)
    except work.FollowUpLockedError:
        return render_locked(followup)
    flash(_("Pelaksanaan tersimpan.") if changed else _("Tidak ada perubahan."), "success")
    return _back(followup, "pelaksanaan")


def _step(followup: FollowUp, step_id: int) -> ActionStep:
    step = db.session.scalar(
        select(ActionStep).where(ActionStep.id == step_id, ActionStep.followup_id == followup.id)
    )
    if step is None:
        abort(404)
    return step


@bp.post("/<int:followup_id>/steps")
@followup_view(can_edit_followup)
def add_step(followup: FollowUp):
    form = StepForm()
    if not form.validate_on_submit():
        return render_detail(followup, 400, step_form=form)
    try:
        work.add_step(followup, current_user, form.text.data, form.target_date.data)
        db.session.commit()
    except work.FollowUpLockedError:
        return render_locked(followup)
    flash(_("Langkah ditambahkan."), "success")
    return _back(followup, "rencana-aksi")


@bp.post("/<int:followup_id>/steps/<int:step_id>/<any(done, undone):state>")
@followup_view(can_edit_followup)
def mark_step(followup: FollowUp, step_id: int, state: str):
    step = _step(followup, step_id)
    if not StepActionForm().validate_on_submit():
        abort(400)
    try:
        work.set_step_done(step, current_user, state == "done")
        db.session.commit()
    except work.FollowUpLockedError:
        return render_locked(followup)
    return _back(followup, "rencana-aksi")


@bp.post("/<int:followup_id>/steps/<int:step_id>/delete")
@followup_view(can_edit_followup)
def delete_step(followup: FollowUp, step_id: int):
    step = _step(followup, step_id)
    if not StepActionForm().validate_on_submit():
        abort(400)
    try:
        work.remove_step(step, current_user)
        db.session.commit()
    except work.FollowUpLockedError:
        return render_locked(followup)
    flash(_("Langkah dihapus."), "success")
    return _back(followup, "rencana-aksi")

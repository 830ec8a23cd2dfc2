"""Posting a comment on a follow-up."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.comments import services
from tracker.comments.forms import CommentForm
from tracker.core.permissions import can_comment_followup, followup_view
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.page import render_detail

bp = Blueprint("comments", __name__, url_prefix="/followups")


@bp.post("/<int:followup_id>/comments")
@followup_view(can_comment_followup)
def add(followup: FollowUp):
    form = CommentForm()
    if not form.validate_on_submit():
        return render_detail(followup, 400, comment_form=form)
    try:
        services.add_comment(followup, current_user, form.body.data)
        db.session.commit()
    except services.CommentError as error:
        db.session.rollback()
        form.body.errors = [*form.body.errors, str(error.message)]
        return render_detail(followup, 400, comment_form=form)
    flash(_("Komentar terkirim."), "success")
    return redirect(url_for("followups.detail", followup_id=followup.id, _anchor="komentar"))

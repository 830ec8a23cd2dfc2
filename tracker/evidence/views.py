"""Evidence pages: upload a file, add a link, remove an item, download a file."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from tracker.core.permissions import (
    can_edit_followup,
    can_remove_evidence,
    followup_view,
    get_evidence_or_404,
)
from tracker.core.storage import release
from tracker.evidence import services
from tracker.evidence.forms import LinkForm, RemoveForm, UploadForm
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.followups.page import render_detail, render_locked
from tracker.followups.work import FollowUpLockedError

bp = Blueprint("evidence", __name__)


def _back(followup_id: int):
    return redirect(url_for("followups.detail", followup_id=followup_id, _anchor="data-dukung"))


def _refused(followup: FollowUp, form, error: services.EvidenceError, name: str):
    db.session.rollback()
    field = getattr(form, error.field, None) or form.file
    field.errors = [*field.errors, str(error.message)]
    return render_detail(followup, 400, **{name: form})


@bp.post("/followups/<int:followup_id>/evidence")
@followup_view(can_edit_followup)
def upload(followup: FollowUp):
    form = UploadForm()
    if not form.validate_on_submit():
        return render_detail(followup, 400, upload_form=form)
    upload = form.file.data
    try:
        evidence = services.add_file(
            followup,
            current_user,
            upload.stream,
            upload.filename,
            title=form.title.data or "",
            document_date=form.document_date.data,
            note=form.note.data or "",
        )
        key = evidence.storage_key
        followup_id = followup.id
        try:
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            release(key)  # the row was not written: the file must not stay behind
            raise
    except services.EvidenceError as error:
        return _refused(followup, form, error, "upload_form")
    except FollowUpLockedError:
        return render_locked(followup)
    flash(_("Data dukung “%(title)s” diunggah.", title=evidence.title), "success")
    return _back(followup_id)


@bp.post("/followups/<int:followup_id>/evidence/link")
@followup_view(can_edit_followup)
def add_link(followup: FollowUp):
    form = LinkForm()
    if not form.validate_on_submit():
        return render_detail(followup, 400, link_form=form)
    try:
        evidence = services.add_link(
            followup,
            current_user,
            url=form.url.data,
            title=form.title.data,
            document_date=form.document_date.data,
            note=form.note.data or "",
        )
        db.session.commit()
    except services.EvidenceError as error:
        return _refused(followup, form, error, "link_form")
    except FollowUpLockedError:
        return render_locked(followup)
    flash(_("Tautan “%(title)s” ditambahkan.", title=evidence.title), "success")
    return _back(followup.id)


@bp.post("/evidence/<int:evidence_id>/remove")
@login_required
def remove(evidence_id: int):
    evidence = get_evidence_or_404(current_user, evidence_id)
    if not can_remove_evidence(current_user, evidence):
        abort(403)
    if not RemoveForm().validate_on_submit():
        abort(400)
    followup_id = evidence.followup_id
    title = evidence.title
    try:
        services.remove(evidence, current_user)
        db.session.commit()
    except services.EvidenceError as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return _back(followup_id)
    except FollowUpLockedError:
        return render_locked(evidence.followup)
    flash(_("Data dukung “%(title)s” dihapus dari daftar.", title=title), "success")
    return _back(followup_id)


@bp.get("/evidence/<int:evidence_id>/download")
@login_required
def download(evidence_id: int):
    """The file, as an attachment under its original name, to whoever may see its follow-up."""
    evidence = get_evidence_or_404(current_user, evidence_id)
    if not evidence.is_file:
        abort(404)
    try:
        stream = services.open_file(evidence)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        stream,
        mimetype=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=evidence.original_name or f"data-dukung-{evidence.id}",
        etag=evidence.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

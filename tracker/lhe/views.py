"""Pages of the LHE import: upload, review (edit) and save, discard, download the original."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker.core.clock import today_local
from tracker.core.filters import score
from tracker.core.permissions import (
    can_manage_evaluations,
    get_evaluation_or_404,
    get_lhe_import_or_404,
    require,
)
from tracker.core.storage import get_storage, release
from tracker.evaluations.services import computed_predikat, lower_bound_inclusive
from tracker.extensions import db
from tracker.lhe import services
from tracker.lhe.forms import ReviewForm, UploadForm
from tracker.lhe.models import ImportStatus, LheImport
from tracker.lhe.review import apply_review, review_warnings

bp = Blueprint("lhe", __name__, url_prefix="/lhe")


def _draft_or_404(import_id: int) -> LheImport:
    """A draft import (managers only, enforced by the route): saved or discarded ones are 404."""
    draft = db.session.scalar(
        select(LheImport).where(LheImport.id == import_id, LheImport.status == ImportStatus.DRAFT)
    )
    if draft is None:
        abort(404)
    return draft


def _drafts() -> list[LheImport]:
    return list(
        db.session.scalars(
            select(LheImport)
            .where(LheImport.status == ImportStatus.DRAFT)
            .order_by(LheImport.uploaded_at.desc(), LheImport.id.desc())
            .limit(current_app.config["PER_PAGE"])
        )
    )


@bp.route("/import", methods=["GET", "POST"])
@require(can_manage_evaluations)
def upload():
    form = UploadForm()
    if form.validate_on_submit():
        document = form.document.data
        try:
            draft = services.upload_lhe(
                current_user, document.stream, document.filename, document.mimetype
            )
        except services.LheImportError as error:
            db.session.rollback()
            form.document.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Berkas terbaca. Periksa dan perbaiki hasilnya sebelum disimpan."), "success")
            return redirect(url_for(".review", import_id=draft.id))
    status = 400 if form.is_submitted() else 200
    return render_template("lhe/upload.html", form=form, drafts=_drafts()), status


def _groups(entries) -> tuple[list[tuple[str, list]], list]:
    """Existing rows under their component heading (in form order), and the added rows."""
    groups: list[tuple[str, list]] = []
    added = []
    for entry in entries:
        if entry.form.is_new:
            added.append(entry)
        elif groups and groups[-1][0] == (entry.form.group.data or ""):
            groups[-1][1].append(entry)
        else:
            groups.append((entry.form.group.data or "", [entry]))
    return groups, added


def _render_review(draft, form, parsed, errors=(), status=200):
    received = form.received_date.data
    days = current_app.config["DEFAULT_FOLLOWUP_DAYS"]
    try:
        computed = computed_predikat(parsed.total_score)
    except ValueError:
        computed = None
    return render_template(
        "lhe/review.html",
        draft=draft,
        form=form,
        parsed=parsed,
        errors=errors,
        warnings=review_warnings(parsed, lower_bound_inclusive(), fmt=score),
        computed_predikat=computed,
        deadline_hint=received + timedelta(days=days) if received else None,
        duplicates=services.find_duplicates(parsed),
        finding_groups=_groups(form.findings),
        recommendation_groups=_groups(form.recommendations),
    ), status


def _save_choice(form):
    """(mode, target, confirm_duplicate) from the "save as" choice; errors as LheImportError."""
    choice = form.choice.data or ""
    if choice.startswith("revision-") and choice[len("revision-") :].isdigit():
        target = get_evaluation_or_404(current_user, int(choice[len("revision-") :]))
        return "revision", target, False
    return "new", None, choice == "new"


@bp.route("/import/<int:import_id>", methods=["GET", "POST"])
@require(can_manage_evaluations)
def review(import_id: int):
    draft = _draft_or_404(import_id)
    parsed = services.draft_parse(draft)
    if request.method == "GET":
        received, deadline = services.draft_dates(draft)
        form = ReviewForm.for_parse(parsed, received or today_local(), deadline)
    else:
        form = ReviewForm()
    form.set_component_choices()
    if not form.validate_on_submit():
        return _render_review(draft, form, parsed, status=400 if form.is_submitted() else 200)
    edited = apply_review(parsed, form.edits())
    received, deadline = form.received_date.data, form.followup_deadline.data
    services.update_draft(current_user, draft, edited, received, deadline)
    if not form.save.data:
        db.session.commit()
        flash(_("Perubahan diterapkan. Belum ada yang disimpan sebagai evaluasi."), "info")
        return redirect(url_for(".review", import_id=draft.id))
    mode, target, confirm = _save_choice(form)
    try:
        result = services.save_import(
            current_user, draft, edited, mode, target, confirm_duplicate=confirm
        )
    except services.LheImportError as error:
        db.session.rollback()
        return _render_review(draft, form, edited, errors=[error.message], status=400)
    db.session.commit()
    if result.mode == "revision":
        flash(_("LHE revisi tersimpan ke evaluasi ini."), "success")
    else:
        flash(_("Evaluasi tersimpan dari LHE beserta tindak lanjutnya."), "success")
    for warning in result.warnings:
        flash(warning, "warning")
    return redirect(url_for("evaluations.detail", evaluation_id=result.evaluation.id))


@bp.post("/import/<int:import_id>/discard")
@require(can_manage_evaluations)
def discard(import_id: int):
    draft = _draft_or_404(import_id)
    services.discard(current_user, draft)
    db.session.commit()
    release(draft.storage_key)
    flash(_("Hasil impor dibuang."), "success")
    return redirect(url_for(".upload"))


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the exact name per RFC 5987 (filename*)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(ch for ch in fallback if ch.isprintable() and ch not in '"\\;')
    fallback = fallback.strip() or "berkas"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.get("/<int:import_id>/file")
@login_required
def download(import_id: int):
    record = get_lhe_import_or_404(current_user, import_id)
    try:
        handle = get_storage().open(record.storage_key)
    except FileNotFoundError:
        abort(404)
    response = send_file(
        handle,
        mimetype=record.content_type,
        as_attachment=True,
        download_name=record.original_filename,
        etag=record.sha256,
        max_age=0,
    )
    response.headers["Content-Disposition"] = content_disposition(record.original_filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response

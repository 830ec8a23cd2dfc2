"""Pages of tracker/reports: the matriks tindak lanjut of one evaluation as XLSX, PDF or the
evidence ZIP, holding what the list's filters select and the user may see."""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace

from flask import Blueprint, abort, request, send_file
from flask_login import current_user

from tracker.auth.models import Role
from tracker.core.clock import today_local
from tracker.core.labels import ROLE_LABELS
from tracker.core.permissions import can_export_matrix, get_evaluation_or_404, require
from tracker.monitoring.filters import matching_ids, parse
from tracker.reports.evidence_zip import accepted_evidence, build_zip
from tracker.reports.matrix import file_name, load_matrix
from tracker.reports.pdf import build_pdf
from tracker.reports.xlsx import build_xlsx

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
SPOOL_BYTES = 16 * 1024 * 1024  # a larger ZIP goes to a temporary file on disk


@bp.get("/evaluation/<int:evaluation_id>/matrix.<fmt>")
@require(can_export_matrix)
def matrix(evaluation_id: int, fmt: str):
    """Download the matrix; the query string takes the follow-up list's filters."""
    if fmt not in MIMETYPES:
        abort(404)
    evaluation = get_evaluation_or_404(current_user, evaluation_id)
    flt, _errors = parse(request.args)  # a bad filter value is ignored, as on the list
    today = today_local()
    ids = matching_ids(current_user, replace(flt, evaluation=evaluation.id), today)
    data = load_matrix(evaluation, ids, today)
    if fmt == "xlsx":
        body = io.BytesIO(build_xlsx(data))
    elif fmt == "pdf":
        signer = current_user.name if current_user.role == Role.KOORDINATOR else ""
        body = io.BytesIO(build_pdf(data, signer, str(ROLE_LABELS[Role.KOORDINATOR])))
    else:
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - sent, then closed
        build_zip(data, accepted_evidence(evaluation, ids), body)
        body.seek(0)
    response = send_file(
        body,
        mimetype=MIMETYPES[fmt],
        as_attachment=True,
        download_name=file_name(data, fmt),
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

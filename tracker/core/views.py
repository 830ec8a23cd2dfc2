"""Home (sends each role to its starting page) and the language switch."""

from flask import Blueprint, current_app, redirect, request, session, url_for
from flask_login import current_user, login_required

from tracker.auth.models import Role
from tracker.core.audit import record
from tracker.core.permissions import can_read_all, can_view_dashboard
from tracker.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    if can_view_dashboard(current_user):
        return redirect(url_for("dashboard.index"))
    if can_read_all(current_user):  # the admin
        return redirect(url_for("evaluations.index"))
    if current_user.role == Role.PIC:
        return redirect(url_for("dashboard.mine"))
    return redirect(url_for("followups.mine"))


@bp.post("/language")
def set_language():
    """Switch the UI language; kept on the account for a logged-in user."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and current_user.language != language:
            record(
                current_user, current_user, "language", language=[current_user.language, language]
            )
            current_user.language = language
            db.session.commit()
    target = request.form.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.index")
    return redirect(target)

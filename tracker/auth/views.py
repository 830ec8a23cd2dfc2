"""Login and logout."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import LoginForm
from tracker.auth.services import LoginThrottled, authenticate
from tracker.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except LoginThrottled:
            user = None
            status = 429
            flash(
                _("Terlalu banyak percobaan gagal. Tunggu beberapa menit lalu coba lagi."), "danger"
            )
        else:
            db.session.commit()
            if user is not None:
                target = _safe_next(request.args.get("next"))
                language = session.get("language")
                session.clear()  # a new session on login: nothing from before carries over
                if language:
                    session["language"] = language
                login_user(user)
                return redirect(target)
            status = 401
            flash(_("Surel atau kata sandi salah, atau akun tidak aktif."), "danger")
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))

"""Admin pages for user accounts: list, create, edit, activate and deactivate."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import User
from tracker.core.permissions import is_admin, require
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.users import services
from tracker.users.forms import UserFilterForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.get("/")
@require(is_admin)
def index():
    """The accounts, paginated; filter by role and status, search by name or e-mail."""
    filters = UserFilterForm(request.args)
    query = select(User).options(selectinload(User.units)).order_by(User.name, User.id)
    role = services.parse_role(filters.role.data) if filters.role.data else None
    if role is not None:
        query = query.where(User.role == role)
    if filters.active.data in ("1", "0"):
        query = query.where(User.active.is_(filters.active.data == "1"))
    text = (filters.q.data or "").strip().lower()
    if text:
        query = query.where(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                User.email.contains(text, autoescape=True),
            )
        )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"])
    return render_template("users/index.html", page=page, filters=filters)


def _chosen_units(form: UserForm) -> list[Unit]:
    ids = form.units.data or []
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.code)))


def _show_problems(form: UserForm, error: services.UserError) -> None:
    db.session.rollback()
    for problem in error.problems:
        if problem.field in form:
            form[problem.field].errors.append(problem.message)
        else:
            flash(problem.message, "danger")


def _render_form(form: UserForm, user: User | None, status: int = 200):
    return render_template("users/form.html", form=form, user=user), status


@bp.route("/new", methods=["GET", "POST"])
@require(is_admin)
def create():
    """Add an account."""
    form = UserForm(new=True)
    form.set_unit_choices(services.assignable_units())
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                units=_chosen_units(form),
                language=form.language.data,
                password=form.password.data,
            )
        except services.UserError as error:
            _show_problems(form, error)
            return _render_form(form, None, 400)
        db.session.commit()
        flash(_("Akun %(email)s dibuat.", email=user.email), "success")
        return redirect(url_for(".index"))
    return _render_form(form, None, 400 if form.is_submitted() else 200)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require(is_admin)
def edit(user_id: int):
    """Change an account; an empty password keeps the current one."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user, new=False)
    if not form.is_submitted():
        form.units.data = sorted(user.unit_ids)
    form.set_unit_choices(services.assignable_units(user))
    if form.validate_on_submit():
        is_self = user.id == current_user.id
        try:
            services.update_user(
                current_user,
                user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                units=_chosen_units(form),
                language=form.language.data,
                password=form.password.data or None,
            )
        except services.UserError as error:
            _show_problems(form, error)
            return _render_form(form, user, 400)
        db.session.commit()
        if is_self:
            login_user(user)  # a new password ended the old session: keep the admin logged in
        flash(_("Data tersimpan."), "success")
        return redirect(url_for(".index"))
    return _render_form(form, user, 400 if form.is_submitted() else 200)


@bp.post("/<int:user_id>/deactivate")
@require(is_admin)
def deactivate(user_id: int):
    """Deactivate an account and end its sessions at once."""
    user = db.get_or_404(User, user_id)
    try:
        services.deactivate_user(current_user, user)
    except services.UserError as error:
        db.session.rollback()
        for problem in error.problems:
            flash(problem.message, "danger")
        return redirect(url_for(".index"))
    db.session.commit()
    flash(_("Akun %(email)s dinonaktifkan.", email=user.email), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:user_id>/activate")
@require(is_admin)
def activate(user_id: int):
    """Let a deactivated account log in again."""
    user = db.get_or_404(User, user_id)
    services.activate_user(current_user, user)
    db.session.commit()
    flash(_("Akun %(email)s diaktifkan.", email=user.email), "success")
    return redirect(url_for(".index"))

"""Admin pages for units: list, create, edit, activate and deactivate."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.auth.models import user_units
from tracker.core.permissions import is_admin, require
from tracker.extensions import db
from tracker.units import services
from tracker.units.forms import NO_PARENT, UnitForm
from tracker.units.models import Unit

bp = Blueprint("units", __name__, url_prefix="/admin/units")


@bp.get("/")
@require(is_admin)
def index():
    """The units, paginated, with their parent and number of users."""
    query = select(Unit).options(selectinload(Unit.parent)).order_by(Unit.code)
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"])
    counts = dict(
        db.session.execute(
            select(user_units.c.unit_id, func.count(user_units.c.user_id))
            .where(user_units.c.unit_id.in_([unit.id for unit in page.items]))
            .group_by(user_units.c.unit_id)
        ).all()
    )
    return render_template("units/index.html", page=page, user_counts=counts)


def _parent(form: UnitForm) -> Unit | None:
    if form.parent.data in (None, NO_PARENT):
        return None
    return db.get_or_404(Unit, form.parent.data)


def _render_form(form: UnitForm, unit: Unit | None, status: int = 200):
    return render_template("units/form.html", form=form, unit=unit), status


@bp.route("/new", methods=["GET", "POST"])
@require(is_admin)
def create():
    """Add a unit."""
    form = UnitForm()
    form.set_parent_choices(services.parent_candidates())
    if form.validate_on_submit():
        try:
            unit = services.create_unit(
                current_user, form.code.data, form.name.data, _parent(form), form.active.data
            )
        except services.UnitError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
            return _render_form(form, None, 400)
        db.session.commit()
        flash(_("Unit %(code)s ditambahkan.", code=unit.code), "success")
        return redirect(url_for(".index"))
    return _render_form(form, None, 400 if form.is_submitted() else 200)


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
@require(is_admin)
def edit(unit_id: int):
    """Change a unit (code, name, parent, active)."""
    unit = db.get_or_404(Unit, unit_id)
    form = UnitForm(obj=unit)
    if not form.is_submitted():
        form.parent.data = unit.parent_id or NO_PARENT
    form.set_parent_choices(services.parent_candidates(unit))
    if form.validate_on_submit():
        try:
            services.update_unit(
                current_user,
                unit,
                form.code.data,
                form.name.data,
                _parent(form),
                form.active.data,
            )
        except services.UnitError as error:
            db.session.rollback()
            form[error.field].errors.append(error.message)
            return _render_form(form, unit, 400)
        db.session.commit()
        flash(_("Data tersimpan."), "success")
        return redirect(url_for(".index"))
    return _render_form(form, unit, 400 if form.is_submitted() else 200)


def _set_active(unit_id: int, active: bool):
    unit = db.get_or_404(Unit, unit_id)
    services.set_unit_active(current_user, unit, active)
    db.session.commit()
    if active:
        flash(_("Unit %(code)s diaktifkan.", code=unit.code), "success")
    else:
        flash(_("Unit %(code)s dinonaktifkan.", code=unit.code), "success")
    return redirect(url_for(".index"))


@bp.post("/<int:unit_id>/deactivate")
@require(is_admin)
def deactivate(unit_id: int):
    """Deactivate a unit (it stays attached to existing data)."""
    return _set_active(unit_id, False)


@bp.post("/<int:unit_id>/activate")
@require(is_admin)
def activate(unit_id: int):
    """Activate a unit again."""
    return _set_active(unit_id, True)

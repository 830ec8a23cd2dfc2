"""Follow-up pages: "Tindak lanjut saya", the read page, and assignment (one or many)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields import SelectChoice

from tracker.core.clock import today_local
from tracker.core.permissions import (
    can_assign_followup,
    can_manage_evaluation,
    evaluation_view,
    followup_view,
    get_followup_or_404,
)
from tracker.evaluations.models import Evaluation
from tracker.extensions import db
from tracker.followups import services
from tracker.followups.forms import (
    AssignForm,
    BulkAssignForm,
    assignable_pics,
    assignable_units,
)
from tracker.followups.models import FollowUp, FollowUpStatus
from tracker.followups.page import render_detail

bp = Blueprint("followups", __name__, url_prefix="/followups")


@bp.get("/mine")
@login_required
def mine():
    """The follow-ups on the current user's desk, open ones first by due date."""
    status = request.args.get("status", "")
    status = status if status in {s.value for s in FollowUpStatus} else ""
    open_only = request.args.get("open") == "1"
    query = services.my_followups(
        current_user, FollowUpStatus(status) if status else None, open_only
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"])
    return render_template(
        "followups/mine.html",
        page=page,
        today=today_local(),
        status=status,
        open_only=open_only,
        statuses=list(FollowUpStatus),
        filtered=bool(status or open_only),
    )


@bp.get("/<int:followup_id>")
@login_required
def detail(followup_id: int):
    """Everything about one follow-up: plan, realisation, evidence, verification, comments,
    history, with the forms the user may use."""
    return render_detail(get_followup_or_404(current_user, followup_id))


def _attach_errors(form, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        form[name].errors = [*form[name].errors, *messages]


def _refuse_stale() -> int:
    db.session.rollback()
    flash(str(services.STALE_MESSAGE), "danger")
    return 409


@bp.route("/<int:followup_id>/assign", methods=["GET", "POST"])
@followup_view(can_assign_followup)
def assign(followup: FollowUp):
    """Set the owner units, PICs and due date of one follow-up."""
    form = AssignForm(
        data={
            "units": [u.id for u in followup.units],
            "pics": [p.id for p in followup.pics],
            "due_date": followup.due_date,
        }
    )
    if not form.is_submitted():  # a POST must bring back the version it was shown
        form.version.data = str(followup.version)
    form.offer(assignable_units(followup.units), assignable_pics(followup.pics))
    status = 200
    if form.validate_on_submit():
        try:
            result = services.assign_followup(
                followup,
                current_user,
                form.chosen_units(),
                form.chosen_pics(),
                form.chosen_due_date,
                form.expected_version,
            )
            db.session.commit()
        except services.AssignmentError as exc:
            db.session.rollback()
            _attach_errors(form, exc.errors)
            status = 400
        except services.FollowUpClosedError:
            db.session.rollback()
            flash(str(services.CLOSED_MESSAGE), "danger")
            status = 409
        except (services.StaleFollowUpError, StaleDataError):
            status = _refuse_stale()
        else:
            for warning in result.warnings:
                flash(warning, "warning")
            flash(_("Penugasan tersimpan.") if result.changed else _("Tidak ada perubahan."))
            return redirect(url_for("followups.detail", followup_id=followup.id))
    elif form.is_submitted():
        status = 400
    return render_template("followups/assign.html", followup=followup, form=form), status


@bp.route("/evaluation/<int:evaluation_id>/assign", methods=["GET", "POST"])
@evaluation_view(can_manage_evaluation)
def bulk_assign(evaluation: Evaluation):
    """Apply one assignment to several follow-ups of an evaluation at once."""
    followups = services.evaluation_followups(evaluation)
    form = BulkAssignForm()
    if not form.is_submitted():
        form.versions.data = " ".join(f"{f.id}:{f.version}" for f in followups)
    form.offer(assignable_units(), assignable_pics())
    form.followups.choices = [SelectChoice(f.id, str(f.recommendation.number)) for f in followups]
    status = 200
    if form.validate_on_submit():
        chosen = [f for f in followups if f.id in set(form.followups.data)]
        try:
            result = services.bulk_assign(
                chosen,
                current_user,
                form.chosen_units(),
                form.chosen_pics(),
                form.chosen_due_date,
                replace_units=form.units_mode.data == "replace",
                replace_pics=form.pics_mode.data == "replace",
                expected_versions=form.expected_versions(),
            )
            db.session.commit()
        except services.AssignmentError as exc:
            db.session.rollback()
            _attach_errors(form, exc.errors)
            status = 400
        except (services.StaleFollowUpError, StaleDataError):
            status = _refuse_stale()
        else:
            for warning in result.warnings:
                flash(warning, "warning")
            if result.skipped:
                numbers = ", ".join(str(f.recommendation.number) for f in result.skipped)
                flash(
                    _(
                        "Dilewati karena sudah selesai: rekomendasi %(numbers)s.",
                        numbers=numbers,
                    ),
                    "info",
                )
            count = len(result.updated)
            flash(
                ngettext(
                    "%(num)d tindak lanjut diperbarui.", "%(num)d tindak lanjut diperbarui.", count
                )
            )
            return redirect(url_for("followups.bulk_assign", evaluation_id=evaluation.id))
    elif form.is_submitted():
        status = 400
    groups = services.group_by_component(followups)
    return render_template(
        "followups/bulk_assign.html", evaluation=evaluation, form=form, groups=groups
    ), status


from tracker.followups import work_views  # noqa: E402, F401  (routes on the same blueprint)

"""Pages of evaluations: list, detail, header, archive and delete (items in item_views.py)."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core.clock import today_local
from tracker.core.filters import score
from tracker.core.permissions import (
    can_manage_evaluation,
    can_manage_evaluations,
    can_read_all,
    can_view_followup,
    evaluation_view,
    get_evaluation_or_404,
    require,
    scoped_evaluations,
)
from tracker.evaluations import services
from tracker.evaluations.forms import CreateEvaluationForm, EvaluationForm
from tracker.evaluations.models import Evaluation, Finding, Recommendation
from tracker.evaluations.predikat import check_scores, predikat_label
from tracker.extensions import db
from tracker.followups.models import FollowUp
from tracker.lhe.models import ImportStatus, LheImport

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


# Change pages of one evaluation: 404 outside the user's reach, then 403 for non-managers.
manage_evaluation = evaluation_view(can_manage_evaluation)


def _to_detail(evaluation: Evaluation):
    return redirect(url_for(".detail", evaluation_id=evaluation.id))


@bp.get("/")
@login_required
def index():
    show_archived = request.args.get("archived") == "1"
    query = scoped_evaluations(current_user)
    if not show_archived:
        query = query.where(Evaluation.archived_at.is_(None))
    query = query.order_by(Evaluation.year.desc(), Evaluation.id.desc())
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"])
    counts = services.recommendation_counts(current_user, [e.id for e in page.items])
    return render_template(
        "evaluations/index.html", page=page, counts=counts, show_archived=show_archived
    )


@bp.get("/<int:evaluation_id>")
@login_required
def detail(evaluation_id: int):
    evaluation = get_evaluation_or_404(current_user, evaluation_id)
    components = evaluation.components
    findings = db.session.scalars(
        select(Finding).where(Finding.evaluation_id == evaluation.id).order_by(Finding.number)
    ).all()
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.evaluation_id == evaluation.id)
        .order_by(Recommendation.number)
        .options(
            selectinload(Recommendation.findings),
            selectinload(Recommendation.followup).selectinload(FollowUp.units),
            selectinload(Recommendation.followup).selectinload(FollowUp.pics),
            # Across years (templates/evaluations/_years.html).
            selectinload(Recommendation.repeat_of).joinedload(Recommendation.evaluation),
            selectinload(Recommendation.carried_from).joinedload(Recommendation.evaluation),
            selectinload(Recommendation.carried_from)
            .joinedload(Recommendation.followup)
            .selectinload(FollowUp.units),
            selectinload(Recommendation.carried_from)
            .joinedload(Recommendation.followup)
            .selectinload(FollowUp.pics),
            selectinload(Recommendation.carried_to).joinedload(Recommendation.evaluation),
            selectinload(Recommendation.carried_to)
            .joinedload(Recommendation.followup)
            .selectinload(FollowUp.units),
            selectinload(Recommendation.carried_to)
            .joinedload(Recommendation.followup)
            .selectinload(FollowUp.pics),
        )
    ).all()
    if not can_read_all(current_user):
        recommendations = [
            r for r in recommendations if r.followup and can_view_followup(current_user, r.followup)
        ]
    warnings = check_scores(evaluation, services.lower_bound_inclusive(), fmt=score)
    documents = db.session.scalars(
        select(LheImport)
        .where(LheImport.evaluation_id == evaluation.id, LheImport.status == ImportStatus.SAVED)
        .order_by(LheImport.saved_at, LheImport.id)
    ).all()
    return render_template(
        "evaluations/detail.html",
        evaluation=evaluation,
        components=components,
        groups=services.group_by_component(components, findings, recommendations),
        warnings=warnings,
        predikat_label=predikat_label(evaluation.predikat),
        today=today_local(),
        documents=documents,
    )


def _header(form: EvaluationForm) -> dict:
    return {name: form[name].data for name in services.HEADER_FIELDS}


def _render_form(form, evaluation: Evaluation | None, status: int):
    return render_template("evaluations/form.html", form=form, evaluation=evaluation), status


@bp.route("/new", methods=["GET", "POST"])
@require(can_manage_evaluations)
def create():
    form = CreateEvaluationForm()
    if not form.is_submitted():
        for order, (name, weight) in enumerate(services.CURRENT_COMPONENTS, start=1):
            form.components.append_entry({"name": name, "weight": weight, "order": order})
    if form.validate_on_submit():
        rows = [
            {
                "name": row.form.name.data,
                "weight": row.form.weight.data,
                "score": row.form.score.data,
            }
            for row in form.components
            if not row.form.is_blank
        ]
        evaluation = services.create_evaluation(current_user, _header(form), rows)
        db.session.commit()
        flash(_("Evaluasi tersimpan."), "success")
        return _to_detail(evaluation)
    return _render_form(form, None, 400 if form.is_submitted() else 200)


@bp.route("/<int:evaluation_id>/edit", methods=["GET", "POST"])
@manage_evaluation
def edit(evaluation: Evaluation):
    form = EvaluationForm(obj=evaluation)
    computed = services.computed_predikat(evaluation.total_score)
    if not form.is_submitted() and evaluation.predikat == computed:
        form.predikat.data = ""  # stays computed from the total
    if form.validate_on_submit():
        services.update_evaluation(current_user, evaluation, _header(form))
        db.session.commit()
        flash(_("Data tersimpan."), "success")
        return _to_detail(evaluation)
    return _render_form(form, evaluation, 400 if form.is_submitted() else 200)


@bp.post("/<int:evaluation_id>/archive")
@manage_evaluation
def archive(evaluation: Evaluation):
    services.set_archived(current_user, evaluation, True)
    db.session.commit()
    flash(_("Evaluasi diarsipkan dan tidak lagi tampil di daftar."), "success")
    return _to_detail(evaluation)


@bp.post("/<int:evaluation_id>/unarchive")
@manage_evaluation
def unarchive(evaluation: Evaluation):
    services.set_archived(current_user, evaluation, False)
    db.session.commit()
    flash(_("Evaluasi dikeluarkan dari arsip."), "success")
    return _to_detail(evaluation)


@bp.post("/<int:evaluation_id>/delete")
@manage_evaluation
def delete(evaluation: Evaluation):
    try:
        services.delete_evaluation(current_user, evaluation)
    except services.EvaluationError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _to_detail(evaluation)
    db.session.commit()
    flash(_("Evaluasi dihapus."), "success")
    return redirect(url_for(".index"))


# Routes on the same blueprint.
from tracker.evaluations import history_views, item_views  # noqa: E402, F401

"""Pages inside one evaluation: the component table, findings and recommendations.

Child objects are always looked up through their evaluation: an id of another evaluation is 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker.evaluations import items, repeats, services
from tracker.evaluations.forms import (
    NO_COMPONENT,
    ComponentsForm,
    FindingForm,
    RecommendationForm,
)
from tracker.evaluations.models import Evaluation, Finding, Recommendation
from tracker.evaluations.views import bp, manage_evaluation
from tracker.extensions import db


def _to_detail(evaluation: Evaluation):
    return redirect(url_for(".detail", evaluation_id=evaluation.id))


def _child_or_404(model, evaluation: Evaluation, child_id: int):
    child = db.session.scalar(
        select(model).where(model.id == child_id, model.evaluation_id == evaluation.id)
    )
    if child is None:
        abort(404)
    return child


def _picked_component(evaluation: Evaluation, form: FindingForm):
    if form.component.data in (None, NO_COMPONENT):
        return None
    for component in evaluation.components:
        if component.id == form.component.data:
            return component
    abort(404)


def _picked_findings(evaluation: Evaluation, form: RecommendationForm) -> list[Finding]:
    by_id = {finding.id: finding for finding in evaluation.findings}
    if any(finding_id not in by_id for finding_id in form.findings.data or []):
        abort(404)
    return [by_id[finding_id] for finding_id in form.findings.data or []]


# --- component scores -------------------------------------------------------------------------


def _component_rows(evaluation: Evaluation, form: ComponentsForm) -> list[items.ComponentRow]:
    by_id = {str(component.id): component for component in evaluation.components}
    rows = []
    for entry in form.rows:
        row = entry.form
        if row.is_blank:
            continue
        component_id = (row.component_id.data or "").strip()
        if component_id and component_id not in by_id:
            abort(404)
        rows.append(
            items.ComponentRow(
                component=by_id.get(component_id),
                name=row.name.data or "",
                weight=row.weight.data,
                score=row.score.data,
                order=row.order.data,
                delete=bool(row.delete.data),
            )
        )
    return rows


@bp.route("/<int:evaluation_id>/components", methods=["GET", "POST"])
@manage_evaluation
def components(evaluation: Evaluation):
    form = ComponentsForm()
    status = 400 if form.is_submitted() else 200
    if not form.is_submitted():
        for component in evaluation.components:
            form.rows.append_entry(
                {
                    "component_id": str(component.id),
                    "name": component.name,
                    "weight": component.weight,
                    "score": component.score,
                    "order": component.order,
                }
            )
        form.rows.append_entry({})
    elif form.add_row.data:
        form.rows.append_entry({})
        status = 200
    elif form.validate_on_submit():
        try:
            items.save_components(current_user, evaluation, _component_rows(evaluation, form))
        except services.EvaluationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Data tersimpan."), "success")
            return _to_detail(evaluation)
    return render_template("evaluations/components.html", form=form, evaluation=evaluation), status


# --- findings ---------------------------------------------------------------------------------


def _render_item(form, evaluation: Evaluation, kind: str, item=None):
    status = 400 if form.is_submitted() else 200
    return render_template(
        "evaluations/item_form.html", form=form, evaluation=evaluation, kind=kind, item=item
    ), status


@bp.route("/<int:evaluation_id>/findings/new", methods=["GET", "POST"])
@manage_evaluation
def finding_new(evaluation: Evaluation):
    form = FindingForm()
    form.set_components(evaluation.components)
    if form.validate_on_submit():
        items.add_finding(
            current_user,
            evaluation,
            form.text.data,
            _picked_component(evaluation, form),
            form.number.data,
        )
        db.session.commit()
        flash(_("Catatan tersimpan."), "success")
        return _to_detail(evaluation)
    return _render_item(form, evaluation, "finding")


@bp.route("/<int:evaluation_id>/findings/<int:finding_id>/edit", methods=["GET", "POST"])
@manage_evaluation
def finding_edit(evaluation: Evaluation, finding_id: int):
    finding = _child_or_404(Finding, evaluation, finding_id)
    form = FindingForm(obj=finding)
    form.set_components(evaluation.components)
    if not form.is_submitted():
        form.component.data = finding.component_id or NO_COMPONENT
    if form.validate_on_submit():
        items.update_finding(
            current_user,
            finding,
            form.text.data,
            _picked_component(evaluation, form),
            form.number.data,
        )
        db.session.commit()
        flash(_("Catatan tersimpan."), "success")
        return _to_detail(evaluation)
    return _render_item(form, evaluation, "finding", finding)


@bp.post("/<int:evaluation_id>/findings/<int:finding_id>/delete")
@manage_evaluation
def finding_delete(evaluation: Evaluation, finding_id: int):
    items.delete_finding(current_user, _child_or_404(Finding, evaluation, finding_id))
    db.session.commit()
    flash(_("Catatan dihapus."), "success")
    return _to_detail(evaluation)


# --- recommendations --------------------------------------------------------------------------


def _recommendation_form(evaluation: Evaluation, obj=None) -> RecommendationForm:
    form = RecommendationForm(obj=obj)
    form.set_components(evaluation.components)
    form.set_findings(evaluation.findings)
    return form


@bp.route("/<int:evaluation_id>/recommendations/new", methods=["GET", "POST"])
@manage_evaluation
def recommendation_new(evaluation: Evaluation):
    form = _recommendation_form(evaluation)
    if form.validate_on_submit():
        items.add_recommendation(
            current_user,
            evaluation,
            form.text.data,
            _picked_component(evaluation, form),
            form.number.data,
            _picked_findings(evaluation, form),
        )
        repeats.flag_repeats(evaluation)  # a new text may repeat an earlier year's
        db.session.commit()
        flash(_("Rekomendasi tersimpan; tindak lanjutnya sudah dibuat."), "success")
        return _to_detail(evaluation)
    return _render_item(form, evaluation, "recommendation")


@bp.route(
    "/<int:evaluation_id>/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"]
)
@manage_evaluation
def recommendation_edit(evaluation: Evaluation, recommendation_id: int):
    recommendation = _child_or_404(Recommendation, evaluation, recommendation_id)
    form = _recommendation_form(evaluation, recommendation)
    if not form.is_submitted():
        form.component.data = recommendation.component_id or NO_COMPONENT
        form.findings.data = [finding.id for finding in recommendation.findings]
    if form.validate_on_submit():
        items.update_recommendation(
            current_user,
            recommendation,
            form.text.data,
            _picked_component(evaluation, form),
            form.number.data,
            _picked_findings(evaluation, form),
        )
        repeats.flag_repeats(evaluation)
        db.session.commit()
        flash(_("Rekomendasi tersimpan."), "success")
        return _to_detail(evaluation)
    return _render_item(form, evaluation, "recommendation", recommendation)


@bp.post("/<int:evaluation_id>/recommendations/<int:recommendation_id>/delete")
@manage_evaluation
def recommendation_delete(evaluation: Evaluation, recommendation_id: int):
    recommendation = _child_or_404(Recommendation, evaluation, recommendation_id)
    try:
        items.delete_recommendation(current_user, recommendation)
    except services.EvaluationError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return _to_detail(evaluation)
    db.session.commit()
    flash(_("Rekomendasi dihapus."), "success")
    return _to_detail(evaluation)

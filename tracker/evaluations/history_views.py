"""Pages across years: an institution's history and carrying open recommendations over."""

from __future__ import annotations

import click
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.core.filters import score
from tracker.core.permissions import can_manage_evaluation, evaluation_view, get_evaluation_or_404
from tracker.evaluations import carryover, history, repeats
from tracker.evaluations.history_forms import CarryOverForm
from tracker.evaluations.models import Evaluation
from tracker.evaluations.views import bp
from tracker.extensions import db


def _render_history(institution: str, current: Evaluation | None = None):
    data = history.institution_history(current_user, institution)
    if not data.evaluations:
        abort(404)
    return render_template(
        "evaluations/history.html",
        history=data,
        current=current,
        chart=history.history_chart(data, score),
    )


@bp.get("/history")
@login_required
def history_page():
    institution = request.args.get("institution", "").strip()
    if not institution:
        return render_template(
            "evaluations/history.html",
            history=None,
            institutions=history.visible_institutions(current_user),
        )
    return _render_history(institution)


@bp.get("/<int:evaluation_id>/history")
@login_required
def evaluation_history(evaluation_id: int):
    evaluation = get_evaluation_or_404(current_user, evaluation_id)
    return _render_history(evaluation.institution, evaluation)


@bp.route("/<int:evaluation_id>/carry-over", methods=["GET", "POST"])
@evaluation_view(can_manage_evaluation)
def carry_over(evaluation: Evaluation):
    previous = carryover.previous_evaluation(evaluation)
    candidates = carryover.open_recommendations(previous) if previous else []
    done = carryover.carried_into(evaluation)
    form = CarryOverForm()
    errors: list = []
    if not form.is_submitted():
        form.recommendations.data = [r.id for r in candidates if r.id not in done]
    elif form.validate_on_submit() and previous is not None:
        try:
            created = carryover.carry_over(
                previous, evaluation, form.recommendations.data, current_user
            )
            db.session.commit()
        except carryover.CarryOverError as error:
            db.session.rollback()
            errors = error.messages
        except IntegrityError:  # someone carried the same ones over at the same moment
            db.session.rollback()
            errors = [_("Sebagian rekomendasi baru saja dibawa pengguna lain. Muat ulang halaman.")]
        else:
            count = len(created)
            flash(
                ngettext(
                    "%(num)d rekomendasi dibawa dari evaluasi %(year)d.",
                    "%(num)d rekomendasi dibawa dari evaluasi %(year)d.",
                    count,
                    year=previous.year,
                ),
                "success",
            )
            return redirect(url_for(".detail", evaluation_id=evaluation.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "evaluations/carry_over.html",
        evaluation=evaluation,
        previous=previous,
        candidates=candidates,
        done=done,
        form=form,
        errors=errors,
    ), status


@bp.cli.command("flag-repeats")
def flag_repeats_command():
    """Mark repeated recommendations in every evaluation (after upgrading, or a new threshold)."""
    flagged = 0
    for evaluation in db.session.scalars(select(Evaluation).order_by(Evaluation.id)):
        flagged += len(repeats.flag_repeats(evaluation))
    db.session.commit()
    click.echo(f"{flagged} recommendations flagged as repeats.")

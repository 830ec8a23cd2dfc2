"""Pages of tracker/dashboard: an evaluation's monitoring dashboard (koordinator, pimpinan) and a
PIC's home page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import case

from tracker.auth.models import Role
from tracker.core.clock import today_local
from tracker.core.labels import BPK_LABELS
from tracker.core.permissions import (
    can_view_dashboard,
    get_evaluation_or_404,
    require,
    scoped_evaluations,
)
from tracker.dashboard import charts
from tracker.dashboard.categories import BPK_COLOURS
from tracker.dashboard.desk import desk_counts, urgent_followups
from tracker.dashboard.due import late_elsewhere
from tracker.dashboard.figures import CategoryCount, Figures, ProgressRow, evaluation_figures
from tracker.dashboard.queries import DUE_SOON_DAYS
from tracker.evaluations.models import Evaluation
from tracker.extensions import db
from tracker.monitoring import services as monitoring

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def monitoring_url(**args) -> str:
    """The follow-up list filtered by `args` (each figure links to the follow-ups behind it)."""
    return url_for("monitoring.index", **args)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{format_decimal(value, format='#,##0.#')}%"


def category_chart(title: str, categories: list[CategoryCount]) -> Markup:
    segments = [
        charts.Segment(
            label=str(BPK_LABELS[item.category]),
            value=item.count,
            colour=BPK_COLOURS[item.category],
            text=f"{item.count} ({_percent(item.percent)})",
        )
        for item in categories
    ]
    return charts.stacked_bar(title, segments)


def _progress_chart(title: str, rows: list[ProgressRow], unnamed: str) -> Markup:
    bars = [
        charts.Bar(
            label=row.label or unnamed,
            percent=row.progress,
            text=_(
                "%(closed)d/%(total)d selesai · %(percent)s",
                closed=row.closed,
                total=row.total,
                percent=_percent(row.progress),
            ),
        )
        for row in rows
    ]
    return charts.progress_bars(title, bars)


def _charts(figures: Figures) -> dict[str, Markup]:
    return {
        "categories": category_chart(_("Status tindak lanjut (kategori BPK)"), figures.categories),
        "components": _progress_chart(
            _("Progres per komponen"), figures.by_component, _("Tanpa komponen")
        ),
        "units": _progress_chart(_("Progres per unit"), figures.by_unit, _("Belum ada unit")),
    }


def _evaluations() -> tuple[list[Evaluation], Evaluation | None, bool]:
    """(the newest evaluations to choose from, the chosen one, whether older ones are left
    out): ?evaluation=<id> (within the user's reach, else 404), or the newest not archived."""
    raw = request.args.get("evaluation", "").strip()
    chosen = None
    if raw:
        if not raw.isdigit():
            abort(404)
        chosen = get_evaluation_or_404(current_user, int(raw))
    archived_last = case((Evaluation.archived_at.is_(None), 0), else_=1)
    evaluations, more = monitoring.bounded_evaluations(
        scoped_evaluations(current_user).order_by(
            archived_last, Evaluation.year.desc(), Evaluation.id.desc()
        ),
        chosen,
    )
    if chosen is None and evaluations and not evaluations[0].is_archived:
        chosen = evaluations[0]  # archived ones sort last: the first is the newest active one
    return evaluations, chosen, more


@bp.get("/")
@require(can_view_dashboard)
def index():
    """One evaluation's figures: status, progress by component and unit, what is late."""
    evaluations, evaluation, more = _evaluations()
    today = today_local()
    figures = evaluation_figures(evaluation, today) if evaluation else None
    return render_template(
        "dashboard/index.html",
        evaluations=evaluations,
        more_evaluations=more,
        max_evaluations=monitoring.EVALUATION_CHOICES,
        evaluation=evaluation,
        figures=figures,
        charts=_charts(figures) if figures else {},
        bpk_labels=BPK_LABELS,
        due_soon_days=DUE_SOON_DAYS,
        percent=_percent,
        monitoring_url=monitoring_url,
        today=today,
        late_elsewhere=late_elsewhere(current_user, evaluation.id if evaluation else None, today),
    )


@bp.get("/saya")
@login_required
def mine():
    """A PIC's home page: their open follow-ups, most urgent first, with counts."""
    if current_user.role != Role.PIC:
        return redirect(url_for(".index"))
    today = today_local()
    counts = desk_counts(current_user, today)
    # The open count is already known: set it rather than have paginate count again (the
    # documented use of count=False).
    page = db.paginate(
        urgent_followups(current_user), per_page=current_app.config["PER_PAGE"], count=False
    )
    page.total = counts.open
    return render_template(
        "dashboard/mine.html",
        counts=counts,
        page=page,
        chart=category_chart(_("Status tindak lanjut unit Anda"), counts.categories),
        due_soon_days=DUE_SOON_DAYS,
        monitoring_url=monitoring_url,
        today=today,
    )

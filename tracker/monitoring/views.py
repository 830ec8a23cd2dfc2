"""Pages of tracker/monitoring: the follow-up list with filters, search, sorting and pages, all
kept in the URL so a view can be bookmarked and shared."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from tracker.core.clock import today_local
from tracker.monitoring import filters, services

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring")


@bp.get("/")
@login_required
def index():
    """Follow-ups matching the filters of the query string, within what the user may see
    (a bad value is explained on the page and left out, never a 500)."""
    flt, errors = filters.parse(request.args)
    today = today_local()
    page = services.list_page(current_user, flt, today, current_app.config["PER_PAGE"])
    return render_template(
        "monitoring/index.html",
        flt=flt,
        errors=errors,
        page=page,
        choices=services.filter_choices(current_user, flt),
        max_evaluations=services.EVALUATION_CHOICES,
        today=today,
    )

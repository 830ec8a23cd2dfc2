"""Admin pages for reminders: the outbox, re-sending a failed reminder, a test e-mail, and the
policy."""

from __future__ import annotations

import smtplib

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.core.permissions import is_admin, require
from tracker.extensions import db
from tracker.reminders import admin
from tracker.reminders.forms import PolicyForm, TestMailForm
from tracker.reminders.models import Reminder
from tracker.reminders.policy import settings_row

bp = Blueprint("reminders", __name__, url_prefix="/admin/reminders")


def _status_arg() -> str | None:
    """The status filter to keep when going back to the outbox (None: all)."""
    status = admin.parse_status(request.args.get("status"))
    return status.value if status is not None else None


def _render_outbox(test_form: TestMailForm, code: int = 200):
    selected = admin.parse_status(request.args.get("status"))
    page = db.paginate(admin.outbox_query(selected), per_page=current_app.config["PER_PAGE"])
    return render_template(
        "reminders/index.html",
        page=page,
        selected=selected,
        counts=admin.status_counts(),
        labels=admin.STATUS_LABELS,
        colours=admin.STATUS_COLOURS,
        describe=admin.describe,
        test_form=test_form,
        destination=admin.mail_destination(),
        sender=admin.mail_sender(),
    ), code


@bp.get("/")
@require(is_admin)
def index():
    """The outbox: every planned reminder, newest planned first, filtered by status."""
    return _render_outbox(TestMailForm(to=current_user.email))


@bp.post("/<int:reminder_id>/resend")
@require(is_admin)
def resend(reminder_id: int):
    """Queue a failed reminder again for the next cycle."""
    reminder = db.get_or_404(Reminder, reminder_id)
    try:
        admin.resend(current_user, reminder)
    except admin.ReminderError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(
            _(
                "Pengingat untuk %(name)s masuk antrean lagi dan dikirim pada siklus berikutnya. "
                "Setiap orang menerima paling banyak satu surel pengingat per hari: bila %(name)s "
                "sudah menerimanya hari ini, pengingat ini ikut surel hari kerja berikutnya.",
                name=reminder.recipient.name,
            ),
            "success",
        )
    return redirect(url_for(".index", status=_status_arg()))


@bp.post("/test-mail")
@require(is_admin)
def test_mail():
    """Send one e-mail now to check the mail settings; a failure is shown, never a 500."""
    form = TestMailForm()
    if not form.validate_on_submit():
        return _render_outbox(form, 400)
    try:
        destination = admin.send_test_mail(current_user, form.to.data)
    except (OSError, smtplib.SMTPException) as error:
        flash(
            _(
                "Surel uji ke %(to)s gagal dikirim melalui %(destination)s: %(error)s",
                to=form.to.data,
                destination=admin.mail_destination(),
                error=str(error) or type(error).__name__,
            ),
            "danger",
        )
    else:
        flash(
            _(
                "Surel uji untuk %(to)s sudah dikirim melalui %(destination)s.",
                to=form.to.data,
                destination=destination,
            ),
            "success",
        )
    return redirect(url_for(".index"))


@bp.route("/policy", methods=["GET", "POST"])
@require(is_admin)
def policy():
    """Edit the reminder policy; the coming days off are listed below the form."""
    row = settings_row()
    form = PolicyForm(data=admin.policy_values(row))
    if form.validate_on_submit():
        admin.save_policy(current_user, form.values())
        db.session.commit()
        flash(_("Aturan pengingat tersimpan."), "success")
        return redirect(url_for(".policy"))
    return render_template(
        "reminders/policy.html",
        form=form,
        row=row,
        days_off=admin.upcoming_days_off(),
        timezone=current_app.config["TRACKER_TIMEZONE"],
    ), 400 if form.is_submitted() else 200

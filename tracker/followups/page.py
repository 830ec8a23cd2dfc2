"""The follow-up page: everything about one follow-up and every form a user may use on it.

Each form posts to its own small view; when one is refused, that view renders this page again
with the refused form (its errors and what was typed kept) and an error status.
"""

from __future__ import annotations

from flask import flash, render_template
from flask_login import current_user

from tracker.comments.forms import CommentForm
from tracker.comments.services import comments
from tracker.core.clock import today_local
from tracker.evidence.forms import LinkForm, RemoveForm, UploadForm
from tracker.evidence.services import ACCEPT_ATTRIBUTE, all_evidence
from tracker.extensions import db
from tracker.followups import services
from tracker.followups.history import action_label, describe
from tracker.followups.models import FollowUp
from tracker.followups.work import LOCKED_MESSAGE
from tracker.followups.work_forms import StepActionForm, StepForm, WorkForm
from tracker.verification.forms import (
    AcceptForm,
    ApproveForm,
    ProposeForm,
    ReopenForm,
    ReturnForm,
    SubmitForm,
)
from tracker.verification.services import submissions

VERSIONED = (
    "work_form",
    "submit_form",
    "propose_form",
    "accept_form",
    "approve_form",
    "return_form",
    "reopen_form",
)


def _default_forms(followup: FollowUp) -> dict:
    return {
        "work_form": WorkForm(
            formdata=None,
            data={
                "action_plan": followup.action_plan,
                "realisation": followup.realisation,
                "progress": followup.progress,
            },
        ),
        "step_form": StepForm(formdata=None),
        "step_action_form": StepActionForm(formdata=None),
        "upload_form": UploadForm(formdata=None),
        "link_form": LinkForm(formdata=None),
        "remove_form": RemoveForm(formdata=None),
        "submit_form": SubmitForm(formdata=None),
        "propose_form": ProposeForm(formdata=None),
        "accept_form": AcceptForm(formdata=None),
        "approve_form": ApproveForm(formdata=None),
        "return_form": ReturnForm(formdata=None),
        "reopen_form": ReopenForm(formdata=None),
        "comment_form": CommentForm(formdata=None),
    }


def render_detail(followup: FollowUp, status: int = 200, **forms):
    """The page, with `forms` (refused ones) in place of the empty defaults."""
    context = _default_forms(followup)
    for name in VERSIONED:
        context[name].version.data = str(followup.version)
    context.update(forms)
    entries = [(entry, describe(entry)) for entry in services.history(followup)]
    evidence = all_evidence(followup)
    decisions = submissions(followup)
    return render_template(
        "followups/detail.html",
        followup=followup,
        entries=entries,
        history_title=action_label,
        evidence=[item for item in evidence if item.is_active],
        removed_evidence=[item for item in evidence if not item.is_active],
        pending=next((item for item in decisions if item.is_open), None),
        submissions=decisions,
        comments=comments(followup),
        accept_types=ACCEPT_ATTRIBUTE,
        today=today_local(),
        user=current_user,
        **context,
    ), status


def render_locked(followup: FollowUp):
    """The page again (409) when the follow-up was locked (submitted or closed) meanwhile."""
    db.session.rollback()
    flash(str(LOCKED_MESSAGE), "danger")
    return render_detail(followup, 409)

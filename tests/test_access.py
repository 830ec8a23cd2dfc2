"""The access table: role × page × someone else's object → the answer.

`pic` belongs to UNIT-A. Objects named `*_b` belong only to UNIT-B: for that PIC they must not
exist (404), whatever the page. `*_a` objects are the PIC's own: readable, not manageable (403).
Pimpinan reads everything and changes nothing (403). Anonymous users go to the login page.
A POST carries only the CSRF token: a refusal by role (403) or scope (404) comes before the
form's own (400) or the stale-version check (409). Later features add their pages to ROWS.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests import factories
from tests.conftest import login, post
from tracker.core.storage import get_storage
from tracker.evidence.models import Evidence, EvidenceKind
from tracker.extensions import db
from tracker.followups.models import ActionStep, FollowUpStatus
from tracker.lhe.document import ParsedLHE
from tracker.lhe.models import ImportStatus, LheImport
from tracker.reminders.models import Reminder, ReminderKind, ReminderStatus

ROLES = ("anonymous", "admin", "koordinator", "pimpinan", "pic")
OK, REDIRECT = 200, 302

# (method, url template, expected for admin, koordinator, pimpinan, pic); anonymous → login.
ROWS = [
    # start and own pages
    ("GET", "/followups/mine", OK, OK, OK, OK),
    ("GET", "/monitoring/", OK, OK, OK, OK),
    ("GET", "/dashboard/", 403, OK, OK, 403),
    ("GET", "/dashboard/?evaluation={eval_b}", 403, OK, OK, 403),
    ("GET", "/dashboard/saya", REDIRECT, REDIRECT, REDIRECT, OK),
    # A PIC filtering by another unit's objects gets an empty list, not their follow-ups.
    ("GET", "/monitoring/?unit={unit_b}", OK, OK, OK, OK),
    ("GET", "/monitoring/?evaluation={eval_b}&status=belum_ditindaklanjuti", OK, OK, OK, OK),
    ("GET", "/evaluations/history", OK, OK, OK, OK),
    ("GET", "/evaluations/history?institution=Politeknik%20B", OK, OK, OK, 404),
    ("GET", "/evaluations/{eval_b}/history", OK, OK, OK, 404),
    ("GET", "/evaluations/{eval_a}/history", OK, OK, OK, OK),
    ("GET", "/evaluations/{eval_b}/carry-over", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_a}/carry-over", OK, OK, 403, 403),
    # Managers get 400: the table's evaluations have no earlier year to carry from.
    ("POST", "/evaluations/{eval_b}/carry-over", 400, 400, 403, 404),
    ("GET", "/reports/evaluation/{eval_a}/matrix.xlsx", OK, OK, OK, OK),
    ("GET", "/reports/evaluation/{eval_b}/matrix.xlsx", OK, OK, OK, 404),
    ("GET", "/reports/evaluation/{eval_b}/matrix.pdf", OK, OK, OK, 404),
    ("GET", "/reports/evaluation/{eval_a}/matrix.zip", OK, OK, OK, OK),
    ("GET", "/reports/evaluation/{eval_b}/matrix.zip", OK, OK, OK, 404),
    ("GET", "/evaluations/", OK, OK, OK, OK),
    # admin pages
    ("GET", "/admin/units/", OK, 403, 403, 403),
    ("GET", "/admin/units/new", OK, 403, 403, 403),
    ("GET", "/admin/units/{unit_b}/edit", OK, 403, 403, 403),
    ("POST", "/admin/units/{unit_b}/deactivate", REDIRECT, 403, 403, 403),
    ("GET", "/admin/users/", OK, 403, 403, 403),
    ("GET", "/admin/users/new", OK, 403, 403, 403),
    ("GET", "/admin/users/{other_pic}/edit", OK, 403, 403, 403),
    ("POST", "/admin/users/{other_pic}/deactivate", REDIRECT, 403, 403, 403),
    # evaluations: another unit's evaluation is invisible to the PIC
    ("GET", "/evaluations/new", OK, OK, 403, 403),
    ("GET", "/evaluations/{eval_b}", OK, OK, OK, 404),
    ("GET", "/evaluations/{eval_a}", OK, OK, OK, OK),
    ("GET", "/evaluations/{eval_b}/edit", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_a}/edit", OK, OK, 403, 403),
    ("GET", "/evaluations/{eval_b}/components", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_b}/findings/new", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_b}/findings/{finding_b}/edit", OK, OK, 403, 404),
    ("POST", "/evaluations/{eval_b}/findings/{finding_b}/delete", REDIRECT, REDIRECT, 403, 404),
    ("GET", "/evaluations/{eval_b}/recommendations/new", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_b}/recommendations/{rec_b}/edit", OK, OK, 403, 404),
    ("GET", "/evaluations/{eval_a}/recommendations/{rec_a}/edit", OK, OK, 403, 403),
    ("POST", "/evaluations/{eval_b}/archive", REDIRECT, REDIRECT, 403, 404),
    ("POST", "/evaluations/{eval_b}/delete", REDIRECT, REDIRECT, 403, 404),
    # a child id borrowed from another evaluation is not found, even for managers
    ("GET", "/evaluations/{eval_a}/findings/{finding_b}/edit", 404, 404, 403, 403),
    # follow-ups
    ("GET", "/followups/{fu_b}", OK, OK, OK, 404),
    ("GET", "/followups/{fu_a}", OK, OK, OK, OK),
    ("GET", "/followups/{fu_b}/assign", OK, OK, 403, 404),
    ("GET", "/followups/{fu_a}/assign", OK, OK, 403, 403),
    ("POST", "/followups/{fu_b}/assign", 400, 400, 403, 404),  # no version sent: refused
    ("GET", "/followups/evaluation/{eval_b}/assign", OK, OK, 403, 404),
    ("GET", "/followups/evaluation/{eval_a}/assign", OK, OK, 403, 403),
    ("GET", "/followups/verification", 403, OK, 403, 403),  # the koordinator's queue
    # LHE import: managers only; the original file for whoever may see its evaluation
    ("GET", "/lhe/import", OK, OK, 403, 403),
    ("GET", "/lhe/import/{lhe_draft}", OK, OK, 403, 403),
    ("POST", "/lhe/import/{lhe_draft}/discard", REDIRECT, REDIRECT, 403, 403),
    ("GET", "/lhe/import/{lhe_a}", 404, 404, 403, 403),  # saved: no longer a draft
    ("GET", "/lhe/{lhe_a}/file", OK, OK, OK, OK),
    ("GET", "/lhe/{lhe_b}/file", OK, OK, OK, 404),
    ("GET", "/lhe/{lhe_draft}/file", OK, OK, 404, 404),
    # follow-up work (realisation, action plan, evidence): managers and the unit's PICs; an
    # empty form is refused (400) only after the role check (403) and the scope check (404)
    ("POST", "/followups/{fu_b}/work", 400, 400, 403, 404),
    ("POST", "/followups/{fu_b}/steps", 400, 400, 403, 404),
    ("POST", "/followups/{fu_b}/steps/{step_b}/done", REDIRECT, REDIRECT, 403, 404),
    ("POST", "/followups/{fu_b}/steps/{step_b}/delete", REDIRECT, REDIRECT, 403, 404),
    ("POST", "/followups/{fu_b}/evidence", 400, 400, 403, 404),
    ("POST", "/followups/{fu_b}/evidence/link", 400, 400, 403, 404),
    # ... and nobody while it waits for verification
    ("POST", "/followups/{fu_b_waiting}/work", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b_waiting}/evidence", 403, 403, 403, 404),
    # submit / propose: the follow-up's PICs only (no version sent: refused as stale, 409)
    ("POST", "/followups/{fu_b}/submit", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b}/propose", 403, 403, 403, 404),
    ("POST", "/followups/{fu_a}/submit", 403, 403, 403, 409),
    ("POST", "/followups/{fu_a}/propose", 403, 403, 403, 400),  # no reason given
    # accept / approve / return: the koordinator only, and only while it waits
    ("POST", "/followups/{fu_b}/accept", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b}/approve", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b}/return", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b_waiting}/accept", 403, 409, 403, 404),  # no version: stale
    ("POST", "/followups/{fu_b_waiting}/approve", 403, 409, 403, 404),  # no version: stale
    ("POST", "/followups/{fu_b_waiting}/return", 403, 400, 403, 404),  # no note
    ("POST", "/followups/{fu_a_waiting}/accept", 403, 409, 403, 403),  # not by its own PIC
    # reopen: the koordinator only, and only once closed
    ("POST", "/followups/{fu_b}/reopen", 403, 403, 403, 404),
    ("POST", "/followups/{fu_b_closed}/reopen", 403, 400, 403, 404),  # no reason
    # comments: everyone who sees the follow-up except pimpinan (empty comment: 400)
    ("POST", "/followups/{fu_b}/comments", 400, 400, 403, 404),
    ("POST", "/followups/{fu_a}/comments", 400, 400, 403, 400),
    # evidence items: removed by their uploader only; downloaded by whoever sees the follow-up
    ("POST", "/evidence/{ev_b}/remove", 403, 403, 403, 404),
    ("POST", "/evidence/{ev_a}/remove", 403, 403, 403, REDIRECT),  # `pic` uploaded it
    ("GET", "/evidence/{ev_b}/download", OK, OK, OK, 404),
    ("GET", "/evidence/{ev_a}/download", OK, OK, OK, OK),
    # reminders: the admin's outbox, re-send, test e-mail and policy (an empty form: 400)
    ("GET", "/admin/reminders/", OK, 403, 403, 403),
    ("GET", "/admin/reminders/?status=failed", OK, 403, 403, 403),
    ("GET", "/admin/reminders/policy", OK, 403, 403, 403),
    ("POST", "/admin/reminders/policy", 400, 403, 403, 403),
    ("POST", "/admin/reminders/{reminder_failed}/resend", REDIRECT, 403, 403, 403),
    ("POST", "/admin/reminders/test-mail", 400, 403, 403, 403),
]


def _lhe_import(evaluation, content: bytes, status=ImportStatus.SAVED) -> int:
    """An LHE import with its stored file (saved into `evaluation`, or a draft)."""
    stored = get_storage().save(io.BytesIO(content))
    record = LheImport(
        original_filename="lhe.txt",
        content_type="text/plain",
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        parse=ParsedLHE(institution="Politeknik B", year=2024).to_json(),
        status=status,
        evaluation_id=evaluation.id if evaluation else None,
    )
    db.session.add(record)
    db.session.commit()
    return record.id


def _evidence(followup, uploader, content: bytes) -> int:
    """A PDF evidence item with its stored file, uploaded by `uploader`."""
    stored = get_storage().save(io.BytesIO(content))
    item = Evidence(
        followup_id=followup.id,
        kind=EvidenceKind.FILE,
        title="Laporan",
        storage_key=stored.key,
        original_name="laporan.pdf",
        content_type="application/pdf",
        size=stored.size,
        sha256=stored.sha256,
        document_date=date(2025, 5, 2),
        uploaded_by_id=uploader.id,
    )
    db.session.add(item)
    db.session.commit()
    return item.id


def _failed_reminder(followup, recipient) -> int:
    """A reminder to `recipient` that failed after its last attempt."""
    reminder = Reminder(
        followup_id=followup.id,
        recipient_id=recipient.id,
        kind=ReminderKind.BEFORE,
        step=7,
        reference_date=followup.due_date,
        nominal_date=followup.due_date,
        planned_for=followup.due_date,
        status=ReminderStatus.FAILED,
        attempts=5,
        last_error="mail server unreachable",
    )
    db.session.add(reminder)
    db.session.commit()
    return reminder.id


def _with_status(followup, status: FollowUpStatus) -> int:
    followup.status = status
    db.session.commit()
    return followup.id


@pytest.fixture
def objects(world):
    """Ids to fill the URL templates: evaluation A owned by UNIT-A, evaluation B by UNIT-B.
    Follow-ups `fu_*` are new (belum), `*_waiting` wait for verification, `*_closed` are sesuai."""
    eval_a = factories.make_evaluation([world.unit_a], [world.pic], institution="Politeknik A")
    eval_b = factories.make_evaluation(
        [world.unit_b], [world.other_pic], institution="Politeknik B", n_recommendations=3
    )
    fu_a, fu_a_second = (rec.followup for rec in eval_a.recommendations)
    fu_b, fu_b_second, fu_b_third = (rec.followup for rec in eval_b.recommendations)
    step_b = ActionStep(followup=fu_b, text="Menyusun SOP", position=1)
    db.session.add(step_b)
    db.session.commit()
    return {
        "eval_a": eval_a.id,
        "eval_b": eval_b.id,
        "rec_a": eval_a.recommendations[0].id,
        "rec_b": eval_b.recommendations[0].id,
        "fu_a": fu_a.id,
        "fu_b": fu_b.id,
        "fu_a_waiting": _with_status(fu_a_second, FollowUpStatus.MENUNGGU),
        "fu_b_waiting": _with_status(fu_b_second, FollowUpStatus.MENUNGGU),
        "fu_b_closed": _with_status(fu_b_third, FollowUpStatus.SESUAI),
        "step_b": step_b.id,
        "ev_a": _evidence(fu_a, world.pic, b"%PDF-1.7 bukti A\n"),
        "ev_b": _evidence(fu_b, world.other_pic, b"%PDF-1.7 bukti B\n"),
        "finding_b": eval_b.findings[0].id,
        "unit_b": world.unit_b.id,
        "other_pic": world.other_pic.id,
        "lhe_a": _lhe_import(eval_a, b"LHE A\n"),
        "lhe_b": _lhe_import(eval_b, b"LHE B\n"),
        "lhe_draft": _lhe_import(None, b"LHE draf\n", ImportStatus.DRAFT),
        "reminder_failed": _failed_reminder(fu_b, world.other_pic),
    }


CASES = [
    pytest.param(method, template, role, expected, id=f"{role}-{method}-{template}")
    for method, template, *answers in ROWS
    for role, expected in zip(ROLES, ["login", *answers], strict=True)
]


@pytest.mark.parametrize(("method", "template", "role", "expected"), CASES)
def test_access(client, world, objects, method, template, role, expected):
    url = template.format(**objects)
    if role != "anonymous":
        assert login(client, world.by_role(role)).status_code == REDIRECT
    if method == "GET":
        response = client.get(url)
    else:
        token_page = "/login" if role == "anonymous" else "/followups/mine"
        response = post(client, url, {}, token_from=token_page)
    response.close()  # a download streams its file until closed
    if expected == "login":
        assert response.status_code == REDIRECT
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:300]

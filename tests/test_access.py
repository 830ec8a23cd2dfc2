"""The access table: role × page × someone else's object → the answer.

`pic` belongs to UNIT-A. Objects named `*_b` belong only to UNIT-B: for that PIC they must not
exist (404), whatever the page. `*_a` objects are the PIC's own: readable, not manageable (403).
Pimpinan reads everything and changes nothing (403). Anonymous users go to the login page.
Later features add their pages to ROWS.
"""

from __future__ import annotations

import io

import pytest

from tests import factories
from tests.conftest import login, post
from tracker.core.storage import get_storage
from tracker.extensions import db
from tracker.lhe.document import ParsedLHE
from tracker.lhe.models import ImportStatus, LheImport

ROLES = ("anonymous", "admin", "koordinator", "pimpinan", "pic")
OK, REDIRECT = 200, 302

# (method, url template, expected for admin, koordinator, pimpinan, pic); anonymous → login.
ROWS = [
    # start and own pages
    ("GET", "/followups/mine", OK, OK, OK, OK),
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
    # LHE import: managers only; the original file for whoever may see its evaluation
    ("GET", "/lhe/import", OK, OK, 403, 403),
    ("GET", "/lhe/import/{lhe_draft}", OK, OK, 403, 403),
    ("POST", "/lhe/import/{lhe_draft}/discard", REDIRECT, REDIRECT, 403, 403),
    ("GET", "/lhe/import/{lhe_a}", 404, 404, 403, 403),  # saved: no longer a draft
    ("GET", "/lhe/{lhe_a}/file", OK, OK, OK, OK),
    ("GET", "/lhe/{lhe_b}/file", OK, OK, OK, 404),
    ("GET", "/lhe/{lhe_draft}/file", OK, OK, 404, 404),
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


@pytest.fixture
def objects(world):
    """Ids to fill the URL templates: evaluation A owned by UNIT-A, evaluation B by UNIT-B."""
    eval_a = factories.make_evaluation([world.unit_a], [world.pic], institution="Politeknik A")
    eval_b = factories.make_evaluation(
        [world.unit_b], [world.other_pic], institution="Politeknik B"
    )
    return {
        "eval_a": eval_a.id,
        "eval_b": eval_b.id,
        "rec_a": eval_a.recommendations[0].id,
        "rec_b": eval_b.recommendations[0].id,
        "fu_a": eval_a.recommendations[0].followup.id,
        "fu_b": eval_b.recommendations[0].followup.id,
        "finding_b": eval_b.findings[0].id,
        "unit_b": world.unit_b.id,
        "other_pic": world.other_pic.id,
        "lhe_a": _lhe_import(eval_a, b"LHE A\n"),
        "lhe_b": _lhe_import(eval_b, b"LHE B\n"),
        "lhe_draft": _lhe_import(None, b"LHE draf\n", ImportStatus.DRAFT),
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

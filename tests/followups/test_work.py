"""A PIC's work on a follow-up: realisation, progress and action-plan steps, as services and
through the page, including two people saving the same follow-up."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_token, login
from tracker.auth.models import Role
from tracker.core.audit import AuditEntry
from tracker.extensions import db
from tracker.followups import work
from tracker.followups.models import ActionStep
from tracker.followups.models import FollowUpStatus as S
from tracker.followups.services import StaleFollowUpError

STALE = "telah diubah orang lain"
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
LOCKED = [S.MENUNGGU, S.SESUAI, S.TIDAK_DAPAT]


@pytest.fixture
def followup(evaluation):
    return evaluation.recommendations[0].followup


def _entries(followup, action: str | None = None) -> list[AuditEntry]:
    db.session.flush()
    query = select(AuditEntry).where(
        AuditEntry.object_type == "followups", AuditEntry.object_id == followup.id
    )
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query.order_by(AuditEntry.id)))


def _update(followup, actor, version=None, **fields):
    values = {"action_plan": "", "realisation": "", "progress": 0, **fields}
    return work.update_work(
        followup,
        actor,
        **values,
        expected_version=followup.version if version is None else version,
    )


def _set_status(followup, status: S) -> None:
    followup.status = status
    db.session.commit()


# --- update_work ------------------------------------------------------------------------------


def test_first_change_starts_the_followup_and_is_audited(world, followup):
    version = followup.version
    assert _update(followup, world.pic, realisation="  IKU direviu.  ", progress=40) is True
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.PROSES
    assert followup.realisation == "IKU direviu."
    assert followup.progress == 40
    assert followup.version > version
    [start] = _entries(followup, "status")
    assert start.summary["move"] == "start"
    [entry] = _entries(followup, "work")
    assert entry.user_id == world.pic.id
    # Long texts are noted as changed, not copied; unchanged fields are left out.
    assert entry.summary == {"realisation": None, "progress": [0, 40]}


def test_saving_the_same_values_changes_nothing(world, followup):
    version = followup.version
    assert _update(followup, world.pic, realisation="  ") is False
    db.session.commit()
    assert (followup.status, followup.version) == (S.BELUM, version)
    assert _entries(followup) == []


def test_a_stale_version_is_refused(world, followup):
    _update(followup, world.pic, realisation="Versi pertama.")
    db.session.commit()
    with pytest.raises(StaleFollowUpError):
        _update(followup, world.pic, version=followup.version - 1, realisation="Versi lama.")
    db.session.rollback()
    assert followup.realisation == "Versi pertama."


def test_returned_followup_stays_returned_while_corrected(world, followup):
    _set_status(followup, S.DIKEMBALIKAN)
    assert _update(followup, world.pic, realisation="Diperbaiki.", progress=90)
    db.session.commit()
    assert followup.status == S.DIKEMBALIKAN
    assert _entries(followup, "status") == []


@pytest.mark.parametrize("status", LOCKED)
def test_locked_followups_refuse_every_change(world, followup, status):
    step = work.add_step(followup, world.pic, "Langkah awal", None)
    db.session.commit()
    _set_status(followup, status)
    with pytest.raises(work.FollowUpLockedError):
        _update(followup, world.pic, realisation="Diam-diam diubah.")
    with pytest.raises(work.FollowUpLockedError):
        work.add_step(followup, world.pic, "Langkah baru", None)
    with pytest.raises(work.FollowUpLockedError):
        work.set_step_done(step, world.pic, True)
    with pytest.raises(work.FollowUpLockedError):
        work.remove_step(step, world.pic)
    db.session.rollback()
    db.session.expire_all()
    assert followup.realisation == ""
    assert [(s.text, s.done) for s in followup.steps] == [("Langkah awal", False)]


# --- steps ------------------------------------------------------------------------------------


def test_steps_are_added_in_order_and_start_the_work(world, followup):
    first = work.add_step(followup, world.pic, "  Menyusun draf  ", date(2025, 7, 1))
    second = work.add_step(followup, world.pic, "Rapat pembahasan", None)
    db.session.commit()
    db.session.expire_all()
    assert followup.status == S.PROSES
    assert [s.id for s in followup.steps] == [first.id, second.id]
    assert (first.text, first.target_date, first.position) == ("Menyusun draf", date(2025, 7, 1), 1)
    assert second.position == 2
    added = _entries(followup, "step_added")
    assert [e.summary for e in added] == [
        {"step": "Menyusun draf", "target_date": "2025-07-01"},
        {"step": "Rapat pembahasan", "target_date": None},
    ]


def test_a_step_is_marked_done_and_undone(world, followup, frozen_clock):
    step = work.add_step(followup, world.pic, "Menyusun draf", None)
    assert work.set_step_done(step, world.pic, True) is True
    assert (step.done, step.done_at) == (True, datetime(2025, 6, 2, tzinfo=UTC))
    assert work.set_step_done(step, world.pic, True) is False  # already done
    assert work.set_step_done(step, world.pic, False) is True
    assert (step.done, step.done_at) == (False, None)
    db.session.commit()
    actions = [e.action for e in _entries(followup) if e.action.startswith("step_")]
    assert actions == ["step_added", "step_done", "step_undone"]


def test_a_step_is_removed_and_the_removal_audited(world, followup):
    step = work.add_step(followup, world.pic, "Langkah keliru", None)
    db.session.commit()
    step_id = step.id
    work.remove_step(step, world.pic)
    db.session.commit()
    assert db.session.get(ActionStep, step_id) is None
    [entry] = _entries(followup, "step_removed")
    assert entry.summary == {"step": "Langkah keliru"}


# --- the page ---------------------------------------------------------------------------------


def _open(client, followup) -> dict:
    """GET the page and read the work form's hidden fields, as a browser keeps them."""
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    match = VERSION.search(html)
    assert match, "no version field on the page"
    return {"csrf_token": csrf_token(client, f"/followups/{followup.id}"), "version": match[1]}


def _work(realisation: str, progress="30", action_plan: str = "Reviu IKU.") -> dict:
    return {"action_plan": action_plan, "realisation": realisation, "progress": progress}


def test_pic_saves_work_from_the_page(client, world, followup):
    login(client, world.pic)
    hidden = _open(client, followup)
    response = client.post(f"/followups/{followup.id}/work", data={**hidden, **_work("Selesai.")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/followups/{followup.id}#pelaksanaan")
    db.session.expire_all()
    assert (followup.realisation, followup.progress, followup.status) == ("Selesai.", 30, S.PROSES)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "Pelaksanaan tersimpan." in html


def test_two_people_saving_the_same_version_keep_the_first_text(app, world, followup):
    colleague = factories.make_user("pic2@example.com", Role.PIC, [world.unit_a])
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, world.pic)
    login(second, colleague)
    first_page, second_page = _open(first, followup), _open(second, followup)
    assert first_page["version"] == second_page["version"]

    saved = first.post(
        f"/followups/{followup.id}/work", data={**first_page, **_work("Teks orang pertama.")}
    )
    assert saved.status_code == 302
    refused = second.post(
        f"/followups/{followup.id}/work", data={**second_page, **_work("Teks orang kedua.")}
    )
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert STALE in html
    assert "Teks orang pertama." in html  # the current text, to compare
    assert "Teks orang kedua." in html  # and what they typed, not lost
    db.session.expire_all()
    assert followup.realisation == "Teks orang pertama."
    assert len(_entries(followup, "work")) == 1


def test_a_post_without_version_is_refused_as_stale(client, world, followup):
    login(client, world.pic)
    hidden = _open(client, followup)
    del hidden["version"]
    response = client.post(f"/followups/{followup.id}/work", data={**hidden, **_work("X.")})
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert followup.realisation == ""


@pytest.mark.parametrize("progress", ["101", "-1", "abc", "12,5"])
def test_invalid_progress_is_refused_with_a_message(client, world, followup, progress):
    login(client, world.pic)
    hidden = _open(client, followup)
    response = client.post(
        f"/followups/{followup.id}/work", data={**hidden, **_work("Teks.", progress)}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Isi angka 0 sampai 100." in html
    assert "Teks." in html  # what was typed is kept
    db.session.expire_all()
    assert (followup.realisation, followup.progress, followup.status) == ("", 0, S.BELUM)


def test_non_numeric_progress_is_explained_in_the_users_language(client, world, followup):
    """WTForms has no Indonesian catalog: its own "Not a valid integer value." must not show."""
    login(client, world.pic)
    hidden = _open(client, followup)
    response = client.post(
        f"/followups/{followup.id}/work", data={**hidden, **_work("Teks.", "abc")}
    )
    assert response.status_code == 400
    assert "Not a valid integer value" not in response.get_data(as_text=True)


def test_pic_of_another_unit_gets_404(client, world, followup):
    login(client, world.other_pic)
    token = csrf_token(client, "/followups/mine")
    data = {"csrf_token": token, "version": str(followup.version), **_work("Bukan milik saya.")}
    assert client.post(f"/followups/{followup.id}/work", data=data).status_code == 404
    assert (
        client.post(
            f"/followups/{followup.id}/steps", data={"csrf_token": token, "text": "X"}
        ).status_code
        == 404
    )
    db.session.expire_all()
    assert followup.realisation == ""


def test_pimpinan_reads_but_may_not_work(client, world, followup):
    login(client, world.pimpinan)
    token = csrf_token(client, f"/followups/{followup.id}")
    data = {"csrf_token": token, "version": str(followup.version), **_work("Pimpinan menulis.")}
    assert client.post(f"/followups/{followup.id}/work", data=data).status_code == 403
    assert (
        client.post(
            f"/followups/{followup.id}/steps", data={"csrf_token": token, "text": "X"}
        ).status_code
        == 403
    )
    db.session.expire_all()
    assert followup.realisation == "" and followup.steps == []


def test_a_followup_waiting_for_verification_cannot_be_edited(client, world, followup):
    _set_status(followup, S.MENUNGGU)
    login(client, world.pic)
    token = csrf_token(client, f"/followups/{followup.id}")
    data = {"csrf_token": token, "version": str(followup.version), **_work("Terlambat.")}
    assert client.post(f"/followups/{followup.id}/work", data=data).status_code == 403
    db.session.expire_all()
    assert followup.realisation == ""


def test_steps_from_the_page(client, world, followup):
    login(client, world.pic)
    token = _open(client, followup)["csrf_token"]
    url = f"/followups/{followup.id}/steps"
    response = client.post(
        url, data={"csrf_token": token, "text": "Menyusun draf", "target_date": "2025-07-01"}
    )
    assert response.status_code == 302
    assert client.post(url, data={"csrf_token": token, "text": " "}).status_code == 400
    [step] = db.session.scalars(select(ActionStep)).all()
    assert (step.text, step.target_date) == ("Menyusun draf", date(2025, 7, 1))

    assert client.post(f"{url}/{step.id}/done", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert step.done is True
    assert client.post(f"{url}/{step.id}/undone", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert step.done is False
    assert client.post(f"{url}/{step.id}/delete", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(ActionStep)).all() == []


def test_a_step_of_another_followup_is_not_found(client, world, evaluation):
    mine, other = (r.followup for r in evaluation.recommendations[:2])
    step = work.add_step(other, world.pic, "Langkah lain", None)
    db.session.commit()
    login(client, world.pic)
    token = csrf_token(client, f"/followups/{mine.id}")
    response = client.post(
        f"/followups/{mine.id}/steps/{step.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ActionStep, step.id) is not None

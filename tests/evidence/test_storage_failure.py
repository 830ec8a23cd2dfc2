"""No lost file and no dangling reference: one stored copy per content, shared until nothing
uses it; a database write that fails after the file was stored removes the file unless another
row still uses it; other cleanups spare evidence files; two uploads at once are both kept."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from tests import factories
from tests.conftest import csrf_token, login
from tests.evidence.support import (
    DOC_DATE,
    add,
    count_evidence,
    pdf,
    refusal,
    stored_files,
)
from tracker.auth.models import Role
from tracker.core.audit import AuditEntry
from tracker.core.storage import get_storage, release
from tracker.evidence import services
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus
from tracker.lhe.models import ImportStatus, LheImport


@pytest.fixture
def followups(world):
    """Two follow-ups owned by UNIT-A, `world.pic` their PIC."""
    evaluation = factories.make_evaluation([world.unit_a], [world.pic])
    return [rec.followup for rec in evaluation.recommendations]


def _failing(*_args, **_kwargs):
    raise OperationalError("INSERT INTO audit_entries", {}, Exception("disk I/O error"))


def _status(followup) -> FollowUpStatus:
    db.session.expire_all()
    return db.session.get(type(followup), followup.id).status


# --- one stored copy per content --------------------------------------------------------------


def test_same_file_twice_on_one_followup_is_refused(world, followups, uploads):
    add(followups[0], world.pic, pdf(), "laporan.pdf", title="Laporan semester")
    db.session.commit()
    message = refusal(followups[0], world.pic, pdf(), "salinan.pdf")
    assert message == "Berkas yang sama sudah diunggah sebagai “Laporan semester”."
    assert count_evidence() == 1
    assert len(stored_files(uploads)) == 1  # the first upload's file survives the refusal


def test_same_file_on_two_followups_is_stored_once_and_outlives_one_removal(
    world, followups, uploads
):
    first, second = followups
    one = add(first, world.pic, pdf(), "laporan.pdf")
    add(second, world.pic, pdf(), "laporan.pdf")
    db.session.commit()
    assert count_evidence() == 2
    assert len(stored_files(uploads)) == 1
    services.remove(one, world.pic)
    db.session.commit()
    assert len(stored_files(uploads)) == 1


def test_a_removed_file_may_be_uploaded_again(world, followups, uploads):
    services.remove(add(followups[0], world.pic, pdf(), "laporan.pdf"), world.pic)
    db.session.commit()
    again = add(followups[0], world.pic, pdf(), "laporan.pdf")
    db.session.commit()
    assert again.is_active
    assert count_evidence() == 2


# --- the service: the write fails after the file was stored -----------------------------------


def test_failed_write_leaves_neither_row_nor_file(world, followups, uploads, monkeypatch):
    monkeypatch.setattr(services, "record", _failing)
    with pytest.raises(SQLAlchemyError):
        add(followups[0], world.pic, pdf(), "laporan.pdf")
    assert count_evidence() == 0
    assert stored_files(uploads) == []
    assert _status(followups[0]) == FollowUpStatus.BELUM  # the start was rolled back too


def test_failed_write_keeps_a_file_another_followup_uses(world, followups, uploads, monkeypatch):
    kept = add(followups[1], world.pic, pdf(), "laporan.pdf")
    db.session.commit()
    monkeypatch.setattr(services, "record", _failing)
    with pytest.raises(SQLAlchemyError):
        add(followups[0], world.pic, pdf(), "laporan.pdf")
    assert count_evidence() == 1
    assert get_storage().exists(kept.storage_key)


def test_failed_write_keeps_a_file_an_lhe_import_uses(world, followups, uploads, monkeypatch):
    stored = get_storage().save(io.BytesIO(pdf()))
    db.session.add(
        LheImport(
            original_filename="lhe.pdf",
            content_type="application/pdf",
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.key,
            parse={},
            status=ImportStatus.DRAFT,
        )
    )
    db.session.commit()
    monkeypatch.setattr(services, "record", _failing)
    with pytest.raises(SQLAlchemyError):
        add(followups[0], world.pic, pdf(), "laporan.pdf")
    assert count_evidence() == 0
    assert get_storage().exists(stored.key)


# --- the view: the commit fails -----------------------------------------------------------------


def _upload(client, followup_id: int, content: bytes, name: str, token: str):
    return client.post(
        f"/followups/{followup_id}/evidence",
        data={
            "file": (io.BytesIO(content), name),
            "title": "",
            "document_date": DOC_DATE.isoformat(),
            "note": "",
            "csrf_token": token,
        },
        content_type="multipart/form-data",
    )


def test_failed_commit_in_the_view_removes_the_file(client, world, followups, uploads, monkeypatch):
    login(client, world.pic)
    token = csrf_token(client, "/followups/mine")
    monkeypatch.setattr(db.session, "commit", _failing)
    with pytest.raises(SQLAlchemyError):
        _upload(client, followups[0].id, pdf(), "laporan.pdf", token)
    monkeypatch.undo()
    assert count_evidence() == 0
    assert stored_files(uploads) == []
    assert _status(followups[0]) == FollowUpStatus.BELUM


# --- other cleanups spare evidence files ------------------------------------------------------


def test_lhe_cleanup_spares_a_file_evidence_uses(world, followups, uploads):
    active = add(followups[0], world.pic, pdf("aktif"), "aktif.pdf")
    removed = add(followups[0], world.pic, pdf("dihapus"), "dihapus.pdf")
    db.session.commit()
    services.remove(removed, world.pic)  # removed items stay in the history with their file
    db.session.commit()
    assert release(active.storage_key) is False
    assert release(removed.storage_key) is False
    assert get_storage().exists(active.storage_key)
    assert get_storage().exists(removed.storage_key)


# --- two uploads at the same moment -------------------------------------------------------------


def test_two_uploads_at_the_same_moment_are_both_kept(app, world, followups, uploads, monkeypatch):
    """Both requests read the follow-up as "belum" before either starts it: both are saved and
    the follow-up is started exactly once. Real threads with their own connections, on every
    database (SQLite makes the second writer wait for the first)."""
    second_pic = factories.make_user("pic.dua@example.com", Role.PIC, [world.unit_a])
    db.session.commit()
    followup_id = followups[0].id
    clients = []
    for user in (world.pic, second_pic):
        client = app.test_client()
        login(client, user)
        clients.append((client, csrf_token(client, "/followups/mine")))

    barrier = threading.Barrier(2, timeout=20)
    real_start = services.start_work

    def start_together(followup, actor):
        barrier.wait()  # both have loaded the follow-up (status belum) and stored their file
        return real_start(followup, actor)

    monkeypatch.setattr(services, "start_work", start_together)
    answers: dict[int, object] = {}

    def send(index: int) -> None:
        client, token = clients[index]
        try:
            response = _upload(client, followup_id, pdf(f"pic {index}"), f"pic{index}.pdf", token)
            answers[index] = response.status_code
        except Exception as error:  # reported below, in the test's thread
            answers[index] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == {0: 302, 1: 302}
    assert count_evidence() == 2
    assert len(stored_files(uploads)) == 2
    assert _status(followups[0]) == FollowUpStatus.PROSES
    starts = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.object_id == followup_id, AuditEntry.action == "status")
    )
    assert starts == 1

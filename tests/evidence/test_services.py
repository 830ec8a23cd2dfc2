"""Evidence services: files judged by content, limits, names kept as data, one stored copy per
content, links, and removal that keeps the history."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from tests.evidence.support import (
    ACCEPTED,
    DOC_DATE,
    EXE,
    UNICODE_NAME,
    add,
    count_evidence,
    ooxml,
    pdf,
    refusal,
    stored_files,
)
from tracker.core.audit import AuditEntry
from tracker.core.clock import now_utc
from tracker.evidence import services
from tracker.evidence.models import EvidenceKind
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus
from tracker.followups.work import FollowUpLockedError

# --- accepted kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_each_accepted_kind_is_stored_under_its_hash(world, followup, uploads, name):
    content, content_type = ACCEPTED[name]
    evidence = add(followup, world.pic, content, name)
    db.session.commit()
    digest = hashlib.sha256(content).hexdigest()
    assert (evidence.kind, evidence.content_type) == (EvidenceKind.FILE, content_type)
    assert (evidence.storage_key, evidence.sha256, evidence.size) == (digest, digest, len(content))
    assert evidence.title == name  # no title given: the file name
    assert stored_files(uploads) == [uploads / digest[:2] / digest[2:4] / digest]


def test_first_evidence_starts_the_work_once(world, followup, uploads):
    add(followup, world.pic, pdf("satu"), "a.pdf")
    add(followup, world.pic, pdf("dua"), "b.pdf", title="  Berita acara  ")
    db.session.commit()
    assert followup.status == FollowUpStatus.PROSES
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == followup.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["status", "evidence_added", "evidence_added"]
    assert [e.title for e in services.active_evidence(followup)] == ["a.pdf", "Berita acara"]


# --- refused files: nothing stored ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(EXE, "laporan.pdf", id="executable-renamed-pdf"),
        pytest.param(pdf(), "laporan.docx", id="pdf-named-docx"),
        pytest.param(b"Laporan kegiatan triwulan III.\n", "laporan.txt", id="plain-text"),
        pytest.param(ooxml("xl/workbook.xml"), "laporan.docx", id="workbook-named-docx"),
    ],
)
def test_content_that_does_not_match_an_accepted_kind_is_refused(
    world, followup, uploads, content, name
):
    message = refusal(followup, world.pic, content, name)
    assert message.startswith("Jenis berkas tidak diterima")
    assert stored_files(uploads) == []
    assert count_evidence() == 0


def test_file_over_the_limit_is_refused_and_not_kept(world, followup, uploads, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    big = pdf() + b"0" * (1024 * 1024)
    message = refusal(followup, world.pic, big, "besar.pdf")
    assert message == "Berkas lebih besar dari batas 1 MB."
    assert stored_files(uploads) == []
    assert not any((uploads / "incoming").iterdir())
    assert count_evidence() == 0


def test_empty_file_is_refused_as_empty(world, followup, uploads):
    assert refusal(followup, world.pic, b"", "kosong.pdf") == "Berkas kosong."
    assert stored_files(uploads) == []


# --- names are data ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\..\\surat.pdf", "surat.pdf"),
        (UNICODE_NAME, UNICODE_NAME),
    ],
)
def test_original_name_is_kept_without_folders(world, followup, uploads, name, kept):
    content = pdf(name)
    evidence = add(followup, world.pic, content, name)
    db.session.commit()
    db.session.expire_all()
    assert evidence.original_name == kept
    assert evidence.storage_key == hashlib.sha256(content).hexdigest()
    assert [p.name for p in stored_files(uploads)] == [evidence.storage_key]
    assert not (uploads.parent / "etc").exists()


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x", "https://", "drive/folder"])
def test_link_must_be_a_web_address(world, followup, url):
    with pytest.raises(services.EvidenceError) as caught:
        services.add_link(followup, world.pic, url=url, title="Folder", document_date=DOC_DATE)
    assert caught.value.field == "url"
    assert str(caught.value.message).startswith("Tautan harus alamat web lengkap")


def test_link_needs_a_title(world, followup):
    with pytest.raises(services.EvidenceError) as caught:
        services.add_link(
            followup, world.pic, url="https://x.example.com", title=" ", document_date=DOC_DATE
        )
    assert caught.value.field == "title"


def test_link_is_recorded(world, followup):
    link = services.add_link(
        followup,
        world.pic,
        url=" https://drive.example.com/folder ",
        title="Folder bukti",
        document_date=DOC_DATE,
    )
    db.session.commit()
    assert (link.kind, link.storage_key) == (EvidenceKind.LINK, None)
    assert link.url == "https://drive.example.com/folder"  # trimmed
    with pytest.raises(FileNotFoundError):
        services.open_file(link)


# --- removal ----------------------------------------------------------------------------------


def test_removed_item_stays_in_the_history_and_its_file_stays(world, followup, uploads):
    evidence = add(followup, world.pic, pdf(), "laporan.pdf")
    db.session.commit()
    services.remove(evidence, world.pic)
    db.session.commit()
    assert evidence.removed_at is not None and evidence.removed_by_id == world.pic.id
    assert services.active_evidence(followup) == []
    assert services.all_evidence(followup) == [evidence]
    removed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "evidence_removed"))
    assert removed.summary == {"title": "laporan.pdf"}
    with services.open_file(evidence) as handle:
        assert handle.read() == pdf()


def test_accepted_item_cannot_be_removed_even_after_reopening(world, followup, uploads):
    evidence = add(followup, world.pic, pdf(), "laporan.pdf")
    evidence.accepted_at = now_utc()  # accepted, then the follow-up reopened (dalam proses)
    db.session.commit()
    with pytest.raises(services.EvidenceError):
        services.remove(evidence, world.pic)
    db.session.rollback()
    assert evidence.is_active


@pytest.mark.parametrize("status", [FollowUpStatus.MENUNGGU, FollowUpStatus.SESUAI])
def test_nothing_changes_while_waiting_or_closed(world, followup, uploads, status):
    evidence = add(followup, world.pic, pdf(), "laporan.pdf")
    followup.status = status
    db.session.commit()
    with pytest.raises(FollowUpLockedError):
        services.remove(evidence, world.pic)
    with pytest.raises(FollowUpLockedError):
        add(followup, world.pic, pdf("baru"), "baru.pdf")
    with pytest.raises(FollowUpLockedError):
        services.add_link(
            followup, world.pic, url="https://x.example.com", title="x", document_date=DOC_DATE
        )
    db.session.rollback()
    assert len(stored_files(uploads)) == 1
    assert count_evidence() == 1

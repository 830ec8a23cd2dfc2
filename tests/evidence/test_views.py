"""Evidence pages: upload and link forms with their refusals, removal, and download rights."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import factories
from tests.conftest import csrf_token, login
from tests.evidence.support import (
    ACCEPTED,
    DOC_DATE,
    EXE,
    UNICODE_NAME,
    add,
    count_evidence,
    pdf,
    stored_files,
)
from tracker.auth.models import Role
from tracker.core.audit import AuditEntry
from tracker.core.clock import now_utc
from tracker.evidence import services
from tracker.evidence.models import Evidence
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus

WRONG_KIND = "Jenis berkas tidak diterima"


@pytest.fixture
def pic(client, world):
    login(client, world.pic)
    return client


def upload(client, followup_id: int, content: bytes, name: str, **fields):
    """POST the upload form. The body is encoded here, in memory: the test client would spool
    a large one to a temporary file it never closes when the app refuses to read it (413)."""
    data = {"title": "", "document_date": DOC_DATE.isoformat(), "note": "", **fields}
    data["file"] = FileStorage(io.BytesIO(content), filename=name)
    data["csrf_token"] = csrf_token(client, "/followups/mine")
    boundary, body = encode_multipart(data)
    return client.post(
        f"/followups/{followup_id}/evidence",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def add_link(client, followup_id: int, url: str, title: str = "Folder bukti"):
    data = {"url": url, "title": title, "document_date": DOC_DATE.isoformat(), "note": ""}
    data["csrf_token"] = csrf_token(client, "/followups/mine")
    return client.post(f"/followups/{followup_id}/evidence/link", data=data)


def download(client, evidence_id: int):
    """GET the download, read and close it (a download streams its file until closed)."""
    response = client.get(f"/evidence/{evidence_id}/download")
    response.get_data()
    response.close()
    return response


def only_evidence() -> Evidence:
    db.session.expire_all()
    return db.session.scalars(select(Evidence)).one()


# --- upload -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_accepted_kinds_are_uploaded(pic, followup, uploads, name):
    response = upload(pic, followup.id, ACCEPTED[name][0], name, title=f"Bukti {name}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/followups/{followup.id}#data-dukung")
    assert f"Bukti {name}" in pic.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert only_evidence().original_name == name
    assert len(stored_files(uploads)) == 1


@pytest.mark.parametrize(
    ("content", "name"),
    [
        pytest.param(EXE, "laporan.pdf", id="executable-renamed-pdf"),
        pytest.param(pdf(), "laporan.docx", id="pdf-named-docx"),
        pytest.param(b"Laporan kegiatan triwulan III.\n", "laporan.txt", id="plain-text"),
    ],
)
def test_wrong_kind_is_refused_and_nothing_kept(pic, followup, uploads, content, name):
    response = upload(pic, followup.id, content, name)
    assert response.status_code == 400
    assert WRONG_KIND in response.get_data(as_text=True)
    assert stored_files(uploads) == []
    assert count_evidence() == 0


def test_empty_file_is_refused(pic, followup, uploads):
    response = upload(pic, followup.id, b"", "kosong.pdf")
    assert response.status_code == 400
    assert "Berkas kosong." in response.get_data(as_text=True)
    assert count_evidence() == 0


def test_too_large_file_is_refused_then_too_large_request(app, pic, followup, uploads, monkeypatch):
    # As if the app were created with MAX_UPLOAD_MB=1: the request limit is one MiB more.
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    over_file_limit = pdf() + b"0" * (1024 * 1024 + 512 * 1024)
    response = upload(pic, followup.id, over_file_limit, "besar.pdf")
    assert response.status_code == 400
    assert "Berkas lebih besar dari batas 1 MB." in response.get_data(as_text=True)
    over_request_limit = pdf() + b"0" * (2 * 1024 * 1024 + 512 * 1024)
    response = upload(pic, followup.id, over_request_limit, "raksasa.pdf")
    assert response.status_code == 413
    assert "Berkas terlalu besar" in response.get_data(as_text=True)
    assert stored_files(uploads) == []
    assert count_evidence() == 0


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        # The test client sends a backslash unescaped in the multipart header and the server
        # unescapes it (C:\Users would arrive as CUsers): doubled here, a Windows path arrives.
        ("C:\\\\Users\\\\x\\\\..\\\\surat.pdf", "surat.pdf"),
    ],
)
def test_folders_in_the_name_are_dropped(pic, followup, uploads, name, kept):
    assert upload(pic, followup.id, pdf(name), name).status_code == 302
    evidence = only_evidence()
    assert evidence.original_name == kept
    assert [p.name for p in stored_files(uploads)] == [evidence.sha256]


def test_unicode_name_is_kept_and_offered_back(pic, followup, uploads):
    assert upload(pic, followup.id, pdf(), UNICODE_NAME).status_code == 302
    evidence = only_evidence()
    assert evidence.original_name == UNICODE_NAME
    disposition = download(pic, evidence.id).headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''([^;]+)", disposition).group(1)
    assert unquote(encoded) == UNICODE_NAME


def test_same_file_twice_is_refused(pic, followup, uploads):
    assert upload(pic, followup.id, pdf(), "a.pdf", title="Laporan").status_code == 302
    response = upload(pic, followup.id, pdf(), "b.pdf")
    assert response.status_code == 400
    assert "Berkas yang sama sudah diunggah sebagai “Laporan”." in response.get_data(as_text=True)
    assert count_evidence() == 1
    assert len(stored_files(uploads)) == 1


# --- links ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x"])
def test_link_that_is_not_a_web_address_is_refused(pic, followup, url):
    response = add_link(pic, followup.id, url)
    assert response.status_code == 400
    assert "Tautan harus alamat web lengkap" in response.get_data(as_text=True)
    assert count_evidence() == 0


def test_link_needs_a_title(pic, followup):
    response = add_link(pic, followup.id, "https://drive.example.com/f", title="")
    assert response.status_code == 400
    assert count_evidence() == 0


def test_web_link_is_added_and_opens_without_referrer(pic, followup):
    response = add_link(pic, followup.id, "https://drive.example.com/folder?id=7")
    assert response.status_code == 302
    html = pic.get(f"/followups/{followup.id}").get_data(as_text=True)
    anchor = re.search(r'<a href="https://drive\.example\.com/folder\?id=7"[^>]*>', html)
    assert anchor and 'rel="noopener noreferrer"' in anchor.group(0)


# --- removal ----------------------------------------------------------------------------------


def remove(client, evidence_id: int):
    token = csrf_token(client, "/followups/mine")
    return client.post(f"/evidence/{evidence_id}/remove", data={"csrf_token": token})


@pytest.fixture
def item(world, followup, uploads) -> Evidence:
    """A PDF uploaded by `world.pic` (the follow-up is now dalam proses)."""
    evidence = add(followup, world.pic, pdf(), "laporan.pdf", title="Laporan kegiatan")
    db.session.commit()
    return evidence


def test_uploader_removes_and_the_history_keeps_it(pic, followup, item, uploads):
    response = remove(pic, item.id)
    assert response.status_code == 302
    db.session.expire_all()
    assert item.removed_at is not None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "evidence_removed"))
    html = pic.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "1 data dukung dihapus dari daftar" in html
    assert len(stored_files(uploads)) == 1
    response = download(pic, item.id)
    assert (response.status_code, response.data) == (200, pdf())


@pytest.mark.parametrize("role", ["koordinator", "admin", "pimpinan"])
def test_only_the_uploader_removes(client, world, item, role):
    login(client, world.by_role(role))
    assert remove(client, item.id).status_code == 403
    db.session.expire_all()
    assert item.is_active


def test_another_pic_of_the_unit_cannot_remove(client, world, item):
    colleague = factories.make_user("rekan@example.com", Role.PIC, [world.unit_a])
    db.session.commit()
    login(client, colleague)
    assert remove(client, item.id).status_code == 403


def test_no_removal_once_submitted(pic, followup, item):
    followup.status = FollowUpStatus.MENUNGGU
    db.session.commit()
    assert remove(pic, item.id).status_code == 403
    db.session.expire_all()
    assert item.is_active


def test_no_removal_once_accepted_even_after_reopening(pic, followup, item):
    item.accepted_at = now_utc()
    db.session.commit()
    assert followup.status == FollowUpStatus.PROSES
    assert remove(pic, item.id).status_code == 403
    with pytest.raises(services.EvidenceError):
        services.remove(item, followup.pics[0])
    db.session.rollback()


# --- download ---------------------------------------------------------------------------------


def test_download_is_an_attachment_with_the_stored_bytes(pic, item):
    response = download(pic, item.id)
    assert response.status_code == 200
    assert response.data == pdf()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "laporan.pdf" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


@pytest.mark.parametrize(("role", "expected"), [("other_pic", 404), ("pimpinan", 200)])
def test_download_rights(client, world, item, role, expected):
    login(client, world.by_role(role))
    assert download(client, item.id).status_code == expected


def test_download_needs_login(client, item):
    response = download(client, item.id)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_link_has_nothing_to_download(pic, world, followup):
    link = services.add_link(
        followup, world.pic, url="https://x.example.com", title="Situs", document_date=DOC_DATE
    )
    db.session.commit()
    assert download(pic, link.id).status_code == 404

"""The verification forms on the follow-up page: who may post them, stale pages, refusals,
and the whole journey from upload to acceptance."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, login
from tracker.evidence import services as evidence
from tracker.extensions import db
from tracker.followups.models import FollowUpStatus as S
from tracker.verification import services
from tracker.verification.models import Submission, SubmissionKind

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
STALE = "telah diubah orang lain"
TICKS = {"cukup": "y", "kompeten": "y", "relevan": "y"}
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


def _ready(followup, world) -> None:
    """A realisation and one link: what a submission needs."""
    followup.realisation = "IKU telah direviu."
    evidence.add_link(
        followup,
        world.pic,
        url="https://drive.example.com/sk",
        title="SK Tim IKU",
        document_date=date(2025, 5, 2),
    )
    db.session.commit()


def _waiting(followup, world) -> None:
    _ready(followup, world)
    services.submit(followup, world.pic, followup.version)
    db.session.commit()


def _proposed(followup, world) -> None:
    services.propose_cannot(followup, world.pic, "Keadaan kahar.", followup.version)
    db.session.commit()


def _sesuai(followup, world) -> None:
    _waiting(followup, world)
    services.accept(
        followup, world.koordinator, cukup=True, kompeten=True, relevan=True,
        expected_version=followup.version,
    )  # fmt: skip
    db.session.commit()


def _page(client, followup_id: int) -> tuple[str, dict]:
    """GET the page as the user would; returns the html and the hidden fields of its forms."""
    response = client.get(f"/followups/{followup_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    versions = set(VERSION.findall(html))
    assert len(versions) <= 1, versions  # every form of the page carries the same version
    hidden = {"csrf_token": csrf_token(client, f"/followups/{followup_id}")}
    if versions:
        hidden["version"] = versions.pop()
    return html, hidden


def _section(html: str, anchor: str) -> str:
    """One <section> of the page, by its id."""
    match = re.search(rf'<section[^>]*id="{anchor}".*?</section>', html, re.DOTALL)
    assert match, f"no section #{anchor}"
    return match.group(0)


def _post(client, followup, verb: str, data: dict | None = None, version=None):
    """POST one verification form with the page's tokens (`version` overrides the page's)."""
    _, hidden = _page(client, followup.id)
    if version is not None:
        hidden["version"] = str(version)
    return client.post(f"/followups/{followup.id}/{verb}", data={**hidden, **(data or {})})


def _reload(followup):
    db.session.rollback()
    db.session.expire_all()
    return followup


def _count_submissions() -> int:
    return db.session.scalar(select(func.count()).select_from(Submission))


# The scene in which each verb is legal, and what a complete form sends.
SCENES = {
    "submit": (_ready, {}, S.MENUNGGU),
    "propose": (lambda f, w: None, {"reason": "Keadaan kahar."}, S.MENUNGGU),
    "accept": (_waiting, TICKS, S.SESUAI),
    "approve": (_proposed, {"note": "Alasan sah."}, S.TIDAK_DAPAT),
    "return": (_waiting, {"note": "Lampirkan SK."}, S.DIKEMBALIKAN),
    "reopen": (_sesuai, {"reason": "Temuan baru."}, S.PROSES),
}
PIC_VERBS = ("submit", "propose")
KOORDINATOR_VERBS = ("accept", "approve", "return", "reopen")


# --- who may post -----------------------------------------------------------------------------


@pytest.mark.parametrize("verb", PIC_VERBS)
def test_the_units_pic_submits_or_proposes(client, world, followup, verb):
    scene, data, goal = SCENES[verb]
    scene(followup, world)
    login(client, world.pic)
    response = _post(client, followup, verb, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/followups/{followup.id}#verifikasi")
    assert _reload(followup).status == goal
    kind = SubmissionKind.COMPLETION if verb == "submit" else SubmissionKind.CANNOT
    assert services.open_submission(followup).kind == kind


@pytest.mark.parametrize("verb", KOORDINATOR_VERBS)
def test_the_koordinator_decides(client, world, followup, verb):
    scene, data, goal = SCENES[verb]
    scene(followup, world)
    login(client, world.koordinator)
    response = _post(client, followup, verb, data)
    assert response.status_code == 302
    assert _reload(followup).status == goal


@pytest.mark.parametrize("role", ["koordinator", "admin", "pimpinan"])
@pytest.mark.parametrize("verb", PIC_VERBS)
def test_only_a_pic_submits(client, world, followup, verb, role):
    scene, data, _ = SCENES[verb]
    scene(followup, world)
    before = followup.status
    login(client, world.by_role(role))
    response = _post(client, followup, verb, data, version=followup.version)
    assert response.status_code == 403
    assert _reload(followup).status == before
    assert _count_submissions() == 0


@pytest.mark.parametrize("role", ["admin", "pimpinan", "pic"])
@pytest.mark.parametrize("verb", KOORDINATOR_VERBS)
def test_only_the_koordinator_decides(client, world, followup, verb, role):
    scene, data, _ = SCENES[verb]
    scene(followup, world)
    before = followup.status
    login(client, world.by_role(role))
    response = _post(client, followup, verb, data, version=followup.version)
    assert response.status_code == 403
    assert _reload(followup).status == before


@pytest.mark.parametrize("verb", list(SCENES))
def test_another_units_pic_does_not_find_it(client, world, followup, verb):
    scene, data, _ = SCENES[verb]
    scene(followup, world)
    before = followup.status
    login(client, world.other_pic)
    token = csrf_token(client, "/followups/mine")
    response = client.post(
        f"/followups/{followup.id}/{verb}",
        data={"csrf_token": token, "version": str(followup.version), **data},
    )
    assert response.status_code == 404
    assert _reload(followup).status == before


@pytest.mark.parametrize(
    ("verb", "role", "scene"),
    [
        ("accept", "koordinator", _ready),  # nothing waits: dalam proses
        ("return", "koordinator", _sesuai),
        ("approve", "koordinator", lambda f, w: None),
        ("reopen", "koordinator", _waiting),
        ("submit", "pic", _waiting),
        ("propose", "pic", _sesuai),
    ],
)
def test_a_move_the_state_does_not_allow_is_forbidden(client, world, followup, verb, role, scene):
    scene(followup, world)
    before, count = followup.status, _count_submissions()
    login(client, world.by_role(role))
    response = _post(client, followup, verb, SCENES[verb][1], version=followup.version)
    assert response.status_code == 403
    assert _reload(followup).status == before
    assert _count_submissions() == count


# --- stale pages and refusals -----------------------------------------------------------------


@pytest.mark.parametrize("version", ["missing", "older"])
@pytest.mark.parametrize("verb", list(SCENES))
def test_a_stale_page_is_refused_and_changes_nothing(client, world, followup, verb, version):
    scene, data, _ = SCENES[verb]
    scene(followup, world)
    before, count = (followup.status, followup.version), _count_submissions()
    login(client, world.pic if verb in PIC_VERBS else world.koordinator)
    _, hidden = _page(client, followup.id)
    if version == "missing":
        hidden.pop("version")
    else:
        hidden["version"] = str(followup.version - 1)
    response = client.post(f"/followups/{followup.id}/{verb}", data={**hidden, **data})
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    _reload(followup)
    assert (followup.status, followup.version) == before
    assert _count_submissions() == count


def test_a_decision_on_a_page_opened_before_a_change_is_refused(client, world, followup):
    _waiting(followup, world)
    login(client, world.koordinator)
    _, hidden = _page(client, followup.id)
    followup.action_plan = "Diubah di tab lain."  # someone saves meanwhile
    db.session.commit()
    response = client.post(f"/followups/{followup.id}/accept", data={**hidden, **TICKS})
    assert response.status_code == 409
    assert STALE in response.get_data(as_text=True)
    assert _reload(followup).status == S.MENUNGGU


def test_return_without_a_note_shows_why(client, world, followup):
    _waiting(followup, world)
    login(client, world.koordinator)
    response = _post(client, followup, "return", {"note": "  "})
    assert response.status_code == 400
    assert "Wajib diisi." in response.get_data(as_text=True)
    assert _reload(followup).status == S.MENUNGGU
    assert services.open_submission(followup).decision is None


def test_accept_without_every_tick_shows_why(client, world, followup):
    _waiting(followup, world)
    login(client, world.koordinator)
    response = _post(client, followup, "accept", {"cukup": "y", "relevan": "y"})
    assert response.status_code == 400
    assert "cukup, kompeten dan relevan" in response.get_data(as_text=True)
    assert _reload(followup).status == S.MENUNGGU


def test_submit_without_evidence_shows_why(client, world, followup):
    followup.realisation = "Sudah dikerjakan."
    db.session.commit()
    login(client, world.pic)
    response = _post(client, followup, "submit")
    assert response.status_code == 400
    assert "Unggah minimal satu data dukung" in response.get_data(as_text=True)
    assert _reload(followup).status == S.BELUM


def test_propose_without_a_reason_shows_why(client, world, followup):
    login(client, world.pic)
    response = _post(client, followup, "propose", {"reason": ""})
    assert response.status_code == 400
    assert "Wajib diisi." in response.get_data(as_text=True)
    assert _reload(followup).status == S.BELUM


def test_history_shows_the_return_and_its_note(app, client, world, followup):
    _waiting(followup, world)
    login(client, world.koordinator)
    note = "Lampirkan SK yang sudah ditandatangani."
    assert _post(client, followup, "return", {"note": note}).status_code == 302
    pic = app.test_client()
    login(pic, world.pic)
    html, _ = _page(pic, followup.id)
    history = _section(html, "riwayat")
    assert "Dikembalikan (belum sesuai)" in history
    assert note in history
    assert note in _section(html, "verifikasi")  # and where the PIC works on it


# --- the whole journey ------------------------------------------------------------------------


def _upload(client, followup, name: str, title: str):
    _, hidden = _page(client, followup.id)
    body = PDF + title.encode()  # a different file each time (duplicates are refused)
    return client.post(
        f"/followups/{followup.id}/evidence",
        data={
            "csrf_token": hidden["csrf_token"],
            "file": (io.BytesIO(body), name),
            "title": title,
            "document_date": "2025-05-20",
        },
        content_type="multipart/form-data",
    )


def _save_work(client, followup, realisation: str, progress: int):
    data = {"action_plan": "Reviu IKU.", "realisation": realisation, "progress": str(progress)}
    return _post(client, followup, "work", data)


def test_upload_submit_return_correct_resubmit_accept(app, world, followup):
    pic, koordinator = app.test_client(), app.test_client()
    login(pic, world.pic)
    login(koordinator, world.koordinator)

    assert _upload(pic, followup, "x.pdf", "Draf SK").status_code == 302
    assert _save_work(pic, followup, "SK disusun.", 80).status_code == 302
    assert _post(pic, followup, "submit").status_code == 302
    assert _reload(followup).status == S.MENUNGGU

    note = "SK belum ditandatangani pimpinan."
    assert _post(koordinator, followup, "return", {"note": note}).status_code == 302
    assert _reload(followup).status == S.DIKEMBALIKAN
    html, _ = _page(pic, followup.id)
    assert note in _section(html, "verifikasi")

    assert _upload(pic, followup, "y.pdf", "SK ditandatangani").status_code == 302
    assert _save_work(pic, followup, "SK ditandatangani dan diberlakukan.", 95).status_code == 302
    assert _reload(followup).status == S.DIKEMBALIKAN
    assert _post(pic, followup, "submit").status_code == 302
    assert _reload(followup).status == S.MENUNGGU

    assert _post(koordinator, followup, "accept", TICKS).status_code == 302
    _reload(followup)
    assert followup.status == S.SESUAI
    assert followup.progress == 100
    latest, first = services.submissions(followup)
    assert first.realisation == "SK disusun." and len(first.evidence) == 1
    assert latest.realisation == "SK ditandatangani dan diberlakukan."
    assert len(latest.evidence) == 2 and all(item.is_frozen for item in latest.evidence)
    html, _ = _page(pic, followup.id)
    assert "Diterima (sesuai)" in _section(html, "riwayat")

"""Pages: upload → review (edit) → save, refusals, discard, download, who may do what."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_token, login, post
from tests.lhe.import_helpers import (
    MEASURE,
    PLAN,
    SAMPLE,
    form_fields,
    install_fake_parser,
    upload,
)
from tracker.evaluations.models import Evaluation, Recommendation
from tracker.extensions import db
from tracker.lhe import services
from tracker.lhe.models import ImportStatus, LheImport

UPLOAD = "/lhe/import"


@pytest.fixture
def parser(monkeypatch):
    return install_fake_parser(monkeypatch)


@pytest.fixture
def manager(client, world):
    login(client, world.koordinator)
    return client


def send(client, content: bytes, filename: str):
    return client.post(
        UPLOAD,
        data={
            "document": (io.BytesIO(content), filename),
            "csrf_token": csrf_token(client, UPLOAD),
        },
        content_type="multipart/form-data",
    )


def draft_id(response) -> int:
    return int(re.search(r"/lhe/import/(\d+)$", response.headers["Location"]).group(1))


def submit(client, url: str, button: str, **changes):
    """Post the review form as shown, with `changes` (None removes a field) and a button."""
    fields = form_fields(client.get(url).get_data(as_text=True))
    for name, value in changes.items():
        name = name.replace("__", "-")
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    fields[button] = "1"
    return client.post(url, data=fields)


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_upload_page(manager):
    html = manager.get(UPLOAD).get_data(as_text=True)
    assert 'accept=".pdf,.docx,.txt"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "paling besar 25 MB" in html


def test_upload_then_review_shows_the_parse(manager, parser):
    response = send(manager, b"LHE halaman\n", "LHE Polman.txt")
    assert response.status_code == 302
    url = response.headers["Location"]
    html = manager.get(url).get_data(as_text=True)
    assert 'value="Politeknik Contoh"' in html
    assert "Agar dibuat kebijakan reward dan punishment secara formal." in html
    assert "Halaman 2: kop berulang dibuang." in html  # the parser's warning
    assert "Menurut nilai total: BB." in html
    assert "LHE Polman.txt" in html
    assert count(Evaluation) == 0


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "lhe.pdf", "Jenis berkas tidak didukung"),
        (b"BUKAN LHE", "surat.txt", "tidak tampak seperti LHE"),
        (b"", "kosong.txt", "Berkas kosong"),
    ],
)
def test_refusal_is_shown_on_the_form(manager, parser, content, filename, message):
    response = send(manager, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(LheImport) == 0


def test_no_file_chosen(manager):
    response = post(manager, UPLOAD, {}, token_from=UPLOAD)
    assert response.status_code == 400
    assert "Pilih berkas LHE." in response.get_data(as_text=True)


def test_apply_edits_stores_them_in_the_draft(manager, parser):
    url = send(manager, b"LHE terapkan\n", "lhe.txt").headers["Location"]
    response = submit(
        manager,
        url,
        "apply",
        recommendations__0__text="Capaian kinerja agar jadi dasar target.\n---\nTarget dievaluasi.",
        recommendations__2__component=PLAN,
        recommendations__3__drop="y",
        findings__3__text="Catatan tambahan.",
        findings__3__component=MEASURE,
        components__0__score="24,5",
    )
    assert response.status_code == 302
    draft = db.session.get(LheImport, draft_id(send_location(url)))
    parsed = services.draft_parse(draft)
    assert [(r.component, r.number, r.text) for r in parsed.recommendations] == [
        (PLAN, 1, "Capaian kinerja agar jadi dasar target."),
        (PLAN, 2, "Target dievaluasi."),
        (PLAN, 3, "Dokumen wawancara agar disusun secara rapi sesuai komponennya."),
        (MEASURE, 1, "Agar dibuat kebijakan reward dan punishment secara formal."),
    ]
    assert [(f.component, f.number) for f in parsed.findings][1:3] == [(MEASURE, 1), (MEASURE, 2)]
    assert parsed.findings[2].text == "Catatan tambahan."  # added, placed in its component
    assert str(parsed.components[0].score) == "24.5"
    assert count(Evaluation) == 0
    html = manager.get(url).get_data(as_text=True)
    assert "Target dievaluasi." in html


def send_location(url: str):
    class Response:
        headers = {"Location": url}

    return Response()


def test_invalid_edits_keep_what_was_typed(manager, parser):
    url = send(manager, b"LHE salah isi\n", "lhe.txt").headers["Location"]
    draft = db.session.get(LheImport, draft_id(send_location(url)))
    before = dict(draft.parse)
    response = submit(
        manager,
        url,
        "save",
        findings__0__text="",
        findings__1__text="---",
        components__1__score="dua puluh",
        institution="Politeknik Contoh Diketik",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("Uraian wajib diisi.") == 2
    assert "Bukan angka." in html
    assert 'value="Politeknik Contoh Diketik"' in html
    assert 'value="dua puluh"' in html
    db.session.expire_all()
    assert db.session.get(LheImport, draft.id).parse == before
    assert count(Evaluation) == 0


def test_save_creates_the_evaluation(manager, parser):
    url = send(manager, b"LHE simpan\n", "LHE Polman.txt").headers["Location"]
    response = submit(
        manager, url, "save", recommendations__1__text="Agar kebijakan reward ditetapkan."
    )
    assert response.status_code == 302
    evaluation = db.session.scalar(select(Evaluation))
    assert response.headers["Location"] == f"/evaluations/{evaluation.id}"
    texts = [r.text for r in evaluation.recommendations]
    assert "Agar kebijakan reward ditetapkan." in texts
    assert all(r.followup is not None for r in evaluation.recommendations)
    draft = db.session.scalar(select(LheImport))
    assert draft.status == ImportStatus.SAVED
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dokumen sumber" in page
    assert f"/lhe/{draft.id}/file" in page
    assert manager.get(url).status_code == 404  # no longer a draft


def test_duplicate_asks_for_a_choice(manager, parser, world):
    existing = factories.make_evaluation([world.unit_a], institution="politeknik  CONTOH")
    url = send(manager, b"LHE ganda\n", "lhe.txt").headers["Location"]
    html = manager.get(url).get_data(as_text=True)
    assert f'value="revision-{existing.id}"' in html
    response = submit(manager, url, "save")
    assert response.status_code == 400
    assert "Pilih: simpan sebagai revisi" in response.get_data(as_text=True)
    assert count(Evaluation) == 1

    response = submit(manager, url, "save", choice=f"revision-{existing.id}")
    assert response.headers["Location"] == f"/evaluations/{existing.id}"
    assert count(Evaluation) == 1
    db.session.expire_all()
    assert db.session.get(Evaluation, existing.id).institution == "Politeknik Contoh"


def test_duplicate_saved_as_new_when_confirmed(manager, parser, world):
    factories.make_evaluation([world.unit_a], institution="Politeknik Contoh")
    url = send(manager, b"LHE ganda baru\n", "lhe.txt").headers["Location"]
    response = submit(manager, url, "save", choice="new")
    assert response.status_code == 302
    assert count(Evaluation) == 2


def test_revision_warning_is_flashed(manager, parser, world):
    existing = factories.make_evaluation([world.unit_a], institution="Politeknik Contoh")
    started = existing.recommendations[1]
    started.followup.action_plan = "Sudah dikerjakan."
    db.session.commit()
    url = send(manager, b"LHE revisi halaman\n", "lhe.txt").headers["Location"]
    response = submit(manager, url, "save", choice=f"revision-{existing.id}")
    page = manager.get(response.headers["Location"]).get_data(as_text=True)
    assert "tetap disimpan" in page
    assert "Rekomendasi nomor 2." in page


def test_discard(manager, parser):
    url = send(manager, b"LHE buang\n", "lhe.txt").headers["Location"]
    response = post(manager, f"{url}/discard", {}, token_from=url)
    assert response.status_code == 302
    assert db.session.scalar(select(LheImport.status)) == ImportStatus.DISCARDED
    assert manager.get(url).status_code == 404
    assert manager.get(UPLOAD).status_code == 200


@pytest.mark.parametrize("role", ["pimpinan", "pic"])
def test_non_managers_are_refused(client, world, parser, role):
    draft = upload(world.koordinator, b"LHE akses\n")
    db.session.commit()
    login(client, world.by_role(role))
    assert client.get(UPLOAD).status_code == 403
    assert client.get(f"/lhe/import/{draft.id}").status_code == 403
    response = post(client, f"/lhe/import/{draft.id}/discard", {}, token_from="/followups/mine")
    assert response.status_code == 403


def test_anonymous_goes_to_login(client, world):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- download -----------------------------------------------------------------------------------


@pytest.fixture
def saved_import(world, parser):
    """An import saved as an evaluation whose follow-ups belong to UNIT-A (and `world.pic`)."""
    draft = upload(world.koordinator, "LHE unduh é\n".encode(), "LHE Évaluasi – 2024.txt")
    result = services.save_import(world.koordinator, draft, services.draft_parse(draft), "new")
    for recommendation in result.evaluation.recommendations:
        recommendation.followup.units = [world.unit_a]
    db.session.commit()
    return draft


def test_download_headers(client, world, saved_import):
    login(client, world.pic)
    response = client.get(f"/lhe/{saved_import.id}/file")
    assert response.status_code == 200
    assert response.get_data() == "LHE unduh é\n".encode()
    response.close()
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="LHE Evaluasi  2024.txt"' in disposition
    assert "filename*=UTF-8''LHE%20%C3%89valuasi%20%E2%80%93%202024.txt" in disposition


def test_download_hidden_from_another_unit(client, world, saved_import):
    login(client, world.other_pic)
    assert client.get(f"/lhe/{saved_import.id}/file").status_code == 404


def test_download_of_a_draft_only_for_managers(client, world, parser):
    draft = upload(world.koordinator, b"LHE draf unduh\n", "lhe.txt")
    db.session.commit()
    url = f"/lhe/{draft.id}/file"
    login(client, world.pimpinan)
    assert client.get(url).status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/followups/mine")})
    login(client, world.koordinator)
    response = client.get(url)
    assert response.status_code == 200
    response.close()


def test_download_of_a_discarded_import_is_gone(client, world, parser):
    draft = upload(world.koordinator, b"LHE dibuang unduh\n")
    services.discard(world.koordinator, draft)
    db.session.commit()
    login(client, world.koordinator)
    assert client.get(f"/lhe/{draft.id}/file").status_code == 404
    assert client.get("/lhe/999999/file").status_code == 404


def test_recommendation_count_unchanged_by_page_views(manager, parser):
    url = send(manager, b"LHE lihat\n", "lhe.txt").headers["Location"]
    manager.get(url)
    assert count(Recommendation) == 0


def test_sample_upload_preview_save(manager):
    """The shared sample through the real parser: preview, one correction, save."""
    pytest.importorskip(
        "tracker.lhe.parser", reason="the parser (tracker/lhe/parser.py) is missing"
    )
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing (../shared is not there)")
    response = send(manager, SAMPLE.read_bytes(), SAMPLE.name)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    url = response.headers["Location"]
    html = manager.get(url).get_data(as_text=True)
    assert 'value="Politeknik Manufaktur Negeri Bangka Belitung"' in html
    response = submit(manager, url, "save", recommendations__0__text="Rekomendasi diperbaiki.")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    evaluation = db.session.scalar(select(Evaluation))
    assert (evaluation.year, evaluation.predikat, str(evaluation.total_score)) == (
        2024,
        "BB",
        "78.55",
    )
    assert len(evaluation.recommendations) == 10
    assert len(evaluation.findings) == 12
    assert "Rekomendasi diperbaiki." in [r.text for r in evaluation.recommendations]

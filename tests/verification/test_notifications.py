"""Verification mails, received by a real SMTP server: the koordinators hear of a submission,
the follow-up's PICs of a return or an acceptance; nothing goes out when the step is refused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests import factories
from tests.conftest import login, post
from tracker.auth.models import Role
from tracker.evidence import services as evidence
from tracker.extensions import db
from tracker.followups.services import StaleFollowUpError
from tracker.verification import services
from tracker.verification.services import VerificationError

NOTE = "Lampirkan SK penetapan IKU & <b>berita acara</b> yang ditandatangani — “versi final”."
NOTE_IN_HTML = (
    "Lampirkan SK penetapan IKU &amp; &lt;b&gt;berita acara&lt;/b&gt; yang ditandatangani"
)
PRAISE = "Data dukung lengkap; terima kasih, Bagian Perencanaan."
_VERSION = re.compile(r'<input[^>]*name="version"[^>]*>')
_VALUE = re.compile(r'value="(\d+)"')


@pytest.fixture
def request_ctx(app, app_ctx, monkeypatch):
    """A request context over the test's app context: the mails' links follow its host."""
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context():
        yield


@pytest.fixture
def people(world):
    """A second active koordinator and PIC, and an inactive one of each."""
    return {
        "koordinator2": factories.make_user("koordinator2@example.com", Role.KOORDINATOR),
        "old_koordinator": factories.make_user(
            "mantan.koordinator@example.com", Role.KOORDINATOR, active=False
        ),
        "pic2": factories.make_user("pic2@example.com", Role.PIC, [world.unit_a]),
        "old_pic": factories.make_user(
            "mantan.pic@example.com", Role.PIC, [world.unit_a], active=False
        ),
    }


@pytest.fixture
def followup(world, people):
    """Recommendation 3 of UNIT-A, with a realisation and one link: ready to submit."""
    pics = [world.pic, people["pic2"], people["old_pic"]]
    evaluation = factories.make_evaluation([world.unit_a], pics, n_recommendations=3)
    followup = evaluation.recommendations[2].followup
    followup.realisation = "IKU telah direviu dan ditetapkan dengan SK Direktur."
    evidence.add_link(
        followup,
        world.pic,
        url="https://drive.example.com/sk-iku",
        title="SK penetapan IKU",
        document_date=date(2025, 5, 20),
    )
    db.session.commit()
    return followup


def _recipients(messages) -> list[str]:
    return sorted(to.addr_spec for m in messages for to in m["To"].addresses)


def _submit(followup, world):
    services.submit(followup, world.pic, followup.version)
    db.session.commit()


def _link(followup) -> str:
    return f"http://localhost/followups/{followup.id}"


def test_submission_mails_every_active_koordinator(world, followup, request_ctx, smtp_server):
    _submit(followup, world)

    messages = smtp_server.wait_for(2)
    assert _recipients(messages) == ["koordinator2@example.com", "koordinator@example.com"]
    for message in messages:
        assert "Menunggu verifikasi" in message["Subject"]
        assert "rekomendasi 3" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        assert f"{world.pic.name} mengirim tindak lanjut" in text
        assert "Rekomendasi 3: Rekomendasi nomor 3." in text
        assert "1 data dukung dilampirkan." in text
        assert _link(followup) in text
        assert f'href="{_link(followup)}"' in message.get_body(("html",)).get_content()
    greetings = sorted(m.get_body(("plain",)).get_content().splitlines()[0] for m in messages)
    assert greetings == ["Yth. Koordinator,", "Yth. Koordinator2,"]


def test_outside_a_request_the_mail_links_under_base_url(
    app, world, followup, smtp_server, monkeypatch
):
    monkeypatch.setitem(app.config, "BASE_URL", "https://tracker.example.ac.id")
    _submit(followup, world)  # no request context, as from the CLI or the scheduler

    for message in smtp_server.wait_for(2):
        link = f"https://tracker.example.ac.id/followups/{followup.id}"
        assert link in message.get_body(("plain",)).get_content()
        assert f'href="{link}"' in message.get_body(("html",)).get_content()


def test_a_proposal_tells_the_koordinators_what_is_proposed(
    world, followup, request_ctx, smtp_server
):
    services.propose_cannot(followup, world.pic, "Unit dilebur.", followup.version)
    db.session.commit()

    messages = smtp_server.wait_for(2)
    assert _recipients(messages) == ["koordinator2@example.com", "koordinator@example.com"]
    for message in messages:
        assert "Usulan tidak dapat ditindaklanjuti" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        assert "mengusulkan agar rekomendasi berikut dinyatakan tidak dapat" in text
        assert "Alasan: Unit dilebur." in text


def test_a_return_mails_the_active_pics_with_the_note(world, followup, request_ctx, smtp_server):
    _submit(followup, world)
    smtp_server.wait_for(2)
    smtp_server.messages.clear()

    services.return_followup(followup, world.koordinator, NOTE, expected_version=followup.version)
    db.session.commit()

    messages = smtp_server.wait_for(2)
    assert _recipients(messages) == ["pic2@example.com", "pic@example.com"]
    for message in messages:
        assert "Dikembalikan" in message["Subject"] and "rekomendasi 3" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        assert "Koordinator mengembalikan tindak lanjut" in text
        assert NOTE in text  # plain text: the note as typed, not HTML-escaped
        assert _link(followup) in text
        html = message.get_body(("html",)).get_content()
        assert NOTE_IN_HTML in html and "<b>berita acara" not in html


def test_an_acceptance_mails_the_active_pics_with_the_note(
    world, followup, request_ctx, smtp_server
):
    _submit(followup, world)
    smtp_server.wait_for(2)
    smtp_server.messages.clear()

    services.accept(
        followup,
        world.koordinator,
        cukup=True,
        kompeten=True,
        relevan=True,
        note=PRAISE,
        expected_version=followup.version,
    )
    db.session.commit()

    messages = smtp_server.wait_for(2)
    assert _recipients(messages) == ["pic2@example.com", "pic@example.com"]
    for message in messages:
        assert "Diterima" in message["Subject"] and "rekomendasi 3" in message["Subject"]
        text = message.get_body(("plain",)).get_content()
        assert "Koordinator menerima tindak lanjut" in text
        assert PRAISE in text


def test_each_pic_gets_the_mail_in_their_own_language(
    world, people, followup, request_ctx, smtp_server
):
    people["pic2"].language = "en"
    db.session.commit()
    _submit(followup, world)
    smtp_server.wait_for(2)
    smtp_server.messages.clear()

    services.return_followup(followup, world.koordinator, NOTE, expected_version=followup.version)
    db.session.commit()

    smtp_server.wait_for(2)
    (english,) = smtp_server.to("pic2@example.com")
    (indonesian,) = smtp_server.to("pic@example.com")
    assert english["Subject"] == "Returned (not yet adequate): recommendation 3"
    assert english.get_body(("plain",)).get_content().startswith("Dear Pic2,")
    assert indonesian["Subject"] == "Dikembalikan (belum sesuai): rekomendasi 3"
    assert indonesian.get_body(("plain",)).get_content().startswith("Yth. Pic,")
    assert '<html lang="en">' in english.get_body(("html",)).get_content()
    assert '<html lang="id">' in indonesian.get_body(("html",)).get_content()
    assert NOTE in english.get_body(("plain",)).get_content()


def test_a_refused_return_sends_nothing(world, followup, request_ctx, smtp_server):
    _submit(followup, world)
    smtp_server.wait_for(2)
    smtp_server.messages.clear()

    with pytest.raises(VerificationError):
        services.return_followup(
            followup, world.koordinator, "  ", expected_version=followup.version
        )
    db.session.rollback()
    db.session.commit()

    assert smtp_server.messages == []


def test_a_stale_submission_sends_nothing(world, followup, request_ctx, smtp_server):
    with pytest.raises(StaleFollowUpError):
        services.submit(followup, world.pic, followup.version - 1)
    db.session.rollback()
    db.session.commit()

    assert smtp_server.messages == []


def _version(client, followup) -> str:
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    tag = _VERSION.search(html)
    assert tag, "no version field on the follow-up page"
    return _VALUE.search(tag.group(0)).group(1)


def _post_step(client, followup, step: str, data: dict | None = None):
    page = f"/followups/{followup.id}"
    payload = {"version": _version(client, followup), **(data or {})}
    return post(client, f"{page}/{step}", payload, token_from=page)


def test_through_the_pages_submit_return_and_a_refused_return(
    app, client, world, followup, smtp_server
):
    login(client, world.pic)
    assert _post_step(client, followup, "submit").status_code == 302
    to_koordinators = smtp_server.wait_for(2)
    assert _recipients(to_koordinators) == ["koordinator2@example.com", "koordinator@example.com"]
    assert all(
        f"/followups/{followup.id}" in m.get_body(("plain",)).get_content() for m in to_koordinators
    )
    smtp_server.messages.clear()

    koordinator = app.test_client()
    login(koordinator, world.koordinator)
    assert _post_step(koordinator, followup, "return", {"note": ""}).status_code == 400
    assert smtp_server.messages == []

    assert _post_step(koordinator, followup, "return", {"note": NOTE}).status_code == 302
    to_pics = smtp_server.wait_for(2)
    assert _recipients(to_pics) == ["pic2@example.com", "pic@example.com"]
    assert all(NOTE in m.get_body(("plain",)).get_content() for m in to_pics)

"""Comments on a follow-up: who may post, empty and overlong ones, escaping, order."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_token, login
from tracker.comments import services
from tracker.comments.models import Comment
from tracker.extensions import db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def followup(world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=1)
    return evaluation.recommendations[0].followup


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Comment))


def _comment(client, followup, body: str):
    token = csrf_token(client, f"/followups/{followup.id}")
    return client.post(
        f"/followups/{followup.id}/comments", data={"csrf_token": token, "body": body}
    )


def _section(html: str) -> str:
    match = re.search(r'<section[^>]*id="komentar".*?</section>', html, re.DOTALL)
    assert match, "no comments section"
    return match.group(0)


# --- services ---------------------------------------------------------------------------------


def test_add_comment_keeps_the_trimmed_text_and_author(world, followup, frozen_clock):
    comment = services.add_comment(followup, world.pic, "  Mohon arahan.  ")
    db.session.commit()
    assert (comment.body, comment.author_id) == ("Mohon arahan.", world.pic.id)
    assert comment.created_at == datetime(2025, 6, 2, tzinfo=UTC)


@pytest.mark.parametrize("body", ["", "  \n\t "])
def test_an_empty_comment_is_refused(world, followup, body):
    with pytest.raises(services.CommentError):
        services.add_comment(followup, world.pic, body)
    assert _count() == 0


def test_an_overlong_comment_is_refused(world, followup):
    with pytest.raises(services.CommentError):
        services.add_comment(followup, world.pic, "x" * (services.MAX_LENGTH + 1))
    services.add_comment(followup, world.pic, "x" * services.MAX_LENGTH)
    db.session.commit()
    assert _count() == 1


def test_comments_are_listed_oldest_first(world, followup, frozen_clock):
    frozen_clock(datetime(2025, 6, 3, 2, 0, tzinfo=UTC))
    later = services.add_comment(followup, world.koordinator, "Kedua")
    frozen_clock(datetime(2025, 6, 2, 2, 0, tzinfo=UTC))
    earlier = services.add_comment(followup, world.pic, "Pertama")
    db.session.commit()
    assert [c.id for c in services.comments(followup)] == [earlier.id, later.id]


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pic", "koordinator", "admin"])
def test_the_pic_and_managers_comment(client, world, followup, role):
    login(client, world.by_role(role))
    response = _comment(client, followup, "Data dukung sudah lengkap?")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/followups/{followup.id}#komentar")
    [comment] = db.session.scalars(select(Comment)).all()
    assert (comment.body, comment.author_id) == (
        "Data dukung sudah lengkap?",
        world.by_role(role).id,
    )
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "Data dukung sudah lengkap?" in _section(html)


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_comment_is_shown_back_with_the_reason(client, world, followup, body):
    login(client, world.pic)
    response = _comment(client, followup, body)
    assert response.status_code == 400
    assert "Komentar tidak boleh kosong." in _section(response.get_data(as_text=True))
    assert _count() == 0


def test_an_overlong_comment_is_refused_from_the_page(client, world, followup):
    login(client, world.pic)
    response = _comment(client, followup, "x" * (services.MAX_LENGTH + 1))
    assert response.status_code == 400
    section = _section(response.get_data(as_text=True))
    assert "invalid-feedback" in section
    # WTForms has no Indonesian catalog: its English default must not reach the user.
    assert "Field cannot be longer" not in section
    assert _count() == 0


def test_markup_in_a_comment_is_shown_as_text(app, client, world, followup):
    login(client, world.pic)
    assert _comment(client, followup, f"Lihat {SCRIPT} ini").status_code == 302
    reader = app.test_client()
    login(reader, world.koordinator)
    html = reader.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _section(html)


def test_pimpinan_reads_comments_but_may_not_post(client, world, followup):
    services.add_comment(followup, world.pic, "Mohon arahan pimpinan.")
    db.session.commit()
    login(client, world.pimpinan)
    html = client.get(f"/followups/{followup.id}").get_data(as_text=True)
    assert "Mohon arahan pimpinan." in _section(html)
    assert f'action="/followups/{followup.id}/comments"' not in html
    assert _comment(client, followup, "Saya ikut menulis.").status_code == 403
    assert _count() == 1


def test_pic_of_another_unit_does_not_find_the_followup(client, world, followup):
    login(client, world.other_pic)
    token = csrf_token(client, "/followups/mine")
    response = client.post(
        f"/followups/{followup.id}/comments", data={"csrf_token": token, "body": "Halo"}
    )
    assert response.status_code == 404
    assert _count() == 0


def test_the_conversation_reads_oldest_first_with_authors(app, world, followup, frozen_clock):
    pic, koordinator = app.test_client(), app.test_client()
    login(pic, world.pic)
    login(koordinator, world.koordinator)
    frozen_clock(datetime(2025, 6, 2, 2, 0, tzinfo=UTC))
    assert _comment(pic, followup, "Pertanyaan dari PIC.").status_code == 302
    frozen_clock(datetime(2025, 6, 3, 2, 0, tzinfo=UTC))
    assert _comment(koordinator, followup, "Jawaban koordinator.").status_code == 302
    section = _section(pic.get(f"/followups/{followup.id}").get_data(as_text=True))
    positions = [
        section.index(text)
        for text in (
            world.pic.name,
            "Pertanyaan dari PIC.",
            world.koordinator.name,
            "Jawaban koordinator.",
        )
    ]
    assert positions == sorted(positions)

"""The follow-up page asks the database a fixed number of times, however much evidence,
history and comments the follow-up holds (no query per item)."""

from __future__ import annotations

from datetime import date

from tests import factories
from tests.conftest import count_queries, login
from tracker.auth.models import Role
from tracker.comments.services import add_comment
from tracker.evidence.services import add_link
from tracker.extensions import db


def _add_work(followup, world, n: int) -> None:
    """n links and n comments, each by a different person (so nothing is cached by identity)."""
    for i in range(n):
        uploader = factories.make_user(
            f"pic{followup.id}.{i}@example.com", Role.PIC, [world.unit_a]
        )
        author = factories.make_user(f"k{followup.id}.{i}@example.com", Role.KOORDINATOR)
        add_link(
            followup,
            uploader,
            url=f"https://drive.example.com/bukti-{i}",
            title=f"Bukti {i}",
            document_date=date(2025, 5, 1),
        )
        add_comment(followup, author, f"Komentar {i}")
    db.session.commit()


def test_page_queries_do_not_grow_with_the_items(app, client, world):
    evaluation = factories.make_evaluation([world.unit_a], [world.pic], n_recommendations=2)
    small, large = (r.followup for r in evaluation.recommendations)
    _add_work(small, world, 1)
    _add_work(large, world, 8)
    login(client, world.koordinator)
    client.get(f"/followups/{small.id}")  # warm-up: the session's user and locale
    assert count_queries(app, client, f"/followups/{large.id}") == count_queries(
        app, client, f"/followups/{small.id}"
    )

"""Adding and listing comments on a follow-up."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.comments.models import Comment
from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.followups.models import FollowUp

MAX_LENGTH = 5000


class CommentError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def add_comment(followup: FollowUp, actor, body: str) -> Comment:
    body = body.strip()
    if not body:
        raise CommentError(_l("Komentar tidak boleh kosong."))
    if len(body) > MAX_LENGTH:
        raise CommentError(_l("Komentar paling panjang %(max)d karakter.", max=MAX_LENGTH))
    comment = Comment(followup_id=followup.id, author_id=actor.id, body=body, created_at=now_utc())
    db.session.add(comment)
    db.session.flush()
    return comment


def comments(followup: FollowUp) -> list[Comment]:
    """The follow-up's comments, oldest first (a conversation reads top to bottom)."""
    query = (
        select(Comment)
        .where(Comment.followup_id == followup.id)
        .order_by(Comment.created_at, Comment.id)
        .options(joinedload(Comment.author))
    )
    return list(db.session.scalars(query))

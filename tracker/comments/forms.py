"""The comment form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired

from tracker.comments.services import MAX_LENGTH
from tracker.core.forms import MaxLength, PageForm


class CommentForm(PageForm):
    id_prefix = "comment"

    body = TextAreaField(
        _l("Komentar"),
        validators=[DataRequired(_l("Komentar tidak boleh kosong.")), MaxLength(MAX_LENGTH)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Kirim komentar"))

"""Forms for adding evidence: a file (from a laptop or a phone's camera) or a link."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from tracker.core.clock import today_local
from tracker.core.forms import LocalDateField, MaxLength, PageForm


def _document_date() -> LocalDateField:
    return LocalDateField(
        _l("Tanggal dokumen"),
        validators=[DataRequired(_l("Isi tanggal dokumen."))],
        format="%Y-%m-%d",
        default=today_local,
    )


def _note() -> TextAreaField:
    return TextAreaField(_l("Keterangan (opsional)"), validators=[MaxLength(2000)])


class UploadForm(PageForm):
    id_prefix = "upload"

    file = FileField(_l("Berkas"), validators=[FileRequired(_l("Pilih berkas yang diunggah."))])
    title = StringField(
        _l("Judul (opsional)"),
        validators=[MaxLength(255)],
        description=_l("Bila kosong, nama berkas dipakai."),
    )
    document_date = _document_date()
    note = _note()
    submit = SubmitField(_l("Unggah"))


class LinkForm(PageForm):
    id_prefix = "link"

    url = StringField(
        _l("Tautan (URL)"),
        validators=[DataRequired(_l("Wajib diisi.")), MaxLength(2000)],
        render_kw={"inputmode": "url", "placeholder": "https://"},
    )
    title = StringField(_l("Judul"), validators=[DataRequired(_l("Wajib diisi.")), MaxLength(255)])
    document_date = _document_date()
    note = _note()
    submit = SubmitField(_l("Tambahkan tautan"))


class RemoveForm(FlaskForm):
    """Remove one evidence item: the button is the whole form."""

"""Forms of a PIC's work on a follow-up: the realisation and progress, and action-plan steps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from tracker.core.forms import LocalDateField, LocalIntegerField, MaxLength, PageForm, VersionedForm


class WorkForm(VersionedForm):
    id_prefix = "work"
    action_plan = TextAreaField(
        _l("Ringkasan rencana aksi"), validators=[MaxLength(10000)], render_kw={"rows": 3}
    )
    realisation = TextAreaField(
        _l("Uraian tindak lanjut (realisasi)"),
        validators=[MaxLength(20000)],
        render_kw={"rows": 6},
    )
    progress = LocalIntegerField(
        _l("Progres (%)"),
        validators=[
            InputRequired(_l("Wajib diisi.")),
            NumberRange(0, 100, _l("Isi angka 0 sampai 100.")),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": 100},
    )
    submit = SubmitField(_l("Simpan"))


class StepForm(PageForm):
    id_prefix = "step"
    text = StringField(_l("Langkah"), validators=[DataRequired(_l("Wajib diisi.")), MaxLength(500)])
    target_date = LocalDateField(
        _l("Target tanggal"),
        validators=[Optional()],
        format="%Y-%m-%d",
    )
    submit = SubmitField(_l("Tambah langkah"))


class StepActionForm(FlaskForm):
    """Mark a step done / not done, or remove it: the button is the whole form."""

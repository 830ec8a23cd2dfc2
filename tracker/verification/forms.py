"""Forms of the verification steps; each carries the follow-up's version."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from tracker.core.forms import MaxLength, VersionedForm

REQUIRED = _l("Wajib diisi.")


class SubmitForm(VersionedForm):
    id_prefix = "submit"
    submit = SubmitField(_l("Kirim untuk verifikasi"))


class ProposeForm(VersionedForm):
    id_prefix = "propose"
    reason = TextAreaField(
        _l("Alasan tidak dapat ditindaklanjuti"),
        validators=[DataRequired(REQUIRED), MaxLength(5000)],
        description=_l("Misalnya keadaan kahar atau hambatan hukum; koordinator akan menilai."),
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Usulkan tidak dapat ditindaklanjuti"))


class AcceptForm(VersionedForm):
    id_prefix = "accept"
    cukup = BooleanField(_l("Cukup"))
    kompeten = BooleanField(_l("Kompeten"))
    relevan = BooleanField(_l("Relevan"))
    note = TextAreaField(
        _l("Catatan verifikator (opsional)"), validators=[MaxLength(5000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Terima (sesuai)"))


class ApproveForm(VersionedForm):
    id_prefix = "approve"
    note = TextAreaField(
        _l("Catatan verifikator (opsional)"), validators=[MaxLength(5000)], render_kw={"rows": 2}
    )
    submit = SubmitField(_l("Setujui tidak dapat ditindaklanjuti"))


class ReturnForm(VersionedForm):
    id_prefix = "return"
    note = TextAreaField(
        _l("Catatan: apa yang perlu diperbaiki"),
        validators=[DataRequired(REQUIRED), MaxLength(5000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Kembalikan (belum sesuai)"))


class ReopenForm(VersionedForm):
    id_prefix = "reopen"
    reason = TextAreaField(
        _l("Alasan membuka kembali"),
        validators=[DataRequired(REQUIRED), MaxLength(5000)],
        render_kw={"rows": 2},
    )
    submit = SubmitField(_l("Buka kembali"))

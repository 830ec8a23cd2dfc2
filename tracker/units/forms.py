"""The unit form (create and edit)."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker.extensions import db
from tracker.units.models import Unit

NO_PARENT = 0


class UnitForm(FlaskForm):
    code = StringField(
        _l("Kode"),
        description=_l("Huruf, angka, tanda - dan _; disimpan dengan huruf besar."),
        validators=[
            DataRequired(_l("Wajib diisi.")),
            Length(max=30, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    name = StringField(
        _l("Nama"),
        validators=[
            DataRequired(_l("Wajib diisi.")),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    # Choices are checked below and by the service, with Indonesian messages.
    parent = SelectField(_l("Unit induk"), coerce=int, default=NO_PARENT, validate_choice=False)
    active = BooleanField(_l("Aktif"), default=True)
    submit = SubmitField(_l("Simpan"))

    def validate_parent(self, field) -> None:
        """The parent must exist; hierarchy cycles are the service's to refuse."""
        if field.data not in (None, NO_PARENT) and db.session.get(Unit, field.data) is None:
            raise ValidationError(_l("Pilihan tidak valid."))

    def set_parent_choices(self, units) -> None:
        """Fill the parent select with `units` (plus "none")."""
        inactive = _("nonaktif")
        self.parent.choices = [SelectChoice(NO_PARENT, _l("— Tanpa induk —"))] + [
            SelectChoice(unit.id, str(unit) if unit.active else f"{unit} ({inactive})")
            for unit in units
        ]

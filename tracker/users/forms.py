"""User account forms: create, edit, and the list filter."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation, ValidationError

from tracker.core.labels import LANGUAGE_LABELS, ROLE_LABELS
from tracker.extensions import db
from tracker.units.models import Unit
from tracker.users.services import MIN_PASSWORD_LENGTH


def _role_choices():
    return [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class UserForm(FlaskForm):
    """Create (`new=True`) or edit an account; e-mail format, uniqueness, units: see services."""

    name = StringField(
        _l("Nama"),
        validators=[
            DataRequired(_l("Wajib diisi.")),
            Length(max=200, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    email = EmailField(
        _l("Surel"),
        validators=[
            DataRequired(_l("Wajib diisi.")),
            Length(max=254, message=_l("Paling banyak %(max)d karakter.")),
        ],
    )
    # Role, units and language: the service checks them, with Indonesian messages.
    role = SelectField(_l("Peran"), choices=_role_choices, validate_choice=False)
    units = SelectMultipleField(
        _l("Unit kerja"),
        coerce=int,
        validate_choice=False,
        description=_l("Wajib untuk PIC. Tahan Ctrl (atau Cmd) untuk memilih lebih dari satu."),
    )
    language = SelectField(
        _l("Bahasa"),
        choices=[SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()],
        default="id",
        validate_choice=False,
    )
    password = PasswordField(
        _l("Kata sandi"),
        validators=[Length(max=200, message=_l("Paling banyak %(max)d karakter."))],
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi"),
        validators=[EqualTo("password", message=_l("Kedua kata sandi tidak sama."))],
    )
    submit = SubmitField(_l("Simpan"))

    def __init__(self, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        if new:
            self.password.description = _l("Minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH)
        else:
            self.password.label.text = _l("Kata sandi baru")
            self.password.description = _l(
                "Kosongkan jika tidak diubah. Minimal %(n)d karakter.", n=MIN_PASSWORD_LENGTH
            )

    def validate_password(self, field) -> None:
        """Required for a new account; on edit, empty means unchanged."""
        if self.new and not field.data:
            raise StopValidation(_l("Wajib diisi."))

    def validate_units(self, field) -> None:
        """Every chosen unit must exist (whether it may be chosen is the service's rule)."""
        ids = set(field.data or [])
        if ids and len(db.session.scalars(select(Unit.id).where(Unit.id.in_(ids))).all()) != len(
            ids
        ):
            raise ValidationError(_l("Pilihan tidak valid."))

    def set_unit_choices(self, units) -> None:
        """Offer `units` in the multi-select."""
        self.units.choices = [SelectChoice(unit.id, str(unit)) for unit in units]


class UserFilterForm(FlaskForm):
    """The list's filter (GET, no CSRF): role, active, search text."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari nama atau surel"))
    role = SelectField(
        _l("Peran"),
        choices=lambda: [SelectChoice("", _l("Semua peran")), *_role_choices()],
        default="",
    )
    active = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Semua status")),
            SelectChoice("1", _l("Aktif")),
            SelectChoice("0", _l("Nonaktif")),
        ],
        default="",
    )

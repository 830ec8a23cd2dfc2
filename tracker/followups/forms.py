"""Forms for assigning follow-ups (one, or many at once), and the choices they offer."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import HiddenField, RadioField, SelectMultipleField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.auth.models import Role, User
from tracker.core.forms import LocalDateField
from tracker.extensions import db
from tracker.units.models import Unit

INVALID_CHOICE = _l("Pilihan tidak valid.")
RELOAD = _l("Formulir tidak lengkap. Muat ulang halaman lalu ulangi.")


def assignable_units(keep: Iterable[Unit] = ()) -> list[Unit]:
    """Active units, plus `keep` (already assigned ones, even if inactive), ordered by code."""
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.active.is_(True)))}
    units.update({u.id: u for u in keep})
    return sorted(units.values(), key=lambda u: u.code)


def assignable_pics(keep: Iterable[User] = ()) -> list[User]:
    """Active users with role PIC, plus `keep` (already assigned ones), ordered by name."""
    query = (
        select(User)
        .where(User.active.is_(True), User.role == Role.PIC)
        .options(selectinload(User.units))
    )
    users = {u.id: u for u in db.session.scalars(query)}
    users.update({u.id: u for u in keep})
    return sorted(users.values(), key=lambda u: (u.name.lower(), u.id))


INACTIVE = _l("nonaktif")


def _unit_label(unit: Unit) -> str:
    label = f"{unit.code} — {unit.name}"
    return label if unit.active else f"{label} ({INACTIVE})"


def _pic_label(user: User) -> str:
    codes = ", ".join(u.code for u in user.units) or _l("tanpa unit")
    label = f"{user.name} — {codes}"
    return label if user.active else f"{label} ({INACTIVE})"


class MultiCheckboxField(SelectMultipleField):
    """Several choices shown as checkboxes (usable on a phone, no script needed)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("invalid_value_message", INVALID_CHOICE)
        kwargs.setdefault("invalid_choice_message", INVALID_CHOICE)
        super().__init__(label, validators, **kwargs)


class _AssignmentFields(FlaskForm):
    units = MultiCheckboxField(_l("Unit pemilik"))
    pics = MultiCheckboxField(
        _l("PIC"),
        description=_l("Setiap PIC harus anggota salah satu unit pemilik yang dipilih."),
    )
    due_date = LocalDateField(_l("Batas waktu"), validators=[Optional()])

    def offer(self, units: list[Unit], pics: list[User]) -> None:
        """Set the choices; chosen ids are turned back into objects by `chosen_*`."""
        self._units = {u.id: u for u in units}
        self._pics = {u.id: u for u in pics}
        self.units.choices = [SelectChoice(u.id, _unit_label(u)) for u in units]
        self.pics.choices = [SelectChoice(u.id, _pic_label(u)) for u in pics]

    def chosen_units(self) -> list[Unit]:
        """The ticked units, as objects."""
        return [self._units[i] for i in dict.fromkeys(self.units.data or ())]

    def chosen_pics(self) -> list[User]:
        """The ticked PICs, as objects."""
        return [self._pics[i] for i in dict.fromkeys(self.pics.data or ())]

    @property
    def chosen_due_date(self) -> date | None:
        """The due date entered, or None when left empty."""
        return self.due_date.data


class AssignForm(_AssignmentFields):
    """Owner units, PICs and due date of one follow-up."""

    version = HiddenField()
    submit = SubmitField(_l("Simpan penugasan"))

    def validate_version(self, field):
        try:
            int(field.data or "")
        except ValueError:
            raise ValidationError(RELOAD) from None

    @property
    def expected_version(self) -> int:
        """The follow-up's version when the form was opened."""
        return int(self.version.data)


MODES = [
    SelectChoice("add", _l("Tambahkan ke yang sudah ada")),
    SelectChoice("replace", _l("Ganti")),
]


class BulkAssignForm(_AssignmentFields):
    """One assignment applied to several follow-ups of an evaluation."""

    followups = MultiCheckboxField(
        _l("Rekomendasi"),
        validators=[DataRequired(message=_l("Pilih minimal satu rekomendasi."))],
    )
    units_mode = RadioField(
        _l("Unit pemilik yang dipilih"),
        choices=MODES,
        default="add",
        invalid_choice_message=INVALID_CHOICE,
    )
    pics_mode = RadioField(
        _l("PIC yang dipilih"), choices=MODES, default="add", invalid_choice_message=INVALID_CHOICE
    )
    versions = HiddenField()
    submit = SubmitField(_l("Terapkan ke yang dicentang"))

    def validate_versions(self, field):
        try:
            self.expected_versions()
        except ValueError:
            raise ValidationError(RELOAD) from None

    def expected_versions(self) -> dict[int, int]:
        """{follow-up id: version} as the page showed them ("12:1 13:4")."""
        pairs = (item.split(":") for item in (self.versions.data or "").split())
        return {int(key): int(value) for key, value in pairs}

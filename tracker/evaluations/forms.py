"""Forms of the evaluation pages: header (with component rows on create), components, items."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.core.clock import today_local
from tracker.core.forms import LocalDateField, LocalDecimalField, LocalIntegerField
from tracker.evaluations.predikat import BANDS

NO_COMPONENT = 0
REQUIRED = _l("Wajib diisi.")
MAX_LENGTH = _l("Paling banyak %(max)d karakter.")


def _score_range(what):
    return NumberRange(min=0, max=100, message=_l("%(what)s harus antara 0 dan 100.", what=what))


def _typed(field) -> bool:
    """Whether something was typed into `field`."""
    return bool(field.raw_data and str(field.raw_data[0]).strip())


def score_field(label, *validators, **kwargs) -> LocalDecimalField:
    """An optional score or weight, typed with a decimal comma or point."""
    return LocalDecimalField(label, validators=[Optional(), *validators], **kwargs)


class EvaluationForm(FlaskForm):
    institution = StringField(
        _l("Instansi"), validators=[DataRequired(REQUIRED), Length(max=255, message=MAX_LENGTH)]
    )
    year = LocalIntegerField(
        _l("Tahun yang dievaluasi"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=2000, max=2100, message=_l("Tahun harus antara 2000 dan 2100.")),
        ],
    )
    evaluator = StringField(
        _l("Evaluator"),
        description=_l("Mis. Inspektorat Jenderal, Inspektorat Daerah, KemenPAN-RB, SPI."),
        validators=[DataRequired(REQUIRED), Length(max=255, message=MAX_LENGTH)],
    )
    document_number = StringField(
        _l("Nomor LHE"), validators=[Optional(), Length(max=120, message=MAX_LENGTH)]
    )
    report_date = LocalDateField(_l("Tanggal LHE"), validators=[Optional()])
    received_date = LocalDateField(_l("Tanggal diterima"), validators=[Optional()])
    followup_deadline = LocalDateField(_l("Batas waktu tindak lanjut"), validators=[Optional()])
    next_evaluation_date = LocalDateField(_l("Perkiraan evaluasi berikutnya"), [Optional()])
    total_score = score_field(
        _l("Nilai total"),
        _score_range(_l("Nilai total")),
        description=_l("Boleh memakai koma desimal, mis. 78,55."),
    )
    predikat = SelectField(_l("Predikat"), default="")
    notes = TextAreaField(_l("Keterangan"), validators=[Optional()])
    submit = SubmitField(_l("Simpan"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.predikat.choices = [("", _("— Hitung dari nilai total —"))] + [
            (code, f"{code} — {label}") for code, _lower, label in BANDS
        ]
        self.followup_deadline.description = _(
            "Bila dikosongkan: %(days)d hari setelah tanggal diterima.",
            days=current_app.config["DEFAULT_FOLLOWUP_DAYS"],
        )

    def validate_received_date(self, field):
        if field.data and field.data > today_local():
            raise ValidationError(_l("Tanggal diterima tidak boleh setelah hari ini."))

    def validate_report_date(self, field):
        received = self.received_date.data
        if field.data and received and field.data > received:
            raise ValidationError(_l("Tanggal LHE tidak boleh setelah tanggal diterima."))

    def validate_followup_deadline(self, field):
        received = self.received_date.data
        if field.data and received and field.data < received:
            raise ValidationError(_l("Batas waktu tidak boleh sebelum tanggal diterima."))


class ComponentRowForm(Form):
    """One row of the score table; a row left entirely empty is ignored."""

    component_id = HiddenField()
    name = StringField(_l("Komponen"), validators=[Length(max=200, message=MAX_LENGTH)])
    weight = score_field(_l("Bobot"), _score_range(_l("Bobot")))
    score = score_field(_l("Nilai"), _score_range(_l("Nilai")))
    order = LocalIntegerField(
        _l("Urutan"),
        validators=[
            Optional(),
            NumberRange(min=1, max=999, message=_l("Urutan harus antara 1 dan 999.")),
        ],
    )
    delete = BooleanField(_l("Hapus"))

    @property
    def is_blank(self) -> bool:
        """Nothing typed in this row (and it is not an existing component)."""
        return (
            not (self.component_id.data or "").strip()
            and not (self.name.data or "").strip()
            and not _typed(self.weight)
            and not _typed(self.score)
        )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.is_blank or self.delete.data:
            return valid
        if not (self.name.data or "").strip():
            self.name.errors.append(REQUIRED)
            valid = False
        if self.weight.data is None and not self.weight.errors:
            self.weight.errors.append(REQUIRED)
            valid = False
        return valid


class CreateEvaluationForm(EvaluationForm):
    """The header plus the component rows, so a typical LHE is typed in one go."""

    components = FieldList(FormField(ComponentRowForm), min_entries=0, max_entries=20)


class ComponentsForm(FlaskForm):
    rows = FieldList(FormField(ComponentRowForm), min_entries=0, max_entries=50)
    add_row = SubmitField(_l("Tambah baris"))
    submit = SubmitField(_l("Simpan"))


class FindingForm(FlaskForm):
    component = SelectField(_l("Komponen"), coerce=int, validate_choice=False)
    number = LocalIntegerField(
        _l("Nomor"),
        description=_l("Kosongkan untuk nomor berikutnya dalam komponen ini."),
        validators=[
            Optional(),
            NumberRange(min=1, max=999, message=_l("Nomor harus antara 1 dan 999.")),
        ],
    )
    text = TextAreaField(_l("Uraian"), validators=[DataRequired(REQUIRED)])
    submit = SubmitField(_l("Simpan"))

    def set_components(self, components) -> None:
        """Offer the evaluation's components (and "none")."""
        self.component.choices = [(NO_COMPONENT, _("— Tanpa komponen —"))] + [
            (component.id, component.name) for component in components
        ]


class RecommendationForm(FindingForm):
    findings = SelectMultipleField(
        _l("Catatan terkait"),
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def set_findings(self, findings) -> None:
        """Offer the evaluation's findings as checkboxes."""
        no_component = _("Tanpa komponen")
        self.findings.choices = [
            (
                finding.id,
                f"{finding.component.name if finding.component else no_component} "
                f"{finding.number}. {finding.text[:120]}",
            )
            for finding in findings
        ]

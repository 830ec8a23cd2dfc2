"""Forms of the LHE import: the upload, and the review of a parse (header, scores, items)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from tracker.core.clock import today_local
from tracker.core.forms import LocalDateField, LocalDecimalField, LocalIntegerField
from tracker.evaluations.predikat import BANDS
from tracker.lhe.document import ParsedLHE
from tracker.lhe.review import (
    MAX_COMPONENT,
    MAX_EVALUATOR,
    MAX_INSTITUTION,
    MAX_NUMBER,
    ComponentEdit,
    ItemEdit,
    ReviewEdits,
    split_parts,
)

REQUIRED = _l("Wajib diisi.")
MAX_LENGTH = _l("Paling banyak %(max)d karakter.")
EMPTY_SCORE_ROWS = 1
EMPTY_ITEM_ROWS = 3


def _score(label):
    return LocalDecimalField(
        label,
        validators=[
            Optional(),
            NumberRange(min=0, max=100, message=_l("Harus antara 0 dan 100.")),
        ],
    )


class UploadForm(FlaskForm):
    document = FileField(
        _l("Berkas LHE"),
        validators=[FileRequired(_l("Pilih berkas LHE."))],
        render_kw={"accept": ".pdf,.docx,.txt"},
    )
    submit = SubmitField(_l("Unggah dan baca"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document.description = _(
            "PDF (yang teksnya bisa dipilih), DOCX, atau TXT; paling besar %(mb)d MB.",
            mb=current_app.config["MAX_UPLOAD_MB"],
        )


class ScoreRowForm(Form):
    """A row of the score table; `original` keeps its name as shown, to follow a rename."""

    original = HiddenField()
    name = StringField(_l("Komponen"), validators=[Length(max=MAX_COMPONENT, message=MAX_LENGTH)])
    weight = _score(_l("Bobot"))
    score = _score(_l("Nilai"))
    drop = BooleanField(_l("Buang"))

    @property
    def is_blank(self) -> bool:
        return not any(
            (f.raw_data and str(f.raw_data[0]).strip())
            for f in (self.name, self.weight, self.score)
        )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        shown = not self.is_blank or bool(self.original.data)
        if shown and not self.drop.data and not (self.name.data or "").strip():
            self.name.errors.append(REQUIRED)
            valid = False
        return valid


class ItemRowForm(Form):
    """A finding or recommendation; `group` is the component it was shown under, `new` marks an
    added row (ignored while empty)."""

    group = HiddenField()
    new = HiddenField()
    component = SelectField(_l("Komponen"), validate_choice=False)
    text = TextAreaField(_l("Uraian"))
    merge = BooleanField(_l("Gabung ke butir sebelumnya"))
    drop = BooleanField(_l("Buang"))

    @property
    def is_new(self) -> bool:
        return self.new.data == "1"

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        blank = not split_parts(self.text.data or "")
        if blank and not self.drop.data and not self.is_new:
            self.text.errors.append(_l("Uraian wajib diisi. Centang Buang untuk membuangnya."))
            valid = False
        return valid


class ReviewForm(FlaskForm):
    institution = StringField(
        _l("Instansi"), validators=[Length(max=MAX_INSTITUTION, message=MAX_LENGTH)]
    )
    year = LocalIntegerField(
        _l("Tahun yang dievaluasi"),
        validators=[
            Optional(),
            NumberRange(min=2000, max=2100, message=_l("Tahun harus antara 2000 dan 2100.")),
        ],
    )
    evaluator = StringField(
        _l("Evaluator"), validators=[Length(max=MAX_EVALUATOR, message=MAX_LENGTH)]
    )
    number = StringField(_l("Nomor LHE"), validators=[Length(max=MAX_NUMBER, message=MAX_LENGTH)])
    report_date = LocalDateField(_l("Tanggal LHE"), validators=[Optional()])
    received_date = LocalDateField(_l("Tanggal diterima"), validators=[Optional()])
    followup_deadline = LocalDateField(_l("Batas waktu tindak lanjut"), validators=[Optional()])
    total_score = _score(_l("Nilai total"))
    predikat = SelectField(_l("Predikat"), default="", validate_choice=False)
    components = FieldList(FormField(ScoreRowForm), min_entries=0, max_entries=30)
    findings = FieldList(FormField(ItemRowForm), min_entries=0, max_entries=1000)
    recommendations = FieldList(FormField(ItemRowForm), min_entries=0, max_entries=1000)
    choice = RadioField(_l("Simpan sebagai"), validate_choice=False, default="")
    apply = SubmitField(_l("Terapkan perubahan"))
    save = SubmitField(_l("Simpan sebagai evaluasi"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.predikat.choices = [("", _("— Hitung dari nilai total —"))] + [
            (code, f"{code} — {label}") for code, _lower, label in BANDS
        ]

    @classmethod
    def for_parse(cls, parsed: ParsedLHE, received, deadline) -> ReviewForm:
        """The form showing `parsed`, with a few empty rows to add components and items."""

        def rows(items):
            return [
                {"group": i.component or "", "component": i.component or "", "text": i.text}
                for i in items
            ] + [{"new": "1", "component": ""}] * EMPTY_ITEM_ROWS

        data = {
            "institution": parsed.institution,
            "year": parsed.year,
            "evaluator": parsed.evaluator,
            "number": parsed.number,
            "report_date": parsed.report_date,
            "received_date": received,
            "followup_deadline": deadline,
            "total_score": parsed.total_score,
            "predikat": parsed.predikat or "",
            "components": [
                {"original": c.name, "name": c.name, "weight": c.weight, "score": c.score}
                for c in parsed.components
            ]
            + [{}] * EMPTY_SCORE_ROWS,
            "findings": rows(parsed.findings),
            "recommendations": rows(parsed.recommendations),
        }
        return cls(formdata=None, data=data)

    def set_component_choices(self) -> None:
        """Offer the table's components and any name an item uses (so none is lost)."""
        names: list[str] = []
        for entry in self.components:
            name = (entry.form.name.data or entry.form.original.data or "").strip()
            if name and name not in names:
                names.append(name)
        for entry in [*self.findings, *self.recommendations]:
            name = (entry.form.component.data or "").strip()
            if name and name not in names:
                names.append(name)
        choices = [("", _("— Tanpa komponen —"))] + [(name, name) for name in names]
        for entry in [*self.findings, *self.recommendations]:
            entry.form.component.choices = choices

    def validate_received_date(self, field):
        if field.data and field.data > today_local():
            raise ValidationError(_l("Tanggal diterima tidak boleh setelah hari ini."))

    def validate_followup_deadline(self, field):
        received = self.received_date.data
        if field.data and received and field.data < received:
            raise ValidationError(_l("Batas waktu tidak boleh sebelum tanggal diterima."))

    def edits(self) -> ReviewEdits:
        """The form as edits for `apply_review`."""

        def items(entries):
            return [
                ItemEdit(
                    component=e.form.component.data or None,
                    text=e.form.text.data or "",
                    merge=bool(e.form.merge.data),
                    drop=bool(e.form.drop.data),
                    new=e.form.is_new,
                )
                for e in entries
            ]

        return ReviewEdits(
            institution=self.institution.data,
            year=self.year.data,
            evaluator=self.evaluator.data,
            number=self.number.data,
            report_date=self.report_date.data,
            total_score=self.total_score.data,
            predikat=self.predikat.data,
            components=[
                ComponentEdit(
                    name=e.form.name.data or "",
                    weight=e.form.weight.data,
                    score=e.form.score.data,
                    original=e.form.original.data or None,
                    drop=bool(e.form.drop.data),
                )
                for e in self.components
                if not e.form.is_blank or e.form.original.data
            ],
            findings=items(self.findings),
            recommendations=items(self.recommendations),
        )

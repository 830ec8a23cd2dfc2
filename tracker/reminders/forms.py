"""The admin's reminder forms: the policy and the test e-mail."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, ValidationError

from tracker.core.forms import LocalIntegerField, MaxLength, PageForm
from tracker.reminders.policy import parse_days, parse_days_off, parse_time

REQUIRED = _l("Wajib diisi.")
MAX_EXTRA_HOLIDAYS = 5000  # characters: a few years of cuti bersama with notes


def _days(label, description=None, maximum: int = 365):
    """A whole number of days, 1 to `maximum`."""
    return LocalIntegerField(
        label,
        description=description,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(min=1, max=maximum, message=_l("Isi angka 1 sampai %(max)d.", max=maximum)),
        ],
        render_kw={"inputmode": "numeric"},
    )


class PolicyForm(FlaskForm):
    """The reminder policy. The texts are checked with the parsers the cycle uses, so what is
    saved can always be read back."""

    days_before = StringField(
        _l("Ingatkan PIC sebelum batas waktu (hari)"),
        description=_l(
            "Bilangan 1–365 dipisah koma, mis. 30,14,7,3,1. Kosongkan bila tidak diperlukan."
        ),
        validators=[MaxLength(100)],
    )
    on_due_date = BooleanField(_l("Ingatkan PIC pada hari batas waktu"))
    overdue_every_days = _days(_l("Selama terlambat, ingatkan PIC setiap … hari"))
    escalate_after_days = _days(_l("Eskalasi ke koordinator dan pimpinan setelah terlambat … hari"))
    escalate_every_days = _days(_l("Ulangi eskalasi setiap … hari"))
    verification_after_working_days = _days(
        _l("Ingatkan koordinator bila verifikasi menunggu lebih dari … hari kerja")
    )
    send_time = StringField(
        _l("Jam pengiriman"),
        description=_l("Waktu setempat, JJ:MM, mis. 07:00. Hanya pada hari kerja."),
        validators=[InputRequired(REQUIRED), MaxLength(5)],
    )
    extra_holidays = TextAreaField(
        _l("Hari libur tambahan (cuti bersama)"),
        description=_l(
            "Satu tanggal per baris (TTTT-BB-HH), boleh diikuti keterangan, "
            "mis. 2025-12-26 Cuti bersama Natal."
        ),
        validators=[MaxLength(MAX_EXTRA_HOLIDAYS)],
        render_kw={"rows": 5},
    )
    subject = StringField(_l("Subjek surel"), validators=[DataRequired(REQUIRED), MaxLength(200)])
    max_attempts = _days(
        _l("Percobaan kirim paling banyak"),
        _l("Setelah itu pengingat ditandai gagal dan dapat dikirim ulang dari halaman ini."),
        maximum=20,
    )
    submit = SubmitField(_l("Simpan"))

    def validate_days_before(self, field) -> None:
        try:
            parse_days(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Tulis bilangan 1 sampai 365 dipisah koma, mis. 30,14,7,3,1.")
            ) from None

    def validate_send_time(self, field) -> None:
        try:
            parse_time(field.data or "")
        except (ValueError, TypeError):
            raise ValidationError(_l("Tulis jam sebagai JJ:MM, mis. 07:00.")) from None

    def validate_extra_holidays(self, field) -> None:
        bad = parse_days_off(field.data or "")[1]
        if bad:
            raise ValidationError(
                _l(
                    "Baris berikut bukan tanggal TTTT-BB-HH: %(lines)s",
                    lines="; ".join(bad[:10]) + ("; …" if len(bad) > 10 else ""),
                )
            )

    def values(self) -> dict:
        """The checked values, in the form the settings row stores them."""
        days = parse_days(self.days_before.data or "")
        lines = [line.strip() for line in (self.extra_holidays.data or "").splitlines()]
        return {
            "days_before": ",".join(str(day) for day in days),
            "on_due_date": bool(self.on_due_date.data),
            "overdue_every_days": self.overdue_every_days.data,
            "escalate_after_days": self.escalate_after_days.data,
            "escalate_every_days": self.escalate_every_days.data,
            "verification_after_working_days": self.verification_after_working_days.data,
            "send_time": parse_time(self.send_time.data).strftime("%H:%M"),
            "extra_holidays": "\n".join(line for line in lines if line),
            "subject": self.subject.data.strip(),
            "max_attempts": self.max_attempts.data,
        }


class TestMailForm(PageForm):
    """Send one e-mail now, to check the mail settings."""

    id_prefix = "test-mail"

    to = EmailField(
        _l("Kirim ke"),
        validators=[DataRequired(REQUIRED), MaxLength(254)],
    )
    submit = SubmitField(_l("Kirim surel uji"))

    def validate_to(self, field) -> None:
        field.data = (field.data or "").strip()
        try:
            validate_email(field.data, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(_l("Alamat surel tidak valid.")) from None

"""Login form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Surel"),
        validators=[
            DataRequired(_l("Isi alamat surel Anda.")),
            Email(_l("Alamat surel tidak valid."), check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        _l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi Anda."))]
    )
    submit = SubmitField(_l("Masuk"))

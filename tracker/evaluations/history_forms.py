"""The carry-over form: which open recommendations of the previous year go into this one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, SubmitField
from wtforms.widgets import CheckboxInput, ListWidget


class CarryOverForm(FlaskForm):
    # Any id is accepted here: the carry-over service says which ones it refuses and why.
    recommendations = SelectMultipleField(
        _l("Rekomendasi yang dibawa"),
        coerce=int,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Bawa ke evaluasi ini"))

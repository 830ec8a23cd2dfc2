"""Form fields shared by every feature."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, HiddenField, IntegerField
from wtforms.validators import Length
from wtforms.widgets import TextInput


def parse_decimal(text: str) -> Decimal:
    """Read '78,55', '78.55' or '1.234,5' as people write them. Raises ValueError."""
    text = text.strip().replace(" ", "").replace("%", "")
    if "," in text and "." in text:
        # The last separator is the decimal one; the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


class LocalDecimalField(DecimalField):
    """A DecimalField that accepts a decimal comma ("78,55").

    Rendered as a text input with a decimal keypad: a number input would make some browsers
    refuse the comma before the server ever sees it.
    """

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("places", None)
        render_kw = {"inputmode": "decimal", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_decimal(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(_l("Bukan angka. Tulis seperti 78,55.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(self.data.normalize(), "f") if isinstance(self.data, Decimal) else self.data


class LocalIntegerField(IntegerField):
    """An IntegerField with Indonesian messages (WTForms has no Indonesian catalog); empty
    input gives None."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Bukan bilangan bulat.")) from None


class LocalDateField(DateField):
    """An HTML date input (YYYY-MM-DD) with Indonesian messages; empty input gives None."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = datetime.strptime(valuelist[0].strip(), "%Y-%m-%d").date()
        except ValueError:
            self.data = None
            raise ValueError(_l("Tanggal tidak valid.")) from None


def MaxLength(maximum: int) -> Length:  # noqa: N802 - reads like the validator it returns
    """`Length(max=…)` with an Indonesian message."""
    return Length(max=maximum, message=_l("Paling panjang %(max)d karakter."))


class PageForm(FlaskForm):
    """A form sharing its page with others: field ids get `id_prefix` so that none repeats
    (field names, and so what is posted, stay plain)."""

    id_prefix = ""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if form.id_prefix and "id" not in unbound_field.kwargs:
                options = {**options, "id": f"{form.id_prefix}-{options['name']}"}
            return unbound_field.bind(form=form, **options)


class VersionedForm(PageForm):
    """A form about one follow-up, carrying the version it was shown: a POST based on an older
    version is refused instead of silently overwriting someone else's change."""

    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None

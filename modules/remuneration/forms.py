"""The forms of Remuneration (TPP) (Flask-WTF: every form carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.kit import lazy_gettext as _l


class EntryForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), Length(max=200)])
    details = TextAreaField(_l("Details"), validators=[Length(max=5000)])

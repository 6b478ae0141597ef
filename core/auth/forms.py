from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from .passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    # Sign-in only matches an existing account, so a plain shape check is enough here.
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
    ])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in"))


class PasswordForm(FlaskForm):
    """A signed-in person changes their password (their other sessions end)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(),
        Length(min=MIN_LENGTH, max=1024, message=_l("Use at least %(min)d characters.", min=MIN_LENGTH)),
    ])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ.")),
    ])

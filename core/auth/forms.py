from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    # Sign-in only matches an existing account, so a plain shape check is enough here.
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Length(max=254), Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an e-mail address.")),
    ])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in"))

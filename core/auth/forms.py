from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, TelField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from .passwords import MIN_LENGTH

# what a browser's password manager needs to know (WHATWG autofill): a field choosing a password
# offers a generated one and saves it; the sign-in's field fills the saved one
NEW_PASSWORD = {"autocomplete": "new-password"}
# what a person signs in with: an e-mail address, or a mobile number (phone-only citizens)
SIGN_IN_NAME = r"^\s*([^@\s]+@[^@\s]+|\+?[0-9][0-9 ().-]{6,30})\s*$"


class LoginForm(FlaskForm):
    # Sign-in only matches an existing account, so a plain shape check is enough here.
    # an e-mail address, or the mobile number of a citizen who registered with one only
    email = StringField(_l("E-mail or mobile number"), validators=[
        DataRequired(), Length(max=254),
        Regexp(SIGN_IN_NAME, message=_l("Enter an e-mail address or a mobile number.")),
    ], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me signed in"))


class PasswordForm(FlaskForm):
    """A signed-in person changes their password (their other sessions end)."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1024)],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField(_l("New password"), validators=[
        DataRequired(),
        Length(min=MIN_LENGTH, max=1024, message=_l("Use at least %(min)d characters.", min=MIN_LENGTH)),
    ], render_kw=NEW_PASSWORD)
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ.")),
    ], render_kw=NEW_PASSWORD)


class ForgotForm(FlaskForm):
    """"Forgot password": the address to send a reset link to."""

    email = StringField(_l("E-mail or mobile number"), validators=[
        DataRequired(), Length(max=254),
        Regexp(SIGN_IN_NAME, message=_l("Enter an e-mail address or a mobile number.")),
    ], render_kw={"autocomplete": "username"})


class SetPasswordForm(FlaskForm):
    """A new password chosen from an invitation or reset link."""

    new = PasswordField(_l("New password"), validators=[
        DataRequired(),
        Length(min=MIN_LENGTH, max=1024, message=_l("Use at least %(min)d characters.", min=MIN_LENGTH)),
    ], render_kw=NEW_PASSWORD)
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(), EqualTo("new", message=_l("The two new passwords differ.")),
    ], render_kw=NEW_PASSWORD)


class RegisterForm(FlaskForm):
    """A citizen creates an account (where the tenant allows it)."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[
        Optional(), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not a valid e-mail address.")),
    ], render_kw={"autocomplete": "email"})
    phone = TelField(_l("Mobile phone (optional)"), validators=[Optional(), Length(max=32)], render_kw={"autocomplete": "tel"},
                     description=_l("Give it to confirm the account with a code by SMS instead of a link by e-mail."))
    # e-mail optional where the account can be confirmed by SMS: the page says so (``phone_only``)
    password = PasswordField(_l("Password"), validators=[
        DataRequired(),
        Length(min=MIN_LENGTH, max=1024, message=_l("Use at least %(min)d characters.", min=MIN_LENGTH)),
    ], render_kw=NEW_PASSWORD)
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ.")),
    ], render_kw=NEW_PASSWORD)

    phone_only = False  # set by the page where the tenant may confirm accounts by SMS only

    def validate(self, extra_validators=None):
        """One of the two is needed: an e-mail address, or (``phone_only``) a mobile number."""
        valid = super().validate(extra_validators)
        if not (self.email.data or "").strip():
            if not self.phone_only:
                self.email.errors = [*self.email.errors, _l("Enter an e-mail address.")]
                return False
            if not (self.phone.data or "").strip():
                self.email.errors = [*self.email.errors,
                                     _l("Give an e-mail address, or a mobile number to confirm the account by SMS.")]
                return False
        return valid


class ConfirmForm(FlaskForm):
    """A button and its CSRF token (a link's action is taken by POST, never by opening it)."""


class SmsCodeForm(FlaskForm):
    """The code sent by SMS to confirm a new account."""

    code = StringField(_l("Code from the SMS"), validators=[DataRequired(), Length(max=12)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})

"""The module's web forms (Flask-WTF: CSRF on every form). The services check everything again."""
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .labels import lazy_gettext as _l

# on a phone: the dial pad for numbers, the @ keyboard for addresses, the camera or gallery for photos
# (not ``capture``, which would open only the camera and hide the photos already taken)
TEL = {"inputmode": "tel", "autocomplete": "tel"}
EMAIL = {"inputmode": "email", "autocomplete": "email"}
PHOTOS = {"accept": "image/*"}
COORDINATE = {"autocomplete": "off", "spellcheck": "false"}


class ComplaintForm(FlaskForm):
    category = SelectField(_l("What is it about?"), validators=[DataRequired()])
    description = TextAreaField(
        _l("Describe the problem"), validators=[DataRequired(), Length(min=5, max=4000)],
        description=_l("What is wrong, since when, and anything that helps the officers find it."),
    )
    district = SelectField(_l("District (kecamatan)"), validators=[Optional()])
    village = SelectField(_l("Village (kelurahan)"), validators=[Optional()])
    address = StringField(_l("Address or landmark"), validators=[Optional(), Length(max=300)])
    latitude = StringField(_l("Latitude (optional)"), validators=[Optional(), Length(max=32)],
                           description=_l("For example -5.1477"), render_kw=COORDINATE)
    longitude = StringField(_l("Longitude (optional)"), validators=[Optional(), Length(max=32)],
                            description=_l("For example 119.4327"), render_kw=COORDINATE)
    photos = MultipleFileField(_l("Photos (optional)"), description=_l("JPEG, PNG or WebP."), render_kw=PHOTOS)
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    phone = TelField(_l("Mobile phone (optional)"), validators=[Optional(), Length(max=32)], render_kw=TEL)
    email = EmailField(_l("E-mail (optional)"), validators=[Optional(), Length(max=254)], render_kw=EMAIL)
    notify_by = RadioField(
        _l("Tell me about progress by"), default="",
        choices=[("", _l("The contact I gave")), ("sms", _l("SMS")), ("email", _l("E-mail")),
                 ("none", _l("Do not tell me"))],
        validators=[Optional()],
    )
    anonymous = BooleanField(
        _l("Anonymous: hide my identity from the agency's officers too"),
        description=_l("Only the complaint coordinator will see your name and contact."),
    )
    confidential = BooleanField(
        _l("Confidential: do not publish this complaint"),
        description=_l("It will not appear on any public page, list or data feed; only the officers handling it see it."),
    )


class HotlineForm(ComplaintForm):
    """An officer enters a call on the caller's behalf."""

    name = StringField(_l("Caller's name"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Caller's phone"), validators=[Optional(), Length(max=32)], render_kw={"inputmode": "tel"})
    email = EmailField(_l("Caller's e-mail"), validators=[Optional(), Length(max=254)], render_kw={"inputmode": "email"})
    anonymous = BooleanField(_l("Anonymous: the caller asks that officers not know who they are"))
    confidential = BooleanField(_l("Confidential: the caller asks that the complaint not be published"))


class TransitionForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Note for the citizen"), validators=[Optional(), Length(max=1000)],
                         description=_l("Required to reject, resolve or close without a fix. Shown on the public timeline."))
    # the coordinator, when verifying (privacy.py): only ever raises the protection
    anonymous = BooleanField(_l("Anonymous: hide the filer's identity from the agency's officers"))
    confidential = BooleanField(_l("Confidential: keep the complaint out of every public output"))


class RerouteForm(FlaskForm):
    agency = SelectField(_l("Forward to agency"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why is the problem not solved?"), validators=[DataRequired(), Length(max=1000)])
    access_key = StringField(_l("Access code"), validators=[Optional(), Length(max=32)],
                             description=_l("The code you were given when you filed the complaint."))


class AccessForm(FlaskForm):
    """A filer's action; the access code is asked only when the filer is not known to the session."""

    access_key = StringField(_l("Access code"), validators=[Optional(), Length(max=32)],
                             description=_l("The code you were given when you filed the complaint."))


class ConfirmForm(AccessForm):
    pass


class WithdrawForm(AccessForm):
    reason = TextAreaField(_l("Why do you withdraw it? (optional)"), validators=[Optional(), Length(max=1000)])


class AddInfoForm(AccessForm):
    text = TextAreaField(_l("What would you like to add?"), validators=[Optional(), Length(max=1000)])
    photos = MultipleFileField(_l("More photos (optional)"), description=_l("JPEG, PNG or WebP."), render_kw=PHOTOS)


class FindForm(FlaskForm):
    number = StringField(_l("Tracking number"), validators=[DataRequired(), Length(max=40)])
    contact = StringField(_l("The phone number or e-mail you gave, or your access code"),
                          validators=[DataRequired(), Length(max=254)])


class RecoverForm(FlaskForm):
    contact = StringField(_l("The phone number or e-mail you gave"), validators=[DataRequired(), Length(max=254)])


class RedactForm(FlaskForm):
    target = HiddenField(validators=[DataRequired()])
    event_id = HiddenField(validators=[Optional()])
    text = TextAreaField(_l("Text as it should be shown"), validators=[Optional(), Length(max=4000)])
    reason = StringField(_l("Why is it redacted?"), validators=[DataRequired(), Length(max=500)])


class HidePhotoForm(FlaskForm):
    reason = StringField(_l("Why is it hidden?"), validators=[DataRequired(), Length(max=500)])


class TrackForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    number = StringField(_l("Tracking number"), validators=[DataRequired(), Length(max=40)])


class AssignForm(FlaskForm):
    """Give a complaint to an officer of its agency ("me": the officer themself)."""

    assignee = SelectField(_l("Assign to"), validators=[DataRequired()])


class BulkForm(FlaskForm):
    """One action on the complaints ticked in the queue: ``assign:<user id>``/``assign:me``, or
    ``status:<status>`` (``status:closed:<outcome>``)."""

    action = SelectField(_l("With the chosen complaints"), validators=[DataRequired()])
    note = TextAreaField(_l("Note for the citizen"), validators=[Optional(), Length(max=1000)])
    query = HiddenField()  # the queue's filters, to come back to them


class FollowContactForm(FlaskForm):
    """Follow a complaint without an account: a code is sent to this phone or e-mail (follow.py)."""

    contact = StringField(_l("Your mobile phone number or e-mail address"),
                          validators=[DataRequired(), Length(max=254)],
                          description=_l("We send a code to it; you type the code back here."),
                          # a phone or an e-mail: neither keyboard nor autofill token may claim one
                          # of them (a phone user given the e-mail keyboard, a browser filling a phone)
                          render_kw={"autocomplete": "on"})


class FollowCodeForm(FlaskForm):
    code = StringField(_l("The code you received"), validators=[DataRequired(), Length(max=16)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


class RatingForm(AccessForm):
    """The filer's rating of the handling once the complaint closed (ratings.py, SP4N-LAPOR!)."""

    score = RadioField(_l("How well was your complaint handled?"), validators=[DataRequired()],
                       choices=[("5", _l("5 — very good")), ("4", _l("4 — good")), ("3", _l("3 — fair")),
                                ("2", _l("2 — poor")), ("1", _l("1 — very poor"))],
                       validate_choice=False)  # ratings.rate checks it and says what is allowed
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=1000)])

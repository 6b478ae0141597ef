"""The forms of the e-office pages (Flask-WTF: every form carries a CSRF token). Choices are
filled by the view from the tenant's settings and organisation."""
from flask_wtf import FlaskForm
from wtforms import DateField, FileField, IntegerField, MultipleFileField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.kit import lazy_gettext as _l


class LetterForm(FlaskForm):
    letter_type = SelectField(_l("Letter type"), validators=[DataRequired()])
    # not WTForms' "Not a valid choice": the service's refusal names the code (settings.require_classification)
    classification = SelectField(_l("Classification code"), validators=[DataRequired()], validate_choice=False)
    security = SelectField(_l("Security classification"), validators=[DataRequired()])
    unit = SelectField(_l("Issuing agency"), validators=[DataRequired()])
    subject = StringField(_l("Subject"), validators=[DataRequired(message=_l("Enter the subject.")), Length(max=300)])
    body = TextAreaField(_l("Text"), description=_l("Paragraphs, bold, italics, lists and tables are kept."),
                         validators=[DataRequired(message=_l("Write the letter's text."))])
    to_units = SelectMultipleField(_l("To (units)"), validate_choice=False)
    to_positions = SelectMultipleField(_l("To (positions)"), validate_choice=False)
    to_external = TextAreaField(_l("To (outside, one per line)"), validators=[Length(max=2000)])
    to_tenants = SelectMultipleField(_l("To (other governments of this deployment)"), validate_choice=False)
    cc_units = SelectMultipleField(_l("Copies (tembusan) to units"), validate_choice=False)
    cc_tenants = SelectMultipleField(_l("Copies (tembusan) to other governments of this deployment"),
                                     validate_choice=False)
    cc_external = TextAreaField(_l("Copies (tembusan) outside, one per line"), validators=[Length(max=2000)])
    verifier_1 = SelectField(_l("First verifier (paraf)"), validate_choice=False)
    verifier_2 = SelectField(_l("Second verifier (paraf)"), validate_choice=False)
    verifier_3 = SelectField(_l("Third verifier (paraf)"), validate_choice=False)
    signer = SelectField(_l("Signer"), validate_choice=False)
    on_behalf = StringField(_l("Signed on behalf of (a.n.)"), validators=[Optional(), Length(max=200)])
    via = StringField(_l("Under (u.b.)"), validators=[Optional(), Length(max=200)])
    attachments = MultipleFileField(_l("Attachments (PDF, at most 5 MB each)"))


class ActionForm(FlaskForm):
    """A button that acts on the step shown (a stale page is refused as out of turn)."""
    step = HiddenField()


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Why it is withdrawn"), validators=[
        DataRequired(message=_l("Say why the draft is withdrawn (at most 2000 characters).")), Length(max=2000)])


class ReturnForm(FlaskForm):
    step = HiddenField()
    to_step = SelectField(_l("Return to"), validate_choice=False)
    note = TextAreaField(_l("Why"), validators=[DataRequired(message=_l("Say why it is returned.")), Length(max=2000)])


class DisposeForm(FlaskForm):
    to = SelectMultipleField(_l("To"), description=_l("One or more: each gets a disposition of their own."),
                             validate_choice=False)
    instruction = TextAreaField(_l("Instruction"), validators=[
        DataRequired(message=_l("Write the instruction (at most 2000 characters).")), Length(max=2000)])
    due_on = DateField(_l("Due on"), validators=[Optional()])
    parent = HiddenField()


class FollowUpForm(FlaskForm):
    follow_up = TextAreaField(_l("What was done (tindak lanjut)"), validators=[
        DataRequired(message=_l("Write what was done (at most 4000 characters).")), Length(max=4000)])
    report = FileField(_l("Report (PDF, at most 5 MB; optional)"))


class TemplateForm(FlaskForm):
    """A letter type and its body template (the type's code is typed only when it is created)."""
    code = StringField(_l("Code"), description=_l("Capitals and digits, starting with a letter (at most 10)."),
                       validators=[Optional(), Length(max=10)])
    name_id = StringField(_l("Name (Indonesian)"), validators=[Length(max=80)])
    name_en = StringField(_l("Name (English)"), validators=[Length(max=80)])
    layout = SelectField(_l("Layout"), description=_l("How Permendagri 1/2023 lays the letter out."),
                         validate_choice=False)
    template = TextAreaField(_l("Body template"), description=_l(
        "The starting text of a new letter of this type (simple HTML: paragraphs, bold, italics, lists, tables; "
        "no script)."), validators=[Length(max=20000)], render_kw={"rows": 12})
    version = HiddenField()


class RegisterForm(FlaskForm):
    """An incoming letter registered by hand (register.py): checked there, every field at once."""
    unit = SelectField(_l("Receiving agency"), validate_choice=False)
    sender = StringField(_l("Sender"), description=_l("The agency, company or person who wrote the letter."))
    sender_number = StringField(_l("The sender's number"), description=_l("As written on the letter; empty if it has none."))
    letter_date = DateField(_l("Letter date"), validators=[Optional()])
    subject = StringField(_l("Subject"))
    letter_type = SelectField(_l("Letter type"), validate_choice=False)
    classification = SelectField(_l("Classification code"), validate_choice=False)
    security = SelectField(_l("Security classification"), validate_choice=False)
    scan = FileField(_l("Scanned letter (PDF, at most 5 MB)"))


class ReviewForm(FlaskForm):
    """What the review of a dossier due for it decided (appraisal.py)."""
    decision = SelectField(_l("Decision"), validate_choice=False)
    reference = StringField(_l("Berita acara number"), description=_l("Of the hand-over or the destruction."))
    on = DateField(_l("Date of the decision"), validators=[Optional()])
    years = IntegerField(_l("Years longer (when kept)"), validators=[Optional()])

"""The module's forms. The application form is built per permit type: the applicant's identity,
then one input per field requirement and one file input per document requirement (named by the
requirement's code, so a service's ``ValidationError(where=code)`` lands on its input)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.kit import lazy_gettext as _l



def application_form(ptype, locale: str, **kw) -> FlaskForm:
    class ApplicationForm(FlaskForm):
        name = StringField(_l("Full name (as on the KTP)"), validators=[DataRequired(), Length(max=200)])
        # a draft may be saved without it; submitting needs it (checks.submit_problems)
        nik = StringField(_l("NIK (16 digits)"), validators=[Optional(), Length(max=30)])
        nib = StringField(_l("NIB (13 digits, for a business)"), validators=[Optional(), Length(max=30)])
        business_name = StringField(_l("Business name (shown on the public register)"),
                                    validators=[Optional(), Length(max=200)])
        phone = StringField(_l("Mobile number for notifications"), validators=[Optional(), Length(max=20)])
        save = SubmitField(_l("Save and continue later"))
        send = SubmitField(_l("Submit the application"))

    for req in ptype.requirements:
        label = req["label_en"] if locale == "en" else req["label_id"]
        if req["kind"] == "field":
            setattr(ApplicationForm, req["code"], StringField(label, validators=[Optional(), Length(max=500)]))
        else:
            accepted = ", ".join(a.upper() for a in req["accepted"])
            setattr(ApplicationForm, req["code"], FileField(label, description=accepted))
    return ApplicationForm(**kw)


class ActForm(FlaskForm):
    step = HiddenField()
    decision = SelectField(_l("Decision"), choices=[
        ("approve", _l("Approve this stage")), ("ask", _l("Ask the applicant to complete (clock stops)")),
        ("reset", _l("Return for correction (clock reset)")), ("back", _l("Return to the previous stage")),
        ("reject", _l("Refuse the application"))])
    note = TextAreaField(_l("Note (required unless approving)"), validators=[Optional(), Length(max=1000)])
    send = SubmitField(_l("Record the decision"))


class PaymentForm(FlaskForm):
    amount = IntegerField(_l("Amount received (rupiah)"), validators=[InputRequired(), NumberRange(min=1)])
    reference = StringField(_l("Receipt or transaction number"), validators=[Optional(), Length(max=100)])
    send = SubmitField(_l("Record the payment"))


class WithdrawForm(FlaskForm):
    """The applicant withdraws their application (``withdrawal.py``)."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=1000)])
    confirm = BooleanField(_l("I withdraw this application"), validators=[
        DataRequired(message=_l("Tick to confirm."))])
    send = SubmitField(_l("Withdraw the application"))


class IssueForm(FlaskForm):
    send = SubmitField(_l("Sign and issue the permit"))


STATUS_ACTIONS = {"suspend": _l("Suspend"), "lift": _l("Lift the suspension"), "revoke": _l("Revoke (for good)")}


class StatusForm(FlaskForm):
    """Suspend, lift or revoke an issued permit; ``for_status`` offers only what its status allows."""

    action = SelectField(_l("Action"), choices=list(STATUS_ACTIONS.items()))
    reason = TextAreaField(_l("Reason (shown to anyone who checks the permit)"), validators=[
        DataRequired(message=_l("Give the reason.")), Length(max=1000)])
    confirm = BooleanField(_l("I confirm this change of the permit's status"), validators=[
        DataRequired(message=_l("Tick to confirm."))])
    send = SubmitField(_l("Apply"))

    @classmethod
    def for_status(cls, permit_status: str, **kw) -> "StatusForm":
        allowed = {"valid": ("suspend", "revoke"), "suspended": ("lift", "revoke")}.get(permit_status, ())
        form = cls(**kw)
        form.action.choices = [(k, STATUS_ACTIONS[k]) for k in allowed]
        return form


class OssReportForm(FlaskForm):
    """The OSS report's period (``views_oss``): two tenant-local days ``from`` and ``to``
    (``YYYY-MM-DD``; a phone's date picker sends that form) and optionally one permit type. Read from
    the query string (a GET form: no CSRF token); checked by the view (``views_oss.read_period``)."""

    class Meta:
        csrf = False  # a GET report

    date_from = StringField(_l("From (date)"), name="from", validators=[Optional()],
                            render_kw={"type": "date"})
    date_to = StringField(_l("To (date)"), name="to", validators=[Optional()],
                          render_kw={"type": "date"})
    type = SelectField(_l("Permit"), validators=[Optional()], validate_choice=False)

"""The module's forms. The application form is built per permit type: the applicant's identity,
then one input per field requirement and one file input per document requirement (named by the
requirement's code, so a service's ``ValidationError(where=code)`` lands on its input)."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from core.kit import lazy_gettext as _l

from .fees import MAX_FEE

DIGITS = re.compile(r"[0-9]+")   # any run: its size is checked against the range, not here
NUMBER_HINT = _l("Digits only, decimals after a comma (e.g. 120 or 120,5).")


class WholeNumberField(StringField):
    """A whole number written in plain digits 0-9 (whitespace around it trimmed), from ``minimum``
    to ``maximum``: no sign, exponent (``1e9``), ``0x10``, ``1_000``, separator, decimal (``12.0``)
    or other scripts' digits (``١٢``), which ``IntegerField`` (Python's ``int()``) lets through or
    answers with its own English words. ``data``: the int, or None when not so written."""

    def __init__(self, label=None, validators=None, minimum: int = 1, maximum: int = MAX_FEE, **kw):
        kw.setdefault("render_kw", {"inputmode": "numeric", "autocomplete": "off"})
        super().__init__(label, validators, **kw)
        self.minimum, self.maximum = minimum, maximum
        self.raw, self.digits = None, False

    def process_formdata(self, valuelist):
        if valuelist:
            self.raw = str(valuelist[0])
            text = self.raw.strip()
            self.digits = bool(DIGITS.fullmatch(text))
            # a run past 20 digits is over any bound: never given to int() (its 4300-digit limit)
            self.data = int(text) if self.digits and len(text.lstrip("0")) <= 20 else None

    def _value(self):
        return self.raw if self.raw is not None else ("" if self.data is None else str(self.data))

    def pre_validate(self, form):
        if self.raw is None and self.data is not None:
            return   # not sent: the default
        if not (self.raw or "").strip():
            raise StopValidation(_l("Write the amount."))
        if self.data is None and not self.digits:
            raise StopValidation(_l("Write only digits 0-9, without dots, spaces, signs or letters."))
        if self.data is None or not self.minimum <= self.data <= self.maximum:
            raise StopValidation(_l("Write a whole number from %(min)s to %(max)s.", min=self.minimum,
                                    max=self.maximum))



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
        if req["kind"] == "field" and (req.get("number") or ptype.fee.field == req["code"]):
            # a number (``fees.NUMBER``): the phone shows its number pad; checked by ``checks.field_problems``
            setattr(ApplicationForm, req["code"], StringField(label, validators=[Optional(), Length(max=500)],
                                                              description=NUMBER_HINT,
                                                              render_kw={"inputmode": "decimal"}))
        elif req["kind"] == "field":
            setattr(ApplicationForm, req["code"], StringField(label, validators=[Optional(), Length(max=500)]))
        else:
            accepted = ", ".join(a.upper() for a in req["accepted"])
            setattr(ApplicationForm, req["code"], FileField(label, description=accepted))
    return ApplicationForm(**kw)


class ActForm(FlaskForm):
    step = HiddenField()
    seen = HiddenField()   # the application's state the officer saw (views_office.seen_mark)
    decision = SelectField(_l("Decision"), choices=[
        ("approve", _l("Approve this stage")), ("ask", _l("Ask the applicant to complete (clock stops)")),
        ("reset", _l("Return for correction (clock reset)")), ("back", _l("Return to the previous stage")),
        ("reject", _l("Refuse the application"))])
    note = TextAreaField(_l("Note (required unless approving)"), validators=[Optional(), Length(max=1000)])
    send = SubmitField(_l("Record the decision"))


class PaymentForm(FlaskForm):
    amount = WholeNumberField(_l("Amount received (rupiah)"), description=_l("Digits only, e.g. 1500000."))
    reference = StringField(_l("Receipt or transaction number"), validators=[Optional(), Length(max=100)])
    seen = HiddenField()
    send = SubmitField(_l("Record the payment"))


class WithdrawForm(FlaskForm):
    """The applicant withdraws their application (``withdrawal.py``)."""

    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=1000)])
    confirm = BooleanField(_l("I withdraw this application"), validators=[
        DataRequired(message=_l("Tick to confirm."))])
    send = SubmitField(_l("Withdraw the application"))


class IssueForm(FlaskForm):
    seen = HiddenField()
    send = SubmitField(_l("Sign and issue the permit"))


STATUS_ACTIONS = {"suspend": _l("Suspend"), "lift": _l("Lift the suspension"), "revoke": _l("Revoke (for good)")}


class StatusForm(FlaskForm):
    """Suspend, lift or revoke an issued permit; ``for_status`` offers only what its status allows."""

    # the choices offered follow the permit's status (``for_status``); any action of the three is read, so
    # a form opened before another tab changed the status gets the service's words ("already suspended")
    # rather than "not a valid choice" (issue 15)
    action = SelectField(_l("Action"), choices=list(STATUS_ACTIONS.items()), validate_choice=False)
    reason = TextAreaField(_l("Reason (shown to anyone who checks the permit)"), validators=[
        DataRequired(message=_l("Give the reason.")), Length(max=1000)])
    confirm = BooleanField(_l("I confirm this change of the permit's status"), validators=[
        DataRequired(message=_l("Tick to confirm."))])
    seen = HiddenField()
    send = SubmitField(_l("Apply"))

    def validate_action(self, field):
        if field.data not in STATUS_ACTIONS:
            raise ValidationError(_l("Choose one of the actions offered."))

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

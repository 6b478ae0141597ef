"""The forms of the clinic module (Flask-WTF: every form carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from .labels import lazy_gettext as _l


class RegisterForm(FlaskForm):
    """Portal and desk registration: the place is ``CLINIC/POLI`` (one select), the local day."""

    place = SelectField(_l("Clinic and poli"), validators=[DataRequired(message=_l("Choose a poli."))])
    day = DateField(_l("Day of the visit"), validators=[DataRequired(message=_l("Give the day of the visit."))])
    nik = StringField(_l("NIK (16 digits)"), validators=[Length(max=40)])
    bpjs = StringField(_l("BPJS card number (13 digits)"), validators=[Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(message=_l("Give the patient's name.")), Length(max=120)])
    phone = StringField(_l("Mobile phone"), validators=[Length(max=30)])
    jkn = BooleanField(_l("JKN patient (BPJS)"))
    attempt = HiddenField(validators=[Length(max=64)])  # the portal form's one-time value (registration.contact_key)


class StatusForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search

    code = StringField(_l("Booking code"), validators=[DataRequired(message=_l("Give your booking code.")),
                                                        Length(max=20)])


class CancelForm(FlaskForm):
    """The patient cancels their booking: the booking code (the booking's secret) and the CSRF token."""

    code = HiddenField(validators=[DataRequired(), Length(max=20)])


# one form for every vital sign out of bounds, the form's own check and the service's (encounters.VITALS)
BETWEEN = _l("Must be between %(min)s and %(max)s.")


class EncounterForm(FlaskForm):
    complaint = TextAreaField(_l("Complaint (anamnesis)"), validators=[DataRequired(message=_l("Record the complaint.")),
                                                                        Length(max=2000)])
    systolic = IntegerField(_l("Systolic (mmHg)"), validators=[Optional(), NumberRange(50, 300, message=BETWEEN)])
    diastolic = IntegerField(_l("Diastolic (mmHg)"), validators=[Optional(), NumberRange(20, 200, message=BETWEEN)])
    heart_rate = IntegerField(_l("Pulse (/min)"), validators=[Optional(), NumberRange(20, 250, message=BETWEEN)])
    temperature = StringField(_l("Temperature (°C)"), validators=[Optional(), Length(max=5)])
    weight = StringField(_l("Weight (kg)"), validators=[Optional(), Length(max=6)])
    icd10 = StringField(_l("Diagnosis ICD-10 code"), validators=[DataRequired(message=_l("Give an ICD-10 code.")),
                                                                 Length(max=10)])
    diagnosis = StringField(_l("Diagnosis"), validators=[Length(max=200)])
    prescription = TextAreaField(_l("Prescription"), validators=[Length(max=2000)])
    reason = StringField(_l("Reason for the amendment"), validators=[Length(max=500)])


class PractitionerNikForm(FlaskForm):
    """The tenant admin sets a practitioner's NIK (its rules: ``practitioners.set_nik``) or clears it
    (the button ``action=clear``; the field is then not read)."""

    nik = StringField(_l("NIK (16 digits)"), validators=[Length(max=40)])

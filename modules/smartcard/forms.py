"""The officer's forms of the city card: issue, link to a holder, block, unblock, replace, close.
Fields are named as the services' ``where`` (``card``, ``kind``, ``name``, ``nik``, ``nip``,
``reason``), so a refusal lands beside its field (``unit_of_work``)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from core.kit import lazy_gettext as _l


class BlockForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Length(max=200)])
    submit = SubmitField(_l("Block the card"))


class UnblockForm(FlaskForm):
    submit = SubmitField(_l("Unblock the card"))


HOLDER_KINDS = [("citizen", _l("Citizen (NIK)")), ("employee", _l("Employee (NIP)"))]
_REQUIRED = _l("This field is required.")


class HolderFields:
    kind = RadioField(_l("Holder"), choices=HOLDER_KINDS, default="citizen")
    name = StringField(_l("Holder's name"), validators=[Optional(), Length(max=120)])
    nik = StringField(_l("NIK (citizen)"), validators=[Optional(), Length(max=32)])
    nip = StringField(_l("NIP (employee)"), validators=[Optional(), Length(max=32)])


class IssueForm(FlaskForm, HolderFields):
    card = StringField(_l("Card number (16 digits)"), validators=[DataRequired(message=_REQUIRED), Length(max=32)])
    kind = RadioField(_l("Holder"), choices=[("none", _l("No holder yet (unregistered)"))] + HOLDER_KINDS,
                      default="none")
    submit = SubmitField(_l("Issue the card"))


class LinkForm(FlaskForm, HolderFields):
    submit = SubmitField(_l("Link the card"))


class ReplaceForm(FlaskForm):
    new_number = StringField(_l("New card number (16 digits)"),
                             validators=[DataRequired(message=_REQUIRED), Length(max=32)])
    submit = SubmitField(_l("Replace the card"))


class CloseForm(FlaskForm):
    close_reason = StringField(_l("Reason"), validators=[Length(max=200)])  # not "reason": the block form's is on the same page
    confirm = BooleanField(_l("I understand: the card can no longer be used and its balance is paid out"),
                           validators=[DataRequired(message=_l("Tick the box to close the card."))])
    submit = SubmitField(_l("Close the card"))


FORMS = {"block_form": BlockForm, "unblock_form": UnblockForm, "link_form": LinkForm,
         "replace_form": ReplaceForm, "close_form": CloseForm}


class TerminalForm(FlaskForm):
    code = StringField(_l("Terminal code"), validators=[DataRequired(message=_REQUIRED), Length(max=32)],
                       description=_l("Up to 32 letters, digits, '-' or '_', e.g. GATE-1."))
    merchant = SelectField(_l("Merchant or service point"), validators=[DataRequired(message=_REQUIRED)])
    token_name = StringField(_l("Name of its API token"), validators=[DataRequired(message=_REQUIRED), Length(max=64)],
                             description=_l("The token made on the API tokens page with the scope smartcard:terminal."))
    submit = SubmitField(_l("Register the terminal"))


class DeactivateForm(FlaskForm):
    submit = SubmitField(_l("Deactivate"))

"""Every problem of an application at once: a citizen who sends the form sees ALL that is wrong
(a missing requirement, a NIK of the wrong form, a bad phone, a file of the wrong type, a number
field that is not a number) in one answer, and nothing is saved until none is left.

- ``applicant_problems(applicant)``: the name, the phone (core ``normalise_phone``), the NIK and the
  NIB (core ``normalise_nik``/``normalise_nib``: UU 24/2013, PP 28/2025);
- ``field_problems(ptype, values)``: a field the fee formula reads that is not a number;
- ``file_problems(ptype, files, max_kb)``: each file checked by content and size (``uploads.check``);
- ``submit_problems(ptype, applicant, values, have)``: on submission, every required field and
  document not given (``have``: the document codes on file, old and new), a missing NIK, and a fee
  the formula cannot compute (``fees.Formula.amount_for``).

Each returns a list of ``ValidationError`` (``where`` the form field's name, ``code`` stable,
``local`` the reader's words where the raiser gave them); ``raise_all`` raises them as one
``Problems`` (or the one error itself, so a caller catching e.g. ``IdentityError`` still does).
"""
from __future__ import annotations

from core.kit import ValidationError, module_settings, normalise_nib, normalise_nik, normalise_phone

from .fees import _number
from .notices import _DOMAIN
from .settings import NAME
from .uploads import check as check_file

_l = _DOMAIN.lazy_gettext


def N_(message: str) -> str:
    return message


class Problems(ValidationError):
    """Several problems of one form. ``problems``: the ``ValidationError`` of each; ``where``,
    ``code`` and ``local`` are the first one's (so a caller reading one problem still can)."""

    def __init__(self, problems: list[ValidationError]):
        first = problems[0]
        super().__init__("; ".join(str(p) for p in problems), where=first.where, code=first.code,
                         local=first.local)
        self.problems = list(problems)


def problem(message: str, where: str, code: str) -> ValidationError:
    """An English ``message`` (msgid of this module) with its ``local`` translation."""
    return ValidationError(message, where=where, code=code, local=_l(message))


def raise_all(problems: list[ValidationError]) -> None:
    """Nothing when ``problems`` is empty; the one problem itself; else ``Problems``."""
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise Problems(problems)


def each(error: ValidationError) -> list[ValidationError]:
    """The problems an error carries (``Problems``) or the error itself."""
    return list(getattr(error, "problems", None) or [error])


def _try(found: list, check, *args) -> None:
    try:
        check(*args)
    except ValidationError as exc:
        found.append(exc)


def applicant_problems(applicant: dict) -> list[ValidationError]:
    """``applicant``: ``name``, ``nik``, ``nib``, ``phone`` as typed (empty NIK/NIB/phone allowed)."""
    found: list[ValidationError] = []
    if not " ".join(str(applicant.get("name") or "").split()):
        found.append(problem(N_("Give the applicant's name."), "name", "name_required"))
    if applicant.get("nik"):
        _try(found, normalise_nik, applicant["nik"])
    if applicant.get("nib"):
        _try(found, normalise_nib, applicant["nib"])
    phone = str(applicant.get("phone") or "").strip()
    if phone:
        try:
            normalise_phone(phone[:20])
        except ValidationError:
            # the core's message is English only: this module's own words, in the reader's language
            found.append(problem(N_("Not a mobile phone number (e.g. 0812 3456 7890)."), "phone",
                                 "invalid_phone"))
    return found   # the core names the kind of number (``nik``, ``nib``): the form's fields are named so


def field_problems(ptype, values: dict) -> list[ValidationError]:
    """A number field (``number = true``) given but not a number, or out of the fee table."""
    found: list[ValidationError] = []
    for req in ptype.fields():
        text = str((values or {}).get(req["code"]) or "").strip()
        if not text or not (req.get("number") or ptype.fee.field == req["code"]):
            continue
        if ptype.fee.field == req["code"]:
            try:
                ptype.fee.amount_for({req["code"]: text})
            except ValidationError as exc:
                found.append(exc if exc.code != "fee_out_of_table" else problem(
                    N_("This is above the largest value the fee table covers: ask the office."), req["code"],
                    "fee_out_of_table"))
        else:
            _try(found, _number, text, req["code"])
    return found


def file_problems(ptype, files: dict, max_kb: int) -> list[ValidationError]:
    """``files``: ``{document code: (bytes, file name)}`` of the files sent now; each checked by
    content, size and that its name's ending says the type its content is (``uploads.check``)."""
    found: list[ValidationError] = []
    for req in ptype.documents():
        if req["code"] in files:
            data, filename = files[req["code"]]
            _try(found, check_file, data, req["accepted"], max_kb, req["code"], filename)
    return found


def submit_problems(ptype, applicant: dict, values: dict, have: set[str]) -> list[ValidationError]:
    """What keeps the application from being submitted: each required field (empty in ``values``)
    and document (not in ``have``) by its code, the NIK, and the fee (``field_problems`` covers a
    number field that is given but wrong)."""
    found: list[ValidationError] = []
    if not applicant.get("nik"):
        found.append(problem(N_("The applicant's NIK is required."), "nik", "missing_requirement"))
    for req in ptype.fields():
        if req.get("required", True) and not str((values or {}).get(req["code"]) or "").strip():
            found.append(problem(N_("This field is required."), req["code"], "missing_requirement"))
    for req in ptype.documents():
        if req.get("required", True) and req["code"] not in have:
            found.append(problem(N_("This field is required."), req["code"], "missing_requirement"))
    fee_field = ptype.fee.field
    given = str((values or {}).get(fee_field) or "").strip() if fee_field else ""
    if fee_field and not given and not any(p.where == fee_field for p in found):
        # an optional field the fee formula reads, left empty: the fee cannot be computed
        found.append(problem(N_("The fee is computed from this: write a number."), fee_field, "missing_requirement"))
    return found


def all_problems(tenant, ptype, applicant: dict, values: dict, files: dict, have=(), send: bool = False
                 ) -> list[ValidationError]:
    """Every problem of the form at once (nothing written): the applicant, the fields, the files sent
    now (``{code: (bytes, file name)}``) and, when it is to be submitted (``send``), what is still missing given the
    documents already on file (``have``) and those sent now."""
    found = applicant_problems(applicant) + field_problems(ptype, values)
    found += file_problems(ptype, files, module_settings(tenant, NAME)["max_upload_kb"])
    if send:
        found += submit_problems(ptype, applicant, values, set(have) | set(files))
    return found

"""The module's pages (served under ``/complaints/``): citizens' pages in ``public.py``, the
filer's actions in ``filer.py``, following in ``follow.py``, officers' pages in ``officer.py``,
``redaction.py``, ``duplicates.py`` and ``waiting.py``, figures in ``transparency.py``. This file
holds the blueprint and what they share, among it the session's memory of which complaints the
visitor has proven they filed (by filing it here, its access code, or its phone or e-mail)."""
from __future__ import annotations

import time
from pathlib import Path

from flask import Blueprint, g, send_file, session
from flask_babel import format_decimal, get_locale

from core.kit import ValidationError, org_units, public, put_on_form

from ..labels import DOMAIN, gettext as _
from ..settings import categories, settings_of
from .. import services
from ..services import Filing

ngettext = DOMAIN.ngettext
bp = Blueprint("complaints", __name__)
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "complaints.css"


@bp.context_processor
def labels():
    """What every page of the module formats with."""
    from ..labels import action_label, channel_label, event_label, outcome_label, status_label
    from ..models import aware
    from ..transparency import scrub

    return {"status_label": status_label, "channel_label": channel_label, "event_label": event_label,
            "action_label": action_label, "outcome_label": outcome_label, "aware": aware, "scrubbed": scrub}


@bp.route("/complaints.css")
@public
def stylesheet():
    return send_file(STYLESHEET, mimetype="text/css", max_age=300)


@bp.route("/forms.js")
@public
def forms_script():
    """The error summary's script: focus on the summary, each link to its field (``static/forms.js``)."""
    return send_file(STYLESHEET.parent / "forms.js", mimetype="text/javascript", max_age=300)


_PROVEN = "complaints_filer_of"
MAX_PROVEN = 20
# What this browser session filed: [["<tenant id>:<number>", <until, epoch seconds>], ...]. It lets a
# filer who is not signed in reach their complaint (a *rahasia* one too) from the success page and
# for a while after (issue 20.3); it expires so that a shared computer does not show a later
# visitor the filer's details for long. The session cookie is signed, so it cannot be forged.
_FILED = "complaints_filed_here"
FILED_HOURS = 12


def proven(complaint) -> bool:
    """The visitor has shown this session that they filed ``complaint`` (or filed it in this session)."""
    key = f"{g.tenant.id}:{complaint.number}"
    if key in session.get(_PROVEN, []):
        return True
    now = time.time()
    return any(k == key and until > now for k, until in _filed_entries())


def _filed_entries() -> list:
    entries = session.get(_FILED, [])
    return [e for e in entries if isinstance(e, (list, tuple)) and len(e) == 2] if isinstance(entries, list) else []


def remember_filed(complaint) -> None:
    """This session filed ``complaint``: it may see it for ``FILED_HOURS``."""
    key, now = f"{g.tenant.id}:{complaint.number}", time.time()
    kept = [[k, until] for k, until in _filed_entries() if k != key and until > now]
    session[_FILED] = (kept + [[key, now + FILED_HOURS * 3600]])[-MAX_PROVEN:]


def remember_filer(complaint) -> None:
    key = f"{g.tenant.id}:{complaint.number}"
    kept = [k for k in session.get(_PROVEN, []) if k != key]
    session[_PROVEN] = (kept + [key])[-MAX_PROVEN:]


def locale() -> str:
    return str(get_locale() or "id")


def units(kind: str) -> list:
    """The request's tenant's active units of ``kind``, by name (the core's cached snapshots)."""
    return org_units(g.tenant, kind)


def unit_names() -> dict[int, str]:
    """Every unit's name by id, inactive ones included (old complaints still name them)."""
    return {u.id: u.name for u in org_units(g.tenant, active_only=False)}


def fill_choices(form) -> None:
    """The category, district and village lists of the request's tenant."""
    agencies = {a.code for a in units("agency")}  # a category whose agency is gone is not offered
    form.category.choices = [("", _("Choose a category"))] + [
        (c.code, c.name(locale())) for c in categories(g.tenant) if c.agency in agencies
    ]
    districts = units("district")
    form.district.choices = [("", _("Not sure / not listed"))] + [(d.code, d.name) for d in districts]
    names = {d.id: d.name for d in districts}
    codes = {d.id: d.code for d in districts}
    # each village names its district, so the form's script can show only the chosen district's
    form.village.choices = [("", _("Not sure / not listed"))] + [
        (v.code, f"{names.get(v.parent_id, '')} — {v.name}", {"data-district": codes.get(v.parent_id, "")})
        for v in units("village")
    ]


def narrow_villages(form) -> None:
    """Only the villages of the chosen district (the list as shown once a district is chosen; the
    service checks the pair again). No district chosen, or an unknown one: every village."""
    chosen = form.district.data or ""
    if chosen and any(code == chosen for code, *_rest in form.district.choices):
        form.village.choices = [c for c in form.village.choices if not c[0] or c[2].get("data-district") == chosen]


def filing_from(form, files) -> Filing:
    uploads = [f.read() for f in files if f and f.filename]
    return Filing(
        category=form.category.data or "", description=form.description.data or "",
        district=form.district.data or "", village=form.village.data or "", address=form.address.data or "",
        latitude=form.latitude.data, longitude=form.longitude.data, name=form.name.data or "",
        phone=form.phone.data or "", email=form.email.data or "", notify_by=form.notify_by.data or "",
        photos=uploads, anonymous=bool(form.anonymous.data), confidential=bool(form.confidential.data),
        locale=locale(),
    )


def show_error(form, exc: ValidationError) -> None:
    """Put a service's error on the field it names (or on the form); each of several at once
    (``core.kit.Problems``) on its own, in this module's words (``_field_message``)."""
    put_on_form(form, exc, message=_field_message)


def show_filing_problems(form, files, channel: str) -> None:
    """A filing form WTForms refused: the service's problems too (``services.problems_of``), so
    that one answer says them all, each beside its field, but for a field WTForms already refused
    (the same input: one message is enough)."""
    said = {field.short_name for field in form if field.errors}
    for problem in services.problems_of(g.tenant, filing_from(form, files), channel):
        if problem.where not in said:
            show_error(form, problem)


def _field_message(exc: ValidationError) -> str:
    known = {
        "required": _("This field is required."),
        "unknown_category": _("Choose one of the listed categories."),
        "unknown_agency": _("Complaints in this category cannot be received at the moment: please choose another "
                            "category, or contact the office."),
        "invalid_coordinate": _("Give a latitude between -90 and 90 and a longitude between -180 and 180."),
        "incomplete_coordinates": _("Give both latitude and longitude, or neither."),
        "invalid_phone": _("This is not a valid phone number."),
        "invalid_email": _("This is not an e-mail address."),
        "invalid_photo": _("A photo must be a JPEG, PNG or WebP image."),
        "photo_too_large": lambda: _("Each photo may be at most %(size)s.", size=photo_size_limit()),
        "too_many_photos": lambda: ngettext("At most %(num)d photo.", "At most %(num)d photos.",
                                            settings_of(g.tenant)["max_photos"]),
        "outside_indonesia": _("This place is outside Indonesia: the latitude must be between -11 and 6 and the "
                               "longitude between 95 and 141."),
        "outside_area": lambda: _("This place is outside the area of %(tenant)s.", tenant=g.tenant.name),
        "village_not_in_district": _("This village is not in the chosen district."),
        "html_not_allowed": _("Please write plain text, without HTML."),
        "cannot_reopen": _("This complaint can no longer be reopened: it was resolved too long ago, or it is not resolved."),
        "cannot_confirm": _("Only a resolved complaint can be confirmed."),
        "not_open": _("This complaint is no longer open."),
        "invalid_transition": _("This step is not possible for the complaint as it is now."),
        "invalid_outcome": _("Choose how the complaint ended only when closing it without a fix."),
        "unchanged": _("Nothing was changed."),
        "invalid_contact": _("Give the phone number or e-mail address you filed with."),
        "invalid_follow_contact": _("Give a mobile phone number (for example 0812 3456 7890) or an e-mail address."),
        "invalid_code": _("This code is not right for this complaint. Check the message you received."),
        "code_used": _("This code has already been used. Ask for a new code if you still want to follow."),
        "code_expired": _("This code has expired or was tried too many times: ask for a new code."),
        "complaint_ended": _("This complaint is closed: it can no longer be followed."),
        "invalid_score": _("Choose a score from 1 (very poor) to 5 (very good)."),
        "not_closed": _("You can rate the handling only once the complaint is closed."),
        "already_rated": _("This complaint has already been rated: a rating is given once."),
    }
    found = known.get(exc.code, exc.message)
    return found() if callable(found) else found


def photo_size_limit() -> str:
    """The tenant's largest photo in words people read: "5 MB", "1,5 MB", "300 KB"."""
    kb = settings_of(g.tenant)["max_photo_kb"]
    if kb < 1024:
        return f"{format_decimal(kb)} KB"
    return f"{format_decimal(round(kb / 1024, 1))} MB"


from . import (  # noqa: E402,F401  (their routes join the blueprint)
    duplicates, filer, follow, location, officer, public, redaction, transparency, waiting,
)

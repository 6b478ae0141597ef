"""The public pages of the clinic module: the clinics, registration on the portal, a patient's
status page (by booking code) and each clinic's queue board (meta refresh, no JavaScript).
The board is in ``views_board.py``, the desk and the practitioner's pages in ``views_desk.py``."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import Blueprint, g, redirect, render_template, request, send_file, url_for
from flask_babel import format_date, format_time
from flask_login import current_user

from core.kit import current_actor, has_permission, local_date, public, unit_of_work, utcnow

from . import figures
from .forms import RegisterForm, StatusForm
from .labels import gettext as _
from .labels import status_label
from .models import IN_QUEUE
from .problems import on_fields
from .registration import (
    Request, book, by_code, contact_key, first_bookable_day, local_time, queue_place, refusals,
)
from .settings import clinic_of, clinics, settings_of

pages = Blueprint("clinic", __name__)
STYLESHEET = Path(__file__).resolve().parent / "static" / "clinic.css"


def page_time(when, zone: bool = False) -> str:
    """A stored UTC time as the page's language writes the tenant's wall clock, as the core does
    ("09.00" id, "09:00" en; ``zone``: "09.00 WITA", for what a patient reads); "-" when None."""
    if when is None:
        return "-"
    return local_time(g.tenant, when) if zone else format_time(when, "short")


@pages.context_processor
def helpers():
    return {"status_label": status_label, "local_time": page_time,
            "day_label": lambda day: format_date(day, "medium") if day is not None else "",
            # the month's name written out ("2 Maret 2026", "2 March 2026"), for the figures' period
            "long_day": lambda day: format_date(day, "long") if day is not None else ""}


@pages.route("/clinic.css")
@public
def stylesheet():
    return send_file(STYLESHEET, mimetype="text/css", max_age=300)


@pages.route("/")
@public
def index():
    settings = settings_of(g.tenant)
    staff = [(endpoint, title) for permission, endpoint, title in (
        ("clinic.desk", "clinic.desk_home", _("Clinic desk")),
        ("clinic.encounter", "clinic.practice", _("My patients today")),
        ("core.admin", "clinic.practitioners_admin", _("Practitioners' NIK")))
        if current_user.is_authenticated and has_permission(current_user, g.tenant, permission)
        and (endpoint != "clinic.practice" or _is_practitioner(current_user))]
    return render_template("clinic/index.html", clinics=clinics(g.tenant), status=StatusForm(), staff=staff,
                           sms=settings["sms_registration"], sms_number=(settings.get("sms_number") or "").strip())


def _is_practitioner(user) -> bool:
    """Whether the user is one of a clinic's practitioners (their e-mail in its ``practitioners``):
    the worklist *My patients today* lists only those, so it is linked for them alone."""
    email = (user.email or "").strip().lower()
    return bool(email) and any(p.email == email for c in clinics(g.tenant) for p in c.practitioners)


def place_choices(tenant, only: str | None = None) -> list[tuple[str, str]]:
    """``[("PKM-A/UMUM", "Puskesmas Satu — Poli Umum"), ...]``: every clinic's polis, or ``only`` one clinic's."""
    return [(f"{c.code}/{p.code}", f"{c.name} — {p.name}") for c in clinics(tenant) if only in (None, c.code)
            for p in c.polis]


def _request_of(form: RegisterForm, channel: str) -> Request:
    clinic, _sep, poli = (form.place.data or "").partition("/")

    def text(field) -> str:
        return (field.data or "").strip()

    return Request(clinic=clinic, poli=poli, day=form.day.data, nik=text(form.nik), bpjs=text(form.bpjs),
                   name=text(form.name), phone=text(form.phone), jkn=True if form.jkn.data else None, channel=channel,
                   attempt=text(form.attempt) if channel == "portal" else "")


def register_with(form: RegisterForm, channel: str):
    """Book from a filled form: ``(visit, created)``, or ``(None, False)`` with every error on the
    form's fields."""
    req = _request_of(form, channel)
    with unit_of_work(form, show=show_on_field) as work:
        visit, created = book(g.tenant, current_actor(), req)
    if not work.ok:
        return None, False
    if channel == "portal" and not created and (not visit.contact_hash
                                                or visit.contact_hash != contact_key(req.phone, req.attempt)):
        # the booking exists, made from another phone or form (or at the desk): its code is not shown
        # to whoever knows the NIK (issue 17, trial; as the SMS channel answers)
        form.form_errors.append(_("This NIK or BPJS number already has a booking at that poli on that day. "
                                  "Its code was given to whoever made it; ask at the clinic's desk."))
        return None, False
    return visit, created


def recheck(form: RegisterForm, channel: str) -> None:
    """A form that came back with its own errors (a missing name, a bad date) gets the service's
    too (a past day, a malformed NIK, a full quota), all at once; nothing is written."""
    if not form.is_submitted() or form.meta.csrf and form.csrf_token.errors:
        return
    for problem in refusals(g.tenant, _request_of(form, channel)):
        show_on_field(form, problem, quiet_fields=True)


FIELDS = {"nik": "nik", "bpjs": "bpjs", "day": "day", "clinic": "place", "poli": "place", "phone": "phone",
          "name": "name"}


def show_on_field(form, exc, quiet_fields: bool = False) -> None:
    """Each refusal of the registration on the field it concerns (clinic and poli: the place)."""
    on_fields(form, exc, FIELDS, quiet_fields=quiet_fields)


@pages.route("/register", methods=["GET", "POST"])
@public
def register():
    form = RegisterForm()
    form.place.choices = place_choices(g.tenant)
    if request.method == "GET":
        form.place.data, form.day.data = _first_choice(request.args.get("place", ""))
        form.attempt.data = secrets.token_urlsafe(16)  # the same form sent twice finds its booking
    if form.validate_on_submit():
        visit, _created = register_with(form, "portal")
        if visit is not None:
            return redirect(url_for(".status", code=visit.booking_code))
    else:
        recheck(form, "portal")
    return render_template("clinic/register.html", form=form), 400 if request.method == "POST" else 200


def _first_choice(place: str) -> tuple[str | None, object]:
    """The register form's first place and day: ``place`` (``CLINIC/POLI``, e.g. from a link) when it
    is one of the choices, else the first; the first day that poli can still be booked (after its
    sessions have ended today: the next day it is open), so the first submit is not refused."""
    every = {f"{c.code}/{p.code}": (c, p) for c in clinics(g.tenant) for p in c.polis}
    if not every:
        return None, local_date(g.tenant, utcnow())
    place = place if place in every else next(iter(every))
    clinic, poli = every[place]
    return place, first_bookable_day(g.tenant, clinic, poli, utcnow())


@pages.route("/status")
@public
def status():
    form = StatusForm(request.args)
    visit = ahead = None
    if request.args.get("code") is not None and form.validate():
        visit = by_code(g.tenant, form.code.data)
        if visit is None:
            form.code.errors.append(_("No booking has that code."))
    estimate = None
    if visit is not None:  # patients ahead (shown only while the patient waits) and the estimate shown now
        ahead, estimate = queue_place(g.tenant, visit)
        ahead = ahead if visit.status in IN_QUEUE else None
    clinic = clinic_of(g.tenant, visit.clinic) if visit else None
    code = 404 if request.args.get("code") and visit is None else 200
    return render_template("clinic/status.html", form=form, visit=visit, ahead=ahead, clinic=clinic, estimate=estimate,
                           poli=clinic.poli(visit.poli) if clinic else None), code


@pages.route("/figures")
@public
def figures_page():
    from .chart import bar_chart

    start, end = figures.last_days(g.tenant, 30)
    rows = figures.table(g.tenant, start, end)
    names = {c.code: c for c in clinics(g.tenant)}

    def label(row):
        clinic = names.get(row["clinic"])
        poli = clinic.poli(row["poli"]) if clinic else None
        return f"{clinic.name if clinic else row['clinic']} · {poli.name if poli else row['poli']}"

    for row in rows:
        row["label"] = label(row)
    chart = bar_chart(_("Visits per clinic and poli"), [(r["label"], r["visits"]) for r in rows])
    return render_template("clinic/figures.html", rows=rows, chart=chart, start=start, end=end)


from . import views_admin, views_board, views_cancel, views_desk  # noqa: E402,F401  (their routes on the same blueprint)

"""A BPJS-shaped web service per clinic (BPJS Kesehatan's *WS Antrean FKTP*, which Mobile JKN calls
on a facility), under ``/api/v1/clinic/bpjs/<clinic>/``: the same paths, field names and envelope
``{"response": ..., "metadata": {"code", "message"}}``, so an integration is configuration.

Authentication: an API token of the tenant with the scope ``clinic:bpjs``, sent as BPJS does in
``x-token`` (or ``Authorization: Bearer``). Every error, refusals included, is the BPJS envelope with
``response`` null and ``metadata.code`` the HTTP status (``core.kit.bpjs_error``).

- ``GET  antrean/status/<kodepoli>/<tanggalperiksa>``: the poli's queue that day (``totalantrean`` the
  numbers not cancelled, ``sisaantrean`` those *call next* will still call, ``antreanpanggil`` the number called now, ``-`` for none: ``order.called_now``).
- ``POST antrean``: take a number (``nomorkartu`` / ``nik``, ``kodepoli``, ``tanggalperiksa``).
- ``GET  antrean/sisapeserta/<nomorkartu>/<kodepoli>/<tanggalperiksa>``: the patient's place.
- ``PUT  antrean/batal``: cancel (``nomorkartu``, ``kodepoli``, ``tanggalperiksa``, ``alasan``).
- ``POST antrean/checkin``: arrived (``kodebooking``, ``waktu`` in Unix milliseconds, optional); a
  second check-in is a business refusal (HTTP 200, ``metadata.code`` 201) saying when the first was.
"""
from __future__ import annotations

import functools
import re
from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, g, jsonify, request
from sqlalchemy import func, select

from core.kit import (
    PamongError, ValidationError, api_scope, bpjs_error, current_actor, db, json_object, local_date, tenant_scope,
    unit_of_work, utcnow,
)

from . import order, queue
from .labels import gettext as _
from .models import CANCELLED, Visit
from .order import CALLABLE
from .problems import each
from .registration import Request, book, by_code, cancel, find_patient, queue_place
from .settings import clinic_of, is_open

bp = Blueprint("clinic_bpjs", __name__)
SCOPE = "clinic:bpjs"
SKEW = timedelta(minutes=2)  # how far ahead of ours a caller's clock may be (a check-in's waktu)
_PUNCTUATION = re.compile(r"[\s.\-/]")  # what an identity number may hold besides digits (core.identity)


def ok(response=None, message: str = "Ok."):
    return jsonify(response=response, metadata={"code": 200, "message": message})


def refused(message: str):
    """A business refusal as BPJS answers one: HTTP 200, ``metadata.code`` 201, no response."""
    return jsonify(response=None, metadata={"code": 201, "message": message})


def x_token(view):
    """BPJS sends the token in ``x-token``: read it as the bearer token when no Authorization is sent."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("x-token", "")
        if token and "Authorization" not in request.headers:
            request.environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return view(*args, **kwargs)

    return wrapper


def _auth_refusal(status: int, code: str, message: str):
    """The core's token refusals in the tenant's language, in BPJS's envelope (the code stays)."""
    words = {"unknown_tenant": _("No tenant at this address."),
             "unauthorized": _("A valid API token of this tenant is required (x-token)."),
             "insufficient_scope": _("The token lacks the scope %(scope)s.", scope=SCOPE)}
    return bpjs_error(status, code, words.get(code, message))


def protected(view):
    return x_token(api_scope(SCOPE, error_format=_auth_refusal)(view))


def _place(clinic_code: str, kodepoli: str):
    clinic = clinic_of(g.tenant, clinic_code)
    if clinic is None:
        raise PamongError(_("Unknown health facility."), where="clinic", code="unknown_clinic")
    poli = clinic.poli(kodepoli)
    if poli is None:
        raise PamongError(_("Poli not found."), where="kodepoli", code="unknown_poli")
    return clinic, poli


def _day(text: str) -> date:
    try:
        return date.fromisoformat(str(text or ""))
    except ValueError:
        raise PamongError(_("tanggalperiksa is not in the form YYYY-MM-DD."), where="tanggalperiksa",
                          code="bad_date") from None


def _called_now(clinic: str, poli: str, day: date) -> str:
    """``antreanpanggil``: the number called last of those called now (``order.called_now``: called or
    with the practitioner; not one finished, skipped, absent or cancelled), ``-`` when there is none."""
    visit = db.session.execute(order.called_now(clinic, poli, day).limit(1)).scalar()
    return visit.number if visit is not None else "-"


def _failing(fn):
    """A PamongError (bad input) as the BPJS envelope, 400 (404 for an unknown booking)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except PamongError as exc:
            db.session.rollback()
            return bpjs_error(404 if exc.code in ("not_found", "unknown_clinic") else 400, exc.code, exc.message)

    return wrapper


@bp.route("/bpjs/<clinic_code>/antrean/status/<kodepoli>/<tanggalperiksa>")
@protected
@_failing
def status(clinic_code, kodepoli, tanggalperiksa):
    clinic, poli = _place(clinic_code, kodepoli)
    day = _day(tanggalperiksa)
    with tenant_scope(g.tenant):
        if not is_open(g.tenant, clinic, poli, day):  # a Sunday, a holiday, a closed day: no empty jampraktek
            return refused(_("%(poli)s is closed on %(day)s.", poli=poli.name, day=day.strftime("%d-%m-%Y")))
        counts = dict(db.session.execute(select(Visit.status, func.count()).where(
            Visit.clinic == clinic.code, Visit.poli == poli.code, Visit.day == day).group_by(Visit.status)).all())
        # every number taken and not cancelled; still to come: those with a place in call next's order
        # (order.py: checked in or booked; a skipped one is called by hand, not waiting), so the last of
        # them has ``sisaantrean`` - 1 ahead in ``sisapeserta``
        total = sum(n for s, n in counts.items() if s != CANCELLED)
        remaining = sum(counts.get(s, 0) for s in CALLABLE)
        sessions = poli.sessions_on(day)
        return ok({"namapoli": poli.name, "totalantrean": total, "sisaantrean": remaining,
                   "antreanpanggil": _called_now(clinic.code, poli.code, day), "keterangan": "",
                   "kodedokter": "", "namadokter": "",
                   "jampraktek": f"{sessions[0].start:%H:%M}-{sessions[-1].end:%H:%M}" if sessions else ""})


def _ticket(visit, poli, message=""):
    ahead, estimate = queue_place(g.tenant, visit)  # the place in call next's order, 0 once called
    return {"nomorantrean": visit.number, "angkaantrean": visit.serial, "kodebooking": visit.booking_code,
            "namapoli": poli.name, "sisaantrean": ahead,
            "antreanpanggil": _called_now(visit.clinic, visit.poli, visit.day),
            "estimasidilayani": int(estimate.replace(tzinfo=estimate.tzinfo or timezone.utc)
                                    .timestamp() * 1000) if estimate else None,
            "keterangan": message}


@bp.route("/bpjs/<clinic_code>/antrean", methods=["POST"])
@protected
@_failing
def take(clinic_code):
    body = json_object()
    clinic, poli = _place(clinic_code, str(body.get("kodepoli", "")))
    card = str(body.get("nomorkartu") or "")
    # JKN only with a card number: one without is a non-JKN patient, counted against that quota
    req = Request(clinic=clinic.code, poli=poli.code, day=_day(body.get("tanggalperiksa")),
                  nik=str(body.get("nik") or ""), bpjs=card, jkn=bool(card), channel="bpjs")
    with unit_of_work(api=False) as work:
        visit, created = book(g.tenant, current_actor(), req)
        ticket = _ticket(visit, poli, "" if created else _("The patient is already registered at this poli on that day."))
    if not work.ok:  # every problem in one message, an identity number naming its field in BPJS's words
        said = [_said(problem) for problem in each(work.error)]
        return bpjs_error(400, work.error.code, said[0] if len(said) == 1 else
                          " ".join(text if text.endswith(".") else text + "." for text in said))
    return ok(ticket)


def _said(problem) -> str:
    where = {"bpjs": "nomorkartu", "nik": "nik"}.get(problem.where)
    return f"{where}: {problem.message}" if where else str(problem.message)


@bp.route("/bpjs/<clinic_code>/antrean/sisapeserta/<nomorkartu>/<kodepoli>/<tanggalperiksa>")
@protected
@_failing
def remaining(clinic_code, nomorkartu, kodepoli, tanggalperiksa):
    clinic, poli = _place(clinic_code, kodepoli)
    day = _day(tanggalperiksa)
    with tenant_scope(g.tenant):
        visit = _visit_of(clinic.code, poli.code, day, nomorkartu)
        return ok(_ticket(visit, poli))


def _patient_of(card: str):
    """The patient ``nomorkartu`` names: a BPJS card number (13 digits) or a NIK (16). A malformed
    one is refused naming ``nomorkartu`` (400), not the kind of number it was taken for."""
    digits = _PUNCTUATION.sub("", card)
    try:
        return find_patient(g.tenant, bpjs=card) if len(digits) == 13 else find_patient(g.tenant, nik=card)
    except ValidationError as exc:
        message = exc.message if len(digits) == 16 and digits.isascii() and digits.isdigit() else \
            _("a BPJS card number of 13 digits or a NIK of 16 digits is required.")
        raise PamongError(f"nomorkartu: {message}", where="nomorkartu", code=exc.code) from None


def _visit_of(clinic: str, poli: str, day: date, card: str) -> Visit:
    patient = _patient_of(card)
    visit = None if patient is None else db.session.execute(select(Visit).where(
        Visit.clinic == clinic, Visit.poli == poli, Visit.day == day, Visit.active_patient == patient.id)).scalar()
    if visit is None:
        raise PamongError(_("No booking found."), where="nomorkartu", code="not_found")
    return visit


@bp.route("/bpjs/<clinic_code>/antrean/batal", methods=["PUT"])
@protected
@_failing
def cancel_booking(clinic_code):
    body = json_object()
    clinic, poli = _place(clinic_code, str(body.get("kodepoli", "")))
    day = _day(body.get("tanggalperiksa"))
    with unit_of_work(api=False) as work:
        with tenant_scope(g.tenant):
            visit = _visit_of(clinic.code, poli.code, day, str(body.get("nomorkartu") or ""))
            cancel(g.tenant, current_actor(), visit, str(body.get("alasan") or ""))
    if not work.ok:
        return bpjs_error(404 if work.error.code == "not_found" else 400, work.error.code, work.error.message)
    return ok(None)


@bp.route("/bpjs/<clinic_code>/antrean/checkin", methods=["POST"])
@protected
@_failing
def check_in(clinic_code):
    body = json_object()
    clinic = clinic_of(g.tenant, clinic_code)
    visit = by_code(g.tenant, str(body.get("kodebooking") or ""))
    if clinic is None or visit is None or visit.clinic != clinic.code:
        raise PamongError(_("Booking code not found."), where="kodebooking", code="not_found")
    at = _stated_time(body.get("waktu"), visit)
    with unit_of_work(api=False) as work:
        queue.check_in(g.tenant, current_actor(), visit.id, now=at)
    if not work.ok:
        if work.error.code == "already_checked_in":  # a business refusal, as BPJS answers one (201)
            return refused(work.error.message)
        return bpjs_error(400, work.error.code, work.error.message)
    return ok(None)


def _stated_time(when, visit: Visit) -> datetime | None:
    """``waktu`` of a check-in: Unix milliseconds (a JSON integer, not ``true``) on the booking's day
    (the tenant's local date), not later than now by more than ``SKEW`` (a clock a little ahead of
    ours is taken as now). Absent or null: now (None). Else 400 ``bad_time``, ``time_wrong_day`` or
    ``time_future``."""
    if when is None:
        return None
    if isinstance(when, bool) or not isinstance(when, int) or not 0 < when < 10**14:
        raise PamongError(_("waktu must be a time in Unix milliseconds (a whole number)."), where="waktu",
                          code="bad_time")
    at, now = datetime.fromtimestamp(when / 1000, timezone.utc), utcnow()
    if at > now + SKEW:
        raise PamongError(_("waktu is in the future."), where="waktu", code="time_future")
    if local_date(g.tenant, at) != visit.day:
        raise PamongError(_("waktu is not on the day of the booking (%(day)s).", day=visit.day.strftime("%d-%m-%Y")),
                          where="waktu", code="time_wrong_day")
    return min(at, now)


_ENVELOPE = {"type": "object", "properties": {
    "response": {"type": ["object", "null"]},
    "metadata": {"type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}}}
_ANSWER = {"content": {"application/json": {"schema": _ENVELOPE}}}
_SEC = [{"token": [SCOPE]}]
BASE = "/api/v1/clinic/bpjs/{clinic}/antrean"
_REFUSED = {
    "400": {"description": "Refused: metadata.code 400, metadata.message says why (BPJS envelope, response null)",
            **_ANSWER},
    "401": {"description": "No valid token of the tenant (x-token or Authorization: Bearer)", **_ANSWER},
    "403": {"description": "The token lacks the scope clinic:bpjs", **_ANSWER},
    "404": {"description": "Unknown health facility, poli or booking", **_ANSWER},
}
_DOCS = {"description": "BPJS Kesehatan WS Antrean FKTP (the envelope and field names follow it)",
         "url": "https://dvlp.bpjs-kesehatan.go.id/"}


def _op(summary: str, ok: str, body: dict | None = None, required: tuple = ()) -> dict:
    op = {"summary": summary, "security": _SEC, "tags": ["clinic"], "externalDocs": _DOCS,
          "responses": {"200": {"description": ok, **_ANSWER}, **_REFUSED}}
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": list(required), "properties": body}}}}
    return op


_S = {"type": "string"}
_DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
OPENAPI_PATHS = {
    BASE + "/status/{kodepoli}/{tanggalperiksa}": {"get": _op(
        "Queue status of a poli on a day (BPJS WS Antrean FKTP)",
        "response: namapoli, totalantrean, sisaantrean, antreanpanggil, jampraktek")},
    BASE: {"post": _op(
        "Take a queue number", "response: nomorantrean, angkaantrean, kodebooking, estimasidilayani (Unix ms)",
        {"nomorkartu": {**_S, "description": "BPJS card number (13 digits); or nik"},
         "nik": {**_S, "description": "NIK (16 digits); or nomorkartu"},
         "kodepoli": _S, "tanggalperiksa": _DATE}, ("kodepoli", "tanggalperiksa"))},
    BASE + "/sisapeserta/{nomorkartu}/{kodepoli}/{tanggalperiksa}": {"get": _op(
        "The patient's remaining queue", "response: nomorantrean, sisaantrean, antreanpanggil")},
    BASE + "/batal": {"put": _op(
        "Cancel a booking", "Cancelled (response null)",
        {"nomorkartu": _S, "kodepoli": _S, "tanggalperiksa": _DATE, "alasan": _S},
        ("nomorkartu", "kodepoli", "tanggalperiksa"))},
    BASE + "/checkin": {"post": _op(
        "The patient arrived", "Checked in (response null)",
        {"kodebooking": _S, "waktu": {"type": "integer", "description": "Unix milliseconds (optional)"}},
        ("kodebooking",))},
}


def _with_parameters(paths: dict) -> dict:
    """Each path's ``{name}`` declared as a required string path parameter (OpenAPI 3.1)."""
    import re

    for path, item in paths.items():
        item["parameters"] = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                              for n in re.findall(r"{(\w+)}", path)]
    return paths


OPENAPI_PATHS = _with_parameters(OPENAPI_PATHS)

"""A read-only FHIR R4 endpoint per tenant at ``/fhir`` (``/t/<slug>/fhir/Patient?identifier=...``)
for API tokens with the scope ``fhir:read``: searches answer ``searchset`` Bundles, reads one
resource, both as ``application/fhir+json``; every error is an ``OperationOutcome``.

Paging (FHIR R4 search, 3.1.1.5 / Bundle.link): ``_count`` (0 to 200, default 50; 0 gives the
total only) and ``_offset`` (where the page starts, in the links this server writes); the Bundle
carries ``total`` and ``link`` ``self``, ``first``, ``previous`` and ``next`` (absent on the last
page). A search matches at most 1,000 rows (``MATCH_LIMIT``). ``_format`` is accepted and ignored.
``/metadata`` answers the CapabilityStatement (public, as FHIR clients fetch it before a token).

Search parameters (anything else is refused, 400 ``unknown_parameter``): Patient ``identifier`` (``system|value`` or a NIK / BPJS number), ``_id``;
Encounter, Condition, Observation ``subject`` / ``patient`` (``Patient/p12``), Condition and
Observation also ``encounter``; Organization, Location, Practitioner ``_id``. A parameter given
more than once means AND (FHIR R4 search): every value must hold (``identifier`` twice: the
patient with both numbers; ``subject`` and ``patient`` together name one patient); ``_count`` and
``_offset`` repeated are refused (400 ``repeated_parameter``). Every search and read
of patient data is audited (``clinic.fhir.read``, one entry per request naming the patients whose
resources were answered: for a search, those of the page).
"""
from __future__ import annotations

import json

from urllib.parse import urlencode

from flask import Blueprint, Response, g, request
from sqlalchemy import select

from core.kit import (
    IdentityError, api_scope, audit, current_actor, db, fhir_error, identity_lookup, local_date, public, refusal,
    tenant_scope, tenant_url, unit_of_work, utcnow,
)

from . import fhir
from .labels import gettext as _
from .models import Encounter, Patient, Visit
from .settings import clinics

bp = Blueprint("clinic_fhir", __name__)
COMMON = {"_count", "_offset", "_format"}
SINGLE = ("_count", "_offset")  # not conditions: refused when repeated (``repeated_parameter``)
DEFAULT_COUNT, MAX_COUNT, MATCH_LIMIT = 50, 200, 1000
PARAMS = {"Patient": {"identifier", "_id"}, "Encounter": {"subject", "patient", "_id"},
          "Condition": {"subject", "patient", "encounter"}, "Observation": {"subject", "patient", "encounter"},
          "Organization": {"_id"}, "Location": {"_id"}, "Practitioner": {"_id"}}
CLINICAL = {"Patient", "Encounter", "Condition", "Observation"}


def answer(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type="application/fhir+json")


def _id_of(reference: str, prefix: str, letter: str) -> int | None:
    text = reference.split("/", 1)[1] if reference.startswith(prefix + "/") else reference
    if not text.startswith(letter) or not text[1:].isdigit() or len(text) > 12:
        return None
    return int(text[1:])


def _patients(args: dict[str, list[str]]) -> list[Patient]:
    """The patients matching every value of every parameter (a repeated parameter is AND: two
    identifiers find the patient holding both, a NIK and a card number of the same person)."""
    query = select(Patient)
    for value in args.get("_id", ()):
        query = query.where(Patient.id == (_id_of(value, "Patient", "p") or -1))
    kinds = {fhir.NIK: "nik", fhir.BPJS: "bpjs", "": None}
    for token in args.get("identifier", ()):
        system, _sep, value = token.rpartition("|")
        if system not in kinds:
            return []
        kind = kinds[system] or ("bpjs" if len(value.strip()) == 13 else "nik")
        try:
            digest = identity_lookup(kind, value)
        except IdentityError as exc:
            raise refusal(400, "bad_identifier", f"identifier: {exc.message}") from None
        query = query.where((Patient.nik_hash if kind == "nik" else Patient.bpjs_hash) == digest)
    return list(db.session.execute(query.order_by(Patient.id).limit(MATCH_LIMIT)).scalars())


def _subjects(args: dict[str, list[str]]) -> list[int]:
    """The patient ids every ``subject`` and ``patient`` value names (each must hold: AND); a
    reference that is not a patient of this server is -1, which matches nothing."""
    return [_id_of(ref, "Patient", "p") or -1 for name in ("subject", "patient") for ref in args.get(name, ())]


def _visits(args: dict[str, list[str]]) -> list[Visit]:
    query = select(Visit)
    for value in args.get("_id", ()):
        query = query.where(Visit.id == (_id_of(value, "Encounter", "e") or -1))
    for subject in _subjects(args):
        query = query.where(Visit.patient_id == subject)
    return list(db.session.execute(query.order_by(Visit.id.desc()).limit(MATCH_LIMIT)).scalars())


def _records(args: dict[str, list[str]], record_id: int | None = None) -> list[tuple[Encounter, Visit]]:
    """The encounter records matching ``args`` (newest first, at most ``MATCH_LIMIT``), or the one
    record ``record_id`` (a Condition's or an Observation's own, read by id)."""
    query = select(Encounter, Visit).join(Visit, Visit.id == Encounter.visit_id)
    if record_id is not None:
        query = query.where(Encounter.id == record_id)
    for subject in _subjects(args):
        query = query.where(Encounter.patient_id == subject)
    for value in args.get("encounter", ()):
        query = query.where(Encounter.visit_id == (_id_of(value, "Encounter", "e") or -1))
    limit = MATCH_LIMIT if record_id is None else 1
    return list(db.session.execute(query.order_by(Encounter.id.desc()).limit(limit)).all())


def search(tenant, rtype: str, args: dict[str, list[str]]) -> list[dict]:
    """The resources of ``rtype`` matching ``args`` (already checked): each parameter's values, a
    repeated parameter's every value (FHIR search: repeating a parameter means AND)."""
    places = {c.code: c for c in clinics(tenant)}
    if rtype == "Organization":
        found = [fhir.organization(c) for c in places.values()]
    elif rtype == "Location":
        found = [fhir.location(c, p) for c in places.values() for p in c.polis]
    elif rtype == "Practitioner":
        found = [fhir.practitioner(c, p) for c in places.values() for p in c.practitioners]
    elif rtype == "Patient":
        found = [fhir.patient(p) for p in _patients(args)]
    elif rtype == "Encounter":
        visits = _visits(args)
        records = {e.visit_id: e for e in db.session.execute(
            select(Encounter).where(Encounter.visit_id.in_([v.id for v in visits] or [-1]))).scalars()}
        today = local_date(tenant, utcnow())
        found = [fhir.encounter(v, places[v.clinic], records.get(v.id), today, tenant.timezone) for v in visits if v.clinic in places]
    elif rtype == "Condition":
        found = [fhir.condition(e, v) for e, v in _records(args) if e.icd10]
    else:
        found = [o for e, v in _records(args) for o in fhir.observations(e, v)]
    if rtype in ("Organization", "Location", "Practitioner"):
        found = [r for r in found if all(r["id"] == value for value in args.get("_id", ()))]
    return found


def patients_in(resources: list[dict]) -> list[int]:
    """The ids of the patients whose data ``resources`` are (a Patient's own id, else its
    ``subject``), in order of first appearance, each once."""
    seen: dict[int, None] = {}
    for resource in resources:
        if resource.get("resourceType") == "Patient":
            pid = _id_of(resource.get("id", ""), "Patient", "p")
        else:
            pid = _id_of((resource.get("subject") or {}).get("reference", ""), "Patient", "p")
        if pid is not None:
            seen.setdefault(pid, None)
    return list(seen)


def _audited(rtype: str, args: dict[str, list[str]], resources: list[dict]) -> None:
    """One audit entry per request reading patient data: whose data was answered (``patients``, the
    ids of the patients in the page), how many resources, which parameters. A read touching one
    patient is filed under that patient (``patient``, its id), as the pages' ``clinic.record.read``;
    otherwise under ``fhir`` and the resource type."""
    if rtype in CLINICAL:
        patients = patients_in(resources)
        obj_type, obj_id = ("patient", patients[0]) if len(patients) == 1 else ("fhir", rtype)
        with unit_of_work(api=True):
            audit(g.tenant, current_actor(), "clinic.fhir.read", obj_type, obj_id,
                  after={"resource": rtype, "parameters": sorted(args), "count": len(resources),
                         "patients": patients})


def _paging(args: dict[str, list[str]]) -> tuple[int, int]:
    """``(_count, _offset)`` from the query, checked: 400 ``bad_paging`` otherwise."""
    def number(name: str, default: int, highest: int) -> int:
        text = (args.get(name) or [""])[0]
        if text == "":
            return default
        if not text.isdigit() or int(text) > highest:
            raise refusal(400, "bad_paging", _("%(name)s must be a whole number from 0 to %(highest)d.", name=name, highest=highest))
        return int(text)

    return number("_count", DEFAULT_COUNT, MAX_COUNT), number("_offset", 0, MATCH_LIMIT)


def paged_bundle(rtype: str, found: list[dict], params: dict[str, list[str]], count: int, offset: int) -> dict:
    """A ``searchset`` Bundle of one page of ``found``, with ``total`` and the paging links (which
    repeat a repeated parameter as it was asked)."""
    base = tenant_url(g.tenant, "/fhir")
    page = fhir.bundle(found[offset:offset + count], base)
    page["total"] = len(found)

    def link(relation: str, start: int) -> dict:
        query = {k: v for k, v in params.items() if k not in ("_count", "_offset")}
        return {"relation": relation,
                "url": f"{base}/{rtype}?{urlencode({**query, '_count': count, '_offset': start}, doseq=True)}"}

    links = [link("self", offset), link("first", 0)]
    if offset > 0:
        links.append(link("previous", max(0, offset - count)))
    if count and offset + count < len(found):
        links.append(link("next", offset + count))
    page["link"] = links
    return page


@bp.route("/metadata")
@public
def metadata():
    """The CapabilityStatement of this read-only endpoint (FHIR R4 ``GET [base]/metadata``)."""
    return answer(fhir.capability_statement(tenant_url(g.tenant, "/fhir"), PARAMS))


@bp.route("/<rtype>")
@api_scope("fhir:read", error_format=fhir_error)
def search_type(rtype: str):
    if rtype not in PARAMS:
        raise refusal(404, "unknown_resource", _("Resource type '%(type)s' is not served here.", type=rtype[:40]))
    args = {k: request.args.getlist(k) for k in request.args}  # a repeated parameter: every value
    unknown = sorted(set(args) - PARAMS[rtype] - COMMON)
    if unknown:
        raise refusal(400, "unknown_parameter", _("Unknown search parameter '%(name)s' for %(type)s.", name=unknown[0][:40], type=rtype))
    once = sorted(name for name in SINGLE if len(args.get(name, ())) > 1)
    if once:  # paging is not a condition: "both" has no meaning for it
        raise refusal(400, "repeated_parameter", _("'%(name)s' may be given only once: a repeated parameter means "
                                                   "AND, which does not apply to it.", name=once[0]))
    count, offset = _paging(args)
    params = {k: v for k, v in args.items() if k != "_format"}
    args = {k: v for k, v in args.items() if k not in COMMON}
    with tenant_scope(g.tenant):
        found = search(g.tenant, rtype, args)
    page = paged_bundle(rtype, found, params, count, offset)
    _audited(rtype, args, [e["resource"] for e in page["entry"]])
    return answer(page)


@bp.route("/<rtype>/<rid>")
@api_scope("fhir:read", error_format=fhir_error)
def read(rtype: str, rid: str):
    if rtype not in PARAMS:
        raise refusal(404, "unknown_resource", _("Resource type '%(type)s' is not served here.", type=rtype[:40]))
    with tenant_scope(g.tenant):
        if rtype in ("Condition", "Observation"):  # c<record id>, o<record id>.<vital sign>: that record only
            record_id = _id_of(rid.partition(".")[0], rtype, rtype[0].lower())
            records = _records({}, record_id) if record_id is not None else []
            if rtype == "Condition":
                resources = [fhir.condition(e, v) for e, v in records if e.icd10]
            else:
                resources = [o for e, v in records for o in fhir.observations(e, v)]
            found = [r for r in resources if r["id"] == rid]
        else:
            found = search(g.tenant, rtype, {"_id": [rid]})
    if not found:
        raise refusal(404, "not_found", _("%(type)s/%(id)s is not known.", type=rtype, id=rid[:64]))
    _audited(rtype, {"_id": [rid]}, found[:1])
    return answer(found[0])

"""Demonstration applications (``pamong demo``): for each seeded state one application, by the
tenant's first citizen, acted on by its first officer and admin (a chain step is acted on by one
person once, so the demo types have two stages). Runs once: nothing is added if any exists.

The states that need time to pass are reached by the real code paths: the overdue application and
the fiktif-positif one are written and submitted long enough ago to be past their type's service
level (``services.save_draft``/``submit`` with ``now``: the clock started then) and the real sweep (``sweep.deem_approved``, ``sweep.escalate``) then acts on them,
audited as on any day; the expired permit is issued as any other and its stored dates (the
application's, its timeline's, its core document's issuance and expiry) are then moved back by its
validity and one month (``_age``): a permit whose validity has ended reads expired (a date, not an
act). Its signed PDF still prints the day it was really signed."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from core.kit import Actor, db, documents, members_of, tenant_scope, utcnow

from . import issuance, payments, services, sweep, withdrawal
from .issuance import add_months
from .models import Application, Event
from .settings import permit_types



def days_ago(ptype) -> int:
    """How long ago the overdue and fiktif-positif applications were sent: past the type's service
    level (working days) whatever the weekends and holidays between."""
    return 2 * ptype.sla_days + 14
PEOPLE = [("Andi Mappanyukki", "7371014101900001", "CV Andi Jaya"), ("Besse Tenri", "7371015203850002", "Toko Besse"),
          ("Daeng Naba", "7371011507780003", "UD Naba Makmur"), ("Rahmawati", "7371016411920004", ""),
          ("Sitti Aisyah", "7371014808880005", "Warung Coto Aisyah"), ("Muh. Arif", "7371010201950006", "Arif Reklame"),
          ("Nurhayati", "7371015509800007", "Salon Nur"), ("Irfan Syam", "7371012312870008", "PT Syam Konstruksi"),
          ("Hasnah Daud", "7371016003830009", "Hasnah Advertising"), ("Yusuf Rahman", "7371011104900010", ""),
          ("Andi Baso", "7371010707910011", "Bengkel Baso"), ("Ratna Sari", "7371014405930012", "Katering Ratna"),
          ("Syamsul Bahri", "7371010303860013", "CV Bahri Mandiri"), ("Fitriani", "7371015112890014", "Kios Fitri"),
          ("Abdul Kadir", "7371012006750015", "Toko Kadir")]
# the state each demo application is left in, in order (one per person)
# ("to_correct": returned to be corrected, OSS 43; "corrected": sent back after that, 44; "overdue":
# past its service level, reported to the head; "fiktif_positif": deemed approved by the sweep and
# issued, OSS 57; "expired": an issued permit whose validity has ended)
STATES = ["draft", "submitted", "returned", "awaiting_payment", "approved", "issued", "rejected", "revoked",
          "suspended", "withdrawn", "to_correct", "corrected", "overdue", "fiktif_positif", "expired"]
BEFORE_APPROVAL = ("draft", "submitted", "returned", "rejected", "withdrawn", "to_correct", "corrected", "overdue")
# the states that need a type of their own: (what the type must be, the state's name)
NEEDS = {"overdue": lambda t: not t.fiktif_positif,
         "fiktif_positif": lambda t: t.fiktif_positif,
         # free, so that moving its dates back leaves the ledger and the paid applications agreeing
         "expired": lambda t: t.validity_months > 0 and t.fee.free}


def _image(text: str, kind: str) -> bytes:
    """A small page with ``text`` as a JPEG or a PDF (Pillow's PDF writer: a one-page scan, as
    applicants upload): each demo file is what its name and type say."""
    page = Image.new("RGB", (420, 300) if kind == "PDF" else (320, 200), (250, 250, 245))
    ImageDraw.Draw(page).text((20, 20), text, fill=(20, 20, 20))
    out = io.BytesIO()
    page.save(out, kind)
    return out.getvalue()


def _file(doc) -> tuple[bytes, str]:
    """The demo's file for a document requirement: a PDF named ``<code>.pdf`` where PDF is accepted,
    else a JPEG named ``<code>.jpg``."""
    if "pdf" in doc["accepted"]:
        return _image(f"{doc['label_id']} (contoh demo)", "PDF"), f"{doc['code']}.pdf"
    return _image(f"{doc['label_id']} (contoh demo)", "JPEG"), f"{doc['code']}.jpg"


def _values(ptype) -> dict:
    return {f["code"]: ("120" if f.get("number") else "Jl. Somba Opu No. 12, Makassar") for f in ptype.fields()}


def _to_state(tenant, state, ptype, citizen, officers, person, phone):
    name, nik, business = person
    # the overdue and fiktif-positif ones were written and sent long ago (days_ago)
    then = utcnow() - timedelta(days=days_ago(ptype)) if state in ("overdue", "fiktif_positif") else None
    application = services.save_draft(tenant, citizen, ptype.code, {"name": name, "nik": nik, "business_name": business,
                                                                    "phone": phone}, _values(ptype), now=then)
    for doc in ptype.documents():
        services.attach(tenant, citizen, application, doc["code"], *_file(doc))
    if state == "draft":
        return
    services.submit(tenant, citizen, application.id, now=then)
    if state in ("submitted", "overdue"):
        return    # overdue: the sweep reports it (seed)
    if state == "fiktif_positif":
        return    # the sweep deems it approved, then it is issued (seed)
    if state == "withdrawn":
        withdrawal.withdraw(tenant, citizen, application.id, "Lokasi usaha batal disewa.")
        return
    if state == "returned":
        services.ask_applicant(tenant, officers[0], application.id, 0, "Foto lokasi kurang jelas, mohon unggah ulang.")
        return
    if state in ("to_correct", "corrected"):
        services.ask_applicant(tenant, officers[0], application.id, 0, "Luas bangunan tidak sesuai denah, mohon "
                               "perbaiki data.", reset=True)
        if state == "corrected":
            services.resubmit(tenant, citizen, application.id)
        return
    if state == "rejected":
        services.reject(tenant, officers[0], application.id, 0, "Lokasi berada di jalur hijau menurut RTRW.")
        return
    for step in range(len(ptype.stages)):
        services.approve_stage(tenant, officers[step], application.id, step)
    if state == "awaiting_payment":
        return
    if application.payment_code:
        payments.record_payment(tenant, officers[0], application.payment_code, application.fee_amount, "DEMO-KAS")
    if state == "approved":
        return
    issuance.issue_permit(tenant, officers[-1], application.id)
    if state == "expired":
        _age(tenant, application, add_months(utcnow(), -1) - add_months(utcnow(), ptype.validity_months))
    if state == "revoked":
        issuance.revoke_permit(tenant, officers[-1], application.id, "Reklame dipasang tidak sesuai izin.")
    if state == "suspended":
        issuance.suspend_permit(tenant, officers[-1], application.id,
                                "Dibekukan sementara: konstruksi reklame sedang diperiksa setelah angin kencang.")


def _age(tenant, application, delta: timedelta) -> None:
    """Move the stored dates of an issued application back by ``delta`` (negative): the
    application's, its timeline's and its core document's issuance and expiry, so its validity has
    ended a month ago. Only the demo does this; the audit trail keeps the real times."""
    def back(when):
        return when + delta if when is not None else None

    with tenant_scope(tenant):
        for column in ("created_at", "updated_at", "submitted_at", "decided_at", "issued_at", "valid_until"):
            setattr(application, column, back(getattr(application, column)))
        for event in db.session.execute(db.select(Event).where(Event.application_id == application.id)).scalars():
            event.at = back(event.at)
        doc = documents.find(tenant, application.document_code)
        if doc is not None:
            doc.signed_at, doc.expires_at = back(doc.signed_at), back(doc.expires_at)
        db.session.flush()


def _after_time_passed(tenant, officers, ids: dict) -> None:
    """The real sweep on the applications submitted long ago (``days_ago``): the fiktif-positif one is
    approved by law (then issued: OSS 57), the other overdue one reported to the office head."""
    sweep.deem_approved(tenant)
    sweep.escalate(tenant)
    if "fiktif_positif" in ids:
        application = services.get(tenant, ids["fiktif_positif"])
        if application.status == "awaiting_payment":
            payments.record_payment(tenant, officers[0], application.payment_code, application.fee_amount, "DEMO-KAS")
        issuance.issue_permit(tenant, officers[-1], application.id)


def seed(tenant) -> int:
    """Add the demo applications unless the tenant has some; returns how many were added."""
    with tenant_scope(tenant):
        if db.session.execute(db.select(Application.id).limit(1)).first():
            return 0
    types = permit_types(tenant)
    citizens, officers, admins = (members_of(tenant, r) for r in ("citizen", "officer", "admin"))
    if not types or not citizens or not officers or not admins:
        return 0
    citizen = Actor.for_user(citizens[0], tenant)
    acting = [Actor.for_user(officers[0], tenant), Actor.for_user(admins[0], tenant)]
    count, ids = 0, {}
    for i, state in enumerate(STATES):
        fits = [t for t in types if NEEDS.get(state, lambda t: True)(t)
                and (len(t.stages) <= len(acting) or state in BEFORE_APPROVAL)]
        ptype = types[i % len(types)] if types[i % len(types)] in fits else (fits[0] if fits else None)
        if ptype is None:
            continue   # none of the tenant's types can show this state
        _to_state(tenant, state, ptype, citizen, acting, PEOPLE[i], f"0812345678{i:02d}")
        with tenant_scope(tenant):
            ids[state] = db.session.execute(db.select(Application.id).order_by(Application.id.desc()).limit(1)).scalar()
        count += 1
    _after_time_passed(tenant, acting, ids)
    with tenant_scope(tenant):
        db.session.flush()
    return count


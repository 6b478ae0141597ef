"""Demonstration applications (``pamong demo``): for each seeded state one application, by the
tenant's first citizen, acted on by its first officer and admin (a chain step is acted on by one
person once, so the demo types have two stages). Runs once: nothing is added if any exists."""
from __future__ import annotations

import io

from PIL import Image

from core.kit import Actor, db, members_of, tenant_scope

from . import issuance, payments, services, withdrawal
from .models import Application
from .settings import permit_types

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
PEOPLE = [("Andi Mappanyukki", "7371014101900001", "CV Andi Jaya"), ("Besse Tenri", "7371015203850002", "Toko Besse"),
          ("Daeng Naba", "7371011507780003", "UD Naba Makmur"), ("Rahmawati", "7371016411920004", ""),
          ("Sitti Aisyah", "7371014808880005", "Warung Coto Aisyah"), ("Muh. Arif", "7371010201950006", "Arif Reklame"),
          ("Nurhayati", "7371015509800007", "Salon Nur"), ("Irfan Syam", "7371012312870008", "PT Syam Konstruksi"),
          ("Hasnah Daud", "7371016003830009", "Hasnah Advertising"), ("Yusuf Rahman", "7371011104900010", ""),
          ("Andi Baso", "7371010707910011", "Bengkel Baso"), ("Ratna Sari", "7371014405930012", "Katering Ratna")]
# the state each demo application is left in, in order (one per person)
# ("to_correct": returned to be corrected, OSS 43; "corrected": sent back after that, 44); the states that
# need time to pass (overdue, fiktif positif 57, expired) are not seeded: the services take no date
STATES = ["draft", "submitted", "returned", "awaiting_payment", "approved", "issued", "rejected", "revoked",
          "suspended", "withdrawn", "to_correct", "corrected"]
BEFORE_APPROVAL = ("draft", "submitted", "returned", "rejected", "withdrawn", "to_correct", "corrected")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 200, 180)).save(out, "JPEG")
    return out.getvalue()


def _values(ptype) -> dict:
    return {f["code"]: ("120" if f.get("number") else "Jl. Somba Opu No. 12, Makassar") for f in ptype.fields()}


def _to_state(tenant, state, ptype, citizen, officers, person, phone):
    name, nik, business = person
    application = services.save_draft(tenant, citizen, ptype.code, {"name": name, "nik": nik, "business_name": business,
                                                                    "phone": phone}, _values(ptype))
    for doc in ptype.documents():
        services.attach(tenant, citizen, application, doc["code"], PDF if "pdf" in doc["accepted"] else _jpeg(),
                        f"{doc['code']}.pdf")
    if state == "draft":
        return
    services.submit(tenant, citizen, application.id)
    if state == "submitted":
        return
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
    if state == "revoked":
        issuance.revoke_permit(tenant, officers[-1], application.id, "Reklame dipasang tidak sesuai izin.")
    if state == "suspended":
        issuance.suspend_permit(tenant, officers[-1], application.id,
                                "Dibekukan sementara: konstruksi reklame sedang diperiksa setelah angin kencang.")


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
    count = 0
    for i, state in enumerate(STATES):
        ptype = types[i % len(types)]
        if len(ptype.stages) > len(acting) and state not in BEFORE_APPROVAL:
            continue
        _to_state(tenant, state, ptype, citizen, acting, PEOPLE[i], f"08123456780{i}")
        count += 1
    with tenant_scope(tenant):
        db.session.flush()
    return count


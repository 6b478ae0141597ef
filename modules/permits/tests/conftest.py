"""Fixtures of the permits tests: a tenant with two permit types (a building approval with a fee by
table over three stages, a free certificate over one), its people, files of each kind, a signer."""
from __future__ import annotations

import importlib
import io

import pytest
from PIL import Image

from core.kit import Actor, User, db
from core.tenant_secrets import env_name
from core.testing import unique

AGENCIES = [{"code": "DPM", "name": "DPMPTSP"}, {"code": "PU", "name": "Dinas Pekerjaan Umum"}]
PBG = {
    "code": "PBG", "name_id": "Persetujuan Bangunan Gedung", "name_en": "Building approval",
    "legal_basis": "PP 16/2021", "sla_days": 5, "fee": "table luas_m2 100:500000 500:1500000 *:3000000",
    "validity_months": 60, "number_pattern": "{type}/{serial:04}/{year}",
    "requirements": [
        {"code": "luas_m2", "label_id": "Luas bangunan (m²)", "label_en": "Floor area (m²)", "kind": "field",
         "number": True},
        {"code": "alamat", "label_id": "Alamat bangunan", "label_en": "Building address", "kind": "field"},
        {"code": "ktp", "label_id": "Scan KTP", "label_en": "ID card scan", "kind": "document",
         "accepted": ["jpg", "png", "pdf"]},
        {"code": "gambar", "label_id": "Gambar rencana", "label_en": "Building plan", "kind": "document",
         "accepted": ["pdf"]},
    ],
    "stages": [
        {"label_id": "Verifikasi berkas", "label_en": "Intake", "role": "officer", "unit": "DPM"},
        {"label_id": "Kajian teknis", "label_en": "Technical review", "role": "officer", "unit": "PU"},
        {"label_id": "Persetujuan", "label_en": "Approval", "role": "admin"},
    ],
    "signer_position": "Kepala DPMPTSP",
}
SKU = {
    "code": "SKU", "name_id": "Surat Keterangan Usaha", "name_en": "Business certificate",
    "legal_basis": "Perwali 1/2026", "sla_days": 2, "fee": "0", "fiktif_positif": True,
    "requirements": [{"code": "usaha", "label_id": "Nama usaha", "label_en": "Business name", "kind": "field"}],
    "stages": [{"label_id": "Verifikasi", "label_en": "Verification", "role": "officer", "unit": "DPM"}],
}
# the callback's secret is only ever a reference (``env:NAME``, issue 15): ``make_tenant`` sets the
# tenant's variable to ``SECRET`` (or its ``secret``) before writing the settings
SECRET = "bayar-rahasia"
SETTINGS = {"types": [PBG, SKU], "payment_secret": "env:PAYMENT", "max_upload_kb": 64}
NIK = "7371014101900001"


@pytest.fixture
def make_tenant(create_tenant, monkeypatch):
    def make(settings=None, secret=SECRET, **fields):
        slug = fields.pop("slug", None) or unique("tn")
        monkeypatch.setenv(env_name(slug, "PAYMENT"), secret)
        fields.setdefault("agencies", AGENCIES)
        return create_tenant(slug=slug, modules={"permits": settings if settings is not None else SETTINGS}, **fields)

    return make


@pytest.fixture
def tenant(make_tenant):
    return make_tenant()


@pytest.fixture
def people(tenant, create_user):
    return {"citizen": create_user(tenant, "citizen"), "intake": create_user(tenant, "officer", agency="DPM"),
            "pu": create_user(tenant, "officer", agency="PU"), "admin": create_user(tenant, "admin"),
            "other": create_user(tenant, "citizen")}


@pytest.fixture
def actor(app, tenant):
    def of(email):
        user = db.session.execute(db.select(User).where(User.email == email)).scalar_one()
        return Actor.for_user(user, tenant)

    return of


@pytest.fixture
def signer(app, tenant):
    """The tenant's local test signer (what `pamong documents init-signer` makes)."""
    certs = importlib.import_module("core.documents.certs")
    with app.app_context():
        certs.ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
    return tenant


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


REKLAME = {
    "code": "REK", "name_id": "Izin Reklame", "name_en": "Billboard permit", "legal_basis": "Perda 2/2026",
    "sla_days": 3, "fee": "per_unit 15000 * luas_m2 min 100000",
    "requirements": [{"code": "luas_m2", "label_id": "Luas (m²)", "label_en": "Area (m²)", "kind": "field",
                      "number": True}],
    "stages": [{"label_id": "Verifikasi", "label_en": "Verification", "role": "officer", "unit": "DPM"}],
}


def invoice(tenant, citizen, officer, type_code: str, area: int):
    """An application of a one-stage type (``REKLAME``'s shape) drafted by ``citizen`` and approved
    by ``officer``: invoiced. Returns ``(application, payment code)`` (inside an app context)."""
    from core.kit import tenant_scope

    from .. import services

    application = services.save_draft(tenant, citizen, type_code, {"name": "Andi", "nik": NIK},
                                      {"luas_m2": str(area)})
    services.submit(tenant, citizen, application.id)
    services.approve_stage(tenant, officer, application.id, 0)
    with tenant_scope(tenant):
        return application, application.payment_code


def pay(tenant, citizen, officer, type_code: str, area: int, amount: int, reference: str = ""):
    """``invoice`` then its payment of ``amount`` rupiah recorded by ``officer``: the application."""
    from .. import payments

    application, code = invoice(tenant, citizen, officer, type_code, area)
    payments.record_payment(tenant, officer, code, amount, reference)
    return application


MONTH = "2026-03"   # the frozen clock's month in Makassar


def user_actor(email, tenant):
    """The ``Actor`` of the account ``email`` in ``tenant`` (inside an app context)."""
    return Actor.for_user(db.session.execute(db.select(User).where(User.email == email)).scalar_one(), tenant)


@pytest.fixture
def office(app, make_tenant, create_user, frozen_clock):
    """A tenant with one billboard type and one paid billboard permit of Rp 150.000 (10 m²) in March
    2026: ``(tenant, {"citizen", "officer", "admin": e-mail}, application id)``."""
    tenant = make_tenant({"types": [REKLAME], "payment_secret": "env:PAYMENT"})
    people = {"citizen": create_user(tenant, "citizen"), "officer": create_user(tenant, "officer", agency="DPM"),
              "admin": create_user(tenant, "admin")}
    with app.app_context():
        citizen, officer = (user_actor(people[k], tenant) for k in ("citizen", "officer"))
        application_id = pay(tenant, citizen, officer, "REK", 10, 150_000, "KAS-1").id
        db.session.commit()
    return tenant, people, application_id

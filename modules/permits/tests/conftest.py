"""Fixtures of the permits tests: a tenant with two permit types (a building approval with a fee by
table over three stages, a free certificate over one), its people, files of each kind, a signer."""
from __future__ import annotations

import importlib
import io

import pytest
from PIL import Image

from core.kit import Actor, User, db

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
SETTINGS = {"types": [PBG, SKU], "payment_secret": "bayar-rahasia", "max_upload_kb": 64}
NIK = "7371014101900001"


@pytest.fixture
def make_tenant(create_tenant):
    def make(settings=None, **fields):
        return create_tenant(modules={"permits": settings if settings is not None else SETTINGS},
                             agencies=AGENCIES, **fields)

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

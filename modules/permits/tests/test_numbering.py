"""Permit numbers are gap-free: consecutive in the order of issuance, and an issuance that fails
after taking its number (the signer refuses) leaves no hole, because the number is taken in the
same transaction that is rolled back (core numbering)."""
from __future__ import annotations

import pytest

from core.kit import db, tenant_scope

from .. import issuance, services
from .conftest import AGENCIES, SKU
from .test_services import APPLICANT


@pytest.fixture
def numbered(create_tenant, create_user):
    tenant = create_tenant(modules={"permits": {"types": [{**SKU, "number_pattern": "SKU/{serial:04}/{year}"}]}},
                           agencies=AGENCIES)
    return tenant, {"citizen": create_user(tenant, "citizen"), "intake": create_user(tenant, "officer", agency="DPM"),
                    "admin": create_user(tenant, "admin")}


def test_a_failed_signing_leaves_no_gap_in_the_permit_numbers(app, numbered, monkeypatch):
    import importlib

    from .conftest import user_actor

    tenant, people = numbered
    with app.app_context():
        importlib.import_module("core.documents.certs").ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        citizen, admin = user_actor(people["citizen"], tenant), user_actor(people["admin"], tenant)
        ids = []
        for name in ("Warung Coto", "Toko Sinar", "Bengkel Jaya"):
            application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": name})
            services.submit(tenant, citizen, application.id)
            services.approve_stage(tenant, user_actor(people["intake"], tenant), application.id, 0)
            ids.append(application.id)
        db.session.commit()

        signing = importlib.import_module("core.documents.signing")

        def refuse(*args, **kwargs):
            raise signing.SigningError("the signer is unreachable", code="signer_unavailable")

        with monkeypatch.context() as patched:
            patched.setattr(issuance.documents, "issue", refuse)
            with pytest.raises(signing.SigningError):
                issuance.issue_permit(tenant, admin, ids[0])
            db.session.rollback()
        numbers = []
        for application_id in ids:
            numbers.append(issuance.issue_permit(tenant, admin, application_id).permit_number)
            db.session.commit()
        with tenant_scope(tenant):
            assert [services.get(tenant, i).permit_number for i in ids] == numbers
    year = numbers[0].rsplit("/", 1)[1]
    assert numbers == [f"SKU/0001/{year}", f"SKU/0002/{year}", f"SKU/0003/{year}"]

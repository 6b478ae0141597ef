"""The permit PDF names its signer: the holder, on the day of issuance, of the type's signer
position (core positions with their history), with rank and NIP under the name (core
``official_identity``); "Plt." for an acting holder; signed in the office's name only, and still
issued, when nobody holds the position that day (issue 15 trial)."""
from __future__ import annotations

from datetime import timedelta

import pypdfium2 as pdfium
import pytest

from core.kit import Actor, OrgUnit, User, add_position, assign_holder, db, documents, local_date, storage, tenant_scope

from .. import services
from .conftest import SETTINGS, SKU
from .test_services import APPLICANT

import importlib
import itertools
import random

SERIALS = itertools.count(random.randint(1, 500))   # NIPs are unique in the deployment: one per test


def _nip() -> str:
    return f"197503122000031{next(SERIALS) % 1000:03}"
RANK = "Pembina Tk. I (IV/b)"
HEAD = "Kepala Dinas Penanaman Modal dan PTSP"   # the position's name in the organisation


def _text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)


@pytest.fixture
def office(app, make_tenant, create_user):
    """A tenant whose free type is signed by the position ``KADIS_DPM``, named ``HEAD``, and an
    approved application of it: ``(tenant, people, application id, the head's NIP)``."""
    def make(signer_position=HEAD, holding="held"):
        # the position's name first: a code is refused until the organisation has the position
        tenant = make_tenant({**SETTINGS, "types": [{**SKU, "signer_position": HEAD}]})
        people = {"citizen": create_user(tenant, "citizen"), "intake": create_user(tenant, "officer", agency="DPM"),
                  "admin": create_user(tenant, "admin"), "head": create_user(tenant, "officer", agency="DPM")}
        nip = _nip()
        with app.app_context():
            importlib.import_module("core.documents.certs").ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
            head = db.session.execute(db.select(User).where(User.email == people["head"])).scalar_one()
            head.name, head.nip, head.rank = "Dr. Andi Baso, S.E., M.Si.", nip, RANK
            today = local_date(tenant)
            with tenant_scope(tenant):
                unit = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "DPM")).scalar_one()
            position = add_position(tenant, unit, "KADIS_DPM", HEAD, True, "test")
            if signer_position != HEAD:
                from core.tenancy import service
                from core.tenancy.models import Tenant

                service.enable_module(db.session.get(Tenant, tenant.id), "permits", "test", app.extensions["pamong"],
                                      settings={**SETTINGS, "types": [{**SKU, "signer_position": signer_position}]})
            if holding == "held":
                assign_holder(tenant, position, people["head"], "test", start=today - timedelta(days=400))
            elif holding == "acting":
                assign_holder(tenant, position, people["head"], "test", acting=True, start=today - timedelta(days=3),
                              until=today + timedelta(days=10))
            elif holding == "ended":   # held until yesterday: the history says nobody holds it today
                assign_holder(tenant, position, people["head"], "test", start=today - timedelta(days=400),
                              until=today - timedelta(days=1))
            citizen = Actor.for_user(db.session.execute(db.select(User).where(User.email == people["citizen"]))
                                     .scalar_one(), tenant)
            intake = Actor.for_user(db.session.execute(db.select(User).where(User.email == people["intake"]))
                                    .scalar_one(), tenant)
            application = services.save_draft(tenant, citizen, "SKU", APPLICANT, {"usaha": "Warung Coto"})
            services.submit(tenant, citizen, application.id)
            services.approve_stage(tenant, intake, application.id, 0)
            with tenant_scope(tenant):
                aid = application.id
            db.session.commit()
        return tenant, people, aid, nip

    return make


def _issue(app, client, login, tenant, people, aid):
    """Issued by the admin over HTTP; the applicant downloads it: (PDF text, register entry's signer)."""
    login(client, people["admin"], tenant)
    base = f"/t/{tenant.slug}/permits"
    assert client.post(f"{base}/applications/{aid}/issue", data={"send": "1"}).status_code == 302
    login(client, people["citizen"], tenant)
    response = client.get(f"{base}/applications/{aid}/permit.pdf")
    assert response.status_code == 200
    with app.app_context(), tenant_scope(tenant):
        doc = documents.find(tenant, services.get(tenant, aid).document_code)
        assert response.data == storage().get(doc.storage_key, tenant=tenant)
        return _text(response.data), doc.signer_name, doc.signer_position


def test_the_holder_signs_with_name_rank_and_nip(app, client, login, office):
    tenant, people, aid, nip = office()
    text, name, position = _issue(app, client, login, tenant, people, aid)
    assert "Dr. Andi Baso, S.E., M.Si." in text and RANK in text and f"NIP. {nip}" in text
    assert f"{HEAD}," in text and "Plt." not in text
    assert (name, position) == ("Dr. Andi Baso, S.E., M.Si.", HEAD)   # the register names them too


def test_an_acting_holder_signs_as_plt_and_the_position_may_be_named_by_its_code(app, client, login, office):
    tenant, people, aid, nip = office("KADIS_DPM", holding="acting")
    text, name, position = _issue(app, client, login, tenant, people, aid)
    assert f"Plt. {HEAD}," in text and f"NIP. {nip}" in text and "KADIS_DPM" not in text
    assert position == f"Plt. {HEAD}"


@pytest.mark.parametrize("holding", ["ended", "none"])
def test_nobody_holding_it_today_still_issues_in_the_offices_name(app, client, login, office, holding):
    tenant, people, aid, nip = office(holding=holding)
    text, name, position = _issue(app, client, login, tenant, people, aid)
    assert "NIP" not in text and RANK not in text and "Andi Baso" not in text
    assert f"{HEAD}," in text and name == tenant.name and name in text

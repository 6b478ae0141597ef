"""The public verification page of a permit names its subject (the permit type) in the reader's
language: the type's English name on an English page, the Indonesian one on an Indonesian page,
marked with its language; a type renamed or removed since keeps the subject as signed, never
another type's name (issue 15, item 2)."""
from __future__ import annotations

import re

from core.kit import db, tenant_scope

from ..models import Application
from .conftest import SETTINGS, SKU
from .test_permit_status import issued, verify_page


def _subject(page: str) -> str:
    found = re.search(r"<dd id=\"document-subject\"( lang=\"[a-z]+\")?>([^<]*)</dd>", page)
    assert found, page
    return f"{(found[1] or '').strip()}|{found[2]}"


def test_the_subject_is_the_types_name_in_the_readers_language(app, client, tenant, people, signer):
    aid, number, code = issued(app, tenant, people)
    assert _subject(verify_page(client, tenant, code, "en")) == '|Business certificate'
    assert _subject(verify_page(client, tenant, code, "id")) == '|Surat Keterangan Usaha'


def test_a_type_renamed_since_keeps_the_subject_as_signed_marked_indonesian(app, client, tenant, people, signer):
    aid, number, code = issued(app, tenant, people)
    renamed = {**SETTINGS, "types": [t if t["code"] != "SKU" else {**SKU, "name_id": "Surat Keterangan Domisili Usaha",
                                                                     "name_en": "Business domicile letter"}
                                     for t in SETTINGS["types"]]}
    with app.app_context():
        from core.tenancy import service
        from core.tenancy.models import Tenant

        row = db.session.get(Tenant, tenant.id)
        service.enable_module(row, "permits", "test", app.extensions["pamong"], settings=renamed)
        db.session.commit()
    assert _subject(verify_page(client, tenant, code, "en")) == 'lang="id"|Surat Keterangan Usaha'


def test_another_documents_subject_and_a_missing_application_stay_as_signed(app, client, tenant, people, signer):
    aid, number, code = issued(app, tenant, people)
    with app.app_context(), tenant_scope(tenant):
        db.session.execute(db.update(Application).where(Application.id == aid).values(document_code=None))
        db.session.commit()
    assert _subject(verify_page(client, tenant, code, "en")) == 'lang="id"|Surat Keterangan Usaha'

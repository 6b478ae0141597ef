"""The signed PDF summary of an agency's closed month, through the core's documents."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import ValidationError, db, storage, tenant_scope

from ..services import close_month, get_run, import_employees, run_month
from ..summary import issue_summary
from .helpers import MODULE, NIPS, SETTINGS, closed_month, three_employees


def test_a_closed_month_is_summarised_signed_and_numbered(app, client, create_tenant, create_user, login,
                                                         audit_entries):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    admin = create_user(tenant, role="admin")
    assert CliRunner().invoke(cli, ["documents", "init-signer", tenant.slug],
                              obj=ScriptInfo(create_app=lambda: app)).exit_code == 0
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 3)
        db.session.commit()
        with tenant_scope(tenant), pytest.raises(ValidationError) as exc:
            issue_summary(tenant, "test", get_run(tenant, 2026, 3), "DLH")
        assert exc.value.code == "month_open"
        db.session.rollback()
        close_month(tenant, "test", 2026, 3)
        db.session.commit()
        with tenant_scope(tenant):
            doc = issue_summary(tenant, "test", get_run(tenant, 2026, 3), "DLH")
            number, key = doc.number, doc.storage_key
            db.session.commit()
        assert re.fullmatch(r"900/1/TPP-DLH/[IVXLC]+/20\d\d", number)     # numbered when issued
        data = storage().get(key, tenant=tenant)
        assert data.startswith(b"%PDF-") and b"/ByteRange" in data        # a PAdES signature
        assert NIPS[0].encode() not in data                                # NIPs are masked
        with tenant_scope(tenant), pytest.raises(ValidationError) as exc:
            issue_summary(tenant, "test", get_run(tenant, 2026, 3), "PU")
        assert exc.value.code == "not_found"
    assert [e["summary"]["after"]["kind"] for e in audit_entries(tenant, "document.issued")] == ["tpp-summary"]
    # the admin's register of signed documents names the kind in words, in the reader's language
    login(client, admin, tenant)
    for language, words in (("id", "Ringkasan TPP per perangkat daerah"), ("en", "TPP summary per agency")):
        page = client.get(f"/t/{tenant.slug}/admin/documents", headers={"Accept-Language": language})
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and number in html and words in html, language


def test_the_summary_of_an_agency_and_month_is_issued_once(app, client, create_tenant, create_user, login):
    # trial t16: submitting the signed summary twice issued two numbered documents
    tenant = closed_month(app, create_tenant)
    login(client, create_user(tenant, role="admin"), tenant)
    url = f"/t/{tenant.slug}/{MODULE}/runs/2026/3/summary"
    first = client.post(url, data={"agency": "DLH"}, headers={"Accept-Language": "id"})
    client.set_cookie("pamong_locale", "en")                       # the second in another language
    second = client.post(url, data={"agency": "DLH"})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context(), tenant_scope(tenant):
        from core.kit import documents

        issued = db.session.execute(db.select(documents.Document.number)).scalars().all()
        assert len(issued) == 1, issued
        assert issue_summary(tenant, "test", get_run(tenant, 2026, 3), "DLH").number == issued[0]


def test_the_signed_summary_is_downloaded_from_the_month_page(app, client, create_tenant, create_user, login,
                                                                audit_entries):
    """Re-trial of issue 16: issuing it led to /verify/<code> only, with no way to the PDF itself."""
    tenant = closed_month(app, create_tenant)
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    login(client, create_user(tenant, role="admin"), tenant)
    assert client.get(f"{base}/summary.pdf?agency=DLH").status_code == 404       # not issued yet
    assert "summary.pdf" not in client.get(base).get_data(as_text=True)
    assert client.post(f"{base}/summary", data={"agency": "DLH"}).status_code == 302
    link = f"{base}/summary.pdf?agency=DLH"
    assert link in client.get(base).get_data(as_text=True)
    got = client.get(link)
    assert got.status_code == 200 and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "no-store" in got.headers["Cache-Control"] and "private" in got.headers["Cache-Control"]
    with app.app_context(), tenant_scope(tenant):
        from core.kit import documents

        doc = db.session.execute(db.select(documents.Document)).scalar_one()
        assert got.data == storage().get(doc.storage_key, tenant=tenant) and got.data.startswith(b"%PDF")
    read = audit_entries(tenant, "remuneration.summary_read")
    assert len(read) == 1 and read[0]["summary"]["after"]["agency"] == "DLH"
    assert client.get(f"{base}/summary.pdf?agency=PU").status_code == 404      # PU's was not issued
    client.get("/logout")
    login(client, create_user(tenant, role="citizen"), tenant)
    assert client.get(link).status_code in (403, 404)

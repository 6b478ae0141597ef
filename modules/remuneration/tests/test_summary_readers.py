"""Trial findings on the signed per-agency summary (issue 16): who may download it, the month's page
listing what was issued, the PDF's table and one-line verification address, and a summary issued
outside a web request (the CLI, a job) wholly in the tenant's language."""
from __future__ import annotations

import re
from datetime import datetime

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.documents import render
from core.i18n import LOCALE_COOKIE
from core.kit import assign_holder, db, find_position, tenant_scope

from ..services import close_month, get_run, import_employees, run_month
from ..summary import issue_summary
from .helpers import CEILINGS, MODULE, SETTINGS, three_employees
from .test_finance import AGENCIES


def closed_month(app, create_tenant, settings=SETTINGS, **tenant):
    """A tenant whose March 2026 is computed and closed, with a signer; the tenant."""
    tenant = create_tenant(modules={MODULE: settings}, locales=["id", "en"], **tenant)
    assert CliRunner().invoke(cli, ["documents", "init-signer", tenant.slug],
                              obj=ScriptInfo(create_app=lambda: app)).exit_code == 0
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 3)
        close_month(tenant, "test", 2026, 3)
        db.session.commit()
    return tenant


def rendered_html(monkeypatch) -> list[str]:
    """The documents' HTML as the core renders it, collected."""
    found, real = [], render.render_html
    monkeypatch.setattr(render, "render_html", lambda *a, **k: found.append(real(*a, **k)) or found[-1])
    return found


def test_the_auditor_the_admin_and_finance_download_the_summary_and_an_employee_does_not(
        app, client, create_tenant, create_user, login, audit_entries):
    tenant = closed_month(app, create_tenant, {"ceilings": CEILINGS, "finance_positions": ["KABID-PERBEN"]},
                          agencies=AGENCIES)
    treasurer = create_user(tenant, role="officer", agency="BPKAD")
    with app.app_context():
        assign_holder(tenant, find_position(tenant, "KABID-PERBEN"), treasurer, "test")
        db.session.commit()
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    login(client, treasurer, tenant)
    assert client.post(f"{base}/summary", data={"agency": "DLH"}).status_code == 302
    client.get(f"/t/{tenant.slug}/logout")
    link = f"{base}/summary.pdf?agency=DLH"
    readers = [("finance", treasurer), ("admin", create_user(tenant, role="admin")),
               ("auditor", create_user(tenant, role="auditor"))]
    for who, user in readers:
        login(client, user, tenant)
        got = client.get(link)
        assert got.status_code == 200 and got.mimetype == "application/pdf" and got.data.startswith(b"%PDF"), who
        client.get(f"/t/{tenant.slug}/logout")
    assert [e["actor"] for e in audit_entries(tenant, "remuneration.summary_read")] == [u for _w, u in readers]
    login(client, create_user(tenant, role="citizen"), tenant)              # a plain employee
    client.set_cookie(LOCALE_COOKIE, "en")
    refused = client.get(link, headers={"Accept": "application/json"})
    assert refused.status_code == 403 and refused.mimetype != "application/pdf"
    # refused as the month's other readings are (its page, its payroll): the module's one refusal
    for other in (base, f"{base}/payroll.csv"):
        assert client.get(other, headers={"Accept": "application/json"}).get_json() == refused.get_json(), other
    assert refused.get_json()["error"]["message"]


def test_the_month_page_lists_the_summaries_issued_with_who_and_when(app, client, create_tenant, create_user, login,
                                                                      frozen_clock):
    frozen_clock.set(datetime.fromisoformat("2026-04-02T01:30:00+00:00"))   # 09.30 in Makassar (WITA)
    tenant = closed_month(app, create_tenant, timezone="Asia/Makassar")
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    admin = create_user(tenant, role="admin")
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    assert "No signed summary of this month has been issued yet." in client.get(base).get_data(as_text=True)
    frozen_clock.set(datetime.fromisoformat("2026-04-02T01:30:00+00:00"))                        # 09.30 in Makassar (WITA)
    assert client.post(f"{base}/summary", data={"agency": "DLH"}).status_code == 302
    client.get(f"/t/{tenant.slug}/logout")
    login(client, create_user(tenant, role="auditor"), tenant)          # any reader of the month sees it
    html = client.get(base).get_data(as_text=True)
    listed = html.split('id="issued-summaries"')[1].split("</table>")[0]
    with app.app_context(), tenant_scope(tenant):
        from core.kit import documents

        doc = db.session.execute(db.select(documents.Document)).scalar_one()
    [row] = re.findall(r"<tr><td class=\"card-head\">.*?</tr>", listed, re.S)
    assert "DLH" in row and doc.number in row and admin in row                 # agency, number, who
    assert "9:30" in row and "WITA" in row and "2 Apr 2026" in row, row       # when, the tenant's zone
    assert f'href="{base}/summary.pdf?agency=DLH"' in row
    assert "PU" not in listed                                                  # nothing else is listed

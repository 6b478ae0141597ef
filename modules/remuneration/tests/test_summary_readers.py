"""Trial findings on the signed per-agency summary (issue 16): who may download it, the month's page
listing what was issued, the PDF's table and one-line verification address, and a summary issued
outside a web request (the CLI, a job) wholly in the tenant's language."""
from __future__ import annotations

import re
from datetime import datetime

from core.documents import render
from core.i18n import LOCALE_COOKIE
from core.kit import User, assign_holder, db, find_position, tenant_scope

from ..services import get_run
from ..summary import issue_summary
from .helpers import CEILINGS, MODULE, closed_month
from .test_finance import AGENCIES



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
    with app.app_context():                      # the core account's display name, shown instead of the e-mail
        db.session.execute(db.update(User).where(User.email == admin).values(name="Andi Admin Makassar"))
        db.session.commit()
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
    assert "DLH" in row and doc.number in row and "Andi Admin Makassar" in row  # agency, number, who
    assert doc.issued_by == admin and admin not in row                         # the register keeps the e-mail
    assert "9:30" in row and "WITA" in row and "2 Apr 2026" in row, row       # when, the tenant's zone
    assert f'href="{base}/summary.pdf?agency=DLH"' in row
    assert "PU" not in listed                                                  # nothing else is listed


def test_an_issuer_without_a_name_is_shown_by_e_mail(app, client, create_tenant, create_user, login):
    """The fallback: an account with no display name (and the CLI's name) is listed as the register keeps it."""
    tenant = closed_month(app, create_tenant)
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    admin = create_user(tenant, role="admin")
    with app.app_context():                      # the core names an account after its address; this one has none
        db.session.execute(db.update(User).where(User.email == admin).values(name=""))
        db.session.commit()
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    assert client.post(f"{base}/summary", data={"agency": "DLH"}).status_code == 302
    by_cli = closed_month(app, create_tenant)
    with app.app_context(), tenant_scope(by_cli):
        issue_summary(by_cli, "remuneration-cli", get_run(by_cli, 2026, 3), "DLH")
        db.session.commit()
    pattern = r'<td class="card-head">(\w+)</td>.*?data-label="Issued by">([^<]*)</td>'
    listed = client.get(base).get_data(as_text=True).split('id="issued-summaries"')[1].split("</table>")[0]
    assert re.findall(pattern, listed, re.S) == [("DLH", admin)], listed
    login(client, create_user(by_cli, role="auditor"), by_cli)
    listed = client.get(f"/t/{by_cli.slug}/{MODULE}/runs/2026/3").get_data(as_text=True).split(
        'id="issued-summaries"')[1].split("</table>")[0]
    assert re.findall(pattern, listed, re.S) == [("DLH", "remuneration-cli")], listed


def test_those_who_may_not_read_a_summary_are_told_who_may(app, client, create_tenant, create_user, login):
    """Last trial of issue 16: an officer, a staff member, a citizen and a kadis got the bare "You do
    not have permission to open this page" on the summary PDF; ``finance_or`` now says who reads it."""
    settings = {"ceilings": CEILINGS, "finance_positions": ["KABID-PERBEN"]}
    tenant = closed_month(app, create_tenant, settings, agencies=AGENCIES)
    kadis = create_user(tenant, role="officer", agency="BPKAD")
    with app.app_context():
        assign_holder(tenant, find_position(tenant, "KABAN-BPKAD"), kadis, "test")   # head, not the treasurer
        db.session.commit()
    link = f"/t/{tenant.slug}/{MODULE}/runs/2026/3/summary.pdf?agency=DLH"
    said = {"en": ("are for the finance agency (the holder of Kepala Bidang Perbendaharaan (the settings' "
                   "finance positions)), the auditor and the administrator.", "You do not have permission"),
            "id": ("hanya untuk pengelola keuangan (pemangku jabatan Kepala Bidang Perbendaharaan (jabatan keuangan "
                   "dalam pengaturan)), auditor, dan administrator.", "Anda tidak berhak membuka halaman ini")}
    for who, user in (("officer", create_user(tenant, role="officer", agency="DLH")),
                      ("staff", create_user(tenant, role="officer", agency="BPKAD")),
                      ("citizen", create_user(tenant, role="citizen")), ("kadis", kadis)):
        login(client, user, tenant)
        for locale, (reason, bare) in said.items():
            client.set_cookie(LOCALE_COOKIE, locale)
            refused = client.get(link)
            page = refused.get_data(as_text=True).replace("&#39;", "'")
            assert refused.status_code == 403 and reason in page and bare not in page, (who, locale)
        answer = client.get(link, headers={"Accept": "application/json"})
        assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "finance_or_read_all", who
        client.get(f"/t/{tenant.slug}/logout")
    plain = closed_month(app, create_tenant)                         # no finance positions named
    login(client, create_user(plain, role="officer", agency="DLH"), plain)
    client.set_cookie(LOCALE_COOKIE, "en")
    page = client.get(f"/t/{plain.slug}/{MODULE}/runs/2026/3/summary.pdf?agency=DLH").get_data(as_text=True)
    assert "are for the finance agency (whoever may close the months), the auditor and the administrator." in page


def test_a_summary_issued_outside_a_request_is_wholly_in_the_tenants_language(app, create_tenant, monkeypatch):
    """Issued by the CLI or a job (no request; the CLI speaks English): the PDF, its subject in the
    register and its signature block in the tenant's first language (Indonesian), not mixed."""
    from flask_babel import force_locale

    tenant = closed_month(app, create_tenant)
    html = rendered_html(monkeypatch)
    with app.app_context(), force_locale("en"), tenant_scope(tenant):   # as ``pamong remuneration`` runs
        doc = issue_summary(tenant, "remuneration-cli", get_run(tenant, 2026, 3), "DLH")
        subject, signer = doc.subject, doc.signer_position
        db.session.commit()
    [page] = html
    assert subject == "Rekapitulasi TPP DLH 2026-03" and signer == "Bagian Keuangan"
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.S)
    for indonesian in ("Rekapitulasi TPP DLH Maret 2026", "Tambahan penghasilan pegawai (TPP) DLH bulan Maret 2026",
                       "Kelas jabatan", "Pagu", "Nomor", "Ditandatangani secara elektronik", "Bagian Keuangan",
                       "Rp\u00a010.000.000"):
        assert indonesian in body, indonesian
    for english in ("TPP summary", "Additional employee income", "Position class", "Ceiling", "Finance office",
                    "Signed electronically", "March", "Total"):
        assert english not in body, english


def test_the_summary_table_has_right_aligned_amounts_and_a_total_row(app, create_tenant, monkeypatch):
    """The PDF's table (the documents' ``figures`` table): padded cells, amounts right-aligned on one
    line, and a total row at the bottom that is the sum of the rows above; the verification address
    in the shared template's one-line ``verify-url``."""
    from ..services import payroll

    tenant = closed_month(app, create_tenant)
    html = rendered_html(monkeypatch)
    with app.app_context(), tenant_scope(tenant):
        issue_summary(tenant, "remuneration-cli", get_run(tenant, 2026, 3), "DLH")
        people = payroll(tenant, get_run(tenant, 2026, 3), "DLH")
        db.session.commit()
    [page] = html
    css = page.split("<style>")[1].split("</style>")[0]
    assert re.search(r"table\.figures th, table\.figures td \{[^}]*padding:", css)
    assert re.search(r"table\.figures \.amount \{[^}]*text-align: right;[^}]*white-space: nowrap", css)
    assert re.search(r"\.verify-url \{[^}]*white-space: nowrap", css)
    table = page.split('<table class="figures">')[1].split("</table>")[0]
    body, foot = table.split("<tbody>")[1].split("</tbody>")[0], table.split("<tfoot>")[1].split("</tfoot>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    assert len(rows) == len(people) == 3
    for row in rows:
        assert len(re.findall(r'<td class="amount">Rp\u00a0[0-9.]+</td>', row)) == 2, row
    ceiling, tpp = sum(p["ceiling"] for p in people), sum(p["tpp"] for p in people)
    total = re.findall(r'<td class="amount">Rp\u00a0([0-9.]+)</td>', foot)
    assert [int(t.replace(".", "")) for t in total] == [ceiling, tpp] and "Jumlah (3 pegawai)" in foot
    assert re.search(r'<span class="verify-url">https?://[^<\s]+/verify/[^<\s]+</span>', page)

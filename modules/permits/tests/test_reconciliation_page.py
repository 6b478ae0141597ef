"""The reconciliation page and its CSV (issue 15.4): officers and admins see, per permit type and
month, the paid applications against the retribution the ledger collected; a citizen is refused; a
payment changed outside the module (a ledger transfer, an application's amount altered directly)
shows as a row that disagrees, on the page and in the CSV."""
from __future__ import annotations

import csv
import io

import pytest

from core.kit import db, ledger, tenant_scope

from .. import payments
from ..models import Application
from ..views_finance import _safe
from .conftest import MONTH, user_actor as _actor



def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_a_citizen_is_refused_and_an_admin_sees_it_reconcile(client, login, office):
    tenant, people, _ = office
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    assert client.get(f"{base}/reconciliation").status_code == 403
    assert client.get(f"{base}/reconciliation.csv").status_code == 403
    assert "reconciliation-link" not in client.get(f"{base}/figures").get_data(as_text=True)
    client.get(f"/t/{tenant.slug}/logout")

    login(client, people["admin"], tenant)
    assert 'id="reconciliation-link"' in client.get(f"{base}/figures").get_data(as_text=True)
    page = client.get(f"{base}/reconciliation")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("Rp\xa0150.000") + html.count("Rp 150.000") == 2   # billed and collected
    assert "Rekonsiliasi" in html and 'class="disagrees"' not in html and "Cocok:" in html
    english = client.get(f"{base}/reconciliation", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Reconciles:" in english and "Collected on the ledger" in english
    rows = _csv(client.get(f"{base}/reconciliation.csv"))
    assert rows == [["month", "type_code", "type_name", "billed", "collected", "difference", "agrees"],
                    [MONTH, "REK", "Izin Reklame", "150000", "150000", "0", "yes"]]
    client.get(f"/t/{tenant.slug}/logout")
    login(client, people["officer"], tenant)   # a counter officer (permits.cashier) sees it too
    assert client.get(f"{base}/reconciliation").status_code == 200


def test_a_ledger_transfer_outside_the_module_shows_as_a_disagreement(app, client, login, office):
    tenant, people, _ = office
    with app.app_context():
        ledger.transfer(tenant, _actor(people["admin"], tenant), "manual.fix.1", payments.BANK,
                        payments.revenue_account("REK"), 25_000, memo="entered by hand")
        db.session.commit()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["admin"], tenant)
    html = client.get(f"{base}/reconciliation").get_data(as_text=True)
    assert 'class="disagrees"' in html and "Cocok:" not in html and "Tidak cocok" in html
    assert "175.000" in html and "25.000" in html
    rows = _csv(client.get(f"{base}/reconciliation.csv"))
    assert rows[1] == [MONTH, "REK", "Izin Reklame", "150000", "175000", "25000", "no"]


def test_an_amount_altered_on_the_application_shows_as_a_disagreement(app, client, login, office):
    tenant, people, application_id = office
    with app.app_context():
        with tenant_scope(tenant):
            db.session.execute(db.update(Application).where(Application.id == application_id)
                               .values(fee_amount=140_000))
        db.session.commit()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["admin"], tenant)
    english = client.get(f"{base}/reconciliation", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'class="disagrees"' in english and "Does not reconcile" in english and "Reconciles:" not in english
    assert "140,000" in english and "10,000" in english   # billed 140.000, collected 150.000
    rows = _csv(client.get(f"{base}/reconciliation.csv"))
    assert rows[1] == [MONTH, "REK", "Izin Reklame", "140000", "150000", "10000", "no"]


@pytest.mark.parametrize("text, cell", [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@x", "'@x"),
                                        ("Izin Reklame", "Izin Reklame")])
def test_text_cells_cannot_run_as_formulas(text, cell):
    assert _safe(text) == cell


@pytest.mark.browser
def test_the_table_becomes_cards_on_a_360_px_phone(app, browser, live_server, office):
    from . import test_browser as tb

    tenant, people, _ = office
    base = f"{live_server.url}/t/{tenant.slug}"
    phone = browser.new_context(locale="id-ID", viewport=tb.PHONE)
    page = phone.new_page()
    tb.sign_in(page, base, people["admin"])
    page.goto(f"{base}/permits/figures")
    with page.expect_navigation():   # waits for "load": the stylesheet applied before the checks (flaky under load)
        page.locator("#reconciliation-link").click()
    assert page.locator("h1").inner_text() == "Rekonsiliasi retribusi"
    assert tb.fits_the_phone(page)
    # cards (the core's table.stacked): the headings only for screen readers, each cell names its column
    assert page.locator("table#reconciliation thead").evaluate("t => t.getBoundingClientRect().height") <= 1
    assert page.locator("table#reconciliation td").first.evaluate(
        "e => getComputedStyle(e, '::before').content") == '"Bulan: "'
    phone.close()

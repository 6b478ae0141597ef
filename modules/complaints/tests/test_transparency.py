"""The public transparency page, its figures and chart, and the admin's CSV export."""
import csv
import io
from datetime import timedelta

from core.kit import db, tenant_scope, utcnow
from modules.complaints import services, transparency, workflow


def seed(tenant, officer):
    now = utcnow()
    made = []
    cases = [(20, "SAMPAH", 2), (15, "SAMPAH", 5), (10, "JALAN", 1), (1, "SAMPAH", None)]
    for days_ago, category, resolve_after in cases:
        filed = now - timedelta(days=days_ago)
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category=category, description="Hubungi saya di 0812-3456-7890 atau rani@example.test ya",
            name="Daeng Rani", phone="081234567890", village="MRS-BTN"), "portal", now=filed)
        if resolve_after is not None:
            for status in ("verified", "assigned", "in_progress"):
                workflow.transition(tenant, "system", complaint, status, now=filed)
            done = filed + timedelta(days=resolve_after)
            workflow.transition(tenant, "system", complaint, "resolved", note="ok", now=done)
        made.append(complaint)
    db.session.commit()
    return made


def test_figures(scoped, tenant):
    seed(tenant, None)
    rep = transparency.report(tenant, utcnow())
    assert rep.total == 4 and rep.resolved == 3
    assert dict((s, n) for s, _, n in rep.by_status)["resolved"] == 3
    assert dict(rep.by_category) == {"SAMPAH": 3, "JALAN": 1}
    assert dict(rep.by_agency) == {"Dinas Lingkungan Hidup": 3, "Dinas Pekerjaan Umum": 1}
    assert rep.median_hours == 48  # 1, 2 and 5 days
    assert abs(rep.within_target - 2 / 3) < 1e-9  # SAMPAH in 5 days misses its 3-day target
    assert sum(f for _, f, _ in rep.series) == 4 and len(rep.series) == 12


def test_scrub_removes_contacts():
    assert transparency.scrub("telp 0812-3456-7890 / +62 812 3456 7890, mail a.b@c.id") == "telp […] / […], mail […]"
    assert transparency.scrub("RT 03 RW 05 Jl. Nuri No. 12") == "RT 03 RW 05 Jl. Nuri No. 12"


def test_the_public_page_has_figures_chart_and_no_personal_data(app, client, tenant):
    with app.app_context(), tenant_scope(tenant):
        numbers = [c.number for c in seed(tenant, None)]
    page = client.get(f"/t/{tenant.slug}/complaints/transparency")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in html and "<script" not in html
    assert 'id="total">4<' in html and 'id="within-target">67%<' in html
    assert all(n in html for n in numbers)
    for secret in ("Daeng", "0812-3456-7890", "rani@example.test", "6281234567890"):
        assert secret not in html
    assert "export.csv" not in html  # not for the public


def test_csv_export_is_for_the_admin_only(app, client, tenant, people, login):
    with app.app_context(), tenant_scope(tenant):
        seed(tenant, None)
    assert client.get(f"/t/{tenant.slug}/complaints/export.csv").status_code == 302  # sign in first
    login(client, people["dlh"], tenant)
    assert client.get(f"/t/{tenant.slug}/complaints/export.csv").status_code == 403
    client.post(f"/t/{tenant.slug}/logout")
    login(client, people["admin"], tenant)
    response = client.get(f"/t/{tenant.slug}/complaints/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 4 and rows[0]["agency"] == "DLH" and rows[0]["village"] == "MRS-BTN"
    body = response.get_data(as_text=True)
    assert "Daeng" not in body and "0812" not in body and "rani@" not in body
    assert "export.csv" in client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)


def test_csv_cells_cannot_become_formulas(scoped, tenant):
    services.file_complaint(tenant, None, services.Filing(
        category="SAMPAH", description="=HYPERLINK(\"http://evil\") sampah", notify_by="none"), "portal")
    db.session.commit()
    rows = list(csv.DictReader(io.StringIO(transparency.export_csv(tenant))))
    assert rows[0]["description"].startswith("'=")


def test_the_home_page_shows_the_headline(client, tenant, app):
    with app.app_context(), tenant_scope(tenant):
        seed(tenant, None)
    html = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "<dd>4</dd>" in html


def test_public_figures_are_fresh_after_every_change(app, client, tenant):
    """The figures come from counters kept with each change (summary.py), never from a cache that a
    change leaves stale."""
    with app.app_context(), tenant_scope(tenant):
        seed(tenant, None)
    assert 'id="total">4<' in client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        seed(tenant, None)  # four more complaints
    assert 'id="total">8<' in client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    assert "<dd>8</dd>" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)

"""Times and figures on complaints (issue 20.6): pages name the zone, the JSON API and the CSV give
the tenant's offset like Open311, and the transparency chart names its months."""
import csv
import io
import re
from datetime import datetime, timezone

from flask_babel import force_locale

from core.kit import db, tenant_scope
from modules.complaints import chart, services, transparency

FILED = datetime(2026, 7, 14, 23, 30, tzinfo=timezone.utc)  # 15 July 07.30 in Makassar (WITA)


def _file(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah di selokan", notify_by="none"), "portal", now=FILED)
        db.session.commit()
        return complaint.number


def test_pages_name_the_zone(app, client, tenant):
    number = _file(app, tenant)
    page = client.get(f"/t/{tenant.slug}/complaints/track/{number}").get_data(as_text=True)
    assert "15 Jul 2026 07.30 WITA" in page
    client.get(f"/t/{tenant.slug}/lang?locale=en&next=/")
    page = client.get(f"/t/{tenant.slug}/complaints/track/{number}").get_data(as_text=True)
    assert "15 Jul 2026 07:30 WITA" in page and "7/15/26" not in page
    listing = client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    assert "15 Jul 2026 07:30 WITA" in listing


def test_api_and_csv_give_the_tenants_offset(app, client, tenant, token_for_tenant, people, login):
    number = _file(app, tenant)
    token = token_for_tenant(tenant, "complaints:read")
    one = client.get(f"/t/{tenant.slug}/api/v1/complaints/{number}", headers={"Authorization": f"Bearer {token}"})
    data = one.get_json()
    assert data["created_at"] == "2026-07-15T07:30:00+08:00"
    assert data["timeline"][0]["at"] == "2026-07-15T07:30:00+08:00"
    assert datetime.fromisoformat(data["resolution_due_at"]).utcoffset().total_seconds() == 8 * 3600
    listed = client.get(f"/t/{tenant.slug}/api/v1/complaints/", headers={"Authorization": f"Bearer {token}"})
    assert listed.get_json()["items"][0]["created_at"] == "2026-07-15T07:30:00+08:00"
    with app.app_context():
        rows = list(csv.DictReader(io.StringIO(transparency.export_csv(tenant))))
    assert rows[0]["created_at"] == "2026-07-15T07:30:00+08:00"
    assert rows[0]["response_due_at"].endswith("+08:00")
    login(client, people["admin"], tenant)
    body = client.get(f"/t/{tenant.slug}/complaints/export.csv").get_data(as_text=True)
    assert "2026-07-15T07:30:00+08:00" in body


def test_the_chart_names_its_months(app, client, tenant):
    _file(app, tenant)
    html = client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    labels = re.findall(r'font-size="14" fill="#333">([^<]+)<', svg)
    assert len(labels) == 12 and not any(re.fullmatch(r"\d\d-\d\d", label) for label in labels)
    assert all(re.fullmatch(r"[A-Z][a-z]{2}", label) for label in labels), labels
    table = html[html.index('class="chart-data"'):]
    assert re.search(r'<time datetime="\d{4}-\d\d">[A-Z][a-z]{2} \d{4}</time>', table)


def test_month_labels_in_both_languages(app):
    months = ["2025-11", "2025-12", "2026-01", "2026-02", "2026-08"]
    with app.test_request_context("/"):
        with force_locale("id"):
            assert chart.month_axis(months) == [("Nov", "2025"), ("Des", ""), ("Jan", "2026"), ("Feb", ""), ("Agu", "")]
            assert chart.month_name("2026-08") == "Agu 2026"
        with force_locale("en"):
            assert chart.month_axis(months)[2] == ("Jan", "2026")
            assert chart.month_name("2026-07") == "Jul 2026" and chart.month_name("2026-07", "MMMM y") == "July 2026"
        svg = str(chart.bar_chart("t", ["Jul 2026"], [("Received", [3])], axis=[("Jul", "2026")]))
    assert "<title>Jul 2026: Received 3</title>" in svg and ">Jul<" in svg and ">2026<" in svg

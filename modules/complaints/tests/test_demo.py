"""Demonstration data: a few complaints in every state, added once, shown on every page."""
from core.kit import db, tenant_scope
from modules.complaints import demo
from modules.complaints.models import Complaint


def test_seed_demo_adds_every_state_once(app, client, tenant, people):
    with app.app_context():
        assert demo.seed(tenant) == len(demo.SCENARIOS)
        db.session.commit()
        assert demo.seed(tenant) == 0  # idempotent: the tenant has complaints now
        with tenant_scope(tenant):
            rows = db.session.execute(db.select(Complaint.status, Complaint.escalation_level)).all()
    statuses = {s for s, _ in rows}
    assert statuses == {"submitted", "verified", "assigned", "in_progress", "resolved", "rejected", "closed"}
    assert any(level for _, level in rows)  # the overdue one was escalated
    page = client.get(f"/t/{tenant.slug}/complaints/transparency").get_data(as_text=True)
    assert f'id="total">{len(demo.SCENARIOS)}<' in page and "Warga Demo" not in page
    open311 = client.get(f"/t/{tenant.slug}/open311/v2/requests.json").get_json()
    assert len(open311) == sum(1 for d, *_ in demo.SCENARIOS if d <= 90)


def test_seed_demo_without_categories_does_nothing(app, make_tenant):
    tenant = make_tenant(settings={})
    with app.app_context():
        assert demo.seed(tenant) == 0

"""The permits API gives its date-times as ISO 8601 with the tenant's UTC offset (Makassar +08:00),
as the complaints' Open311 API does, the same instant as stored (issue 15 trial)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from core.kit import db, tenant_scope

from .. import payments, services
from .test_api import invoiced
from .test_permit_status import issued


def _same_instant(text: str, stored: datetime) -> None:
    assert text.endswith("+08:00"), text
    stored = stored if stored.tzinfo else stored.replace(tzinfo=timezone.utc)
    assert datetime.fromisoformat(text).utcoffset() == timedelta(hours=8)
    assert abs(datetime.fromisoformat(text) - stored) < timedelta(seconds=1)


def test_due_at_has_the_tenants_offset(app, client, tenant, people, create_token):
    code, fee, reference = invoiced(app, tenant, people)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    url = f"/t/{tenant.slug}/api/v1/permits/applications/{reference}"
    assert client.get(url, headers=token).get_json()["due_at"] is None   # awaiting payment: the clock waits
    with app.app_context():
        from .conftest import user_actor
        payments.record_payment(tenant, user_actor(people["admin"], tenant), code, fee, "B-1")
        db.session.commit()
    body = client.get(url, headers=token).get_json()
    with app.app_context(), tenant_scope(tenant):
        from ..models import Application
        due = db.session.execute(db.select(Application.due_at).where(Application.reference == reference)).scalar_one()
    assert due is not None
    _same_instant(body["due_at"], due)


def test_changed_at_has_the_tenants_offset(app, client, tenant, people, create_token, signer):
    aid, number, _ = issued(app, tenant, people)
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}"}
    body = client.post(f"/t/{tenant.slug}/api/v1/permits/permits/status", headers=token,
                       json={"permit_number": number, "action": "suspend", "reason": "Pemeriksaan"}).get_json()
    with app.app_context(), tenant_scope(tenant):
        changed = services.get(tenant, aid).permit_status_at
    _same_instant(body["changed_at"], changed)

"""The operator's outbox shows its times with the zone's name, in the deployment's zone (trial finding 4)."""
from datetime import datetime, timedelta, timezone

import pytest


@pytest.fixture
def as_operator(client, create_user, login):
    login(client, create_user(operator=True))
    return client


def test_outbox_times_carry_the_deployment_zone(app, as_operator, create_tenant):
    from core.extensions import db
    from core.notify.models import OutboxMessage
    from core.tenancy.scope import tenant_scope

    tenant = create_tenant(timezone="Asia/Jayapura")  # WIT: the operator's page still reads WIB
    written = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
    with app.app_context(), tenant_scope(tenant):
        db.session.add(OutboxMessage(
            channel="sms", recipient="+6281234567800", recipient_hash="h0", body="Halo", status="sent",
            attempts=1, created_at=written, sent_at=written + timedelta(minutes=5),
            next_attempt_at=written,
        ))
        db.session.commit()
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Jakarta"
    indonesian = as_operator.get(f"/operator/outbox?tenant={tenant.slug}", headers={"Accept-Language": "id"})
    html = indonesian.get_data(as_text=True)
    assert "<td>2 Mar 2026 08.00 WIB</td><td>2 Mar 2026 08.05 WIB</td>" in html, html[html.find("message-"):][:600]
    english = as_operator.get(f"/operator/outbox?tenant={tenant.slug}", headers={"Accept-Language": "en"})
    assert "<td>2 Mar 2026 08:00 WIB</td><td>2 Mar 2026 08:05 WIB</td>" in english.get_data(as_text=True)

"""Modules talk through events: publish() reaches the handle_event hooks of enabled modules only."""
from core.events import publish
from core.extensions import db
from core.tenancy.models import Tenant
from tests.testmodule import received_events


def test_event_reaches_enabled_modules_only(app, create_tenant):
    on, off = create_tenant(modules={"notes": {}}), create_tenant()
    received_events.clear()
    with app.app_context():
        results = publish(db.session.get(Tenant, on.id), "tester", "payment.settled", {"amount": 150000}, source="payments")
        assert results == ["notes saw payment.settled"]
        assert publish(db.session.get(Tenant, off.id), "tester", "payment.settled", {"amount": 1}) == []
        # the source module does not hear its own event
        assert publish(db.session.get(Tenant, on.id), "tester", "note.made", {}, source="notes") == []
    assert received_events == [(on.slug, "payment.settled", {"amount": 150000})]

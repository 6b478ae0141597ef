"""Other modules hear of complaints through the core's domain events (``handle_event``)."""
from pathlib import Path

import pytest

from core.kit import db, hookimpl, tenant_scope
from core.modules import ModuleSpec
from modules.complaints import services, workflow

from .conftest import AGENCIES, DISTRICTS, SETTINGS


class Listener:
    heard: list = []

    @hookimpl
    def module_info(self):
        return {"name": "listener", "title": "Listener", "version": "1"}

    @hookimpl
    def handle_event(self, tenant, actor, event):
        Listener.heard.append((event["name"], event["payload"], event["source"]))


@pytest.fixture
def listening_tenant(app, create_tenant):
    manager = app.extensions["pamong"]
    plugin = Listener()
    manager.pm.register(plugin, name="listener")
    manager.modules["listener"] = ModuleSpec(name="listener", plugin=plugin, info=plugin.module_info(),
                                             path=Path(__file__).parent, source="test")
    Listener.heard = []
    try:
        yield create_tenant(modules={"complaints": SETTINGS, "listener": {}}, agencies=AGENCIES, districts=DISTRICTS)
    finally:
        manager.modules.pop("listener")
        manager.pm.unregister(name="listener")


def test_filing_and_each_step_are_published_without_personal_data(app_ctx, listening_tenant):
    tenant = listening_tenant
    with tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah di pasar", name="Rani", phone="081234567890"), "portal")
        workflow.transition(tenant, "system", complaint, "verified")
        workflow.reroute(tenant, "system", complaint, "PU", "Bukan sampah")
        number = complaint.number
        db.session.commit()
    names = [name for name, _, _ in Listener.heard]
    assert names == ["complaints.filed", "complaints.verified", "complaints.rerouted"]
    assert all(source == "complaints" for _, _, source in Listener.heard)
    filed = Listener.heard[0][1]
    assert filed["number"] == number and filed["channel"] == "portal"
    assert "Rani" not in str(Listener.heard) and "0812" not in str(Listener.heard)

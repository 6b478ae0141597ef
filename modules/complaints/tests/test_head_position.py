"""Escalation to the head of an agency (issue 12.4): the configured contact first; else whoever holds
the agency's head position (an acting holder within the period); else the agency's officers."""
from datetime import timedelta

from core.kit import OrgUnit, db, tenant_scope
from core.tenancy import positions as jabatan
from modules.complaints.sla import head_contacts
from modules.complaints.settings import settings_of

from .conftest import AGENCIES, DISTRICTS, SETTINGS


def test_head_contacts_come_from_the_head_position(app, create_tenant, create_user):
    agencies = [AGENCIES[0], {**AGENCIES[1], "positions": [{"code": "KADIS-PU", "name": "Kepala Dinas PU", "head": True}]}]
    tenant = create_tenant(modules={"complaints": SETTINGS}, agencies=agencies, districts=DISTRICTS)
    officer = create_user(tenant, "officer", agency="PU")
    head = create_user(tenant, "officer", agency="PU")
    with app.app_context(), tenant_scope(tenant):
        settings = settings_of(tenant)
        pu = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "PU")).scalar_one()
        dlh = db.session.execute(db.select(OrgUnit).where(OrgUnit.code == "DLH")).scalar_one()
        assert sorted(head_contacts(tenant, pu, settings)) == sorted([("email", officer), ("email", head)])
        jabatan.assign_holder(tenant, jabatan.find_position(tenant, "KADIS-PU"), head, "test", acting=True,
                              start=jabatan.local_today(tenant) - timedelta(days=1))
        db.session.flush()
        assert head_contacts(tenant, pu, settings) == [("email", head)]
        holder = db.session.execute(db.select(jabatan.PositionHolder)).scalar_one()
        holder.ends_on = jabatan.local_today(tenant) - timedelta(days=1)  # the acting period is over
        db.session.flush()
        assert len(head_contacts(tenant, pu, settings)) == 2  # back to the agency's officers
        assert ("email", "kadis.dlh@example.test") in head_contacts(tenant, dlh, settings)  # configured: kept
        db.session.rollback()

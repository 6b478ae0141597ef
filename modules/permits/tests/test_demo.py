"""Demonstration data with Makassar's own permit settings (tenants/makassar.toml): one application in
each state, added once, shown on the register and the queue."""
import tomllib
from pathlib import Path

from core.kit import db, tenant_scope

from .. import demo, oss
from ..models import Application

MAKASSAR = Path(__file__).resolve().parents[3] / "tenants" / "makassar.toml"


def test_makassar_settings_validate_and_the_demo_seeds_every_state_once(app, client, create_tenant, create_user,
                                                                        login):
    settings = tomllib.loads(MAKASSAR.read_text())["modules"]["permits"]["settings"]
    tenant = create_tenant(modules={"permits": settings})
    for role in ("citizen", "officer", "admin"):
        create_user(tenant, role, agency="DLH" if role == "officer" else None)
    import importlib

    certs = importlib.import_module("core.documents.certs")
    with app.app_context():
        certs.ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        assert demo.seed(tenant) == len(demo.STATES)
        db.session.commit()
        assert demo.seed(tenant) == 0
        with tenant_scope(tenant):
            rows = db.session.execute(db.select(Application.status, Application.permit_status)).all()
    assert {s for s, _ in rows} == {"draft", "submitted", "returned", "awaiting_payment", "approved", "issued",
                                    "rejected", "withdrawn"}
    assert ("issued", "revoked") in rows and ("issued", "suspended") in rows
    with app.app_context(), tenant_scope(tenant):   # returned to be corrected (43) and corrected (44) too
        codes = {oss.code_of(a) for a in db.session.execute(db.select(Application)).scalars()}
    assert {"43", "44"} <= codes, codes
    register = client.get(f"/t/{tenant.slug}/permits/register").get_data(as_text=True)
    assert register.count("/DPMPTSP/") == 5 and "status-suspended" in register and "Warung Coto Aisyah" not in register

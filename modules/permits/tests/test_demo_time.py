"""The demo shows what needs time to pass (issue 15 p15): an overdue application reported to the head,
a permit deemed approved (fiktif positif, OSS 57) and an expired permit, each reached by the real
code paths (the sweep, the audit trail), and every demo file is what its name and type say."""
import importlib
import tomllib
from pathlib import Path

from core.kit import db, documents, storage, tenant_scope

from .. import demo, oss, uploads
from ..models import Application, Event, Upload

MAKASSAR = Path(__file__).resolve().parents[3] / "tenants" / "makassar.toml"


def _seeded(app, create_tenant, create_user):
    settings = tomllib.loads(MAKASSAR.read_text())["modules"]["permits"]["settings"]
    tenant = create_tenant(modules={"permits": settings})
    people = {role: create_user(tenant, role, agency="DLH" if role == "officer" else None)
              for role in ("citizen", "officer", "admin")}
    certs = importlib.import_module("core.documents.certs")
    with app.app_context():
        certs.ensure_tenant_cert(app.config["INSTANCE_DIR"], tenant)
        assert demo.seed(tenant) == len(demo.STATES)
        db.session.commit()
    return tenant, people


def _by_name(tenant, name):
    return db.session.execute(db.select(Application).where(Application.applicant_name == name)).scalar_one()


def test_the_demo_shows_overdue_fiktif_positif_and_expired(app, client, create_tenant, create_user, login,
                                                           audit_entries):
    tenant, people = _seeded(app, create_tenant, create_user)
    names = {state: demo.PEOPLE[i][0] for i, state in enumerate(demo.STATES)}
    with app.app_context(), tenant_scope(tenant):
        overdue, fiktif, expired = (_by_name(tenant, names[s]) for s in ("overdue", "fiktif_positif", "expired"))
        ids = {a.id: a for a in (overdue, fiktif, expired)}
        lines = {i: [e.action for e in db.session.execute(db.select(Event).where(Event.application_id == i)
                                                          .order_by(Event.id)).scalars()] for i in ids}
        codes = {i: oss.code_of(a) for i, a in ids.items()}
        facts = {"overdue": (overdue.reference, overdue.status, overdue.type_code),
                 "fiktif": (fiktif.permit_number, fiktif.status, fiktif.fiktif_positif, fiktif.type_code),
                 "expired": (expired.permit_number, expired.valid_until, expired.document_code)}
    # the overdue one: still in the office's hands, reported once to the head by the sweep (audited)
    assert facts["overdue"][1:] == ("submitted", "PBG") and lines[overdue.id] == ["draft", "submit", "escalate"]
    assert any(e["object_id"] == str(overdue.id) for e in audit_entries(tenant, "permits.escalate"))
    # fiktif positif: approved by the sweep, then issued: OSS 57
    assert facts["fiktif"][1:] == ("issued", True, "SKU") and codes[fiktif.id] == "57"
    assert "fiktif_positif" in lines[fiktif.id] and lines[fiktif.id][-1] == "issue"
    assert any(e["object_id"] == str(fiktif.id) for e in audit_entries(tenant, "permits.fiktif_positif"))

    login(client, people["officer"], tenant)
    base = f"/t/{tenant.slug}/permits"
    queue = client.get(f"{base}/queue?overdue=1").get_data(as_text=True)
    assert facts["overdue"][0] in queue and fiktif.reference not in queue
    page = client.get(f"{base}/applications/{fiktif.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "(OSS 57)" in page
    register = client.get(f"{base}/register?lang=en").get_data(as_text=True)
    assert facts["fiktif"][0] in register and facts["expired"][0] in register
    assert "status-expired" in register
    # the expired permit: on its page, and on the public verification page (the core's document)
    page = client.get(f"{base}/applications/{expired.id}").get_data(as_text=True)
    assert facts["expired"][0] in page
    with app.app_context():
        doc = documents.find(tenant, facts["expired"][2])
        assert doc.state() == "expired"
    verify = client.get(f"/t/{tenant.slug}/verify/{facts['expired'][2]}")
    assert verify.status_code == 200


def test_every_demo_file_is_what_its_name_says(app, create_tenant, create_user):
    tenant, _people = _seeded(app, create_tenant, create_user)
    with app.app_context(), tenant_scope(tenant):
        rows = db.session.execute(db.select(Upload)).scalars().all()
        assert rows
        for row in rows:
            data = storage().get(row.storage_key, tenant=tenant)
            ending = row.filename.rsplit(".", 1)[1]
            assert ending in uploads.EXTENSIONS[row.content_type], (row.filename, row.content_type)
            assert uploads.check(data, ["pdf", "jpg", "png"], 20480, row.requirement, row.filename) == row.content_type
            if row.content_type == "application/pdf":
                assert data.startswith(b"%PDF-") and b"/Type /Page" in data.replace(b"/Type/Page", b"/Type /Page")
        assert {(r.requirement, r.filename.rsplit(".", 1)[1]) for r in rows if r.requirement == "foto"} == {("foto", "jpg")}

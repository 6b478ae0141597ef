"""Another tenant never sees this module's rows: not through the service, the pages or the APIs,
and on PostgreSQL not even through raw SQL without a tenant (Row Level Security)."""
import pytest
from sqlalchemy import text

from core.kit import db, key_violations, tenant_scope

from ..models import Visit
from ..registration import by_code
from .fixtures import MONDAY, SETTINGS, booked


def test_another_tenant_cannot_see_the_rows(app, client, create_tenant, create_token, frozen_clock):
    with app.app_context():
        mine = create_tenant(modules={"clinic": SETTINGS})
        theirs = create_tenant(modules={"clinic": SETTINGS})
        visit, _ = booked(mine)
        with tenant_scope(theirs):
            assert db.session.query(Visit).count() == 0
            assert by_code(theirs, visit.booking_code) is None
    assert client.get(f"/t/{theirs.slug}/clinic/status?code={visit.booking_code}").status_code == 404
    assert visit.number in client.get(f"/t/{mine.slug}/clinic/status?code={visit.booking_code}").get_data(as_text=True)
    their_fhir = {"Authorization": f"Bearer {create_token(theirs, 'fhir:read')}"}
    assert client.get(f"/t/{mine.slug}/fhir/Encounter", headers=their_fhir).status_code == 401
    bundle = client.get(f"/t/{theirs.slug}/fhir/Encounter", headers=their_fhir).get_json()
    assert bundle["total"] == 0
    their_bpjs = {"x-token": create_token(theirs, "clinic:bpjs")}
    refused = client.get(f"/t/{mine.slug}/api/v1/clinic/bpjs/PKM-A/antrean/status/UMUM/{MONDAY}", headers=their_bpjs)
    assert refused.status_code == 401 and refused.get_json() == {
        "metadata": {"code": 401, "message": "Diperlukan token API yang sah dari tenant ini (x-token)."}, "response": None}


def test_postgres_hides_the_rows_from_sql_without_a_tenant(app_ctx, create_tenant, frozen_clock):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("Row Level Security is PostgreSQL's")
    tenant = create_tenant(modules={"clinic": SETTINGS})
    booked(tenant)
    count = text("SELECT count(*) FROM clinic_visits")
    assert db.session.execute(count).scalar() == 0
    with tenant_scope(tenant):
        assert db.session.execute(count).scalar() == 1


def test_the_tables_hold_the_tenant_keys(app_ctx):
    """DESIGN §4: tenant_id inside the primary key and every unique and foreign key between
    tenant tables (read from the database itself)."""
    tables = {table for table in db.metadata.tables if table.startswith("clinic_")}
    assert len(tables) == 8  # with the SMS codes to mask and the practitioners (NIK, IHS number)
    with db.engine.connect() as conn:
        assert key_violations(conn, tables=tables) == []

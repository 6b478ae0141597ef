"""How many SQL statements a booking and a status check send (the benchmark's cost model, kept
from growing back): a new patient's booking, a returning patient's, and the status page."""
import pytest

from core.kit import db, tenant_scope
from core.testing import sql_statements

from ..registration import Request, book
from .fixtures import MONDAY, NIK_A, NIK_B, SETTINGS, booked


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS})


def booking_statements(app, tenant, **fields) -> list[str]:
    with app.app_context():
        booked(tenant, poli="GIGI", nik=NIK_B)  # warm: the settings read, the day's counters made
        with sql_statements(app) as seen, tenant_scope(tenant):
            book(tenant, None, Request(clinic="PKM-A", poli="UMUM", day=MONDAY, **fields))
            db.session.commit()
    seen = [" ".join(s.split())[:70].upper() for s in seen]
    audit = next(i for i, s in enumerate(seen) if s.startswith("INSERT INTO AUDIT_ENTRIES"))
    return seen[:audit + 1]  # the booking's own; the core's audit sealing after the commit is not counted


def test_a_new_patients_booking_is_a_dozen_statements(app, tenant):
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
    seen = booking_statements(app, tenant, nik=NIK_A)
    inserts = [s for s in seen if s.startswith("INSERT")]
    assert len(inserts) == 6, seen  # patient, record counter, record, number counter, visit, audit
    assert not [s for s in seen if s.startswith("UPDATE CLINIC_VISITS")], seen  # the estimate goes in with the insert
    # the settings' version, the write lock(s) (PostgreSQL: the patient's and the poli's day's advisory
    # locks; SQLite: BEGIN IMMEDIATE), the patient, the grouped count and the six inserts; + COMMIT
    assert len(seen) == (11 if postgres else 10), seen


def test_a_returning_patients_booking_reuses_the_record(app, tenant):
    with app.app_context():
        booked(tenant, poli="GIGI")  # NIK_A has a record at PKM-A now
    seen = booking_statements(app, tenant, nik=NIK_A)
    inserts = [s for s in seen if s.startswith("INSERT")]
    assert len(inserts) == 3, seen  # number counter, visit, audit


def test_the_status_check_is_three_statements_while_waiting_and_two_after(app, client, tenant):
    with app.app_context():
        visit, _ = booked(tenant)
    with sql_statements(app) as seen:
        assert client.get(f"/t/{tenant.slug}/clinic/status?code={visit.booking_code}").status_code == 200
    assert len([s for s in seen if "clinic_visits" in s]) == 2  # the visit, the patients ahead
    with app.app_context(), tenant_scope(tenant):
        from .. import queue

        queue.call_next(tenant, None, "PKM-A", "UMUM")
        db.session.commit()
    with sql_statements(app) as seen:
        assert client.get(f"/t/{tenant.slug}/clinic/status?code={visit.booking_code}").status_code == 200
    assert len([s for s in seen if "clinic_visits" in s]) == 1  # called: nobody is counted ahead

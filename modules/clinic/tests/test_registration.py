"""Registration as a service: numbers per clinic, poli and local day; one booking per patient, poli
and day; quotas; closed and past days; identity numbers at rest."""
from datetime import timedelta

import pytest
from sqlalchemy import text

from core.kit import IdentityError, ValidationError, db, tenant_scope

from ..models import MedicalRecord, Patient, Visit
from ..registration import cancel
from .fixtures import BPJS_A, MONDAY, NIK_A, NIK_B, NIK_C, SETTINGS, booked


@pytest.fixture
def tenant(app_ctx, create_tenant, frozen_clock):
    return create_tenant(modules={"clinic": SETTINGS})


def test_numbers_run_per_poli_and_day_with_the_poli_letter(tenant):
    a1, _ = booked(tenant)
    a2, _ = booked(tenant, nik=NIK_B)
    b1, _ = booked(tenant, poli="GIGI")
    tuesday, _ = booked(tenant, day=MONDAY + timedelta(days=1))
    other, _ = booked(tenant, clinic="PKM-B", nik=NIK_C)
    assert [a1.number, a2.number, b1.number, tuesday.number, other.number] == ["A-001", "A-002", "B-001", "A-001", "A-001"]
    assert a1.estimated_at is not None and a2.estimated_at - a1.estimated_at == timedelta(minutes=10)


def test_a_second_booking_returns_the_first(tenant, audit_entries):
    first, created = booked(tenant)
    again, created_again = booked(tenant, bpjs=BPJS_A, nik=NIK_A)
    assert created and not created_again and again.id == first.id and again.number == "A-001"
    assert len(audit_entries(tenant, "clinic.visit.book")) == 1
    with tenant_scope(tenant):
        assert db.session.query(Patient).count() == 1
        assert db.session.query(MedicalRecord).one().number == "PKM-A-000001"


def test_after_a_cancel_the_patient_may_book_again_and_numbers_stay_gap_free(tenant):
    first, _ = booked(tenant)
    with tenant_scope(tenant):
        cancel(tenant, None, db.session.get(Visit, first.id), "sakit")
        db.session.commit()
    again, created = booked(tenant)
    assert created and again.number == "A-002"


@pytest.mark.parametrize("change, where, code", [
    ({"clinic": "NOPE"}, "clinic", "unknown_clinic"),
    ({"poli": "MATA"}, "poli", "unknown_poli"),
    ({"day": MONDAY - timedelta(days=1)}, "day", "day_past"),
    ({"day": MONDAY + timedelta(days=30)}, "day", "day_too_far"),
    ({"day": MONDAY + timedelta(days=2)}, "day", "closed"),          # the clinic's own closed day
    ({"day": MONDAY + timedelta(days=6)}, "day", "closed"),          # Sunday: no session
    ({"poli": "GIGI", "day": MONDAY + timedelta(days=1)}, "day", "closed"),  # no session on Tuesday
    ({"nik": ""}, "nik", "identity_missing"),
])
def test_bad_requests_are_refused_and_nothing_is_written(tenant, change, where, code):
    with pytest.raises(ValidationError) as caught:
        booked(tenant, **change)
    db.session.rollback()
    assert (caught.value.where, caught.value.code) == (where, code)
    with tenant_scope(tenant):
        assert db.session.query(Visit).count() == 0


def test_a_nik_of_the_wrong_form_is_refused(tenant):
    with pytest.raises(IdentityError) as caught:
        booked(tenant, nik="1234")
    db.session.rollback()
    assert caught.value.where == "nik"


def test_a_national_holiday_is_closed(app_ctx, create_tenant, frozen_clock):
    from datetime import date, datetime, timezone
    frozen_clock.set(datetime(2026, 3, 17, 1, 0, tzinfo=timezone.utc))
    tenant = create_tenant(modules={"clinic": SETTINGS})
    with pytest.raises(ValidationError) as caught:   # Nyepi, 19 March 2026
        booked(tenant, day=date(2026, 3, 19))
    assert caught.value.code == "closed"


def test_quotas_are_per_kind_of_patient(tenant):
    niks = ["7371014101900001", "7371014101900002", "7371014101900003", "7371014101900004"]
    for nik in niks[:2]:
        booked(tenant, nik=nik, jkn=False)
    with pytest.raises(ValidationError) as caught:
        booked(tenant, nik=niks[2], jkn=False)
    db.session.rollback()
    assert caught.value.code == "quota_full"
    visit, created = booked(tenant, nik=niks[2], jkn=True)   # the JKN quota still has room
    assert created and visit.number == "A-003"  # the refused attempt took no number


def test_identity_numbers_are_encrypted_at_rest(tenant):
    booked(tenant, bpjs=BPJS_A, name="Andi Baso")
    with tenant_scope(tenant):
        raw = db.session.execute(text("SELECT nik, bpjs, name FROM clinic_patients WHERE tenant_id = :t"), {"t": tenant.id}).one()
    assert NIK_A not in raw.nik and BPJS_A not in raw.bpjs and "Andi" not in raw.name


def test_a_full_quota_turns_away_bookings_from_afar_not_a_walk_in_at_the_desk(tenant, audit_entries):
    niks = ["7371014101900001", "7371014101900002", "7371014101900003", "7371014101900004"]
    for nik in niks[:2]:  # the session's non-JKN quota is 2
        booked(tenant, nik=nik, jkn=False, channel="portal")
    for channel in ("portal", "sms"):
        with pytest.raises(ValidationError) as caught:
            booked(tenant, nik=niks[2], jkn=False, channel=channel)
        db.session.rollback()
        assert caught.value.code == "quota_full"
    walk_in, created = booked(tenant, nik=niks[2], jkn=False, channel="desk", name="Ibu Ani")  # standing at the desk
    assert created and walk_in.number == "A-003"
    [entry] = [e for e in audit_entries(tenant, "clinic.visit.book") if e["object_id"] == str(walk_in.id)]
    assert entry["summary"]["after"]["over_quota"] is True
    tuesday = MONDAY + timedelta(days=1)
    for nik in niks[:2]:
        booked(tenant, nik=nik, jkn=False, day=tuesday)
    with pytest.raises(ValidationError) as caught:  # the desk booking a later day keeps to the quota
        booked(tenant, nik=niks[3], jkn=False, channel="desk", name="Pak Budi", day=tuesday)
    db.session.rollback()
    assert caught.value.code == "quota_full"

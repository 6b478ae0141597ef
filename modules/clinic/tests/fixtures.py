"""Settings and people the clinic's tests share. The frozen clock (2026-03-02 01:00 UTC) is Monday
09:00 in Makassar (WITA), the tests' tenants' zone."""
from datetime import date
from types import SimpleNamespace

from core.kit import db, tenant_scope

MONDAY = date(2026, 3, 2)
NIK_A, NIK_B, NIK_C = "7371014101900001", "7371110505850003", "7371012212700002"
BPJS_A = "0001234567890"
DESK_A = "loket@pkm-a.test"  # PKM-A's desk staff (settings ``desk_staff``)

SETTINGS = {"clinics": [
    {"code": "PKM-A", "name": "Puskesmas Satu", "address": "Jl. Satu",
     "closed_days": ["2026-03-04"],
     "polis": [
         {"code": "UMUM", "name": "Poli Umum", "letter": "A", "bpjs_code": "001", "service_minutes": 10,
          "sessions": [{"days": [1, 2, 3, 4, 5, 6], "start": "08:00", "end": "12:00", "quota_jkn": 3,
                        "quota_non_jkn": 2}]},
         {"code": "GIGI", "name": "Poli Gigi", "letter": "B", "service_minutes": 20,
          "sessions": [{"days": [1, 3], "start": "08:00", "end": "11:00", "quota_jkn": 50, "quota_non_jkn": 50}]},
     ],
     "practitioners": [{"code": "DR-A", "name": "dr. Satu", "email": "dokter@pkm-a.test", "polis": ["UMUM"]}],
     "desk_staff": [DESK_A]},
    {"code": "PKM-B", "name": "Puskesmas Dua",
     "polis": [{"code": "UMUM", "name": "Poli Umum", "letter": "A",
                "sessions": [{"days": [1, 2, 3, 4, 5], "start": "07:30", "end": "12:00"}]}],
     "practitioners": [{"code": "DR-B", "name": "dr. Dua", "email": "dokter@pkm-b.test", "polis": ["UMUM"]}]},
]}


def snapshot(row):
    """The row's columns as plain attributes (readable after the commit, outside the tenant's scope)."""
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in row.__table__.columns})


def booked(tenant, **kw):
    fields = {"clinic": "PKM-A", "poli": "UMUM", "day": MONDAY, "nik": NIK_A, **kw}
    from ..registration import Request, book

    with tenant_scope(tenant):
        visit, created = book(tenant, None, Request(**fields))
        db.session.commit()
        return snapshot(visit), created

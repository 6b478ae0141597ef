"""Demonstration data (``pamong demo``): at every clinic of the tenant's settings, patients booked
on each poli for the clinic's next open day (today if open), and today's morning queue in progress
(some served with their encounters recorded, one called, the rest waiting). Runs once: nothing is
added where the tenant has visits already."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.kit import change_module_settings, db, local_date, tenant_scope, utcnow

from . import encounters, queue
from .models import Visit
from .registration import Request, book, bookable_sessions
from .settings import clinics, is_open, settings_of

NAMES = ["Andi Baso", "Nurhayati", "Muh. Rizal", "Sitti Aminah", "Ahmad Daeng Sila", "Hasnah", "Irwan Saputra",
         "Rahmawati", "Syamsul Bahri", "Fitriani", "Kaharuddin", "Sri Wahyuni", "Arfan", "Nurul Fadhilah"]
COMPLAINTS = [("Demam tiga hari, batuk pilek", "J06.9", "Infeksi saluran napas atas akut"),
              ("Sakit gigi geraham kanan bawah", "K02.1", "Karies dentin"),
              ("Kontrol kehamilan trimester kedua", "Z34.9", "Pengawasan kehamilan normal"),
              ("Pusing, tekanan darah tinggi", "I10", "Hipertensi esensial")]
PER_POLI = 9
DEMO_SMS_NUMBER = "0811 4100 2026"  # the demo's (console) SMS gateway; a city sets its own


def _nik(i: int) -> str:
    day = 1 + i % 28
    return f"737101{day + (40 if i % 2 else 0):02d}{1 + i % 12:02d}{80 + i % 19:02d}{1 + i:04d}"


def seed(tenant) -> int:
    """Add the demonstration queue unless the tenant has visits; returns how many visits. Every
    time: the number ``DAFTAR`` is sent to, where the settings name none (``DEMO_SMS_NUMBER``), so
    that ``/clinic/`` shows where to send it (the demo applies the tenant file again at each start)."""
    _sms_number(tenant)
    with tenant_scope(tenant):
        if db.session.execute(select(Visit.id).limit(1)).first():
            return 0
    with tenant_scope(tenant):  # the whole seed: rows read back after each commit stay visible (RLS)
        return _seed(tenant)


def _sms_number(tenant) -> None:
    """The demo's SMS number in the clinic's settings, through the core (validated and audited as
    an admin's change), unless the tenant's settings name one."""
    if settings_of(tenant).get("sms_number", "").strip() or not settings_of(tenant)["sms_registration"]:
        return
    change_module_settings(tenant, "clinic", {"sms_number": DEMO_SMS_NUMBER}, None)
    db.session.commit()


def _seed(tenant) -> int:
    count, person = 0, 0
    now = utcnow()
    # booked early in the morning (as SMS bookings come), so that a demo started in the afternoon
    # still shows today's queue: a booking for today after the sessions have ended is refused
    early = datetime.combine(local_date(tenant, now), time(6, 30), tzinfo=ZoneInfo(tenant.timezone))
    booked_at = min(now - timedelta(hours=2), early.astimezone(timezone.utc))
    for clinic in clinics(tenant):
        for p_index, poli in enumerate(clinic.polis):
            day = local_date(tenant, utcnow())
            for _ in range(8):  # today only while a session is still to come
                if is_open(tenant, clinic, poli, day) and bookable_sessions(tenant, poli, day, booked_at, "portal"):
                    break
                day += timedelta(days=1)
            else:
                continue
            visits = []
            for i in range(PER_POLI):
                person += 1
                jkn = i % 3 != 0
                req = Request(clinic=clinic.code, poli=poli.code, day=day, nik=_nik(person),
                              bpjs=f"000{person:010d}" if jkn else "", name=NAMES[person % len(NAMES)],
                              phone=f"+62812{person:08d}", jkn=jkn, channel=("sms", "portal", "desk")[i % 3])
                visit, _created = book(tenant, None, req, now=booked_at)
                visits.append(visit)
            count += len(visits)
            db.session.commit()
            if day == local_date(tenant, utcnow()):
                _morning(tenant, clinic, poli, visits, now, p_index)
    return count


def opening(tenant, poli, day) -> datetime:
    """The poli's opening on ``day``: the start of its first session, in the tenant's zone (UTC)."""
    start = min(s.start for s in poli.sessions_on(day))
    return datetime.combine(day, start, tzinfo=ZoneInfo(tenant.timezone)).astimezone(timezone.utc)


def _morning(tenant, clinic, poli, visits, now, offset) -> None:
    """Today's morning from the poli's opening (the tenant's local day): three served (with
    encounters where a practitioner of the poli has an account), one called, two checked in; every
    step at or after the opening, and only the steps already due at ``now`` (a demo started before
    the opening shows the day's bookings, nobody called yet; one at 08:20 the first patients)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    start = opening(tenant, poli, visits[0].day) + timedelta(minutes=3 * offset)
    staff = next((p for p in clinic.practitioners if poli.code in p.polis and p.email), None)
    for i, visit in enumerate(visits[:4]):
        arrived, at = start + timedelta(minutes=12 * i), start + timedelta(minutes=12 * i + 5)
        if arrived > now:
            break
        queue.check_in(tenant, None, visit.id, now=arrived)
        if at > now:
            break
        queue.call_next(tenant, None, clinic.code, poli.code, day=visit.day, now=at)
        served, finished = at + timedelta(minutes=1), at + timedelta(minutes=9 + i)
        if i == 3 or served > now:
            break
        queue.serve(tenant, None, visit.id, now=served)
        if finished > now:
            break
        queue.finish(tenant, None, visit.id, now=finished)
        if staff is not None:
            text, code, name = COMPLAINTS[offset % len(COMPLAINTS)]
            encounters.record(tenant, None, _User(staff.email), visit.id, encounters.Record(
                complaint=text, icd10=code, diagnosis=name, prescription="Paracetamol 500 mg 3x1",
                vitals={"systolic": 120 + i * 5, "diastolic": 80, "heart_rate": 84, "temperature": "36.8"}), now=finished)
    for j, visit in enumerate(visits[4:6]):
        arrived = start + timedelta(minutes=20 + 8 * j)
        if arrived <= now:
            queue.check_in(tenant, None, visit.id, now=arrived)
    db.session.commit()


class _User:
    """The practitioner's account as the encounter service sees it (its e-mail) while seeding."""

    def __init__(self, email: str):
        self.email = email

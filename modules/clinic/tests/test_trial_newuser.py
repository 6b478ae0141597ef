"""What a new-user trial found (issue 17, brief cltrial), each fixed and held here."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import re

import pytest

from core.kit import db, tenant_scope

from .. import demo
from ..models import Visit
from ..settings import clinics
from .fixtures import SETTINGS
from .test_demo import makassar_settings
from .test_pages import url

STEPS = ("arrived_at", "called_at", "served_at", "finished_at")


def _aware(at):
    return at if at is None or at.tzinfo else at.replace(tzinfo=timezone.utc)


def _seeded(app, create_tenant, create_user):
    with app.app_context():
        tenant = create_tenant(modules={"clinic": makassar_settings()})
        create_user(tenant, role="officer", agency="DLH", email="officer@makassar.test")
        demo.seed(tenant)
        with tenant_scope(tenant):
            rows = db.session.query(Visit).order_by(Visit.clinic, Visit.poli, Visit.serial).all()
            polis = {(c.code, p.code): p for c in clinics(tenant) for p in c.polis}
            return tenant, [(v.clinic, v.poli, v.day, v.status, {k: _aware(getattr(v, k)) for k in STEPS})
                            for v in rows], polis


# 1. the demo's morning: from each poli's opening in the tenant's local day, never ahead of the clock

@pytest.mark.parametrize("hours", [0, -40 / 60, 6])  # 09:00, 08:20 and 15:00 WITA
def test_the_demo_morning_starts_at_the_polis_opening(app, create_tenant, create_user, frozen_clock, hours):
    now = frozen_clock.advance(hours=hours)
    tenant, rows, polis = _seeded(app, create_tenant, create_user)
    zone = ZoneInfo(tenant.timezone)
    steps = 0
    for clinic, poli, day, _status, times in rows:
        opening = datetime.combine(day, min(s.start for s in polis[clinic, poli].sessions_on(day)), tzinfo=zone)
        for at in filter(None, times.values()):
            steps += 1
            assert opening <= at <= now, (clinic, poli, at.astimezone(zone), opening)
    assert steps
    kassi = [status for clinic, poli, _day, status, _times in rows if (clinic, poli) == ("PKM-KASSI", "UMUM")]
    if hours == 0:
        assert kassi[:6] == ["done", "done", "done", "called", "waiting", "waiting"]
    elif hours < 0:  # 20 minutes after the opening: the first done, the second being served, one more waiting
        assert kassi[:5] == ["done", "serving", "booked", "booked", "waiting"]


def test_a_demo_started_before_the_opening_calls_nobody(app, create_tenant, create_user, frozen_clock):
    frozen_clock.advance(hours=-2)  # 07:00 WITA: the polis open at 07:30 and 08:00
    _tenant, rows, _polis = _seeded(app, create_tenant, create_user)
    today = {day for _c, _p, day, _s, _t in rows if (_c, _p) == ("PKM-KASSI", "UMUM")}
    assert today == {frozen_clock.now.astimezone(ZoneInfo("Asia/Makassar")).date()}
    assert {status for *_rest, status, _times in rows} == {"booked"}


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def _nav(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


# 3. one link for the module in the tenant's nav; the staff's pages linked from /clinic/

def test_the_nav_has_one_link_for_the_clinic(client, tenant, create_user, login):
    admin = create_user(tenant, role="admin")
    for signed_in in (False, True):
        if signed_in:
            login(client, admin, tenant)
        page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
        links = [href for href in _nav(page) if "/clinic/" in href]
        assert links == [url(tenant)], links
    index = client.get(url(tenant)).get_data(as_text=True)
    assert f'href="{url(tenant, "desk/")}"' in index
    # the worklist is linked for the clinics' practitioners only (t17 defect 9): not this admin
    assert f'href="{url(tenant, "practice/")}"' not in index


def test_the_public_sees_no_staff_links(client, tenant):
    index = client.get(url(tenant)).get_data(as_text=True)
    assert "desk/" not in index and "practice" not in index


# 6. the SATUSEHAT console sink: one line per bundle, its resources by type and id, no JSON

def test_the_console_sink_prints_one_line_per_bundle(app, create_tenant, frozen_clock, caplog, capsys, monkeypatch):
    import logging

    from .. import satusehat
    from .test_fhir import tenant as finished_visit

    tenant = finished_visit.__wrapped__(app, create_tenant, frozen_clock)
    monkeypatch.setitem(app.config, "PAMONG_CONSOLE_ECHO", True)
    with app.app_context(), caplog.at_level(logging.INFO, logger="pamong.clinic.satusehat"):
        assert satusehat.send_pending(tenant) == (1, 0)
    printed = [line for line in capsys.readouterr().err.splitlines() if "SATUSEHAT" in line]
    assert len(printed) == 1, printed
    line = printed[0]
    assert re.fullmatch(rf"SATUSEHAT \(console\) {tenant.slug} bundle #\d+: 4 resources: Encounter/\S+ Condition/\S+"
                        r" Observation/\S+ Observation/\S+", line), line
    assert "{" not in line and "Demam" not in line and "J06.9" not in line  # no JSON, no health data
    assert line in caplog.text


# 7. FHIR Patient: gender and birthDate from the NIK (DDMMYY at digits 7-12, a woman's day plus 40)

@pytest.mark.parametrize("nik, gender, born", [
    ("7371014101900001", "female", "1990-01-01"),  # day 41: a woman born on the 1st
    ("7371110505850003", "male", "1985-05-05"),
    ("7371017112050004", "female", "2005-12-31"),
])
def test_the_fhir_patient_takes_gender_and_birth_date_from_the_nik(app, client, tenant, create_token, nik, gender,
                                                                   born):
    from .fixtures import booked
    from .test_fhir import get, validate

    with app.app_context():
        booked(tenant, nik=nik)
    headers = {"Authorization": f"Bearer {create_token(tenant, 'fhir:read')}"}
    status, bundle = get(client, tenant, f"Patient?identifier=https://fhir.kemkes.go.id/id/nik|{nik}", headers)
    assert status == 200 and bundle["total"] == 1
    patient = bundle["entry"][0]["resource"]
    assert (patient["gender"], patient["birthDate"]) == (gender, born)
    validate(patient)
    status, read = get(client, tenant, f"Patient/{patient['id']}", headers)
    assert (read["gender"], read["birthDate"]) == (gender, born)


def test_without_a_nik_or_with_a_known_value_nothing_is_guessed():
    from types import SimpleNamespace

    from .. import fhir

    card_only = fhir.patient(SimpleNamespace(id=1, nik=None, bpjs="0001234567890", name="Andi"))
    assert "gender" not in card_only and "birthDate" not in card_only
    unreadable = fhir.patient(SimpleNamespace(id=2, nik="7371019901900001", bpjs=None, name=""))  # day 99
    assert "gender" not in unreadable and "birthDate" not in unreadable
    from datetime import date

    known = fhir.patient(SimpleNamespace(id=3, nik="7371014101900001", bpjs=None, name="", gender="other",
                                         birth_date=date(1990, 1, 2)))
    assert (known["gender"], known["birthDate"]) == ("other", "1990-01-02")


# 8. the encounter form links to the patient's history at that clinic

def test_the_encounter_form_links_to_the_history_at_the_clinic(app, client, tenant, create_user, login):
    from types import SimpleNamespace

    from .. import encounters
    from .fixtures import booked

    doctor = "dokter@pkm-a.test"
    with app.app_context():
        visit, _ = booked(tenant, name="Siti")
        login(client, create_user(tenant, role="officer", agency="DLH", email=doctor), tenant)
        page = client.get(url(tenant, f"visit/{visit.id}/encounter")).get_data(as_text=True)
        assert re.search(r'<a href="#history">Riwayat di puskesmas ini</a> \(0\)', page), page
        with tenant_scope(tenant):
            encounters.record(tenant, None, SimpleNamespace(email=doctor), visit.id,
                              encounters.Record("Demam tiga hari", "J06.9"))
            db.session.commit()
    page = client.get(url(tenant, f"visit/{visit.id}/encounter")).get_data(as_text=True)
    assert re.search(r'<a href="#history">Riwayat di puskesmas ini</a> \(1\)', page)
    history = re.search(r'<section id="history"[^>]*>(.*?)</section>', page, re.S).group(1)
    assert "Demam tiga hari" in history and "J06.9" in history

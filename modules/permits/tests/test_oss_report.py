"""The report in OSS-RBA's vocabulary (issue 15.3): per permit type and OSS status code, the
applications submitted in a period of the tenant's local days, in one SQL statement; the office's
page with its period form and CSV, the JSON API, bad input, another tenant's applications never
counted, English and Indonesian."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest

from core.kit import db, tenant_scope
from core.testing import sql_statements

from .. import issuance, oss, payments, services, sweep, withdrawal
from .conftest import SETTINGS, user_actor
from .test_services import draft

DAY = date(2026, 3, 2)          # the frozen clock's day in Makassar
PAGE = "/permits/oss-report"
API = "/api/v1/permits/oss-report"
# what the seeded tenant holds on DAY, per (type, OSS code)
EXPECTED = {
    ("PBG", "09"): 1, ("PBG", "20"): 1, ("PBG", "30"): 1, ("PBG", "33"): 1, ("PBG", "41"): 1, ("PBG", "42"): 1,
    ("PBG", "43"): 1, ("PBG", "90"): 1, ("PBG", ""): 1,
    ("SKU", "45"): 1, ("SKU", "50"): 1, ("SKU", "70"): 1,
}


def _sku(tenant, citizen):
    application = services.save_draft(tenant, citizen, "SKU", {"name": "Siti", "nik": "7371014101900001"},
                                      {"usaha": "Warung Siti"})
    services.submit(tenant, citizen, application.id)
    return application


def _seed(tenant, people, actor_of):
    """One application in each state the report tells apart (``EXPECTED``), a draft never submitted,
    and an escalation that must not change any code."""
    citizen, intake, pu, admin = (actor_of(people[k]) for k in ("citizen", "intake", "pu", "admin"))

    def submitted():
        application = draft(tenant, citizen)
        services.submit(tenant, citizen, application.id)
        return application

    submitted()                                                                   # 09
    services.approve_stage(tenant, intake, submitted().id, 0)                     # 20
    services.ask_applicant(tenant, intake, submitted().id, 0, "Lengkapi gambar")  # 41
    services.ask_applicant(tenant, intake, submitted().id, 0, "Perbaiki", reset=True)  # 43
    asked = submitted()
    services.ask_applicant(tenant, intake, asked.id, 0, "Lengkapi KTP")
    services.resubmit(tenant, citizen, asked.id)                                  # 42
    services.reject(tenant, intake, submitted().id, 0, "Tidak sesuai tata ruang")  # 90
    for pay in (False, True):                                                     # 30, then 33
        application = submitted()
        for step, who in enumerate((intake, pu, admin)):
            services.approve_stage(tenant, who, application.id, step)
        if pay:
            payments.record_payment(tenant, intake, application.payment_code, application.fee_amount, "KAS-1")
    withdrawal.withdraw(tenant, citizen, submitted().id, "Batal")                 # no OSS code
    draft(tenant, citizen)                                                        # never submitted: not counted
    services.approve_stage(tenant, intake, _sku(tenant, citizen).id, 0)           # 45 (free: to be signed)
    for suspend in (False, True):                                                 # 50, then 70
        application = _sku(tenant, citizen)
        services.approve_stage(tenant, intake, application.id, 0)
        issuance.issue_permit(tenant, admin, application.id)
        if suspend:
            issuance.suspend_permit(tenant, admin, application.id, "Melanggar jam operasional")
    db.session.commit()


@pytest.fixture
def seeded(app, tenant, people, signer, frozen_clock, make_tenant, create_user):
    """The tenant with ``EXPECTED`` on DAY, an application of another day, and another tenant with an
    application of its own on DAY (never counted in the first)."""
    with app.app_context():
        _seed(tenant, people, lambda email: user_actor(email, tenant))
        # two weeks later the overdue ones are reported to the head: a timeline line that is no status
        frozen_clock.advance(days=14)
        assert sweep.escalate(tenant)
        frozen_clock.advance(days=-14)
        db.session.commit()
    other = make_tenant()
    stranger = create_user(other, "citizen")
    with app.app_context():
        theirs = draft(other, user_actor(stranger, other))
        services.submit(other, user_actor(stranger, other), theirs.id)
        db.session.commit()
    return tenant, people


def _counts(rows) -> dict:
    return {(r["type_code"], r["oss_code"]): r["count"] for r in rows}


def test_counts_per_type_and_code_of_the_period_never_another_tenants(app, seeded):
    tenant, _people = seeded
    with app.app_context():
        rows = oss.report(tenant, DAY, DAY)
        assert _counts(rows) == EXPECTED
        assert [(r["type_code"], r["oss_code"]) for r in rows] == sorted(
            EXPECTED, key=lambda k: (k[0], k[1] == "", k[1]))   # by type, codes in order, none last
        labels = {r["oss_code"]: r["oss_label"] for r in rows}
        assert labels["50"] == "Disetujui" and labels["43"] == "Re-Konfirmasi Persyaratan" and labels[""] == ""
        assert _counts(oss.report(tenant, DAY, DAY, "SKU")) == {k: v for k, v in EXPECTED.items() if k[0] == "SKU"}
        assert oss.report(tenant, DAY + timedelta(days=1), DAY + timedelta(days=30)) == []
        assert oss.report(tenant, DAY - timedelta(days=30), DAY - timedelta(days=1)) == []


def test_the_page_the_api_and_the_report_tell_one_code(app, client, seeded, create_token):
    """Issue 15 trial: an application submitted with no stage acted on read "OSS 20" on its page and in
    the API (``code_of``) but was counted under 09 in the report (the timeline); 42/44 the same. One
    rule now: for every application of the seeded set, the report's code is ``code_of``'s, and the
    API and the page say it."""
    from ..models import Application

    tenant, _people = seeded
    with app.app_context():
        with tenant_scope(tenant):
            found = db.session.execute(db.select(Application).where(
                Application.submitted_at.is_not(None))).scalars().all()
        codes = {a.reference: oss.code_of(a) for a in found}
        counted: dict = {}
        for a in found:
            counted[(a.type_code, codes[a.reference])] = counted.get((a.type_code, codes[a.reference]), 0) + 1
        assert counted == _counts(oss.report(tenant, DAY, DAY)) == EXPECTED
        assert sorted(c for c in codes.values() if c in ("09", "20", "42", "43", "44")) == ["09", "20", "42", "43"]
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    for reference, code in codes.items():
        got = client.get(f"/t/{tenant.slug}/api/v1/permits/applications/{reference}", headers=token)
        assert got.status_code == 200 and got.get_json()["oss_code"] == code, (reference, got.get_json())


def test_the_period_is_of_the_tenants_local_days(app, tenant, people, frozen_clock):
    """23.30 WITA on 31 March is 15.30 UTC (March); 00.30 WITA on 1 April is 16.30 UTC on 31 March."""
    with app.app_context():
        citizen = user_actor(people["citizen"], tenant)
        for at in ("2026-03-31T15:30:00+00:00", "2026-03-31T16:30:00+00:00", "2026-03-31T16:30:00+00:00"):
            frozen_clock.set(datetime.fromisoformat(at))
            services.submit(tenant, citizen, draft(tenant, citizen).id)
        db.session.commit()
        assert _counts(oss.report(tenant, date(2026, 3, 1), date(2026, 3, 31))) == {("PBG", "09"): 1}
        assert _counts(oss.report(tenant, date(2026, 4, 1), date(2026, 4, 1))) == {("PBG", "09"): 2}
        assert oss.period_bounds(tenant, date(2026, 4, 1), date(2026, 4, 1)) == (
            datetime(2026, 3, 31, 16, tzinfo=timezone.utc), datetime(2026, 4, 1, 16, tzinfo=timezone.utc))


def test_the_report_is_one_sql_statement(app, seeded):
    tenant, _people = seeded
    with app.app_context():
        oss.report(tenant, DAY, DAY)   # warm whatever is cached per process
        with sql_statements(app) as seen:
            rows = oss.report(tenant, DAY, DAY)
        assert seen.count == 1, seen
        assert rows and "GROUP BY" in seen[0].upper()


def test_the_office_page_in_both_languages_and_its_csv(client, login, seeded):
    tenant, people = seeded
    base = f"/t/{tenant.slug}{PAGE}"
    login(client, people["citizen"], tenant)
    assert client.get(base).status_code == 403
    assert client.get(f"{base}?format=csv").status_code == 403
    client.get(f"/t/{tenant.slug}/logout")

    login(client, people["intake"], tenant)
    assert 'href="/t/%s%s"' % (tenant.slug, PAGE) in client.get(f"/t/{tenant.slug}/permits/queue").get_data(
        as_text=True)   # the nav item, beside the queue
    page = client.get(f"{base}?from=2026-03-02&to=2026-03-02")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Laporan dalam kode OSS-RBA" in html and "Re-Konfirmasi Persyaratan" in html
    assert "Disetujui secara otomatis" not in html   # no code 57 in the tenant
    assert "Dikembalikan untuk diperbaiki (jam layanan diulang)" in html and "Persetujuan Bangunan Gedung" in html
    assert "12 permohonan" in html
    english = client.get(f"{base}?from=2026-03-02&to=2026-03-02",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Report in OSS-RBA codes" in english and "Returned for correction (service clock reset)" in english
    assert "Building approval" in english and "12 applications" in english

    default = client.get(base).get_data(as_text=True)   # no period given: this month so far
    assert 'value="2026-03-01"' in default and 'value="2026-03-02"' in default and "12 permohonan" in default

    rows = list(csv.reader(io.StringIO(client.get(f"{base}?from=2026-03-02&to=2026-03-02&format=csv")
                                       .get_data(as_text=True))))
    assert rows[0] == ["from", "to", "type_code", "type_name", "oss_code", "oss_label", "count"]
    assert ["2026-03-02", "2026-03-02", "PBG", "Persetujuan Bangunan Gedung", "43", "Re-Konfirmasi Persyaratan",
            "1"] in rows
    assert {(r[2], r[4]): int(r[6]) for r in rows[1:]} == EXPECTED
    only = list(csv.reader(io.StringIO(client.get(f"{base}?from=2026-03-02&to=2026-03-02&type=SKU&format=csv")
                                       .get_data(as_text=True))))
    assert [r[2] for r in only[1:]] == ["SKU", "SKU", "SKU"]


@pytest.mark.parametrize("query, field, message_id, message_en", [
    ("from=2026-02-30", "from", "Tulis tanggal sebagai YYYY-MM-DD", "Write the date as YYYY-MM-DD"),
    ("from=kemarin&to=2026-03-02", "from", "Tulis tanggal sebagai YYYY-MM-DD", "Write the date as YYYY-MM-DD"),
    ("to=0001-01-01", "to", "antara 1900-01-01 dan 2999-12-31", "between 1900-01-01 and 2999-12-31"),
    ("from=2026-03-05&to=2026-03-01", "to", "Hari pertama tidak boleh", "The first day must not be after"),
    ("type=XYZ", "type", "Pilih jenis izin", "Choose a permit type of this office"),
])
def test_bad_input_gives_the_form_again_with_its_messages(client, login, tenant, people, query, field, message_id,
                                                          message_en):
    login(client, people["intake"], tenant)
    for lang, message in (("id", message_id), ("en", message_en)):
        for suffix in ("", "&format=csv"):
            response = client.get(f"/t/{tenant.slug}{PAGE}?{query}{suffix}", headers={"Accept-Language": lang})
            assert response.status_code == 400 and response.mimetype == "text/html"
            html = response.get_data(as_text=True)
            assert message in html and 'id="error-summary"' in html and f'href="#{field}"' in html
            assert 'id="oss-report"' not in html


def test_the_api_by_token_and_its_stable_errors(client, seeded, create_token):
    tenant, _people = seeded
    url = f"/t/{tenant.slug}{API}"
    token = {"Authorization": f"Bearer {create_token(tenant, 'permits:read')}"}
    got = client.get(f"{url}?from=2026-03-02&to=2026-03-02", headers=token)
    assert got.status_code == 200, got.get_data(as_text=True)
    body = got.get_json()
    assert body["from"] == body["to"] == "2026-03-02" and body["total"] == sum(EXPECTED.values())
    assert _counts(body["rows"]) == EXPECTED
    assert {"type_code": "SKU", "type_name": "Surat Keterangan Usaha", "oss_code": "70",
            "oss_label": "Penghentian Sementara Kegiatan Berusaha", "count": 1} in body["rows"]
    assert client.get(url, headers=token).get_json()["from"] == "2026-03-01"   # the month so far
    typed = client.get(f"{url}?from=2026-03-02&to=2026-03-02&type=SKU", headers=token).get_json()
    assert typed["total"] == 3 and {r["type_code"] for r in typed["rows"]} == {"SKU"}
    for query, code in (("from=2026-02-30", "invalid_date"), ("to=02/03/2026", "invalid_date"),
                        ("from=0001-01-01", "invalid_date"), ("from=2026-03-05&to=2026-03-01", "invalid_range"),
                        ("type=XYZ", "unknown_type")):
        bad = client.get(f"{url}?{query}", headers=token)
        assert bad.status_code == 400 and bad.get_json()["error"]["code"] == code, (query, bad.get_json())
    assert client.get(url).status_code == 401
    other = {"Authorization": f"Bearer {create_token(tenant, 'permits:status')}"}
    assert client.get(url, headers=other).status_code == 403
    operation = client.get(f"/t/{tenant.slug}/api/v1/openapi.json").get_json()["paths"][API]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["from", "to", "type"]

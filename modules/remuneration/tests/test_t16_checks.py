"""The fresh trial t16's smaller findings: a refusal of the dates of employment in the reader's
language (400, the form again); the history names fields and sources in the reader's language;
e-mail addresses checked on the form and in the file; punches checked against those stored, and
none from the future; months beyond 12 refused."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from core.kit import ValidationError, db, tenant_scope

from ..attendance import import_attendance
from ..models import Employee, Punch
from ..services import import_employees
from .helpers import MODULE, NIPS, SETTINGS, attendance_csv, employees_csv, three_employees

NOW = datetime(2026, 12, 2, 14, 20, tzinfo=timezone.utc)  # 22:20 in Makassar (WITA, +08:00)


@pytest.fixture
def personnel(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    login(client, create_user(tenant, role="admin"), tenant)
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        db.session.commit()
        with tenant_scope(tenant):
            andi = db.session.execute(db.select(Employee.id).where(Employee.name == "Andi Baso")).scalar_one()
    return tenant, f"/t/{tenant.slug}/{MODULE}", andi


@pytest.mark.parametrize("locale, words", [("id", "bukan tanggal"), ("en", "is not a date")])
def test_a_bad_date_of_employment_is_said_in_the_readers_language_beside_its_field(client, personnel, locale, words):
    tenant, base, andi = personnel
    client.set_cookie("pamong_locale", locale)
    refused = client.post(f"{base}/employees/{andi}/employment", data={"start": "garbage", "end": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    said = html.split('id="start-err">')[1].split("</p>")[0]
    assert words in said and "garbage" in said and "start:" not in said
    assert 'value="garbage"' in html


def test_the_history_names_fields_and_sources_in_the_readers_language(client, personnel):
    tenant, base, andi = personnel
    client.set_cookie("pamong_locale", "id")
    dated = client.post(f"{base}/employees/{andi}/employment", data={"start": "2026-03-16", "end": ""})
    assert dated.status_code == 302
    html = client.get(f"{base}/employees/{andi}").get_data(as_text=True).split("<h2>")[3]
    cells = html.split("<td")
    assert not any(">started_on<" in c or ">page<" in c for c in cells), html[:600]
    client.set_cookie("pamong_locale", "en")
    html = client.get(f"{base}/employees/{andi}").get_data(as_text=True)
    assert ">First day (TMT)</td>" in html and ">the page (by hand)</td>" in html


@pytest.mark.parametrize("field, value", [("email", "not an email"), ("supervisor_email", "@@"),
                                          ("email", "andi@"), ("supervisor_email", "a b@example.test")])
def test_an_address_that_is_no_e_mail_is_refused_on_the_form_and_in_the_file(app, client, personnel, field, value):
    tenant, base, _andi = personnel
    client.set_cookie("pamong_locale", "en")
    form = {"nip": "199201012019031004", "name": "Baru", "agency": "DLH", "position_class": "JF-AHLI",
            "position": "", "email": "", "supervisor_email": "", field: value}
    refused = client.post(f"{base}/employees/new", data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and f'id="{field}-err"' in html and "is not an e-mail address" in html
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count(Employee.id))).scalar() == 3
        data = (f"nip,name,agency,position_class,{field}\n199201012019031004,Baru,DLH,JF-AHLI,\"{value}\"\n").encode()
        with pytest.raises(ValidationError) as file_refused:
            import_employees(tenant, "test", data)
        assert file_refused.value.where == f"line 2: {field}"
        db.session.rollback()
    form[field] = "Baru.Pegawai@Example.test"
    assert client.post(f"{base}/employees/new", data=form).status_code == 302


def test_a_check_out_before_a_stored_check_in_and_a_punch_from_the_future_are_refused(app_ctx, create_tenant,
                                                                                        frozen_clock):
    frozen_clock.set(NOW)
    tenant = create_tenant(modules={MODULE: SETTINGS})
    import_employees(tenant, "test", employees_csv((NIPS[0], "Andi Baso", "DLH", "JF-AHLI", "")))
    import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-12-01T07:10:00+08:00", "in")))
    db.session.commit()
    refusals = {  # each file alone; every one is refused and nothing is written
        "2026-12-01T05:00:00+08:00,out": "A check-out before the check-in stored at 07:10.",
        "2026-12-02T23:50:00+08:00,in": "has not come yet",                   # later today than now (22:20)
        "2026-12-02T22:30:00+08:00,out": "has not come yet",                  # beyond a clock's small skew
    }
    for row, words in refusals.items():
        with pytest.raises(ValidationError) as refused:
            import_attendance(tenant, "test", attendance_csv((NIPS[0], *row.split(","))))
        assert refused.value.where == "line 2: timestamp" and words in refused.value.message, refused.value.message
        db.session.rollback()
    import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-12-01T16:00:00+08:00", "out"),
                                                     (NIPS[0], "2026-12-02T22:22:00+08:00", "in")))  # 2 min ahead
    db.session.commit()
    with pytest.raises(ValidationError) as refused:   # a check-in after the stored check-out, no check-in stored
        import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-11-30T17:00:00+08:00", "out")))
        db.session.commit()
        import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-11-30T18:00:00+08:00", "in")))
    assert "A check-in after the check-out stored at 17:00." in refused.value.message
    db.session.rollback()
    import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-11-27T06:00:00+08:00", "in"),
                                                     (NIPS[0], "2026-11-27T06:30:00+08:00", "out")))
    db.session.commit()
    import_attendance(tenant, "test", attendance_csv((NIPS[0], "2026-11-27T07:00:00+08:00", "in"),  # an earlier
                                                     (NIPS[0], "2026-11-27T16:00:00+08:00", "out")))  # in stored
    with tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count(Punch.id))).scalar() == 8  # the 30th's out too


def test_the_api_refuses_a_punch_later_than_now(app, client, create_tenant, create_token, frozen_clock):
    frozen_clock.set(NOW)
    tenant = create_tenant(modules={MODULE: SETTINGS})
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        db.session.commit()
    headers = {"Authorization": f"Bearer {create_token(tenant, f'{MODULE}:attendance')}"}
    late = {"punches": [{"nip": NIPS[0], "timestamp": "2026-12-02T23:50:00+08:00", "kind": "out"}]}
    refused = client.post(f"/t/{tenant.slug}/api/v1/{MODULE}/punches", json=late, headers=headers)
    assert refused.status_code == 400 and "line 1: timestamp" in refused.get_json()["error"]["message"]


@pytest.mark.parametrize("path", ["/oversight/2026/13.csv", "/oversight/2026/0.csv", "/runs/2026/13",
                                  "/runs/99999/1/agencies.csv", "/oversight?month=99999999999999999999-1",
                                  "/activities?month=2026-99999999999999999999"])
def test_a_month_that_is_none_is_refused_never_a_500(client, personnel, path):
    tenant, base, _andi = personnel
    answer = client.get(base + path)  # in the query: a 400 naming it (re-trial of issue 16: never this month)
    assert answer.status_code == (400 if "?" in path else 404), (path, answer.status_code)


def test_a_tenant_paying_no_tpp_is_sent_to_the_oversight_with_a_reason(app, create_tenant, create_user, login):
    province = create_tenant(kind="province", modules={MODULE: {}}, locales=["id", "en"])
    client = app.test_client()
    login(client, create_user(province, role="admin"), province)
    client.set_cookie("pamong_locale", "en")
    base = f"/t/{province.slug}/{MODULE}"
    for path in ("/", "/runs", "/employees"):
        sent = client.get(base + path)
        assert sent.status_code == 302 and sent.headers["Location"].endswith(f"{base}/oversight"), path
    shown = client.get(base + "/runs", follow_redirects=True).get_data(as_text=True)
    assert "No TPP is paid here: the settings give no ceilings" in shown


@pytest.mark.parametrize("step", ["99999999999999999999999", "2", "-1", "x"])
def test_an_objection_step_out_of_the_chain_is_a_400(client, personnel, step):
    tenant, base, _andi = personnel
    sent = client.post(f"{base}/objections/1/decide", data={"step": step, "decision": "approve", "note": "x"})
    assert sent.status_code == 400, (step, sent.status_code)

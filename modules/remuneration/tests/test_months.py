"""Months as the pages read and show them (re-trial of issue 16): a month in the query or a form
that is none is a 400 naming the parameter and its form YYYY-MM, never another month shown in its
place; a month that exists but was not computed for the reader is said; months are written as
words in the reader's language; issuing a signed summary leads back to the month's page with its
links; the rule set's effective date names its form YYYY-MM-01 in its hint and its error."""
from __future__ import annotations

import re

import pytest

from core.i18n import LOCALE_COOKIE
from core.kit import db, tenant_scope

from ..models import Activity, Employee, Objection
from ..services import add_adjustment, close_month, run_month
from .helpers import MODULE, SETTINGS, closed_month
from .test_pages import setup

BAD = ["2026-13", "2026-0", "2026-00", "maret", "99999-01", "", "1999-12", "2026-1x", "0000-01", "13"]
SAID = {"en": "month: must be a month written YYYY-MM from 2000-01 to 2100-12 (e.g. 2026-11)",
        "id": "month: harus berupa bulan yang ditulis YYYY-MM dari 2000-01 sampai 2100-12 (mis. 2026-11)"}

@pytest.fixture
def march(app, client, create_tenant, create_user, login):
    """Andi's March 2026 computed; Andi signed in (the employee)."""
    tenant, admin, andi = setup(app, create_tenant, create_user)
    login(client, andi, tenant)
    return tenant, admin, andi, f"/t/{tenant.slug}/{MODULE}"

@pytest.mark.parametrize("value", BAD)
def test_a_month_that_is_none_is_a_400_naming_it_on_every_page_that_reads_one(app, client, march, login, value):
    tenant, admin, andi, base = march
    for path in ("/", "/activities", "/activities.csv"):
        for locale in ("id", "en"):
            client.set_cookie(LOCALE_COOKIE, locale)
            answer = client.get(f"{base}{path}?month={value}")
            html = answer.get_data(as_text=True)
            assert answer.status_code == 400, (path, value, answer.status_code)
            assert SAID[locale] in html, (path, value, locale)
            assert "Maret 2026" not in html and "March 2026" not in html   # no month shown in its place
    as_json = client.get(f"{base}/?month={value}", headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.get_json()["error"]["code"] == "invalid_month"
    refused = client.post(f"{base}/objections", data={"month": value, "reason": "Salah hitung."})
    assert refused.status_code == 400 and SAID["en"] in refused.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count(Objection.id))).scalar() == 0
    client.get(f"/t/{tenant.slug}/logout")
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "id")
    answer = client.get(f"{base}/oversight?month={value}")
    assert answer.status_code == 400 and SAID["id"] in answer.get_data(as_text=True)


def test_an_objection_without_a_month_and_a_refused_activity_from_a_bad_month_are_400s(app, client, march):
    tenant, admin, andi, base = march
    client.set_cookie(LOCALE_COOKIE, "en")
    refused = client.post(f"{base}/objections", data={"reason": "Salah hitung."})
    assert refused.status_code == 400 and SAID["en"] in refused.get_data(as_text=True)
    logged = client.post(f"{base}/activities", data={"day": "", "minutes": "30", "description": "Rapat",
                                                     "shown": "2026-13"})
    assert logged.status_code == 400 and "shown: must be a month written YYYY-MM" in logged.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count(Activity.id))).scalar() == 0


def test_a_month_not_computed_for_the_reader_is_said_never_another_shown(client, march):
    tenant, admin, andi, base = march
    for locale, said, other in (("id", "Mei 2026 belum dihitung untuk Anda.", "Maret 2026"),
                                ("en", "May 2026 has not been computed for you.", "March 2026")):
        client.set_cookie(LOCALE_COOKIE, locale)
        answer = client.get(f"{base}/?month=2026-05")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200 and said in html
        assert 'class="breakdown"' not in html and 'name="reason"' not in html   # not March's breakdown
        assert f'href="{base}/?month=2026-03">{other}</a>' in html               # March is a link away
    shown = client.get(f"{base}/?month=2026-3").get_data(as_text=True)          # one digit: the same month
    assert 'class="breakdown"' in shown and "TPP for March 2026" in shown


def test_months_are_written_in_words_in_the_readers_language(app, client, march, login):
    tenant, admin, andi, base = march
    with app.app_context():
        close_month(tenant, "test", 2026, 3)
        with tenant_scope(tenant):
            andi_id = db.session.execute(db.select(Employee.id).where(Employee.name == "Andi Baso")).scalar_one()
        add_adjustment(tenant, "test", andi_id, (2026, 3), (2026, 4), 1000, "Koreksi")
        run_month(tenant, "test", 2026, 4)
        db.session.commit()
    for locale, words in (("id", "Koreksi bulan sebelumnya Maret 2026"),
                          ("en", "Correction of an earlier month March 2026")):
        client.set_cookie(LOCALE_COOKIE, locale)
        html = client.get(f"{base}/?month=2026-04").get_data(as_text=True)
        assert words in html, locale
        assert "2026-03" not in html.split('class="breakdown"')[1].split("</dl>")[0]
    client.get(f"/t/{tenant.slug}/logout")
    login(client, admin, tenant)
    for locale, words in (("id", "Maret 2026 sudah ditutup"), ("en", "March 2026 is closed")):
        client.set_cookie(LOCALE_COOKIE, locale)
        html = client.post(f"{base}/runs", data={"month": "2026-03"}, follow_redirects=True).get_data(as_text=True)
        assert words in html, locale


def test_issuing_a_summary_goes_back_to_the_month_with_its_pdf_and_verification_links(app, client, create_tenant,
                                                                                      create_user, login):
    from core.kit import documents

    tenant = closed_month(app, create_tenant)
    login(client, create_user(tenant, role="admin"), tenant)
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    for locale, said in (("en", "The signed summary of DLH for March 2026 was issued."),
                         ("id", "Rekapitulasi bertanda tangan elektronik DLH untuk Maret 2026 sudah diterbitkan sebelumnya")):
        client.set_cookie(LOCALE_COOKIE, locale)
        issued = client.post(f"{base}/summary", data={"agency": "DLH"})
        assert issued.status_code == 302 and issued.headers["Location"].endswith(f"{base}?issued=DLH#issued")
        page = client.get(issued.headers["Location"])
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and said in html, locale
        with app.app_context(), tenant_scope(tenant):
            doc = db.session.execute(db.select(documents.Document)).scalar_one()
        box = html.split('id="issued"')[1].split("</div>")[0]
        assert doc.number in box and f'href="{base}/summary.pdf?agency=DLH"' in box
        assert re.search(rf'href="[^"]*/verify/{re.escape(doc.code)}"', box), box
        assert client.get(f"{base}/summary.pdf?agency=DLH").data.startswith(b"%PDF")
    # a link naming an agency with no summary shows no box (and no one else's links)
    assert 'id="issued"' not in client.get(f"{base}?issued=PU").get_data(as_text=True)


def _settings_form(app, tenant, **changes):
    from werkzeug.datastructures import MultiDict

    from core.admin.settings_form import as_form
    from core.kit import module_settings

    from ..settings import SCHEMA

    with app.test_request_context():
        data = MultiDict(as_form(SCHEMA, module_settings(tenant, MODULE)))
    for name, value in changes.items():
        data.setlist(name, [value])
    return data


@pytest.mark.parametrize("value", ["2026-12-15", "12/2026", "2026-12"])
def test_the_effective_date_names_its_form_in_the_hint_and_the_error(app, client, create_tenant, create_user, login,
                                                                     value):
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    login(client, create_user(tenant, role="admin"), tenant)
    url = f"/t/{tenant.slug}/admin/modules/{MODULE}/settings"
    for locale, hint, error in (
            ("id", "ditulis YYYY-MM-01 (mis. 2026-12-01)", "Tulis tanggal 1 sebuah bulan: YYYY-MM-01 (mis. 2026-12-01)."),
            ("en", "written YYYY-MM-01 (e.g. 2026-12-01)", "Write the first day of a month: YYYY-MM-01 (e.g. 2026-12-01).")):
        client.set_cookie(LOCALE_COOKIE, locale)
        assert hint in client.get(url).get_data(as_text=True), locale
        refused = client.post(url, data=_settings_form(app, tenant, **{"rules.0.effective_from": value}))
        html = refused.get_data(as_text=True)
        found = re.search(r'<p class="error" role="alert" id="e-rules.0.effective_from">([^<]*)</p>', html)
        assert refused.status_code == 400 and found and found.group(1) == error, (locale, found and found.group(1))
    # the tenant file's one line (English) names the form too
    from core.kit import PamongError

    with pytest.raises(PamongError) as exc:
        create_tenant(modules={MODULE: {**SETTINGS, "rules": [{"effective_from": value}]}})
    assert "rules.0.effective_from" in str(exc.value) and "YYYY-MM-01 (e.g. 2026-12-01)" in str(exc.value)

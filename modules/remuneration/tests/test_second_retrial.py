"""A fresh re-trial of issue 16 on the demo (2 Dec 2026), each finding kept as its reproduction:
months shown raw ("2026-11") in messages, the signed summary and its verification page; an upheld
objection's correction said "already paid" while it was only due next month; the finance-only close
refused with a bare "no permission"; a province's oversight with sections that cannot apply and
"0 · Rp 0 · 0 %" for a month no city ran; the employee form saying "cell"; an unknown activity
answered "only the supervisor"; the summary PDF's "Rp" wrapped above its digits; a half-width bar."""
from __future__ import annotations

from datetime import datetime, timezone

from core.i18n import LOCALE_COOKIE
from core.kit import db, tenant_scope

from ..services import close_month, import_employees, run_month
from .helpers import MODULE, NIPS, SETTINGS, closed_month, three_employees
from .test_objection_flow import decide, objected

ID = {"Accept-Language": "id"}


def test_messages_say_months_in_words(app, client, create_tenant, create_user, login, frozen_clock):
    """"Tidak ada TPP untuk 2025-01.", "2027-01 belum dimulai", "2026-11 sudah ditutup" were said with
    the month raw ("Koreksi 2026-12 ..." below, with the objections); the run form's "TTTT-BB" where
    ?month= says "YYYY-MM"."""
    from flask_babel import force_locale

    from core.kit import ValidationError

    from ..runs import MonthClosed

    frozen_clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc))
    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    andi_account = create_user(tenant, role="admin", email="andi@example.test")   # the first employee's account
    with app.app_context():
        import_employees(tenant, "test", three_employees())
        run_month(tenant, "test", 2026, 3)
        close_month(tenant, "test", 2026, 3)
        db.session.commit()
        for call, words in ((lambda: run_month(tenant, "test", 2026, 3), "Maret 2026 sudah ditutup"),
                            (lambda: close_month(tenant, "test", 2026, 3), "Maret 2026 sudah ditutup"),
                            (lambda: run_month(tenant, "test", 2027, 1), "Januari 2027 belum dimulai")):
            try:
                call()
            except (ValidationError, MonthClosed) as exc:
                with force_locale("id"):
                    assert words in str(exc.local), str(exc.local)
                assert "2026-03" not in exc.message and "2027-01" not in exc.message
            else:
                raise AssertionError(words)
            db.session.rollback()
    login(client, andi_account, tenant)
    base = f"/t/{tenant.slug}/{MODULE}"
    sent = client.post(f"{base}/objections", data={"month": "2025-01", "reason": "x"}, headers=ID, follow_redirects=True)
    assert "Tidak ada TPP untuk Januari 2025." in sent.get_data(as_text=True)
    frozen_clock.set(datetime(2026, 5, 1, 2, 0, tzinfo=timezone.utc))               # the window has passed
    late = client.post(f"{base}/objections", data={"month": "2026-03", "reason": "x"}, headers=ID, follow_redirects=True)
    assert "Maret 2026" in late.get_data(as_text=True) and "2026-03 " not in late.get_data(as_text=True)
    future = client.post(f"{base}/runs", data={"month": "2027-01"}, headers=ID).get_data(as_text=True)
    assert "Januari 2027 belum dimulai" in future
    bad = client.post(f"{base}/runs", data={"month": "2026-13"}, headers=ID).get_data(as_text=True)
    asked = client.get(f"{base}/oversight?month=2026-13", headers=ID).get_data(as_text=True)
    assert "Pilih bulan (YYYY-MM)." in bad and "TTTT" not in bad and "YYYY-MM" in asked


def test_the_signed_summary_says_its_month_in_words_and_is_found_by_its_stored_subject(
        app, client, create_tenant, create_user, login, monkeypatch):
    """The PDF's subject line and the public verification page read "Rekapitulasi TPP DLH 2026-03";
    the register keeps that subject (how a summary issued before is found), the PDF and the page say
    "Maret 2026"; the table's amounts stay on one line (non-breaking spaces)."""
    from core.documents import render
    from core.kit import documents

    tenant = closed_month(app, create_tenant)
    rendered = []
    real = render.render_html
    monkeypatch.setattr(render, "render_html", lambda *a, **k: rendered.append(real(*a, **k)) or rendered[-1])
    login(client, create_user(tenant, role="admin"), tenant)
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    assert client.post(f"{base}/summary", data={"agency": "DLH"}, headers=ID).status_code == 302
    [html] = rendered
    subject_line = html.split("<td>:</td><td>", 2)[2].split("</td>", 1)[0]
    assert subject_line == "Rekapitulasi TPP DLH Maret 2026" and "2026-03" not in html
    assert "Rp\u00a010.000.000" in html and "Rp 10.000.000" not in html           # one line each
    with app.app_context(), tenant_scope(tenant):
        doc = db.session.execute(db.select(documents.Document)).scalar_one()
        assert doc.subject == "Rekapitulasi TPP DLH 2026-03"                         # the key stays
        code = doc.code
    client.set_cookie(LOCALE_COOKIE, "en")                                           # issued again: found
    assert client.post(f"{base}/summary", data={"agency": "DLH"}).status_code == 302 and len(rendered) == 1
    anyone = app.test_client()
    for language, words in (("id", "Rekapitulasi TPP DLH Maret 2026"), ("en", "TPP summary DLH March 2026")):
        page = anyone.get(f"/t/{tenant.slug}/verify/{code}", headers={"Accept-Language": language})
        assert page.status_code == 200 and words in page.get_data(as_text=True), language
        assert "2026-03" not in page.get_data(as_text=True)


def test_an_upheld_objection_to_a_closed_month_is_due_then_paid_with_the_month_named(
        app, client, create_tenant, create_user, login, frozen_clock):
    """"koreksinya sudah dibayarkan" was said while the correction was only due in the open month
    after; the closed month's page did not show its corrections. Upheld through the form with the
    amount typed "Rp 200.000" (refused before, and blocked by the field's pattern)."""
    from ..grants import corrections
    from ..objections import objections_to, second_refused

    tenant, andi, kabid, bkpsdm, objection_id = objected(app, create_tenant, create_user, frozen_clock)
    with app.app_context():
        close_month(tenant, "test", 2026, 3)                                          # March is paid as it was
        db.session.commit()
    base = f"/t/{tenant.slug}/{MODULE}"
    login(client, kabid, tenant)
    decide(client, tenant, objection_id, 0, "Benar, ada SPT.")
    client.get(f"/t/{tenant.slug}/logout")
    login(client, bkpsdm, tenant)
    listed = client.get(f"{base}/objections").get_data(as_text=True)
    field = listed.split('name="amount"', 1)[1].split(">", 1)[0]
    assert "pattern" not in field                                                    # "Rp …" not blocked
    beyond = client.post(f"{base}/objections/{objection_id}/decide", follow_redirects=True, headers=ID,
                         data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": "Rp 99.000.000"})
    assert "Koreksi Maret 2026 " in beyond.get_data(as_text=True)                   # not "Koreksi 2026-03"
    upheld = client.post(f"{base}/objections/{objection_id}/decide", follow_redirects=True, headers=ID,
                         data={"step": 1, "note": "Diterima.", "decision": "approve", "amount": "Rp 200.000"})
    assert upheld.status_code == 200
    client.get(f"/t/{tenant.slug}/logout")
    login(client, andi, tenant)
    own = client.get(f"{base}/?month=2026-03", headers=ID).get_data(as_text=True)
    assert "Koreksi: +Rp 200.000, akan dibayarkan bersama TPP April 2026." in own
    assert "koreksinya akan dibayarkan bersama TPP April 2026" in own and "sudah dibayarkan" not in own
    frozen_clock.set(datetime(2026, 5, 1, 2, 0, tzinfo=timezone.utc))
    with app.app_context():
        run_month(tenant, "test", 2026, 4)
        close_month(tenant, "test", 2026, 4)
        db.session.commit()
    client.set_cookie(LOCALE_COOKIE, "en")
    own = client.get(f"{base}/?month=2026-03").get_data(as_text=True)
    assert "Correction: +Rp 200,000, paid with April 2026." in own and "to be paid" not in own
    with app.app_context(), tenant_scope(tenant):
        from ..models import Objection

        employee_id = db.session.get(Objection, objection_id).employee_id
        made = corrections(tenant, employee_id, 2026, 3)
        assert made == [{"amount": 200_000, "paid_in": (2026, 4), "paid": True, "objection": objection_id}]
        said = second_refused(objections_to(tenant, db.session.get(Objection, objection_id).result_id), made)
        assert said.code == "objection_upheld" and "its correction was paid with April 2026" in said.message


def test_the_finance_only_refusal_says_why(app, client, create_tenant, create_user, login):
    """With ``finance_positions`` set, the admin's close and summary POST said only "You do not have
    permission to open this page"."""
    from .test_finance import office

    tenant, admin, _treasurer, _clerk = office(app, create_tenant, create_user)
    base = f"/t/{tenant.slug}/{MODULE}/runs/2026/3"
    login(client, admin, tenant)
    client.set_cookie(LOCALE_COOKIE, "en")
    for path, form in (("close", {"confirm": "y", "force": "y"}), ("summary", {"agency": "DLH"})):
        refused = client.post(f"{base}/{path}", data=form)
        page = refused.get_data(as_text=True)
        assert refused.status_code == 403 and "for the finance agency" in page, path
        assert "Kepala Bidang Perbendaharaan" in page and "You do not have permission" not in page
    said = client.post(f"{base}/close", data={"confirm": "y"}, headers={"Accept": "application/json"}).get_json()
    assert said["error"]["code"] == "finance_only"
    other = create_tenant(modules={MODULE: SETTINGS})                                # no finance positions:
    officer = create_user(other, role="officer", agency="DLH")                       # the plain refusal
    login(client, officer, other)
    plain = client.post(f"/t/{other.slug}/{MODULE}/runs/2026/3/close", data={"confirm": "y"})
    assert plain.status_code == 403 and "finance agency" not in plain.get_data(as_text=True)


def test_a_province_paying_no_tpp_sees_only_what_applies(app, client, create_tenant, create_user, login):
    """Banten: an empty "Per agency … not run here" section, and "0 · Rp 0 · 0 %" for a month no city ran."""
    province = create_tenant(kind="province", modules={MODULE: {}}, locales=["id", "en"])
    city = create_tenant(parent=province.slug, modules={MODULE: SETTINGS}, name="Kota Satu")
    create_tenant(parent=province.slug, modules={MODULE: SETTINGS}, name="Kabupaten Dua")
    login(client, create_user(province, role="auditor"), province)
    client.set_cookie(LOCALE_COOKIE, "en")
    url = f"/t/{province.slug}/{MODULE}/oversight?month=2026-03"
    page = client.get(url).get_data(as_text=True)
    assert "No city or regency has run March 2026 yet." in page and "Rp 0" not in page
    assert "Per agency" not in page and "has not been run here" not in page
    with app.app_context():
        import_employees(city, "test", three_employees())
        run_month(city, "test", 2026, 3)
        db.session.commit()
    page = client.get(f"/t/{province.slug}/{MODULE}/oversight").get_data(as_text=True)   # the month a city ran
    row = page.split("Kabupaten Dua", 1)[1].split("</tr>", 1)[0]
    assert "Cities and regencies, March 2026" in page and "Kota Satu" in page and "Rp 24,000,000" in page
    assert "not run" in row and "Rp 0" not in row and "Per agency" not in page
    alone = create_tenant(kind="province", modules={MODULE: {}})
    login(client, create_user(alone, role="auditor"), alone)
    assert "no city or regency is under this region" in client.get(f"/t/{alone.slug}/{MODULE}/oversight").get_data(
        as_text=True)


def test_the_employee_form_says_required_and_a_file_says_cell(app, client, create_tenant, create_user, login):
    """"Nama: Sel kosong." on the form: the form's words are "wajib diisi"; "cell" stays the file's."""
    from core.kit import ValidationError

    tenant = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    login(client, create_user(tenant, role="admin"), tenant)
    form = {"nip": NIPS[0], "name": "", "agency": "DLH", "position_class": "JF-AHLI"}
    for language, said, not_said in (("id", "Wajib diisi.", "Sel kosong"), ("en", "Required.", "cell")):
        page = client.post(f"/t/{tenant.slug}/{MODULE}/employees/new", data=form,
                           headers={"Accept-Language": language})
        html = page.get_data(as_text=True)
        assert page.status_code == 400 and 'id="name-err"' in html, language
        message = html.split('id="name-err">', 1)[1].split("</p>", 1)[0]
        assert said in message and not_said not in message, message
    with app.app_context():
        try:
            import_employees(tenant, "test", f"nip,name,agency,position_class\n{NIPS[0]},,DLH,JF-AHLI\n".encode())
        except ValidationError as exc:
            assert exc.where == "line 2: name" and "The cell is empty." in exc.message
        else:
            raise AssertionError("an empty name was imported")


def test_deciding_an_unknown_activity_is_not_found(app, client, create_tenant, create_user, login):
    """Approving a non-existent id said "Only the employee's own supervisor decides an activity."."""
    tenant = create_tenant(modules={MODULE: SETTINGS})
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    url = f"/t/{tenant.slug}/{MODULE}/activities/decide"
    assert client.post(url, data={"activity": "999999"}).status_code == 404
    assert client.post(url, data={"reject": "999999", "reason": "x"}).status_code == 404


def test_the_progress_bar_spans_its_line(client):
    """At 100 % the bar was half the page wide (the browser's default width of a <progress>)."""
    css = client.get("/static/pamong.css").get_data(as_text=True)
    rule = css.split("progress {", 1)[1].split("}", 1)[0] if "progress {" in css else ""
    assert "width: 100%" in rule

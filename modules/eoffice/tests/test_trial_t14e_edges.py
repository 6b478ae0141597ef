"""Trial t14e, the minor findings: (3) the admin's settings page in Indonesian said "Nilai tidak sah:
letter type 'SB': the template holds ..." (English developer text); (4) the timeline named a job
"system:eoffice-reminders"; (5) the disposition sheet of a letter from another government had no
letter date, and an internal letter's sheet carried the sender's kop though the receiving unit
disposes it; (6) a copy (tembusan) to another government showed an empty "To" there, and no
delivery state on the sender's page; (7) an auditor got 403 on the module's home and opened drafts
and letters in review by URL; (8) a file of the PDF header and junk was accepted as a PDF."""
from __future__ import annotations

import html
import re
from datetime import timedelta
from io import BytesIO

import pytest
from werkzeug.datastructures import MultiDict

from core.kit import ValidationError, db, tenant_scope, utcnow

from ..attachments import check
from ..delivery import send
from ..jobs import reminders
from ..models import Letter
from ..settings import DEFAULT_TYPES
from .conftest import actor_of
from .helpers import drafted, signed, submitted
from .test_crossing import province  # noqa: F401 - a fixture
from .test_delivery import sent
from .test_pages import FORM, url


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("language, said, not_said", [
    ("id", "Templat jenis naskah SB memuat yang tidak boleh ada dalam naskah", "the template holds"),
    ("en", "The template of letter type SB holds what a letter may not hold", "Templat jenis naskah"),
])
def test_a_refused_template_is_said_in_the_readers_language(app, client, office, login, create_user,
                                                             language, said, not_said):
    from core.admin.settings_form import as_form

    tenant = office[0]
    login(client, create_user(tenant, "admin"), tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={language}")
    types = [dict(t) for t in DEFAULT_TYPES]
    types[0]["template"] = "<p>Dengan hormat,</p><script>alert(1)</script>"
    with app.test_request_context():
        data = MultiDict(as_form(app.extensions["pamong"].modules["eoffice"].schema, {"letter_types": types}))
    response = client.post(f"/t/{tenant.slug}/admin/modules/eoffice/settings", data=data)
    body = _text(response)
    assert response.status_code == 400 and said in body and "<script>" in body
    assert not_said not in body and "Nilai tidak sah" not in body and "Not a valid value" not in body
    assert "<script>alert" not in response.get_data(as_text=True)  # the quoted tag is escaped


def test_a_reminder_on_the_timeline_is_named_for_people(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
        assert reminders(utcnow() + timedelta(hours=25))[tenant.slug]["review"] == 1
    login(client, people.drafter, tenant)
    timeline = _text(client.get(url(tenant, f"letters/{letter_id}"))).split('id="timeline"')[1]
    assert "Pengingat otomatis" in timeline and "system:" not in timeline
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    assert "Automatic reminder" in _text(client.get(url(tenant, f"letters/{letter_id}"))).split('id="timeline"')[1]


def _sheet(client, tenant, letter_id) -> str:
    response = client.get(url(tenant, f"letters/{letter_id}/disposition-sheet"), headers={"Accept-Language": "id"})
    assert response.status_code == 200
    return _text(response)


def test_a_copy_to_another_government_names_its_addressees_and_its_date_and_shows_its_delivery(
        app, client, office, province, login):  # noqa: F811
    from flask_babel import force_locale, format_date

    from ..crossing_facts import signing_day

    city, people = office
    prov, setda, _bappeda = province
    with app.app_context(), tenant_scope(city):
        letter = signed(city, people, to_units=["PU"], cc_tenants=[prov.slug])
        send(city, actor_of(city, people.drafter), letter.id)
        db.session.commit()
        letter_id, number, day = letter.id, letter.number, signing_day(city, letter)
    login(client, people.drafter, city)  # the sender's page: the copy's delivery, as an addressee's
    copies = _text(client.get(url(city, f"letters/{letter_id}"))).split('id="letter-cc">')[1].split("</dd>")[0]
    assert prov.name in copies and re.search(r'id="post-\d+">\(terkirim\)', copies), copies
    with app.app_context(), tenant_scope(prov):
        received = db.session.execute(db.select(Letter).where(Letter.origin_number == number)).scalar_one()
        assert received.origin_date.isoformat() == day  # the sender's day of signing came with it
        received_id = received.id
    reader = app.test_client()
    login(reader, setda, prov)
    page = _text(reader.get(url(prov, f"letters/{received_id}")))
    to = page.split('id="letter-to">')[1].split("</dd>")[0]
    assert to == f"Dinas Pekerjaan Umum · {city.name}"  # the main addressee, as the sender's letter names it
    assert "Sekretariat Daerah Provinsi" in page.split('id="letter-cc">')[1].split("</dd>")[0]
    with app.test_request_context(), force_locale("id"):
        written = format_date(received.origin_date, format="medium")
    sheet = _sheet(reader, prov, received_id)
    assert f"<dt>Tanggal surat</dt><dd>{written}</dd>" in sheet
    assert "Sekretariat Daerah Provinsi" in sheet.split('id="sheet-kop">')[1].split("</div>")[0]


def test_an_internal_letters_sheet_carries_the_receiving_units_kop(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = sent(tenant, people).id  # from DLH to PU
    login(client, people.kadis_pu, tenant)
    sheet = _sheet(client, tenant, letter_id)
    kop = sheet.split('id="sheet-kop">')[1].split("</div>")[0]
    assert "Dinas Pekerjaan Umum" in kop and "Dinas Lingkungan Hidup" not in kop
    assert "Dinas Lingkungan Hidup" in sheet.split('id="sheet-from">')[1].split("</dd>")[0]  # the sender stays the sender


def test_an_auditor_lands_on_their_list_and_reads_only_signed_or_sent_letters(app, client, office, login):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        draft_id, review_id = drafted(tenant, people), submitted(tenant, people)
        signed_id, sent_id = signed(tenant, people).id, sent(tenant, people).id
    login(client, people.auditor, tenant)
    home = client.get(url(tenant))
    assert home.status_code == 302 and home.headers["Location"].endswith(f"/t/{tenant.slug}/eoffice/letters")
    for letter_id, status in ((draft_id, 404), (review_id, 404), (signed_id, 200), (sent_id, 200)):
        assert client.get(url(tenant, f"letters/{letter_id}")).status_code == status, letter_id
        assert client.get(url(tenant, f"letters/{letter_id}/pdf")).status_code in ((404,) if status == 404 else (200,))
    listed = _text(client.get(url(tenant, "letters")))
    assert f"/letters/{signed_id}" in listed and f"/letters/{draft_id}\"" not in listed
    officer = app.test_client()
    login(officer, people.drafter, tenant)
    assert officer.get(url(tenant)).status_code == 200  # the officer's home as before


JUNK = b"%PDF-1.4" + b" junk\x00\xff" * 2  # 22 bytes: the header, then nothing a reader opens


def test_a_file_with_only_the_pdf_header_is_refused(app, client, office, login):
    assert len(JUNK) == 22
    with pytest.raises(ValidationError) as error:
        check([("lampiran.pdf", JUNK)])
    assert (error.value.where, error.value.code) == ("attachments", "not_pdf")
    tenant, people = office
    login(client, people.drafter, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    bad = client.post(url(tenant, "new"), data={**FORM, "attachments": [(BytesIO(JUNK), "lampiran.pdf")]},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "does not open as one" in _text(bad)
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Letter.id)).all() == []

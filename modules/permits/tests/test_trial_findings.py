"""The new-user trial's findings on the permits pages: an officer's own application (a notice and no
decision form; marked in the queue), stage labels in the reader's language, phone errors in the
reader's language, documents and missing requirements by their label, the citizen's list by type name."""
from __future__ import annotations

from core.kit import db

from .. import services
from .conftest import NIK, jpeg, pdf

EN = {"Accept-Language": "en"}


def _submitted(app, tenant, who, type_code="SKU", values=None, draft_first=None):
    with app.app_context():
        if draft_first:
            services.save_draft(tenant, who, draft_first, {"name": "Andi", "nik": NIK}, {})
        application = services.save_draft(tenant, who, type_code, {"name": "Budi", "nik": NIK},
                                          values or {"usaha": "Warung Budi"})
        services.submit(tenant, who, application.id)
        aid, reference = application.id, application.reference
        db.session.commit()
    return aid, reference


def test_an_officer_sees_their_own_application_without_a_decision_form(app, client, tenant, people, actor, login,
                                                                       create_user):
    with app.app_context():
        officer = actor(people["intake"])
    aid, reference = _submitted(app, tenant, officer)
    base = f"/t/{tenant.slug}/permits"
    login(client, people["intake"], tenant)
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert 'id="own-application"' in page
    assert "another officer must act" not in page  # in Indonesian
    assert 'class="act"' not in page and 'name="decision"' not in page
    queue = client.get(f"{base}/queue").get_data(as_text=True)
    assert reference in queue and 'class="own-application"' in queue
    # another officer of the stage gets the form, and no notice; the queue does not mark it theirs
    colleague, other = create_user(tenant, "officer", agency="DPM"), app.test_client()
    login(other, colleague, tenant)
    page = other.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert 'id="own-application"' not in page and 'name="decision"' in page
    assert 'class="own-application"' not in other.get(f"{base}/queue").get_data(as_text=True)


def test_stage_labels_follow_the_readers_language(app, client, tenant, people, actor, login):
    with app.app_context():
        citizen = actor(people["citizen"])
    aid, _reference = _submitted(app, tenant, citizen)
    base = f"/t/{tenant.slug}/permits"
    login(client, people["intake"], tenant)
    english = client.get(f"{base}/applications/{aid}", headers=EN).get_data(as_text=True)
    assert "Your stage: Verification" in english and "Verifikasi" not in english
    indonesian = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert "Verifikasi" in indonesian
    queue = client.get(f"{base}/queue", headers=EN).get_data(as_text=True)
    assert "Verification" in queue and "Verifikasi" not in queue


def test_a_bad_phone_is_refused_in_the_readers_language(app, client, tenant, people, login):
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    for phone in ("hello", "0812"):
        data = {"name": "Andi", "nik": NIK, "phone": phone, "usaha": "Warung", "send": "1"}
        bad = client.post(f"{base}/apply/SKU", data=data, content_type="multipart/form-data")
        page = bad.get_data(as_text=True)
        assert bad.status_code == 400
        assert "phone number" not in page and "Bukan nomor ponsel (contoh 0812 3456 7890)." in page
        english = client.post(f"{base}/apply/SKU", data=data, content_type="multipart/form-data", headers=EN)
        assert "Not a mobile phone number (e.g. 0812 3456 7890)." in english.get_data(as_text=True)
    good = client.post(f"{base}/apply/SKU", data={"name": "Andi", "nik": NIK, "phone": "0812-3456-7890",
                                                  "usaha": "Warung", "send": "1"}, content_type="multipart/form-data")
    assert good.status_code == 302


def test_documents_and_gaps_are_named_by_their_requirement_label(app, client, tenant, people, actor, login):
    with app.app_context():
        citizen = actor(people["citizen"])
        application = services.save_draft(tenant, citizen, "PBG", {"name": "Andi", "nik": NIK}, {"luas_m2": "150"})
        services.attach(tenant, citizen, application, "ktp", jpeg(), "ktp.jpg")
        aid = application.id
        db.session.commit()
    base = f"/t/{tenant.slug}/permits"
    login(client, people["citizen"], tenant)
    page = client.get(f"{base}/applications/{aid}").get_data(as_text=True)
    assert f'Scan KTP: <a href="{base}/applications/{aid}/files/ktp">ktp.jpg</a>' in page and "ktp: <a" not in page
    assert "Gambar rencana" in page and "Alamat bangunan" in page and "gambar" not in page
    english = client.get(f"{base}/applications/{aid}", headers=EN).get_data(as_text=True)
    assert "ID card scan: <a" in english and "Building plan" in english and "gambar" not in english
    assert pdf()


def test_my_applications_name_the_permit_type_once(app, client, tenant, people, actor, login):
    with app.app_context():
        citizen = actor(people["citizen"])
    _aid, reference = _submitted(app, tenant, citizen, draft_first="PBG")
    login(client, people["citizen"], tenant)
    page = client.get(f"/t/{tenant.slug}/permits/", headers=EN).get_data(as_text=True)
    mine = page.split('class="mine"')[1]
    assert "Building approval" in mine and "Business certificate" in mine and reference in mine
    assert "· PBG ·" not in mine and "· SKU ·" not in mine
    assert mine.count("Draft") == 1

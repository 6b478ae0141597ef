"""Privacy of photos and text: every photo re-encoded without its metadata (GPS, device, XMP,
comments, colour profile, PNG text), scaled down, with a thumbnail; a file that only claims to be a
JPEG refused with nothing saved; an officer hides a photo or redacts text, and the original is kept
for auditors only (the audit trail records a digest, never the original)."""
import io
import json

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from core.kit import ValidationError, db, tenant_scope
from modules.complaints import photos, redaction, services
from modules.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto, ComplaintRedaction

from .conftest import image_bytes, outbox

ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
MARKERS = (b"SecretCam", b"SECRETXMP", b"SECRETCOMMENT", b"SECRETPNG")


def exif() -> bytes:
    data = Image.Exif()
    data[0x010F] = "SecretCam"  # Make
    data[0x8825] = {1: "S", 2: (5.0, 8.0, 51.0), 3: "E", 4: (119.0, 25.0, 57.0)}  # GPS: where the filer stood
    return data.tobytes()


def phone_jpeg(size=(3000, 2000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 30)).save(out, "JPEG", exif=exif(), xmp=b"<x:xmpmeta>SECRETXMP</x:xmpmeta>",
                                               comment=b"SECRETCOMMENT", icc_profile=ICC)
    return out.getvalue()


def tagged_png() -> bytes:
    info = PngInfo()
    info.add_text("Author", "SECRETPNG")
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (1, 2, 3, 128)).save(out, "PNG", pnginfo=info, exif=exif(), icc_profile=ICC)
    return out.getvalue()


def test_metadata_is_stripped_and_the_photo_scaled_with_a_thumbnail():
    original = phone_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a GPS position
    clean = photos.check_photo(original, 50 * 1024 * 1024)
    assert (clean.width, clean.height) == (photos.MAX_SIDE, 1280)
    assert (clean.thumb_width, clean.thumb_height) == (photos.THUMB_SIDE, 213)
    for data in (clean.data, clean.thumb):
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)
        assert not any(m in data for m in MARKERS)
    png = photos.check_photo(tagged_png(), 1024 * 1024)
    image = Image.open(io.BytesIO(png.data))
    assert image.format == "PNG" and image.mode == "RGBA" and not image.info and not any(m in png.data for m in MARKERS)


@pytest.mark.parametrize("data", [
    b"\xff\xd8\xff\xe0 this is not a JPEG at all, only its first bytes",
    phone_jpeg((200, 100))[:300],  # a real JPEG cut short
    b"<html><script>alert(1)</script></html>",
])
def test_a_file_that_only_claims_to_be_a_jpeg_is_refused(data):
    with pytest.raises(ValidationError) as err:
        photos.check_photo(data, 1024 * 1024)
    assert (err.value.where, err.value.code) == ("photos", "invalid_photo")


def test_the_portal_refuses_a_fake_jpeg_and_saves_nothing(app, client, tenant):
    form = {"category": "SAMPAH", "description": "Sampah menumpuk di depan pasar", "phone": "081234567890",
            "file_anyway": "1", "photos": [(io.BytesIO(image_bytes()), "a.jpg"),
                                           (io.BytesIO(b"\xff\xd8\xff not really"), "b.jpg", "image/jpeg")]}
    response = client.post(f"/t/{tenant.slug}/complaints/new", data=form, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="photos-err"' in html
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(db.func.count()).select_from(Complaint)).scalar() == 0
        assert db.session.execute(db.select(db.func.count()).select_from(ComplaintPhoto)).scalar() == 0
        assert outbox(tenant) == []


def file_with_photos(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Pak Budi di 0812-9999-8888 buang sampah sembarangan",
            phone="081234567890", photos=[phone_jpeg((800, 600)), image_bytes()]), "portal")
        db.session.commit()
        return complaint.number, key, [p.id for p in complaint.photos]


def test_photos_and_thumbnails_are_for_those_who_may_read_the_details(app, client, tenant, people, login):
    number, key, (first, _second) = file_with_photos(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    assert client.get(f"{base}/photos/{first}").status_code == 404  # the public
    login(client, people["dlh"], tenant)
    page = client.get(f"{base}/track/{number}").get_data(as_text=True)
    assert f"/photos/{first}/thumb" in page and 'width="320" height="240"' in page
    thumb = client.get(f"{base}/photos/{first}/thumb")
    assert thumb.status_code == 200 and Image.open(io.BytesIO(thumb.data)).size == (320, 240)
    full = client.get(f"{base}/photos/{first}")
    assert Image.open(io.BytesIO(full.data)).size == (800, 600) and not any(m in full.data for m in MARKERS)


def test_an_officer_hides_a_photo_and_only_auditors_see_the_original(app, tenant, people, login, audit_entries):
    number, key, (first, second) = file_with_photos(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    officer, admin, auditor, other = (app.test_client() for _ in range(4))
    for client, who in ((officer, "dlh"), (admin, "admin"), (auditor, "auditor"), (other, "pu")):
        login(client, people[who], tenant)
    assert other.post(f"{base}/manage/photos/{first}/hide", data={"reason": "wajah"}).status_code == 403
    assert officer.post(f"{base}/manage/photos/{first}/hide", data={"reason": ""}).status_code == 400
    assert officer.post(f"{base}/manage/photos/{first}/hide", data={"reason": "Wajah warga terlihat"}).status_code == 302
    for client in (officer, admin, auditor):
        assert client.get(f"{base}/photos/{first}").status_code == 404
        assert client.get(f"{base}/photos/{first}/thumb").status_code == 404
        assert client.get(f"{base}/photos/{second}").status_code == 200  # the other photo stays
    assert 'class="hidden-photo"' in officer.get(f"{base}/track/{number}").get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        (row,) = db.session.execute(db.select(ComplaintRedaction)).scalars().all()
        assert row.target == "photo" and redaction.matches_digest(row)
    assert admin.get(f"{base}/manage/redactions/{row.id}/photo").status_code == 403  # admins are not auditors
    assert admin.get(f"{base}/manage/{number}/redactions").status_code == 403
    original = auditor.get(f"{base}/manage/redactions/{row.id}/photo")
    assert original.status_code == 200 and Image.open(io.BytesIO(original.data)).size == (800, 600)
    listing = auditor.get(f"{base}/manage/{number}/redactions").get_data(as_text=True)
    assert "Wajah warga terlihat" in listing
    (entry,) = audit_entries(tenant, "complaints.hide_photo")
    assert entry["summary"]["after"]["original_digest"] == row.digest and entry["actor"] == people["dlh"]
    assert [e["object_id"] for e in audit_entries(tenant, "complaints.read_redacted")] == [number]


def test_an_officer_redacts_text_and_the_audit_trail_keeps_a_digest_not_the_text(app, client, tenant, people, login,
                                                                                   audit_entries):
    number, key, _ = file_with_photos(app, tenant)
    base = f"/t/{tenant.slug}/complaints"
    officer, auditor, admin = app.test_client(), app.test_client(), app.test_client()
    login(officer, people["dlh"], tenant)
    login(auditor, people["auditor"], tenant)
    login(admin, people["admin"], tenant)
    same = officer.post(f"{base}/manage/{number}/redact", data={
        "target": "description", "text": "Pak Budi di 0812-9999-8888 buang sampah sembarangan", "reason": "x"})
    assert same.status_code == 400 and 'role="alert"' in same.get_data(as_text=True)  # "Nothing was changed."
    done = officer.post(f"{base}/manage/{number}/redact", data={
        "target": "description", "text": "[nama] buang sampah sembarangan", "reason": "Menyebut nama warga"})
    assert done.status_code == 302
    for client in (client, officer, admin):
        page = client.get(f"{base}/track/{number}").get_data(as_text=True)
        assert "[nama] buang sampah sembarangan" in page and "Pak Budi" not in page
    (entry,) = audit_entries(tenant, "complaints.redact")
    assert "Budi" not in json.dumps(entry) and "9999" not in json.dumps(entry)
    assert "Budi" not in json.dumps(audit_entries(tenant))  # nowhere in the trail the admins can read
    with app.app_context(), tenant_scope(tenant):
        (row,) = db.session.execute(db.select(ComplaintRedaction)).scalars().all()
        assert entry["summary"]["after"]["original_digest"] == row.digest == redaction.text_digest(row.original_text)
        raw = db.session.execute(db.text("SELECT original_text FROM complaint_redactions WHERE id = :id"),
                                 {"id": row.id}).scalar()
        assert "Budi" not in raw  # encrypted at rest
    assert "Pak Budi di 0812-9999-8888" in auditor.get(f"{base}/manage/{number}/redactions").get_data(as_text=True)
    assert admin.get(f"{base}/manage/{number}/redactions").status_code == 403


def test_a_note_on_the_timeline_can_be_redacted(app, tenant, people, user_of):
    number, key, _ = file_with_photos(app, tenant)
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        from modules.complaints import filer_info, workflow

        filer_info.add_info(tenant, None, complaint, "Rumah saya nomor 12, telp istri 0813-1111-2222", access_key=key)
        event = complaint.events[-1]
        officer = user_of(people["dlh"])
        with pytest.raises(services.Forbidden):
            redaction.redact_text(tenant, user_of(people["pu"]), complaint, "event", "x", "y", event_id=event.id)
        redaction.redact_text(tenant, officer, complaint, "event", "Rumah saya nomor 12", "nomor telepon",
                              event_id=event.id)
        workflow.transition(tenant, officer, complaint, "verified")
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(ComplaintEvent, event.id).note == "Rumah saya nomor 12"

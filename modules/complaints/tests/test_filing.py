"""Filing a complaint through the service: numbers, routing, due dates, validation, nothing half saved."""
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import text

from core.kit import ValidationError, db, keyed_hash, tenant_scope
from modules.complaints import services
from core.numbering import NumberCounter
from modules.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto

from .conftest import audit_actions, image_bytes, outbox

NOW = datetime(2026, 5, 4, 2, 0, tzinfo=timezone.utc)


def filing(**kw):
    values = {"category": "SAMPAH", "description": "Sampah menumpuk di pasar", "village": "MRS-BTN",
              "phone": "0812-3456-7890"}
    values.update(kw)
    return services.Filing(**values)


def counts(tenant):
    with tenant_scope(tenant):
        return tuple(db.session.execute(db.select(db.func.count()).select_from(m)).scalar()
                     for m in (Complaint, ComplaintEvent, ComplaintPhoto, NumberCounter))


def test_a_complaint_is_numbered_routed_and_due(scoped, tenant):
    complaint, key = services.file_complaint(tenant, None, filing(), "portal", now=NOW)
    db.session.commit()
    assert complaint.number == f"{tenant.slug.upper()}-2026-000001"
    assert complaint.status == "submitted" and complaint.channel == "portal"
    with tenant_scope(tenant):
        assert complaint.response_due_at.replace(tzinfo=timezone.utc) == NOW + timedelta(hours=24)
        assert complaint.resolution_due_at.replace(tzinfo=timezone.utc) == NOW + timedelta(days=3)
        assert complaint.district_id is not None  # taken from the village
        assert [e.kind for e in complaint.events] == ["filed"]
    assert services.access_key_matches(complaint, key) and not services.access_key_matches(complaint, "WRONG")
    assert audit_actions(tenant, complaint.number) == ["complaints.file"]
    ((channel, to, body),) = outbox(tenant, f"complaints:{complaint.number}")
    assert channel == "sms" and to == "+6281234567890"
    assert complaint.number in body and key in body
    second, _ = services.file_complaint(tenant, None, filing(), "portal", now=NOW)
    assert second.number.endswith("-2026-000002")


def test_personal_data_is_encrypted_at_rest(scoped, tenant):
    complaint, _ = services.file_complaint(tenant, None, filing(name="Daeng Rani", email="rani@example.test"),
                                           "portal", now=NOW)
    db.session.commit()
    with tenant_scope(tenant):
        raw = db.session.execute(text(
            "SELECT filer_name, filer_phone, filer_email, filer_phone_hash FROM complaints WHERE id = :id"
        ), {"id": complaint.id}).one()
    assert "Daeng" not in raw[0] and "6281234567890" not in raw[1] and "rani@" not in raw[2]
    assert raw[3] == keyed_hash("+6281234567890")
    db.session.expire_all()
    with tenant_scope(tenant):
        again = db.session.get(Complaint, complaint.id)
        assert (again.filer_name, again.filer_phone, again.filer_email) == (
            "Daeng Rani", "+6281234567890", "rani@example.test")


@pytest.mark.parametrize("change, where, code", [
    ({"category": "NOPE"}, "category", "unknown_category"),
    ({"description": ""}, "description", "required"),
    ({"description": "<script>alert(1)</script> tolong"}, "description", "html_not_allowed"),
    ({"latitude": "95", "longitude": "119.4"}, "latitude", "invalid_coordinate"),
    ({"latitude": "-5.1", "longitude": "181"}, "longitude", "invalid_coordinate"),
    ({"latitude": "abc", "longitude": "1"}, "latitude", "invalid_coordinate"),
    ({"latitude": "nan", "longitude": "1"}, "latitude", "invalid_coordinate"),
    ({"latitude": "-5.1"}, "longitude", "incomplete_coordinates"),
    ({"village": "XX"}, "village", "unknown_village"),
    ({"district": "PNK", "village": "MRS-BTN"}, "village", "village_not_in_district"),
    ({"phone": "12"}, "phone", "invalid_phone"),
    ({"phone": "", "email": "not-an-address"}, "email", "invalid_email"),
    ({"phone": "", "notify_by": "sms"}, "phone", "required"),
    ({"photos": [b"GIF89a not really"]}, "photos", "invalid_photo"),
    ({"photos": [b"%PDF-1.4 renamed to photo.jpg"]}, "photos", "invalid_photo"),
    ({"photos": [image_bytes("GIF")]}, "photos", "invalid_photo"),
    ({"photos": [image_bytes()] * 3}, "photos", "too_many_photos"),
    ({"photos": [b"\xff\xd8" + b"0" * 400 * 1024]}, "photos", "photo_too_large"),
])
def test_bad_input_is_refused_and_nothing_is_saved(scoped, tenant, change, where, code):
    before = counts(tenant)
    with pytest.raises(ValidationError) as err:
        services.file_complaint(tenant, None, filing(**change), "portal", now=NOW)
    db.session.rollback()
    assert (err.value.where, err.value.code) == (where, code)
    assert counts(tenant) == before
    assert outbox(tenant) == []


def test_photos_are_reencoded_without_exif(scoped, tenant):
    from modules.complaints import photos

    original = image_bytes("JPEG", exif=True)
    assert Image.open(__import__("io").BytesIO(original)).getexif()  # the test photo carries EXIF
    complaint, _ = services.file_complaint(
        tenant, None, filing(photos=[original, image_bytes("PNG")]), "portal", now=NOW)
    db.session.commit()
    with tenant_scope(tenant):
        stored = [(p.content_type, photos.load(p.storage_key)) for p in complaint.photos]
    assert [c for c, _ in stored] == ["image/jpeg", "image/png"]
    jpeg = Image.open(__import__("io").BytesIO(stored[0][1]))
    assert jpeg.format == "JPEG" and not jpeg.getexif() and "exif" not in jpeg.info
    assert b"SecretCam" not in stored[0][1]


def test_a_replayed_source_reference_is_refused(scoped, tenant):
    services.file_complaint(tenant, "webhook:wa", filing(source_ref="msg-1"), "social", now=NOW)
    db.session.commit()
    with pytest.raises(ValidationError) as err:
        services.file_complaint(tenant, "webhook:wa", filing(source_ref="msg-1"), "social", now=NOW)
    assert err.value.code == "duplicate"


def test_agency_missing_from_the_tenant_is_a_clear_error(app_ctx, make_tenant):
    settings = {"categories": [{"code": "X", "name_id": "X", "name_en": "X", "agency": "NOPE"}]}
    with pytest.raises(ValidationError) as err:
        make_tenant(settings=settings)
    assert "agency 'NOPE'" in err.value.message and err.value.where.endswith("categories.0.agency")

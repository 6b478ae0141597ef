"""Photos the image library cannot fully read (issue 10.4): a file Pillow fails on while decoding,
turning or re-encoding it is the sender's bad file (``invalid_photo``: the form again or a JSON
error, nothing written) or, when only its metadata is unreadable, the photo kept without it. Never a
500. The photo check runs under a seeded byte-mutation fuzzer over valid JPEG, PNG, WebP and GIF
files; decompression bombs and truncated files are refused."""
import base64
import io
import random
import struct
import time
import zlib

import pytest
from PIL import Image, ImageOps

from core.kit import ValidationError, db, storage, tenant_scope
from modules.complaints import photos, services
from modules.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto

from .conftest import image_bytes, outbox

BASE_URL = "/t/{slug}/complaints"
PHOTO_MESSAGE = "Foto harus berupa gambar JPEG, PNG atau WebP."  # the form's message, in the tenant's language


# -- the files -------------------------------------------------------------------------------------

def _exif_with_text_resolution_unit(text: bytes) -> bytes:
    """Raw little-endian TIFF EXIF: Orientation = 6 (SHORT) and ResolutionUnit (tag 296) stored as
    ASCII ``text`` instead of a SHORT. Pillow's Exif writer refuses to make this, so it is built by hand."""
    entries = [struct.pack("<HHII", 0x0112, 3, 1, 6),
               struct.pack("<HHII", 0x0128, 2, len(text), 8 + 2 + 2 * 12 + 4)]
    ifd = struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0)
    return b"Exif\x00\x00" + b"II*\x00" + struct.pack("<I", 8) + ifd + text


def bad_exif_jpeg(size: int = 725) -> bytes:
    """The probe's file: a ``size``-byte 8x6 JPEG (a wider-than-tall picture stored on its side)
    whose EXIF has Orientation = 6 and ResolutionUnit as text."""
    def make(text):
        out = io.BytesIO()
        image = Image.new("RGB", (8, 6), (200, 10, 10))
        image.paste((10, 10, 200), (0, 0, 4, 6))  # left half blue: shows which way it was turned
        image.save(out, "JPEG", exif=_exif_with_text_resolution_unit(text))
        return out.getvalue()

    shortest = len(make(b"inches\x00"))
    return make(b"inches" + b" " * (size - shortest) + b"\x00")


def _png_with_size(width: int, height: int) -> bytes:
    """A small valid PNG whose header then claims ``width`` x ``height`` (a decompression bomb's
    header: the pixels are never there)."""
    out = io.BytesIO()
    Image.new("L", (4, 4), 0).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def seeds() -> dict[str, bytes]:
    """Valid files of every format the fuzzer mutates; the JPEG, PNG and WebP carry EXIF with an
    orientation (so the turning code runs) and typed tags the mutations can break."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "SecretCam"
    exif[0x0128] = 2
    exif[0x011A] = 72.0
    exif[0x0131] = "PhoneSoftware 1.0"
    out = {}
    for fmt, mode, colour in (("JPEG", "RGB", (10, 120, 200)), ("PNG", "RGBA", (10, 120, 200, 128)),
                              ("WEBP", "RGB", (10, 120, 200)), ("GIF", "P", 1)):
        buffer = io.BytesIO()
        extra = {"exif": exif.tobytes()} if fmt != "GIF" else {}
        Image.new(mode, (24, 16), colour).save(buffer, fmt, **extra)
        out[fmt] = buffer.getvalue()
    return out


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to eight byte flips, deletions or insertions, mostly in the first 160 bytes (headers, EXIF)."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(min(len(data), 160) if rng.random() < 0.7 else len(data))
        op = rng.random()
        if op < 0.6:
            data[at] = rng.randrange(256)
        elif op < 0.8:
            del data[at:at + rng.randint(1, 16)]
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(data)


def assert_clean(clean: photos.CleanPhoto) -> None:
    for data, width, height in ((clean.data, clean.width, clean.height),
                                (clean.thumb, clean.thumb_width, clean.thumb_height)):
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.size == (width, height)
        assert image.format in photos.FORMATS and not image.getexif()
        assert not {"exif", "xmp", "comment", "icc_profile"} & set(image.info)


# -- the photo check itself --------------------------------------------------------------------------

def test_the_probes_725_byte_jpeg_is_kept_upright_without_its_exif():
    data = bad_exif_jpeg()
    assert len(data) == 725
    with Image.open(io.BytesIO(data)) as image:  # the file really is what the probe sent
        assert image.getexif()[0x0112] == 6 and isinstance(image.getexif()[0x0128], str)
        image.load()
        with pytest.raises((struct.error, TypeError)):
            ImageOps.exif_transpose(image)
    clean = photos.check_photo(data, 1024 * 1024)
    assert_clean(clean)
    assert (clean.width, clean.height) == (6, 8)  # turned upright: orientation 6 is a quarter turn
    upright = Image.open(io.BytesIO(clean.data)).convert("RGB")
    top, bottom = upright.getpixel((3, 0)), upright.getpixel((3, 7))
    assert top[2] > top[0] and bottom[0] > bottom[2]  # the blue half is on top after the turn


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_truncated_files_are_refused(fmt):
    data = seeds()[fmt]
    for cut in (1, 8, len(data) // 3, len(data) // 2, len(data) - 12):
        with pytest.raises(ValidationError) as err:
            photos.check_photo(data[:cut], 1024 * 1024)
        assert (err.value.where, err.value.code) == ("photos", "invalid_photo")


@pytest.mark.parametrize("width,height", [
    (8000, 6000),  # over the module's MAX_PIXELS, under Pillow's own limit
    (20000, 20000),  # over Pillow's MAX_IMAGE_PIXELS (DecompressionBombWarning)
    (60000, 60000),  # over twice that (DecompressionBombError on opening)
])
def test_decompression_bombs_are_refused(width, height):
    with pytest.raises(ValidationError) as err:
        photos.check_photo(_png_with_size(width, height), 1024 * 1024)
    assert err.value.code == "invalid_photo"


def test_pillows_own_bomb_limit_is_a_bad_photo_too(monkeypatch):
    data = image_bytes("PNG", size=(64, 48))
    for limit in (64 * 48 - 1, (64 * 48) // 2 - 1):  # warning, then error
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", limit)
        with pytest.raises(ValidationError) as err:
            photos.check_photo(data, 1024 * 1024)
        assert err.value.code == "invalid_photo"


@pytest.mark.parametrize("where,exc", [
    ("load", struct.error("bad")), ("load", IndexError("bad")), ("exif_transpose", TypeError("bad")),
    ("getexif", KeyError("bad")), ("_encode", ValueError("bad")), ("_encode", ZeroDivisionError()),
    ("_encode", OSError("encoder error -2")),
])
def test_any_failure_of_the_image_library_is_a_bad_photo_or_a_photo_without_metadata(monkeypatch, where, exc):
    def fail(*args, **kwargs):
        raise exc

    good, probe = image_bytes(), bad_exif_jpeg()  # made before the library is broken
    if where == "load":
        monkeypatch.setattr(Image.Image, "load", fail)
    elif where == "exif_transpose":
        monkeypatch.setattr(ImageOps, "exif_transpose", fail)
    elif where == "getexif":  # EXIF that cannot be read at all: the photo is kept without it
        monkeypatch.setattr(ImageOps, "exif_transpose", fail)
        monkeypatch.setattr(Image.Image, "getexif", fail)
        clean = photos.check_photo(good, 1024 * 1024)
        assert (clean.width, clean.height) == (64, 48) and clean.data
        return
    else:
        monkeypatch.setattr(photos, where, fail)
    if where == "exif_transpose":  # the orientation is still read alone: upright, no metadata
        clean = photos.check_photo(probe, 1024 * 1024)
        assert (clean.width, clean.height) == (6, 8)
        return
    with pytest.raises(ValidationError) as err:
        photos.check_photo(good, 1024 * 1024)
    assert err.value.code == "invalid_photo"


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns of the corrupt EXIF the fuzzer makes
def test_the_photo_check_under_a_mutation_fuzzer_only_cleans_or_refuses():
    """600 seeded mutations (150 per format), bounded to 60 seconds: each either comes back as a clean
    re-encoded photo or is refused with the module's own error. Anything else fails the test."""
    rng = random.Random(20261130)
    files = seeds()
    outcomes = {"clean": 0, "refused": 0}
    deadline = time.monotonic() + 60
    for case in range(600):
        if time.monotonic() > deadline:
            break
        fmt = ("JPEG", "PNG", "WEBP", "GIF")[case % 4]
        data = mutate(rng, files[fmt])
        try:
            clean = photos.check_photo(data, 1024 * 1024)
        except ValidationError as exc:
            assert exc.code in ("invalid_photo", "photo_too_large"), (fmt, data.hex())
            outcomes["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - what the test is for
            pytest.fail(f"{fmt} mutation #{case} raised {exc!r}; file: {data.hex()}")
        else:
            assert_clean(clean)
            outcomes["clean"] += 1
    assert sum(outcomes.values()) >= 200 and outcomes["clean"] and outcomes["refused"], outcomes


# -- through each channel ---------------------------------------------------------------------------

def _state(app, tenant):
    """What a refused filing must leave as it was: rows, events, outbox, stored files of the tenant."""
    with app.app_context(), tenant_scope(tenant):
        count = lambda model: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()  # noqa: E731
        root = storage().root / f"t{tenant.id}"
        files = sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []
        return count(Complaint), count(ComplaintPhoto), count(ComplaintEvent), len(outbox(tenant)), files


BAD_FILES = {
    "truncated": lambda: seeds()["JPEG"][:200],
    "bomb": lambda: _png_with_size(20000, 20000),
    "gif": lambda: seeds()["GIF"],
}


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_the_portal_refuses_a_bad_photo_with_the_forms_message_and_writes_nothing(app, client, tenant, bad):
    before = _state(app, tenant)
    response = client.post(BASE_URL.format(slug=tenant.slug) + "/new", content_type="multipart/form-data", data={
        "category": "SAMPAH", "description": "Sampah menumpuk di depan pasar", "phone": "081234567890",
        "file_anyway": "1", "photos": [(io.BytesIO(image_bytes()), "good.jpg"),
                                       (io.BytesIO(BAD_FILES[bad]()), "bad.jpg", "image/jpeg")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="photos-err"' in html
    assert PHOTO_MESSAGE in html
    assert _state(app, tenant) == before


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_the_json_api_refuses_a_bad_photo_with_a_stable_code_and_writes_nothing(app, client, tenant,
                                                                               token_for_tenant, bad):
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:write')}"}
    before = _state(app, tenant)
    response = client.post(f"/t/{tenant.slug}/api/v1/complaints/", headers=headers, json={
        "category": "SAMPAH", "description": "Sampah menumpuk", "phone": "081234567890",
        "photos": [base64.b64encode(image_bytes()).decode(), base64.b64encode(BAD_FILES[bad]()).decode()]})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_photo"
    assert _state(app, tenant) == before


def _filed(app, tenant):
    with app.app_context(), tenant_scope(tenant):
        complaint, key = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890"), "portal")
        db.session.commit()
        return complaint.number, key


@pytest.mark.parametrize("bad", sorted(BAD_FILES))
def test_adding_a_bad_photo_to_a_complaint_is_refused_on_the_page_and_in_the_api(app, client, tenant,
                                                                                token_for_tenant, bad):
    number, key = _filed(app, tenant)
    before = _state(app, tenant)
    page = client.post(BASE_URL.format(slug=tenant.slug) + f"/track/{number}/info",
                       content_type="multipart/form-data", data={
                           "info-text": "Foto terlampir", "info-access_key": key,
                           "info-photos": [(io.BytesIO(image_bytes()), "ok.jpg"),
                                           (io.BytesIO(BAD_FILES[bad]()), "bad.jpg")]})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and 'id="info-photos-err"' in html
    assert PHOTO_MESSAGE in html
    assert _state(app, tenant) == before
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:write')}"}
    api = client.post(f"/t/{tenant.slug}/api/v1/complaints/{number}/info", headers=headers, json={
        "access_code": key, "text": "x", "photos": [base64.b64encode(BAD_FILES[bad]()).decode()]})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "invalid_photo"
    assert _state(app, tenant) == before


def _stored_photos(app, tenant, number):
    with app.app_context(), tenant_scope(tenant):
        complaint = services.get_by_number(tenant, number)
        return [photos.load(p.storage_key) for p in complaint.photos]


def test_the_probes_file_is_accepted_upright_without_metadata_in_every_channel(app, client, tenant,
                                                                               token_for_tenant):
    data, base = bad_exif_jpeg(), BASE_URL.format(slug=tenant.slug)
    page = client.post(base + "/new", content_type="multipart/form-data", data={
        "category": "SAMPAH", "description": "Sampah menumpuk di depan pasar", "phone": "081234567890",
        "file_anyway": "1", "photos": [(io.BytesIO(data), "probe.jpg")]})
    assert page.status_code == 302
    number = page.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    headers = {"Authorization": f"Bearer {token_for_tenant(tenant, 'complaints:write')}"}
    api = client.post(f"/t/{tenant.slug}/api/v1/complaints/", headers=headers, json={
        "category": "SAMPAH", "description": "Sampah menumpuk", "phone": "081234567890",
        "photos": [base64.b64encode(data).decode()]})
    assert api.status_code == 201
    added_number, key = _filed(app, tenant)
    info = client.post(f"{base}/track/{added_number}/info", content_type="multipart/form-data", data={
        "info-text": "Foto", "info-access_key": key, "info-photos": [(io.BytesIO(data), "probe.jpg")]})
    assert info.status_code == 302
    api_info = client.post(f"/t/{tenant.slug}/api/v1/complaints/{added_number}/info", headers=headers, json={
        "access_code": key, "text": "x", "photos": [base64.b64encode(data).decode()]})
    assert api_info.status_code == 200, api_info.get_json()
    stored = (_stored_photos(app, tenant, number) + _stored_photos(app, tenant, api.get_json()["number"])
              + _stored_photos(app, tenant, added_number))
    assert len(stored) == 4
    for blob in stored:
        image = Image.open(io.BytesIO(blob))
        assert image.size == (6, 8) and not image.getexif() and b"inches" not in blob


def test_photos_written_before_a_later_failure_are_removed_with_the_rollback(app, tenant, monkeypatch):
    """A step after the photos are stored fails (here the audit entry): the transaction rolls back
    and the files go with it; no photo is left in storage that no row points to."""
    before = _state(app, tenant)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services, "audit", broken_audit)
    with app.app_context(), tenant_scope(tenant):
        with pytest.raises(RuntimeError):
            services.file_complaint(tenant, None, services.Filing(
                category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890",
                photos=[image_bytes(), image_bytes("PNG")]), "portal")
        db.session.rollback()
    assert _state(app, tenant) == before


def test_photos_of_a_transaction_closed_without_commit_are_removed(app, tenant):
    """A request that breaks ends with its session closed, not rolled back explicitly."""
    before = _state(app, tenant)
    with app.app_context():
        with tenant_scope(tenant):
            complaint, _ = services.file_complaint(tenant, None, services.Filing(
                category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890",
                photos=[image_bytes()]), "portal")
            key = complaint.photos[0].storage_key
            assert storage().exists(key)
        db.session.close()
        assert not storage().exists(key)
    assert _state(app, tenant) == before
    kept = _filed_with_photo(app, tenant)  # and a committed one stays
    with app.app_context():
        assert storage().exists(kept)


def _filed_with_photo(app, tenant) -> str:
    with app.app_context(), tenant_scope(tenant):
        complaint, _ = services.file_complaint(tenant, None, services.Filing(
            category="SAMPAH", description="Sampah menumpuk di pasar", phone="081234567890",
            photos=[image_bytes()]), "portal")
        db.session.commit()
        return complaint.photos[0].storage_key

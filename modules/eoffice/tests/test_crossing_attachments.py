"""Attachments of a letter from another tenant, at the receiver's handler (no signing needed):
checked as an upload is, checksum and size compared with the letter's list, stored once in the
receiver's own storage scope even if the post comes twice, retried (not refused) while the letter
has not arrived, refused when it names another sender's letter. The whole path from the sender's
outbox is in test_crossing.py."""
import base64
from hashlib import sha256

import pytest

from core.kit import Actor, ValidationError, db, storage, tenant_scope

from ..attachments import of
from ..crossing import NotYetArrived, receive, receive_attachment
from ..demo import scan_pdf
from ..models import Attachment, Letter

PDF = scan_pdf(["Daftar hadir"])  # a PDF that opens (attachments.opens)
SENDER = {"id": 999, "slug": "kota-x", "name": "Kota X"}


def letter_event(listed):
    return {"name": "eoffice.letter", "from_tenant": SENDER, "message": "999:10",
            "payload": {"number": "000.1/1/X", "subject": "Surat", "unit_name": "Dinas X", "body_html": "<p>Isi</p>",
                        "pdf": base64.b64encode(b"%PDF-1.7\n%signed\n").decode(), "attachments": listed}}


def attachment_event(message, data=PDF, n=1, letter_post="999:10", claimed=None):
    return {"name": "eoffice.attachment", "from_tenant": SENDER, "message": message,
            "payload": {"n": n, "filename": "lampiran.pdf", "size": len(data), "letter_post": letter_post,
                        "sha256": claimed or sha256(data).hexdigest(), "data": base64.b64encode(data).decode()}}


@pytest.fixture
def receiver(app_ctx, office):
    tenant, _ = office
    with tenant_scope(tenant):
        yield tenant, Actor.system("tenant-post:kota-x", tenant)
        db.session.rollback()


def listing(data=PDF, n=1):
    return [{"n": n, "filename": "lampiran.pdf", "size": len(data), "sha256": sha256(data).hexdigest()}]


def test_an_attachment_delivered_twice_is_stored_once_in_the_receivers_scope(receiver, audit_entries):
    tenant, actor = receiver
    event = attachment_event("999:11")
    with pytest.raises(NotYetArrived):  # before its letter: the outbox retries; not a PamongError
        receive_attachment(tenant, actor, event)
    assert not isinstance(NotYetArrived("x"), ValidationError)
    assert receive(tenant, actor, letter_event(listing())) == {"accepted": "received"}
    assert receive_attachment(tenant, actor, event) == {"accepted": "attached"}
    assert receive_attachment(tenant, actor, event) == {"accepted": "attached"}
    db.session.commit()
    letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == "999:10")).scalar_one()
    (row,) = of(tenant, letter)
    assert row.origin_ref == "999:11" and row.sha256 == sha256(PDF).hexdigest()
    assert row.storage_key.startswith(f"t{tenant.id}/") and storage().get(row.storage_key, tenant=tenant) == PDF
    assert len(audit_entries(tenant, "eoffice.attachment.receive")) == 1


GIF = b"GIF89a not a pdf"


@pytest.mark.parametrize("listed, event, code", [
    (PDF, attachment_event("999:12", data=PDF + b"tampered"), "checksum_mismatch"),  # not the listed bytes
    (PDF, attachment_event("999:12", claimed="0" * 64), "checksum_mismatch"),  # the post claims another sum
    (GIF, attachment_event("999:12", data=GIF), "not_pdf"),  # listed as sent, and still checked as an upload
    (PDF, attachment_event("999:12", n=2), "bad_attachment"),  # the letter did not list it
    (PDF, attachment_event("999:12", letter_post="998:10"), "bad_attachment"),  # another sender's letter
    (PDF, attachment_event("999:12", data=b""), "bad_attachment"),
])
def test_an_attachment_not_as_listed_is_refused_and_stores_nothing(receiver, listed, event, code):
    tenant, actor = receiver
    receive(tenant, actor, letter_event(listing(listed)))
    with pytest.raises(ValidationError) as error:
        receive_attachment(tenant, actor, event)
    assert error.value.code == code
    assert db.session.execute(db.select(Attachment.id)).all() == []


def test_a_bad_list_of_attachments_is_dropped_not_trusted(receiver):
    tenant, actor = receiver
    listed = listing() + [{"n": 2, "filename": "x.pdf", "size": 10 ** 9, "sha256": "a" * 64},
                          {"n": 3, "filename": "y.pdf", "size": 5, "sha256": "not hex"}, "junk"]
    receive(tenant, actor, letter_event(listed))
    letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == "999:10")).scalar_one()
    assert letter.origin_attachments == listing()


def test_the_largest_attachment_fits_one_post():
    """A file at the upload limit, base64 in its post's JSON, stays under the core post's limit
    (why attachments travel one per post: five of them would not fit the letter's)."""
    import json

    from core.kit import tenant_post

    from ..attachments import MAX_BYTES, MAX_FILES

    data = base64.b64encode(b"%PDF-" + b"\0" * (MAX_BYTES - 5)).decode()
    body = json.dumps({"n": MAX_FILES, "filename": "x" * 120 + ".pdf", "size": MAX_BYTES, "letter_post": "9" * 40,
                       "sha256": "0" * 64, "data": data}, separators=(",", ":"))
    assert len(body) < tenant_post.MAX_BODY < MAX_FILES * len(data)


def test_the_sender_sees_the_letter_and_its_attachments_delivered_together(monkeypatch):
    """``delivery_states``: an addressed tenant's letter shows delivered only once its attachments'
    posts are too; one failed post shows it not delivered."""
    from types import SimpleNamespace

    from core.kit import tenant_post

    from ..crossing import delivery_states

    states = {1: "sent", 2: "sent", 3: "pending", 4: "sent", 5: "failed", 6: "sent", 7: "sent"}
    monkeypatch.setattr(tenant_post, "status", lambda tenant, ids: {i: states[i] for i in ids})
    rows = [SimpleNamespace(id=10, tenant_slug="a", post_id=1, attachment_posts=[2, 3]),
            SimpleNamespace(id=11, tenant_slug="b", post_id=4, attachment_posts=[5]),
            SimpleNamespace(id=12, tenant_slug="c", post_id=6, attachment_posts=[7]),
            SimpleNamespace(id=13, tenant_slug="d", post_id=7, attachment_posts=None),
            SimpleNamespace(id=14, tenant_slug=None, post_id=None, attachment_posts=None)]  # a unit of the tenant
    assert delivery_states(None, rows) == {10: "pending", 11: "failed", 12: "sent", 13: "sent"}


def test_a_letter_from_another_tenant_reads_well_on_its_pages(app, client, make_tenant, login):
    """Trial finding 13: the type's name (as the sender sent it), whose post delivered it (not
    "tenant-post:<slug>"), the sender once in the inbox row, no empty review row, and how many of
    the listed attachments arrived."""
    from .test_pages import url

    sender, _ = make_tenant(name="Kota Pengirim")
    tenant, people = make_tenant()
    second = scan_pdf(["Kedua"])
    listed = listing() + [dict(listing(second)[0], n=2, filename="kedua.pdf")]
    origin = {"id": sender.id, "slug": sender.slug, "name": sender.name}
    event = dict(letter_event(listed), from_tenant=origin, message=f"{sender.id}:10")
    event["payload"] = dict(event["payload"], letter_type="ST", unit_name="Dinas Lingkungan Hidup",
                            letter_type_name={"id": "Surat Tugas", "en": "Assignment letter"})
    with app.app_context():
        actor = Actor.system(f"tenant-post:{sender.slug}", tenant)
        receive(tenant, actor, event)
        receive_attachment(tenant, actor, dict(attachment_event(f"{sender.id}:11", letter_post=f"{sender.id}:10"),
                                               from_tenant=origin))
        db.session.commit()
        with tenant_scope(tenant):
            letter_id = db.session.execute(db.select(Letter.id).where(Letter.origin_ref == f"{sender.id}:10")).scalar_one()
    login(client, people.drafter, tenant)
    row = client.get(url(tenant, "inbox")).get_data(as_text=True)
    assert "Dinas Lingkungan Hidup · Kota Pengirim" in row and row.count("Dinas Lingkungan Hidup") == 1
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert '<dd id="letter-type">Surat Tugas</dd>' in page
    assert "tenant-post:" not in page and "Kota Pengirim" in page.split('id="timeline"')[1]
    assert "<dt>Pemeriksaan</dt>" not in page and "<dt>Review</dt>" not in page
    assert "1 dari 2" in page.split('id="attachments-pending"')[1][:200]
    assert f"{len(PDF)} byte</span>" in page and "0,0 KB" not in page  # a small file in bytes, not "0,0 KB"
    client.get(f"/t/{tenant.slug}/lang?locale=en")
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert '<dd id="letter-type">Assignment letter</dd>' in page and f"{len(PDF)} bytes</span>" in page
    assert "Delivery from Kota Pengirim" in page


@pytest.mark.parametrize("size, locale, shown", [
    (45, "en", "45 bytes"), (1, "en", "1 byte"), (1536, "id", "1,5 KB"), (1536, "en", "1.5 KB"),
    (5 * 1024 * 1024, "id", "5,0 MB"),
])
def test_a_files_size_reads_in_the_readers_language(app, size, locale, shown):
    """Trial polish: a 45-byte attachment was "0,0 KB"; bytes under 1 KB, then KB, then MB (the
    Indonesian "byte" is seen on the letter's page above, where the module's catalogue is in use)."""
    from flask_babel import force_locale

    from ..views import file_size

    with app.test_request_context(), force_locale(locale):
        assert file_size(size) == shown


@pytest.mark.parametrize("sent, receivers_types, shown_id, shown_en", [
    ({"id": "Laporan", "en": "Report"}, None, "Laporan", "Report"),
    ({"id": "Laporan"}, None, "Laporan", "Laporan"),  # the sender named it in Indonesian only
    ({"id": "Laporan", "en": "Report"}, "Surat Perintah", "Laporan", "Report"),
    (None, None, "LPJ", "LPJ"),  # a post of before names were sent, a type neither the receiver nor the built-ins have: its code
    (None, "Surat Perintah", "Surat Perintah", "Order"),  # ... one the receiver has: its own name
    ({"id": "  ", "en": 5}, None, "LPJ", "LPJ"),  # names that are no names are not kept
])
def test_a_received_letters_type_is_named_by_what_the_sender_sent(app, make_tenant, sent, receivers_types,
                                                                 shown_id, shown_en):
    """The receiver names the type from the post, never from the sender's settings (which here
    call LPJ something else): an old post without names is still named, by the receiver's own type
    of that code or the code."""
    from ..crossing import type_name
    from ..settings import DEFAULT_TYPES

    sender, _ = make_tenant({"letter_types": [DEFAULT_TYPES[0], {"code": "LPJ", "name_id": "Nama Di Pengirim",
                                                                  "name_en": "Sender's name", "layout": "surat"}]})
    own = [DEFAULT_TYPES[0]] + ([{"code": "LPJ", "name_id": receivers_types, "name_en": "Order", "layout": "surat"}]
                                if receivers_types else [])
    tenant, _ = make_tenant({"letter_types": own})
    origin = {"id": sender.id, "slug": sender.slug, "name": sender.name}
    event = dict(letter_event([]), from_tenant=origin, message=f"{sender.id}:10")
    event["payload"] = dict(event["payload"], letter_type="LPJ", **({"letter_type_name": sent} if sent else {}))
    with app.app_context(), tenant_scope(tenant):
        receive(tenant, Actor.system(f"tenant-post:{sender.slug}", tenant), event)
        letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == f"{sender.id}:10")).scalar_one()
        assert (type_name(tenant, letter), type_name(tenant, letter, indonesian=False)) == (shown_id, shown_en)
        db.session.rollback()


@pytest.mark.parametrize("sent, filed_under", [
    ("000.8.3.3", "000.8.3.3"),  # a code the receiver knows
    ("000.8.3.3.99", "000.8.3.3"),  # one it does not: under the nearest code above it that it knows
    ("-", None), ("abc", None),  # no code: not filed
])
def test_a_received_letter_is_filed_by_its_classification(receiver, sent, filed_under):
    from ..models import Dossier, Filing

    tenant, actor = receiver
    event = letter_event([])
    event["payload"] = dict(event["payload"], classification=sent)
    receive(tenant, actor, event)
    letter = db.session.execute(db.select(Letter).where(Letter.origin_ref == "999:10")).scalar_one()
    dossier = db.session.execute(db.select(Dossier).join(Filing, Filing.dossier_id == Dossier.id)
                                 .where(Filing.letter_id == letter.id)).scalar_one_or_none()
    assert (dossier.classification if dossier else None) == filed_under
    assert dossier is None or dossier.code == f"{filed_under}/{letter.unit_code}/{letter.year}"

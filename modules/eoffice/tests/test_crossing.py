"""Letters to another tenant of the deployment (issue 14.5): a city writes to its province through
the core's post between tenants (outbox), on SQLite and PostgreSQL (Row Level Security on). The
province gets its own incoming letter in its receiving unit's inbox; the city sees only the post's
state; both sides audited; a post delivered twice makes one letter; bad addressees refused."""
from hashlib import sha256

import pytest

from core.kit import ValidationError, db, documents, storage, tenant_scope

from ..attachments import of
from ..crossing import delivery_states, receive
from ..delivery import send
from ..demo import scan_pdf
from ..models import Letter
from ..queries import inbox, recipients
from ..access import who
from .conftest import actor_of
from .helpers import draft, signed

ATTACHED = scan_pdf(["Daftar hadir"])  # a PDF that opens (attachments.opens)
PROVINCE_AGENCIES = [{"code": "BAPPEDA", "name": "Badan Perencanaan Pembangunan Daerah"},
                     {"code": "SETDA", "name": "Sekretariat Daerah Provinsi"}]


@pytest.fixture
def province(app, create_tenant, create_user):
    tenant = create_tenant(kind="province", name="Provinsi Sulawesi Selatan", agencies=PROVINCE_AGENCIES,
                           modules={"eoffice": {"incoming_unit": "SETDA"}})
    return tenant, create_user(tenant, "officer", agency="SETDA"), create_user(tenant, "officer", agency="BAPPEDA")


def test_a_letter_to_the_province_arrives_in_its_own_inbox(app_ctx, office, province, audit_entries):
    city, people = office
    prov, setda, bappeda = province
    with tenant_scope(city):
        letter = signed(city, people, to_units=[], to_tenants=[prov.slug], attachments=[("daftar hadir.pdf", ATTACHED)])
        send(city, actor_of(city, people.drafter), letter.id)
        db.session.commit()  # the post is delivered after this commit (the queue runs at once in tests)
        rows = recipients(city, letter)
        assert [r.tenant_slug for r in rows if r.kind == "to"] == [prov.slug]
        assert list(delivery_states(city, rows).values()) == ["sent"]  # the letter and its attachment
        assert [len(r.attachment_posts) for r in rows if r.tenant_slug] == [1]
        sent_pdf = storage().get(documents.find(city, letter.document_code).storage_key, tenant=city)
        number, verify_url = letter.number, documents.verification_url(city, letter.document_code)
        # the city holds no incoming letter of the province's: only its own
        assert db.session.execute(db.select(Letter.id).where(Letter.origin_tenant.is_not(None))).all() == []
        db.session.rollback()
    with tenant_scope(prov):
        page = inbox(prov, who(prov, actor_of(prov, setda)))
        assert [(row[0].origin_number, row[0].subject, row[1]) for row in page.rows] == \
               [(number, "Undangan rapat koordinasi kebersihan", True)]
        incoming = page.rows[0][0]
        assert incoming.origin_tenant == city.slug and incoming.number is None and incoming.unit_code == "SETDA"
        assert incoming.origin_verify_url == verify_url
        assert incoming.origin_type_name == {"id": "Surat Biasa", "en": "Letter"}  # sent with it, both languages
        assert storage().get(incoming.origin_pdf_key, tenant=prov) == sent_pdf
        assert inbox(prov, who(prov, actor_of(prov, bappeda))).rows == []  # another unit of the province
        # the attachment came in a post of its own, into the province's own storage, checksum kept
        (copy,) = of(prov, incoming)
        assert (copy.filename, copy.size, copy.sha256) == ("daftar hadir.pdf", len(ATTACHED), sha256(ATTACHED).hexdigest())
        assert copy.storage_key.startswith(f"t{prov.id}/") and storage().get(copy.storage_key, tenant=prov) == ATTACHED
        assert incoming.origin_attachments == [{"n": 1, "filename": "daftar hadir.pdf", "size": len(ATTACHED),
                                                "sha256": copy.sha256}]
        db.session.rollback()
    assert [e["action"] for e in audit_entries(city, "eoffice.letter.post")] == ["eoffice.letter.post"]
    (posted,) = audit_entries(city, "eoffice.attachment.post")
    assert posted["summary"]["after"]["files"] == [{"filename": "daftar hadir.pdf", "size": len(ATTACHED),
                                         "sha256": sha256(ATTACHED).hexdigest()}]
    got = audit_entries(prov, "eoffice.letter.receive")
    assert len(got) == 1 and got[0]["actor"].startswith("tenant-post:")
    (stored,) = audit_entries(prov, "eoffice.attachment.receive")
    assert stored["summary"]["after"]["sha256"] == sha256(ATTACHED).hexdigest() and stored["actor"].startswith("tenant-post:")


def test_a_post_delivered_twice_makes_one_letter_and_script_is_dropped(app_ctx, province):
    prov, setda, _ = province
    pdf = b"%PDF-1.7\n%test\n"
    import base64

    event = {"name": "eoffice.letter", "from_tenant": {"id": 999, "slug": "kota-x", "name": "Kota X"},
             "message": "999:1", "payload": {"number": "000.1/1/X", "subject": "Surat", "unit_name": "Dinas X",
                                             "body_html": "<p>Isi</p><script>alert(1)</script>",
                                             "pdf": base64.b64encode(pdf).decode()}}
    from core.kit import Actor

    actor = Actor.system("tenant-post:kota-x", prov)
    with tenant_scope(prov):
        assert receive(prov, actor, event) == {"accepted": "received"}
        assert receive(prov, actor, event) == {"accepted": "received"}
        db.session.commit()
        letters = db.session.execute(db.select(Letter).where(Letter.origin_ref == "999:1")).scalars().all()
        assert len(letters) == 1 and "script" not in letters[0].body_html and letters[0].body_html == "<p>Isi</p>"
        with pytest.raises(ValidationError) as error:
            receive(prov, actor, {**event, "message": "999:2", "payload": {**event["payload"], "pdf": "bm90IGEgcGRm"}})
        assert error.value.code == "bad_letter"
        db.session.rollback()


def test_bad_addressees_of_other_tenants_are_refused(app_ctx, office, create_tenant):
    city, people = office
    plain = create_tenant(name="Kabupaten Tanpa E-office")
    from ..drafting import save_draft

    with tenant_scope(city):
        for slugs, code in ((["tidak-ada"], "no_such_tenant"), ([city.slug], "same_tenant"),
                            ([plain.slug], "not_receiving")):
            with pytest.raises(ValidationError) as error:
                save_draft(city, actor_of(city, people.drafter), draft(to_units=[], to_tenants=slugs))
            assert (error.value.code, error.value.where) == (code, "to_tenants")
            db.session.rollback()
        assert db.session.execute(db.select(Letter.id)).all() == []


def test_a_copy_to_the_province_arrives_there_as_a_copy(app_ctx, office, province, audit_entries):
    """Tembusan to another government: delivered like a letter, filed there as a copy (its
    receiving unit's row is ``cc``), the sender's audit says it was a copy; a bad slug among the
    copies is named on ``cc_tenants``."""
    from ..drafting import save_draft
    from ..models import Recipient

    city, people = office
    prov = province[0]
    with tenant_scope(city):
        with pytest.raises(ValidationError) as error:
            save_draft(city, actor_of(city, people.drafter), draft(cc_tenants=["tidak-ada"]))
        assert (error.value.where, error.value.code) == ("cc_tenants", "no_such_tenant")
        db.session.rollback()
        letter = signed(city, people, cc_tenants=[prov.slug])  # to PU of the city, a copy to the province
        send(city, actor_of(city, people.drafter), letter.id)
        db.session.commit()
        rows = recipients(city, letter)
        assert [(r.kind, r.tenant_slug) for r in rows if r.tenant_slug] == [("cc", prov.slug)]
        assert list(delivery_states(city, rows).values()) == ["sent"]
        db.session.rollback()
    with tenant_scope(prov):
        incoming = db.session.execute(db.select(Letter).where(Letter.origin_tenant == city.slug)).scalar_one()
        rows = db.session.execute(db.select(Recipient).where(Recipient.letter_id == incoming.id)
                                  .order_by(Recipient.id)).scalars().all()
        assert [(r.kind, r.unit_code) for r in rows] == [("cc", "SETDA"), ("to", None)]  # its main addressee named
        assert rows[1].name == f"Dinas Pekerjaan Umum · {city.name}"
        db.session.rollback()
    (posted,) = audit_entries(city, "eoffice.letter.post")
    assert posted["summary"]["after"]["copy"] is True

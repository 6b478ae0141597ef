"""Registering an incoming letter that came on paper or by e-mail (agenda surat masuk): it reaches
the unit's inbox unread (the registrar's own look does not count), its head is told, it is filed
and disposed like any incoming letter; bad input names every field at once and writes nothing."""
from datetime import date, timedelta

import pytest

from core.kit import ValidationError, db, local_date, storage, utcnow

from .. import stored
from ..access import who
from ..delivery import dispose, mark_read
from ..demo import scan_pdf
from ..models import Filing, Letter
from ..queries import inbox, outgoing
from ..register import Incoming, register
from .conftest import actor_of
from .test_pages import csrf, url

SCAN = scan_pdf(["PT Sinar Makassar"])  # a PDF that opens (attachments.opens)


def incoming(**over) -> Incoming:
    values = dict(unit="DLH", sender="PT Sinar Makassar", sender_number="012/SM/XI/2026",
                  subject="Permohonan izin pengangkutan sampah", letter_date=date(2026, 11, 27), letter_type="SB",
                  classification="000.8.3.3", security="biasa", scan=("surat.pdf", SCAN))
    values.update(over)
    return Incoming(**values)


def test_a_registered_letter_reaches_the_inbox_unread_is_filed_and_disposed(scoped, audit_entries, outbox):
    tenant, people = scoped
    registrar = actor_of(tenant, people.drafter)
    letter = register(tenant, registrar, incoming())
    db.session.commit()
    assert (letter.status, letter.origin_number, letter.origin_date, letter.incoming) == \
           ("sent", "012/SM/XI/2026", date(2026, 11, 27), True)
    assert storage().get(letter.origin_pdf_key, tenant=tenant) == SCAN
    assert mark_read(tenant, registrar, letter) == 0  # the registrar's look is not the unit's reading
    head = who(tenant, actor_of(tenant, people.kadis))
    assert [(row.id, unread) for row, unread in inbox(tenant, head).rows] == [(letter.id, True)]
    for q in ("Sinar", "012/SM", "izin pengangkutan"):  # by its sender, the sender's number, its subject
        assert [row.id for row, _ in inbox(tenant, head, q).rows] == [letter.id], q
    assert inbox(tenant, head, "Tidak Ada").rows == []
    assert letter.id not in [row.id for row in outgoing(tenant, who(tenant, registrar)).rows]  # not the unit's own
    assert [m for m in outbox(tenant, "email") if "012/SM/XI/2026" in m["subject"]]  # the head is told
    assert db.session.execute(db.select(Filing.id).where(Filing.letter_id == letter.id)).first()
    row = dispose(tenant, actor_of(tenant, people.kadis), letter.id, actor_of(tenant, people.sekdis).user.id,
                  "Telaah dan siapkan jawaban")
    db.session.commit()
    assert row.parent_id is None and row.letter_id == letter.id
    (entry,) = audit_entries(tenant, "eoffice.letter.register")
    assert entry["summary"]["after"]["sender"] == "PT Sinar Makassar" and entry["summary"]["after"]["unit"] == "DLH"


def test_bad_input_names_every_field_and_writes_nothing(scoped, monkeypatch):
    tenant, people = scoped
    keys, put = [], stored.put
    monkeypatch.setattr(stored, "put", lambda *a, **k: keys.append(put(*a, **k)) or keys[-1])
    tomorrow = local_date(tenant, utcnow()) + timedelta(days=1)
    bad = incoming(unit="PU", sender=" ", letter_date=tomorrow, subject="", classification="999.9",
                   letter_type="XX", security="umum", scan=("foto.pdf", b"GIF89a"))
    with pytest.raises(ValidationError) as error:
        register(tenant, actor_of(tenant, people.drafter), bad)
    assert sorted((e.where, e.code) for e in error.value.all) == [
        ("classification", "unknown_classification"), ("letter_date", "future_date"),
        ("letter_type", "unknown_letter_type"), ("scan", "not_pdf"), ("security", "validation_error"),
        ("sender", "required"), ("subject", "required"), ("unit", "validation_error")]
    with pytest.raises(ValidationError) as error:  # no scan at all
        register(tenant, actor_of(tenant, people.drafter), incoming(scan=None, letter_date=None))
    assert sorted(e.where for e in error.value.all) == ["letter_date", "scan"]
    db.session.rollback()
    assert db.session.execute(db.select(Letter.id)).all() == [] and keys == []


def test_registering_over_http(app, client, office, login):
    tenant, people = office
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, "incoming/new")).get_data(as_text=True)
    assert 'name="scan"' in page and 'href="/t/%s/eoffice/incoming/new"' % tenant.slug in page
    form = {"csrf_token": csrf(page), "unit": "DLH", "sender": "", "sender_number": "", "letter_date": "2099-01-01",
            "subject": "", "letter_type": "SB", "classification": "000.8.3.3", "security": "biasa"}
    response = client.post(url(tenant, "incoming/new"), data=form, content_type="multipart/form-data")
    summary = response.get_data(as_text=True).split('id="error-summary"')[1].split("</ul>")[0]
    assert response.status_code == 400
    assert all(f'href="#{name}"' in summary for name in ("sender", "letter_date", "subject", "scan")), summary
    from io import BytesIO

    form.update(sender="Kecamatan Tamalate", subject="Laporan kebersihan pasar", letter_date="2026-11-27",
                scan=(BytesIO(SCAN), "laporan.pdf"))
    response = client.post(url(tenant, "incoming/new"), data=form, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    inbox_page = client.get(url(tenant, "inbox")).get_data(as_text=True)  # no number of its own: said so, not "Terkirim"
    assert "tanpa nomor · Kecamatan Tamalate" in inbox_page and "Terkirim · Kecamatan" not in inbox_page
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<dd id="letter-origin">Kecamatan Tamalate</dd>' in page and 'id="letter-date">27 November 2026<' in page
    assert "Surat hasil pindai" in page and "Dicatat sebagai surat masuk" in page.split('id="timeline"')[1]
    assert client.get(url(tenant, page.split('id="letter-pdf"')[0].rsplit('href="', 1)[1].split('"')[0]
                          .split("/eoffice/")[1])).data == SCAN


def test_without_a_setda_the_receiving_units_head_disposes_only_in_his_agency(scoped):
    """The letter lands at the receiving unit (here DLH, the first agency by code); this tenant
    names no Sekda, so DLH is no Setda: its head is one head among peers and disposes down in DLH
    only (trial of e-office: Bandung's and Tangerang's DLH head disposed to the other heads). The
    Setda's case (Makassar): test_trial_t14e."""
    tenant, people = scoped
    letter = register(tenant, actor_of(tenant, people.drafter), incoming())
    db.session.commit()
    kadis_pu = actor_of(tenant, people.kadis_pu).user.id
    for by in (people.kadis, people.sekdis):
        with pytest.raises(ValidationError) as error:
            dispose(tenant, actor_of(tenant, by), letter.id, kadis_pu, "Tangani")
        assert (error.value.where, error.value.code) == ("to", "not_down")
        db.session.rollback()
    row = dispose(tenant, actor_of(tenant, people.kadis), letter.id, actor_of(tenant, people.sekdis).user.id,
                  "Telaah dan siapkan jawaban")
    db.session.commit()
    assert row.parent_id is None and row.to_id == actor_of(tenant, people.sekdis).user.id

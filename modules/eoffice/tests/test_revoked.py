"""A letter whose signed PDF was revoked in the core's register (``pamong documents revoke``, the
admin's *Signed documents*) shows as revoked with its reason, and is distributed no further: not
sent, not disposed, not counted as "signed, not sent"; the refusal changes nothing."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from cli import cli
from core.kit import Actor, ValidationError, db, documents, tenant_scope

from ..access import get_letter, who
from ..delivery import dispose, send
from ..models import SENT, SIGNED
from ..queries import counters
from .conftest import actor_of
from .helpers import signed
from .test_pages import url


def revoke(tenant, letter, reason="Salah alamat tujuan"):
    doc = documents.find(tenant, letter.document_code)
    documents.revoke(tenant, doc, reason, Actor.system("test", tenant))
    db.session.commit()


def test_a_revoked_letter_is_not_sent_and_not_waiting_to_be(scoped, audit_entries, outbox):
    tenant, people = scoped
    letter = signed(tenant, people)
    drafter = actor_of(tenant, people.drafter)
    assert counters(tenant, who(tenant, drafter))["signed_not_sent"] == 1
    revoke(tenant, letter)
    with pytest.raises(ValidationError) as error:
        send(tenant, drafter, letter.id)
    assert error.value.code == "revoked" and "Salah alamat tujuan" in str(error.value.message)
    db.session.rollback()
    again = get_letter(tenant, letter.id)
    assert again.status == SIGNED and again.sent_at is None
    assert audit_entries(tenant, "eoffice.letter.send") == [] and outbox(tenant, "email") == []
    assert counters(tenant, who(tenant, drafter))["signed_not_sent"] == 0


def test_a_letter_revoked_after_sending_is_not_disposed(scoped, audit_entries):
    tenant, people = scoped
    letter = signed(tenant, people)
    send(tenant, actor_of(tenant, people.drafter), letter.id)
    db.session.commit()
    revoke(tenant, letter, "Diganti surat baru")
    head = actor_of(tenant, people.kadis_pu)
    staff = actor_of(tenant, people.staff_pu).user.id
    with pytest.raises(ValidationError) as error:
        dispose(tenant, head, letter.id, staff, "Siapkan bahan")
    assert error.value.code == "revoked"
    db.session.rollback()
    assert get_letter(tenant, letter.id).status == SENT
    assert audit_entries(tenant, "eoffice.disposition.create") == []


def test_the_letter_page_shows_the_revocation_and_refuses_to_send(app, client, office, login, outbox):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter = signed(tenant, people)
        letter_id, code = letter.id, letter.document_code
    # as the trial did it: the core's command
    result = CliRunner().invoke(cli, ["documents", "revoke", tenant.slug, code, "--reason", "Salah alamat tujuan"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    login(client, people.drafter, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    status = re.search(r'id="letter-status">(.*?)</dd>', page, re.S).group(1)
    assert "Dicabut" in status
    assert "Salah alamat tujuan" in re.search(r'id="letter-revoked">(.*?)</dd>', page, re.S).group(1)
    assert 'id="revoked-note"' in page and 'id="send"' not in page
    response = client.post(url(tenant, f"letters/{letter_id}/send"))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "dicabut" in text and "Salah alamat tujuan" in text
    # the revocation is said once (the trial saw it twice: the note and the refusal)
    assert text.count("Salah alamat tujuan") == 1 and text.count('id="revoked-note"') == 1
    assert not re.search(r'role="alert">[^<]*dicabut', text)
    with app.app_context(), tenant_scope(tenant):
        assert get_letter(tenant, letter_id).status == SIGNED
    assert outbox(tenant, "email") == []
    assert re.search(r'id="not-sent">\s*<strong>0</strong>', client.get(url(tenant)).get_data(as_text=True))


def test_the_register_api_says_which_letters_are_revoked(app, client, office, create_token):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        kept = signed(tenant, people, subject="Surat tetap berlaku")
        gone = signed(tenant, people, subject="Surat dicabut")
        revoke(tenant, gone)
        # the core's read: one query for many codes, unknown and malformed codes left out
        assert documents.revoked(tenant, [kept.document_code, gone.document_code, "../x", None, "A" * 30]) == {
            gone.document_code: "Salah alamat tujuan"}
    token = create_token(tenant, "eoffice:read")
    answer = client.get(f"/t/{tenant.slug}/api/v1/eoffice/letters", headers={"Authorization": f"Bearer {token}"})
    assert {row["subject"]: row["revoked"] for row in answer.get_json()["letters"]} == {
        "Surat tetap berlaku": False, "Surat dicabut": True}

"""Trial t14h: a letter from another government whose signed PDF its sender later revoked was still
a letter in (and disposable) at the receiver, which never heard of it. The core's register now
publishes ``document.revoked``; the sender's e-office posts ``eoffice.revoked`` to each government
the letter went to, and the receiver marks its incoming letter revoked (revocation.py)."""
from __future__ import annotations

import re

import pytest

from core.kit import Actor, ValidationError, db, tenant_scope

from ..delivery import dispose, send
from ..figures import per_agency
from ..models import Letter
from ..revocation import receive
from .conftest import actor_of
from .helpers import signed
from .test_crossing import PROVINCE_AGENCIES
from .test_pages import url
from .test_revoked import revoke


@pytest.fixture
def province(create_tenant, create_user):
    """A province whose SETDA receives letters from other governments, and an officer of it."""
    tenant = create_tenant(kind="province", name="Provinsi Sulawesi Selatan", agencies=PROVINCE_AGENCIES,
                           modules={"eoffice": {"incoming_unit": "SETDA"}})
    return tenant, create_user(tenant, "officer", agency="SETDA")


def _in(tenant, code):
    return next(row["in"] for row in per_agency(tenant) if row["code"] == code)


def test_a_letter_its_sender_revoked_is_no_letter_in_at_the_receiver(app, client, office, province, login,
                                                                       audit_entries):
    city, people = office
    prov, setda = province
    with app.app_context(), tenant_scope(city):
        kept = signed(city, people, to_units=[], to_tenants=[prov.slug], subject="Surat tetap berlaku")
        gone = signed(city, people, to_units=["PU"], cc_tenants=[prov.slug], subject="Surat yang dicabut")
        for letter in (kept, gone):
            send(city, actor_of(city, people.drafter), letter.id)
        gone_id = gone.id
        db.session.commit()  # the posts are delivered after this commit (the queue runs at once in tests)
    with app.app_context(), tenant_scope(prov):
        assert _in(prov, "SETDA") == 2
    with app.app_context(), tenant_scope(city):
        revoke(city, db.session.get(Letter, gone_id), "Salah alamat tujuan")  # commits: the post goes
    with app.app_context(), tenant_scope(prov):
        assert _in(prov, "SETDA") == 1
        rows = {row.subject: row for row in db.session.execute(db.select(Letter)).scalars()}
        assert rows["Surat tetap berlaku"].origin_revoked_at is None
        revoked = rows["Surat yang dicabut"]
        assert revoked.origin_revoked_at is not None and revoked.origin_revoked_reason == "Salah alamat tujuan"
        revoked_id = revoked.id
        # it is disposed no further, as the sender's own revoked letter
        with pytest.raises(ValidationError) as error:
            dispose(prov, actor_of(prov, setda), revoked_id, actor_of(prov, setda).user.id, "Siapkan bahan")
        assert error.value.code == "revoked"
        db.session.rollback()
        # delivered twice: nothing changes the second time
        event = {"name": "eoffice.revoked", "from_tenant": {"id": city.id, "slug": city.slug, "name": city.name},
                 "message": "x", "payload": {"letter_post": revoked.origin_ref, "reason": "Lain"}}
        assert receive(prov, Actor.system("test", prov), event) == {"accepted": "revoked"}
        assert db.session.get(Letter, revoked_id).origin_revoked_reason == "Salah alamat tujuan"
        # a post naming another sender's letter is refused for good
        with pytest.raises(ValidationError) as bad:
            receive(prov, Actor.system("test", prov), {**event, "from_tenant": {"id": prov.id, "slug": prov.slug,
                                                                               "name": prov.name}})
        assert bad.value.code == "bad_revocation"
        db.session.rollback()
    (posted,) = audit_entries(city, "eoffice.revocation.post")
    assert posted["summary"]["after"]["to"] == prov.slug
    (told,) = audit_entries(prov, "eoffice.letter.revoked_by_sender")
    assert told["summary"]["after"]["reason"] == "Salah alamat tujuan" and told["actor"].startswith("tenant-post:")
    # the receiver's page and inbox show it revoked, with the sender's reason
    login(client, setda, prov)
    page = client.get(url(prov, f"letters/{revoked_id}")).get_data(as_text=True)
    assert "Dicabut" in re.search(r'id="letter-status">(.*?)</dd>', page, re.S).group(1)
    assert "Salah alamat tujuan" in re.search(r'id="letter-revoked">(.*?)</dd>', page, re.S).group(1)
    inbox = client.get(url(prov, "inbox")).get_data(as_text=True)
    assert inbox.count('eo-badge eo-revoked" title="Salah alamat tujuan"') == 1


def test_a_letter_posted_to_no_other_government_posts_no_revocation(app_ctx, office, audit_entries, outbox):
    tenant, people = office
    with tenant_scope(tenant):
        letter = signed(tenant, people)
        send(tenant, actor_of(tenant, people.drafter), letter.id)
        db.session.commit()
        revoke(tenant, letter)
    assert audit_entries(tenant, "eoffice.revocation.post") == [] and outbox(tenant, "tenant") == []

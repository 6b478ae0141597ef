"""Storing a file and saving its row are one step seen from outside (``stored``): when the
receiver's final save of a letter from another tenant fails (the commit of the outbox worker, after
the handler returned), the files it stored are removed, and the post is tried again; a savepoint
rolled back removes what was stored inside it; a commit keeps the files."""
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from core.kit import db, storage, tenant_post, tenant_scope, utcnow

from .. import stored
from ..attachments import of
from ..crossing import delivery_states
from ..delivery import send
from ..models import Attachment, Letter
from ..queries import recipients
from .conftest import actor_of
from .helpers import signed
from .test_crossing import ATTACHED, province  # noqa: F401 - the province fixture

SAVED_WITH = {"letter": Letter, "attachment": Attachment}


@pytest.mark.parametrize("failing", ["letter", "attachment"])
def test_a_failed_final_save_at_the_receiver_leaves_no_stored_file(app_ctx, office, province, monkeypatch, failing):  # noqa: F811
    city, people = office
    prov = province[0]
    keys, put = [], stored.put  # every file stored by key (the city's attachment and the receiver's files)

    def spy(*args, **kwargs):
        keys.append(put(*args, **kwargs))
        return keys[-1]

    monkeypatch.setattr(stored, "put", spy)

    def fail_commit(session):  # the injected failure: the receiver's commit of the chosen post
        if not any(k.startswith(f"t{prov.id}/") for k in stored.pending(session)):
            return  # not the receiver's save of a post
        kind = SAVED_WITH[failing]
        if session.execute(db.select(kind.id).where(kind.origin_ref.is_not(None))).first():
            raise RuntimeError("injected: the receiver's database went away at commit")

    event.listen(Session, "before_commit", fail_commit)
    try:
        with tenant_scope(city):
            letter = signed(city, people, to_units=[], to_tenants=[prov.slug], attachments=[("lampiran.pdf", ATTACHED)])
            send(city, actor_of(city, people.drafter), letter.id)
            db.session.commit()  # both posts are delivered after this commit; one of the saves fails
    finally:
        event.remove(Session, "before_commit", fail_commit)
    with tenant_scope(city):
        rows = [r for r in recipients(city, letter) if r.tenant_slug]
        assert list(delivery_states(city, rows).values()) == ["pending"]  # to be tried again, not failed
        posts = [rows[0].post_id, *rows[0].attachment_posts]
        states = tenant_post.status(city, posts)
    assert [states[p] for p in posts] == (["pending", "pending"] if failing == "letter" else ["sent", "pending"])
    with tenant_scope(prov):
        incoming = db.session.execute(db.select(Letter)).scalars().all()
        files = db.session.execute(db.select(Attachment)).scalars().all()
        kept = {incoming[0].origin_pdf_key} if incoming else set()
    assert len(incoming) == (0 if failing == "letter" else 1) and files == []
    received = [k for k in keys if k.startswith(f"t{prov.id}/")]
    assert len(received) == (1 if failing == "letter" else 2)  # the letter's PDF, then the attachment
    assert [k for k in received if storage().exists(k, tenant=prov)] == [k for k in received if k in kept]
    assert not stored.pending()

    from core.notify.delivery import deliver  # the outbox tries again later: everything arrives once

    for post in [p for p in posts if states[p] == "pending"]:
        assert deliver(city.id, post, now=utcnow() + timedelta(hours=2)) == "sent"
    with tenant_scope(prov):
        (incoming,) = db.session.execute(db.select(Letter)).scalars().all()
        (copy,) = of(prov, incoming)
        assert storage().get(copy.storage_key, tenant=prov) == ATTACHED
        assert storage().exists(incoming.origin_pdf_key, tenant=prov)
        db.session.rollback()


def test_a_rolled_back_savepoint_removes_its_files_and_a_commit_keeps_the_rest(app_ctx, office):
    tenant, _ = office
    with tenant_scope(tenant):
        kept = stored.put(tenant, b"%PDF-1.7 kept", "a.pdf")
        savepoint = db.session.begin_nested()
        dropped = stored.put(tenant, b"%PDF-1.7 dropped", "b.pdf")
        savepoint.rollback()
        assert not storage().exists(dropped, tenant=tenant) and stored.pending() == [kept]
        db.session.commit()
        assert storage().exists(kept, tenant=tenant) and stored.pending() == []
        lost = stored.put(tenant, b"%PDF-1.7 lost", "c.pdf")
        assert storage().exists(lost, tenant=tenant)
        db.session.rollback()
        assert not storage().exists(lost, tenant=tenant) and storage().exists(kept, tenant=tenant)


def test_other_sessions_of_the_process_are_left_alone(app_ctx, office, monkeypatch):
    """The listeners are registered on every ``Session`` of the process: another module's session
    (its own savepoints, rollbacks and commits) neither removes the files noted here nor gets
    anything of this module in its ``info``, and nothing is deleted for it."""
    tenant, _ = office
    removed = []
    remove = stored._remove
    monkeypatch.setattr(stored, "_remove", lambda entries: (removed.extend(entries), remove(entries)))
    with tenant_scope(tenant):
        noted = stored.put(tenant, b"%PDF-1.7 noted", "a.pdf")
        other = Session(bind=db.engine)  # as another module (or a worker) opens its own
        try:
            other.execute(db.text("SELECT 1"))
            savepoint = other.begin_nested()
            other.execute(db.text("SELECT 1"))
            savepoint.rollback()
            other.rollback()
            other.execute(db.text("SELECT 1"))
            other.commit()
            assert stored._NOTED not in other.info
        finally:
            other.close()
        assert removed == [] and stored.pending() == [noted] and storage().exists(noted, tenant=tenant)
        db.session.commit()
    assert removed == [] and storage().exists(noted, tenant=tenant)

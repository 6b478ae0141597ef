"""Separation of duties (trial finding 8): the drafter of a letter may not give the paraf on it,
even when they hold the verifier's position; refused with a translated message, nothing changed."""
import pytest

from core.kit import ValidationError, approvals, db, tenant_scope

from ..access import get_letter
from ..drafting import save_draft, submit
from ..queries import awaiting_me
from ..access import who
from ..review import verify
from .conftest import actor_of
from .helpers import draft
from .test_pages import new_letter, url


def _own_letter(tenant, people):
    """The secretary drafts a letter whose only verifier is the secretary's own position."""
    author = actor_of(tenant, people.sekdis)
    letter = save_draft(tenant, author, draft(verifiers=["SEK-DLH"]))
    db.session.commit()
    submit(tenant, author, letter.id)
    db.session.commit()
    return letter.id


def _verifications(audit_entries, tenant):
    return [e for e in audit_entries(tenant) if e["action"] == "eoffice.letter.verify"]


def test_the_drafter_cannot_paraf_their_own_letter(app, scoped, audit_entries):
    tenant, people = scoped
    letter_id = _own_letter(tenant, people)
    before = get_letter(tenant, letter_id).updated_at
    with pytest.raises(ValidationError) as refused:
        verify(tenant, actor_of(tenant, people.sekdis), letter_id, 0)
    assert refused.value.code == "own_draft"
    db.session.rollback()
    letter = get_letter(tenant, letter_id)
    chain = approvals.get_chain(tenant, "eoffice", "letter", letter.chain_id)
    assert letter.status == "review" and letter.updated_at == before
    assert approvals.awaiting(tenant, chain)["index"] == 0  # still waiting for the paraf
    assert not _verifications(audit_entries, tenant)
    # not in their "to verify" list either
    to_verify, _ = awaiting_me(tenant, who(tenant, actor_of(tenant, people.sekdis)))
    assert letter_id not in [row.id for row in to_verify]


def test_another_holder_of_the_position_still_gives_it(app, scoped, audit_entries):
    from core.kit import assign_holder, find_position

    tenant, people = scoped
    letter_id = _own_letter(tenant, people)
    assign_holder(tenant, find_position(tenant, "SEK-DLH"), people.kabid, "test")  # a second holder
    db.session.commit()
    verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
    db.session.commit()
    assert len(_verifications(audit_entries, tenant)) == 1


@pytest.mark.parametrize("language, words", [
    ("id", "Anda menyusun naskah ini"), ("en", "You drafted this letter, so you may not give it your paraf"),
])
def test_the_page_refuses_with_a_translated_message(app, client, office, login, language, words):
    tenant, people = office
    login(client, people.sekdis, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={language}")
    letter_id = new_letter(client, tenant)  # verifier_1: SEK-DLH, the secretary's own position
    assert client.post(url(tenant, f"letters/{letter_id}/submit")).status_code == 302
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert 'id="own-draft"' in page and words in page and 'id="verify"' not in page
    response = client.post(url(tenant, f"letters/{letter_id}/verify"), data={"step": 0})
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    with app.app_context(), tenant_scope(tenant):
        letter = get_letter(tenant, letter_id)
        chain = approvals.get_chain(tenant, "eoffice", "letter", letter.chain_id)
        assert letter.status == "review" and approvals.awaiting(tenant, chain)["index"] == 0

"""A draft its drafter gives up is withdrawn, not deleted: kept with its reason, audited, and
nothing more happens to it (no review, no edit, no number)."""
import pytest

from core.kit import ValidationError, db

from ..drafting import save_draft, submit, withdraw
from ..models import Event
from ..review import return_letter
from .conftest import actor_of
from .helpers import draft, drafted, submitted
from .test_pages import csrf, url


def test_the_drafter_withdraws_a_draft_with_a_reason(scoped, audit_entries):
    tenant, people = scoped
    letter_id = drafted(tenant, people)
    me = actor_of(tenant, people.drafter)
    for who, reason, code in ((people.kabid, "Tidak jadi", "not_drafter"), (people.drafter, "  ", None)):
        with pytest.raises(ValidationError) as error:
            withdraw(tenant, actor_of(tenant, who), letter_id, reason)
        assert error.value.code == code if code else error.value.where == "reason"
        db.session.rollback()
    letter = withdraw(tenant, me, letter_id, "Rapat dibatalkan oleh Sekretariat Daerah")
    db.session.commit()
    assert letter.status == "withdrawn" and letter.number is None
    for act in (lambda: submit(tenant, me, letter_id), lambda: save_draft(tenant, me, draft(), letter_id),
                lambda: withdraw(tenant, me, letter_id, "Lagi")):
        with pytest.raises(ValidationError):
            act()
        db.session.rollback()
    notes = db.session.execute(db.select(Event.note).where(Event.letter_id == letter_id, Event.action == "withdrawn"))
    assert notes.scalars().all() == ["Rapat dibatalkan oleh Sekretariat Daerah"]
    (entry,) = audit_entries(tenant, "eoffice.letter.withdraw")
    assert entry["summary"]["after"]["reason"] == "Rapat dibatalkan oleh Sekretariat Daerah"


def test_only_a_draft_is_withdrawn_and_a_returned_one_is_a_draft(scoped):
    tenant, people = scoped
    letter_id = submitted(tenant, people)
    me = actor_of(tenant, people.drafter)
    with pytest.raises(ValidationError) as error:  # in review: the chain decides, not the drafter alone
        withdraw(tenant, me, letter_id, "Tidak jadi")
    assert error.value.code == "not_draft"
    db.session.rollback()
    return_letter(tenant, actor_of(tenant, people.kabid), letter_id, 0, "Dasar hukumnya kurang")
    db.session.commit()
    assert withdraw(tenant, me, letter_id, "Diganti surat lain").status == "withdrawn"
    db.session.commit()


def test_withdrawing_over_http(client, office, login):
    tenant, people = office
    from .test_pages import new_letter

    login(client, people.drafter, tenant)
    letter_id = new_letter(client, tenant)
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    refused = client.post(url(tenant, f"letters/{letter_id}/withdraw"), data={"csrf_token": csrf(page), "reason": ""})
    assert refused.status_code == 400 and "Sebutkan alasan" in refused.get_data(as_text=True)
    done = client.post(url(tenant, f"letters/{letter_id}/withdraw"), data={"reason": "Tidak diperlukan lagi"})
    assert done.status_code == 302
    page = client.get(url(tenant, f"letters/{letter_id}")).get_data(as_text=True)
    assert '<dd id="letter-status">Dibatalkan</dd>' in page and 'id="withdraw"' not in page
    assert "Tidak diperlukan lagi" in page.split('id="timeline"')[1]

"""Signing in two transactions (issue 14.3 and the benchmark): the number is taken and committed
first; a signature that fails leaves the letter numbered with its number (never given back, never
skipped), and finishing it later (the page, the periodic job) keeps that number."""
from datetime import timedelta

import pytest

from core.kit import PamongError, db, documents, tenant_scope, utcnow

from ..access import get_letter
from ..jobs import finish_signatures
from ..review import finish_signing, sign
from .conftest import actor_of
from .helpers import signed, verified


class DownSigner(documents.Signer):
    """A signer service that is down (BSrE unreachable)."""

    kind = "bsre"

    def sign(self, pdf, *, reason="", location=""):
        raise documents.SigningError("the signing service did not answer", code="signer_unreachable")


def test_a_failed_signature_keeps_the_number_and_finishing_keeps_it(scoped):
    tenant, people = scoped
    letter_id = verified(tenant, people)
    with pytest.raises(documents.SigningError):
        sign(tenant, actor_of(tenant, people.kadis), letter_id, 2, signer=DownSigner())
    letter = get_letter(tenant, letter_id)
    assert (letter.status, letter.number, letter.document_code) == ("numbered", "000.8.3.3/1/DLH", None)
    # the next letter takes the next number: the first one's stays with it
    assert signed(tenant, people, subject="Berikutnya").number == "000.8.3.3/2/DLH"
    # signing again is refused (the number is taken); finishing completes it with its own number
    with pytest.raises(PamongError) as error:
        sign(tenant, actor_of(tenant, people.kadis), letter_id, 2)
    assert error.value.code == "already_signed"
    with pytest.raises(PamongError) as error:
        finish_signing(tenant, actor_of(tenant, people.outsider), letter_id)
    assert error.value.code == "not_signer"
    db.session.rollback()
    letter = finish_signing(tenant, actor_of(tenant, people.kadis), letter_id)
    db.session.commit()
    assert (letter.status, letter.number) == ("signed", "000.8.3.3/1/DLH")
    assert documents.find(tenant, letter.document_code).number == "000.8.3.3/1/DLH"
    with pytest.raises(PamongError) as error:
        finish_signing(tenant, actor_of(tenant, people.kadis), letter_id)
    assert error.value.code == "already_signed"
    db.session.rollback()


def test_the_periodic_job_finishes_numbered_letters_after_the_grace(app_ctx, office):
    tenant, people = office
    with tenant_scope(tenant):
        letter_id = verified(tenant, people)
        with pytest.raises(documents.SigningError):
            sign(tenant, actor_of(tenant, people.kadis), letter_id, 2, signer=DownSigner())
    assert finish_signatures(tenant, signer=DownSigner(), now=utcnow() + timedelta(minutes=5)) == []
    assert finish_signatures(tenant) == []  # within the grace: its own request may still be finishing
    assert finish_signatures(tenant, now=utcnow() + timedelta(minutes=5)) == [letter_id]
    with tenant_scope(tenant):
        letter = get_letter(tenant, letter_id)
        assert (letter.status, letter.number) == ("signed", "000.8.3.3/1/DLH") and letter.document_code
        db.session.rollback()

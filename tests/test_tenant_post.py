"""Posts between tenants (core/notify/tenant_post.py): an outbox row of the sender, delivered to
the receiver's modules in the receiver's scope; refused addressees; a receiver whose modules take
nothing makes the post fail for good (the sender sees 'failed'), nothing written there."""
import pytest

from core.errors import ValidationError
from core.extensions import db
from core.kit import tenant_post, tenant_scope
from core.notify import FAILED, OutboxMessage


def test_unknown_and_own_addressees_are_refused(app_ctx, create_tenant):
    city = create_tenant()
    with tenant_scope(city):
        for slug, code in (("tidak-ada", "no_such_tenant"), (city.slug, "same_tenant")):
            with pytest.raises(ValidationError) as error:
                tenant_post.post(city, slug, "x.letter", {"a": 1})
            assert error.value.code == code
        db.session.rollback()
        assert db.session.execute(db.select(OutboxMessage.id)).all() == []


def test_a_post_no_module_takes_fails_for_good(app_ctx, create_tenant):
    city, province = create_tenant(), create_tenant(kind="province")
    with tenant_scope(city):
        message = tenant_post.post(city, province.slug, "nobody.takes.this", {"subject": "Halo"}, ref="t:1")
        message_id = message.id
        assert message.channel == "tenant" and message.recipient == province.slug
        db.session.commit()  # delivered after the commit (the queue runs at once in tests)
        assert tenant_post.status(city, [message_id]) == {message_id: FAILED}
        row = db.session.get(OutboxMessage, message_id)
        assert "not accepted" in row.last_error and row.attempts == 1
        db.session.rollback()

"""The e-office figures write their averages as the reader's language does (trial finding 1):
"4,0" hours in Indonesian, "4.0" in English."""
import pytest

from core.kit import db, tenant_scope

from ..review import sign, verify
from .conftest import actor_of
from .helpers import submitted


@pytest.mark.parametrize("language, hours", [("id", "4,0"), ("en", "4.0")])
def test_average_hours_to_sign_in_the_readers_language(app, client, office, login, frozen_clock, language, hours):
    tenant, people = office
    with app.app_context(), tenant_scope(tenant):
        letter_id = submitted(tenant, people)
        frozen_clock.advance(hours=4)
        verify(tenant, actor_of(tenant, people.kabid), letter_id, 0)
        verify(tenant, actor_of(tenant, people.sekdis), letter_id, 1)
        sign(tenant, actor_of(tenant, people.kadis), letter_id, 2)
        db.session.commit()
    login(client, people.auditor, tenant)
    client.get(f"/t/{tenant.slug}/lang?locale={language}")
    page = client.get(f"/t/{tenant.slug}/eoffice/figures").get_data(as_text=True)
    assert f'<dd class="eo-num avg-hours">{hours}</dd>' in page

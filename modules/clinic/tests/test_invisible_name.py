"""A patient's name typed with U+202E RIGHT-TO-LEFT OVERRIDE (a trial: it was kept as typed and showed
reversed) reaches the database without it: the core's intake cleaning (core/text.py) removes the
bidirectional controls and invisible format characters from every form."""
import pytest

from core.kit import db, tenant_scope

from ..models import Patient
from .fixtures import SETTINGS
from .test_pages import register


@pytest.fixture
def tenant(app, create_tenant, frozen_clock):
    with app.app_context():
        return create_tenant(modules={"clinic": SETTINGS}, locales=["id", "en"])


def test_the_registration_form_stores_the_name_without_the_override(app, client, tenant):
    response = register(client, tenant, name="Andi \u202enamlaS\u202c\u200b")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Patient.name)).scalars().all() == ["Andi namlaS"]

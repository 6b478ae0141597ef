"""Fixtures of the smart card tests: a tenant with merchants, a terminal with its token."""
import pytest

from core.kit import db, tenant_scope, token_for
from core.tenant_secrets import env_name
from core.testing import unique

from .. import services
from .helpers import CARD, SECRETS, SETTINGS, system


@pytest.fixture
def create_tenant(create_tenant, monkeypatch):
    """The core's ``create_tenant``, with the tenant's callback secrets set in its namespace."""
    def make(slug=None, **fields):
        slug = slug or unique("tn")
        for name, value in SECRETS.items():
            monkeypatch.setenv(env_name(slug, name), value)
        return create_tenant(slug=slug, **fields)

    return make


@pytest.fixture
def sc_tenant(app, create_tenant):
    return create_tenant(modules={"smartcard": SETTINGS})


@pytest.fixture
def terminal(app, sc_tenant, create_token):
    """Headers of a terminal of 'parkir-losari' (a card 6032981000000001 holds Rp100,000)."""
    def make(merchant="parkir-losari", code="T1", topup=100_000, tenant=None):
        tenant = tenant or sc_tenant
        token = create_token(tenant, "smartcard:terminal")
        with app.app_context():
            with tenant_scope(tenant):
                name = token_for(tenant, token).name
            services.register_terminal(tenant, system(tenant), code, merchant, name)
            try:
                services.find_card(tenant, CARD)
            except services.CardError:
                services.issue_card(tenant, system(tenant), CARD)
                if topup:
                    services.top_up(tenant, system(tenant), "seed", CARD, topup)
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}
    return make

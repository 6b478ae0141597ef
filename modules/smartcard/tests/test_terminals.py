"""Registering a terminal on the web (smartcard.terminals, admins): the token made on the core's API
tokens page, the terminal registered under its name, then paying with it; bad input shows the
form again, 400; deactivating stops its answers."""
from core.kit import db, tenant_scope

from .. import services
from ..models import Terminal
from .helpers import CARD, SETTINGS, system


def test_an_admin_registers_a_terminal_that_then_pays(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    login(client, create_user(tenant, role="admin"), tenant)
    base = f"/t/{tenant.slug}"
    made = client.post(f"{base}/admin/tokens", data={"name": "gate-7", "scope": ["smartcard:terminal"]})
    assert made.status_code == 200
    token = next(w for w in made.get_data(as_text=True).replace("<", " ").replace(">", " ").split() if w.startswith("pmg_"))
    assert client.get(f"{base}/smartcard/terminals").status_code == 200
    done = client.post(f"{base}/smartcard/terminals", data={"code": "GATE-7", "merchant": "parkir-losari",
                                                           "token_name": "gate-7"})
    assert done.status_code == 302
    with app.app_context():
        services.issue_card(tenant, system(tenant), CARD)
        services.top_up(tenant, system(tenant), "bri-1", CARD, 10_000)
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": '"k1"'}
    paid = client.post(f"{base}/api/v1/smartcard/payments", json={"id": "p1", "card": CARD, "amount": 2_000},
                       headers=headers)
    assert paid.status_code == 201 and paid.get_json()["balance"]["available"] == 8_000
    off = client.post(f"{base}/smartcard/terminals/GATE-7/deactivate")
    assert off.status_code == 302
    again = client.post(f"{base}/api/v1/smartcard/payments", json={"id": "p2", "card": CARD, "amount": 2_000},
                        headers=dict(headers, **{"Idempotency-Key": '"k2"'}))
    assert again.status_code == 403 and again.get_json()["error"]["code"] == "terminal_unknown"
    assert client.post(f"{base}/smartcard/terminals/GATE-7/deactivate").status_code == 404


def _tokens(app, tenant, **named):
    """Tokens of ``tenant`` by name -> scopes (the core's API tokens, as the admin's page makes them)."""
    from core.auth.service import create_token

    with app.app_context():
        for name, scopes in named.items():
            create_token(db.session.get(type(tenant), tenant.id), name, scopes, "test")
        db.session.commit()


def test_bad_terminal_input_shows_the_form_again(app, client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    login(client, create_user(tenant, role="admin"), tenant)
    _tokens(app, tenant, **{"t-1": ["smartcard:terminal"], "t-2": ["smartcard:terminal"],
                            "t-3": ["smartcard:terminal"], "reader": ["tenant:read"]})
    url = f"/t/{tenant.slug}/smartcard/terminals"
    assert client.post(url, data={"code": "T1", "merchant": "parkir-losari", "token_name": "t-1"}).status_code == 302
    for data, field in (({"code": "bad code!", "merchant": "parkir-losari", "token_name": "t-2"}, "code"),
                        ({"code": "T2", "merchant": "nope", "token_name": "t-2"}, "merchant"),
                        ({"code": "T1", "merchant": "parkir-losari", "token_name": "t-3"}, "code"),
                        ({"code": "T3", "merchant": "parkir-losari", "token_name": ""}, "token_name"),
                        # no such token, and a token that could never call the terminal API (trial finding)
                        ({"code": "T4", "merchant": "parkir-losari", "token_name": "no-such-token"}, "token_name"),
                        ({"code": "T5", "merchant": "parkir-losari", "token_name": "reader"}, "token_name")):
        page = client.post(url, data=data)
        html = page.get_data(as_text=True)
        assert page.status_code == 400 and 'id="error-summary"' in html and f'id="{field}-err"' in html, data
    with app.app_context(), tenant_scope(tenant):
        assert db.session.execute(db.select(Terminal.code)).scalars().all() == ["T1"]


def test_terminals_are_for_admins(client, create_tenant, create_user, login):
    tenant = create_tenant(modules={"smartcard": SETTINGS})
    login(client, create_user(tenant, role="officer", agency="DLH"), tenant)
    url = f"/t/{tenant.slug}/smartcard/terminals"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"code": "T1", "merchant": "parkir-losari", "token_name": "t"}).status_code == 403

"""The permit types on the admin's pages (the core's form generated from this module's schema,
``/admin/modules/permits/settings``): the types as rows, a fee formula that does not parse and a
position that does not exist shown on their fields with nothing saved, a good change saved."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from core.kit import db, tenant_scope

from .conftest import SETTINGS


def _url(tenant):
    return f"/t/{tenant.slug}/admin/modules/permits/settings"


def _form(app, **changes) -> MultiDict:
    from core.admin.settings_form import as_form

    from ..settings import SCHEMA

    with app.test_request_context():
        data = MultiDict(as_form(SCHEMA, SETTINGS))
    for name, value in changes.items():
        data.setlist(name, [value])
    return data


def _stored(app, tenant) -> dict:
    from core.tenancy.models import TenantModule

    with app.app_context(), tenant_scope(tenant):
        return dict(db.session.execute(db.select(TenantModule).where(TenantModule.module == "permits")).scalar_one()
                    .settings)


def _error(page: str, name: str) -> str:
    found = re.search(rf'<p class="error" role="alert" id="e-{re.escape(name)}">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_the_admin_edits_the_permit_types_and_every_bad_value_comes_back_on_its_field(
        app, client, tenant, people, login):
    login(client, people["admin"], tenant)
    page = client.get(_url(tenant)).get_data(as_text=True)
    assert 'name="types.0.code" type="text" value="PBG"' in page and 'value="SKU"' in page
    assert "Jenis izin" in page and ">types<" not in page      # labels, not raw keys
    before = _stored(app, tenant)

    bad = client.post(_url(tenant), data=_form(app, **{"types.0.fee": "per_unit lima ribu",
                                                       "head_position": "NOPE"}))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "per_unit" in _error(page, "types.0.fee") and "NOPE" in _error(page, "head_position")
    assert _stored(app, tenant) == before                       # nothing saved

    good = client.post(_url(tenant), data=_form(app, **{"types.0.sla_days": "7"}))
    assert good.status_code == 302, good.get_data(as_text=True)[:2000]
    assert _stored(app, tenant)["types"][0]["sla_days"] == 7


def test_a_citizen_cannot_open_the_settings(client, tenant, people, login):
    login(client, people["citizen"], tenant)
    assert client.get(_url(tenant)).status_code == 403

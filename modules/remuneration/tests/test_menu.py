"""The menu offers no empty link (remuneration re-trial, issue 16: Banten, which enables the module
only for its auditor's oversight and pays no TPP itself, was offered the runs, employees and
objections, empty pages). Every entry has a label and a target that answers; a tenant without TPP
ceilings (not configured to pay TPP) is offered the oversight only."""
from __future__ import annotations

import re

from .helpers import MODULE, SETTINGS

LINK = re.compile(r'<a href="([^"]*)"[^>]*>(.*?)</a>', re.S)


def _menu(client, tenant) -> list[tuple[str, str]]:
    html = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    return [(href, re.sub(r"<[^>]+>", "", text).strip()) for href, text in LINK.findall(nav)]


def test_no_tenant_menu_has_an_empty_link(app, create_tenant, create_user, login):
    paying = create_tenant(modules={MODULE: SETTINGS}, locales=["id", "en"])
    province = create_tenant(kind="province", modules={MODULE: {}}, locales=["id", "en"])
    for tenant in (paying, province):
        for role in ("admin", "auditor", "officer"):
            client = app.test_client()
            login(client, create_user(tenant, role=role, agency="DLH" if role == "officer" else None), tenant)
            menu = _menu(client, tenant)
            assert menu and all(href and text for href, text in menu), (tenant.slug, role, menu)
            for href, _ in menu:
                if f"/{MODULE}/" in href:
                    assert client.get(href).status_code == 200, href
            tpp = [href.rsplit(f"/{MODULE}/", 1)[1] for href, _ in menu if f"/{MODULE}/" in href]
            if tenant is province:
                assert set(tpp) <= {"oversight"}, (role, tpp)
            elif role == "admin":
                assert {"runs", "employees", "objections", "oversight"} <= set(tpp)
    client = app.test_client()
    login(client, create_user(province, role="auditor"), province)
    assert [t for h, t in _menu(client, province) if h.endswith(f"/{MODULE}/oversight")] == ["Pengawasan TPP"]

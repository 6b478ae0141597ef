"""A page asks the tenant's modules for its navigation once (issue 11: a page pays for what it shows,
once), although the layout and the home page both show the items."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.kit import hookimpl
from core.modules import ModuleSpec


class Counted:
    """A module whose navigation answer counts the times it is asked (a real one may run queries)."""

    asked = 0

    @hookimpl
    def module_info(self):
        return {"name": "navcount", "title": "Counts its navigation calls", "version": "1"}

    @hookimpl
    def nav_items(self, tenant):
        Counted.asked += 1
        return [{"title": "Counted nav item", "endpoint": "auth.login"}]


@pytest.fixture
def counted(app):
    manager = app.extensions["pamong"]
    plugin = Counted()
    manager.pm.register(plugin, name="navcount")
    manager.modules["navcount"] = ModuleSpec(name="navcount", plugin=plugin, info=plugin.module_info(),
                                             path=Path(__file__).parent, source="test")
    yield plugin
    manager.modules.pop("navcount")
    manager.pm.unregister(name="navcount")


def test_the_home_page_asks_for_the_navigation_once(app, client, counted, create_tenant):
    tenant = create_tenant(modules={"navcount": {}})
    Counted.asked = 0
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert page.count("Counted nav item") == 2  # in the layout's menu and on the home page
    assert Counted.asked == 1
    client.get(f"/t/{tenant.slug}/")
    assert Counted.asked == 2  # once per request: the next request asks again

"""A form posted without its CSRF token, to any blueprint of the core or a module, gets the styled
400 page (t14 defect 2): the token is checked before the request's tenant is known, so a
blueprint's context processor that read ``g.tenant`` broke the error page (a bare page and a
traceback in the log). One POST route of each blueprint that checks the token."""
from __future__ import annotations

import logging

from werkzeug.routing import IntegerConverter

from core.extensions import csrf
from core.http_errors import _BARE


def _form_routes(app) -> dict[str, object]:
    """One POST rule per blueprint whose views check the CSRF token."""
    exempt = {bp.name for bp in csrf._exempt_blueprints}
    found = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        blueprint = rule.endpoint.rsplit(".", 1)[0] if "." in rule.endpoint else None
        view = app.view_functions[rule.endpoint]
        if (blueprint and "POST" in (rule.methods or ()) and blueprint not in exempt
                and f"{view.__module__}.{view.__name__}" not in csrf._exempt_views):
            found.setdefault(blueprint, rule)
    return found


def test_every_blueprint_answers_a_tokenless_post_with_the_styled_page(error_app, create_tenant, caplog):
    tenant = create_tenant()
    client = error_app.test_client()
    routes = _form_routes(error_app)
    assert {"eoffice", "admin", "portal"} <= set(routes)  # the module of the defect, and the core's
    bare = _BARE.split("{status}")[0]
    for blueprint, rule in routes.items():
        values = {arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x" for arg in rule.arguments}
        path = error_app.url_map.bind("localhost").build(rule.endpoint, values)
        caplog.clear()
        with caplog.at_level(logging.ERROR):
            response = client.post(f"/t/{tenant.slug}{path}", data={"x": "1"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (blueprint, path, response.status_code)
        assert not page.startswith(bare), (blueprint, path, page[:300])
        assert "<h1>400</h1>" in page and 'rel="stylesheet"' in page, (blueprint, path)
        assert not [r for r in caplog.records if "could not render" in r.getMessage()], (blueprint, path)

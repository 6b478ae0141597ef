"""Templates in layers (DESIGN §2, EXAMPLES §11): the tenant's folder, the deployment's overrides,
the shared templates, then each module's own.

A tenant overrides any template by placing a file of the same name under
``tenants/<slug>/templates/``; the override may ``{% extends "<same name>" %}`` to change one block.
"""
from __future__ import annotations

from flask import g, has_request_context
from flask.templating import Environment
from jinja2 import TemplateNotFound


class TenantEnvironment(Environment):
    def __init__(self, app, **options):
        super().__init__(app, **options)
        self._overrides: dict[tuple[str, str], bool] = {}
        from .i18n import NUMBER_FILTERS

        # numbers in the reader's language, in every template (core and modules): {{ avg|decimal }}
        # "4,0"/"4.0", {{ n|number }} "1.250"/"1,250", {{ share|percent }} "76%" (core/i18n.py)
        self.filters.update(NUMBER_FILTERS)

    def _override_for(self, name: str) -> str | None:
        tenant = getattr(g, "tenant", None) if has_request_context() else None
        if tenant is None:
            return None
        key = (tenant.slug, name)
        if key not in self._overrides:  # deploy-time files: looked up once per process
            try:
                self.loader.get_source(self, f"tenant/{tenant.slug}/templates/{name}")
                self._overrides[key] = True
            except TemplateNotFound:
                self._overrides[key] = False
        return f"tenant/{tenant.slug}/templates/{name}" if self._overrides[key] else None

    def get_template(self, name, parent=None, globals=None):
        if isinstance(name, str):
            override = self._override_for(name)
            if override and parent != override:  # an override extending its original gets the original
                name = override
        return super().get_template(name, parent, globals)
